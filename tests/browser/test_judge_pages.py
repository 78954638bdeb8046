"""The judge's pages at tablet size, portrait and landscape: touch targets, labels, focus, contrast.

Read only: runs on the shared seeded live server and changes no data.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PORTRAIT = {"width": 768, "height": 1024}
LANDSCAPE = {"width": 1024, "height": 768}

CONTROLS = "#main input, #main textarea, #main button, #main select"
UNLABELLED = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.offsetParent !== null).filter(el => {
    const name = (el.getAttribute('aria-label') || '').trim() ||
      (el.labels && Array.from(el.labels).map(l => l.textContent).join('').trim()) ||
      (el.tagName === 'BUTTON' ? el.textContent.trim() : '');
    return !name;
  }).map(el => el.outerHTML.slice(0, 120))"""

TARGETS = (
    "#main button, #main input, #main textarea, #main a.btn, #main .worklist-item, #main summary"
)
SMALL_TARGETS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([, r]) => r.height < 44 || r.width < 44)
  .map(([html, r]) => `${html} ${Math.round(r.width)}×${Math.round(r.height)}`)"""

# WCAG 2 contrast ratio of an element's text against its (first opaque) background.
CONTRAST = """(selector) => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  return Array.from(document.querySelectorAll(selector)).filter(el => el.offsetParent !== null)
    .map(el => {
      let node = el, bg = null;
      while (node && !bg) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c.length < 4 || c[3] > 0.9) bg = c; else node = node.parentElement;
      }
      bg = bg || [255, 255, 255];
      const fg = parse(getComputedStyle(el).color);
      const [hi, lo] = [lum(fg.slice(0, 3)), lum(bg.slice(0, 3))].sort((a, b) => b - a);
      return (hi + 0.05) / (lo + 0.05);
    });
}"""


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill("demo-juri")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/juri/")


def check_page(page: Any, width: int, texts: tuple[str, ...]) -> None:
    assert page.evaluate(UNLABELLED, CONTROLS) == []
    assert page.evaluate(SMALL_TARGETS, TARGETS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in texts:
        ratios = page.evaluate(CONTRAST, selector)
        assert ratios and all(r >= 4.5 for r in ratios), (selector, ratios)


@pytest.mark.parametrize(("name", "viewport"), [("portrait", PORTRAIT), ("landscape", LANDSCAPE)])
def test_judge_home_and_sheet_on_a_tablet(live_server: str, browser: Any, name, viewport) -> None:
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, live_server, "juri5@demo.juara.id")
        page.wait_for_function("() => document.documentElement.dataset.outbox === '0'")
        status = page.locator("#sync-status").inner_text()
        assert status.endswith("Semua nilai tersimpan di server")
        check_page(page, viewport["width"], (".status", ".sync-text", ".text-muted", "label"))
        screenshot(page, f"judge-home-{name}")

        # The search narrows the list as the judge types (a name or a region).
        rows = page.locator("#judge-home li[data-search]:visible")
        before = rows.count()
        page.get_by_label("Cari peserta atau wilayah").fill("tebo")
        assert 0 < rows.count() < before
        assert all("Tebo" in text for text in rows.all_inner_texts())
        assert page.locator("#search-count").inner_text().endswith("peserta ditampilkan")
        page.get_by_label("Cari peserta atau wilayah").fill("")

        open_stage = page.locator("section.stage-card").first
        open_stage.locator("a[data-sheet-id]").filter(has_text="Belum").first.click()
        page.wait_for_selector(".criterion")
        page.wait_for_load_state("networkidle")
        sheet_texts = (".status", ".sync-text", ".band", ".text-muted", "#total", "label")
        check_page(page, viewport["width"], sheet_texts)
        # Visible focus for keyboard users: the first band button, reached with Tab.
        band = page.locator(".band").first
        band.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        outline = band.evaluate("el => getComputedStyle(el).outlineWidth")
        assert outline == "3px"
        # The total and "Kirim" stay in view while scrolling (sticky footer).
        page.mouse.wheel(0, 600)
        footer = page.locator("#sheet-footer").bounding_box()
        assert footer is not None and footer["y"] + footer["height"] <= viewport["height"] + 1
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"judge-sheet-{name}")
    finally:
        context.close()
