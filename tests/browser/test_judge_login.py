"""A judge logs in on a tablet and sees their home page in Indonesian, then in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_judge_logs_in_on_a_tablet_and_switches_language(live_server: str, tablet_page) -> None:
    page = tablet_page
    page.goto(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_label("Email").fill("juri2@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-juri")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{live_server}/juri/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Lembar penilaian saya"
    expect(page.get_by_text("Halo, Dra. Yusnidar, M.Pd.")).to_be_visible()
    expect(page.get_by_text("Dibuka untuk penilaian").first).to_be_visible()
    # Touch targets: every row a finger taps is at least 44 px high.
    heights = page.locator(".worklist-item").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    # Nothing overflows sideways at tablet width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "judge-home-id")

    # The language switch sits in the collapsed menu at this width.
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "My score sheets"
    expect(page.get_by_text("Open for scoring").first).to_be_visible()
    screenshot(page, "judge-home-en")
