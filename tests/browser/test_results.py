"""Results pages in headless Chromium: the public ranking on a phone, the committee's review."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def phone_page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=PHONE, locale="id-ID")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def laptop_page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def _login(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("panitia@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-panitia")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{live_server}/panitia/")


def test_public_results_on_a_phone(live_server: str, phone_page) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    page.goto(f"{live_server}/hasil/jambi-2025")
    expect(page.get_by_role("heading", name="Poktan BKB Terbaik")).to_be_visible()
    winners = page.locator('[data-testid="winner"]')
    expect(winners).to_have_count(6)
    assert "JUARA I" in winners.first.inner_text()  # text-transform: uppercase
    assert "BKB Tunas Harapan" in winners.first.inner_text()
    expect(page.get_by_text("Hasil kategori ini belum diumumkan.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "results-public-phone")
    page.get_by_text("Kode verifikasi").first.click()
    expect(page.locator('[data-testid="snapshot-hash"]').first).to_be_visible()


def test_committee_reviews_the_categories(live_server: str, laptop_page) -> None:  # type: ignore[no-untyped-def]
    page = laptop_page
    _login(page, live_server)
    page.goto(f"{live_server}/panitia/hasil/acara/1")
    page.locator("a.list-group-item", has_text="Poktan BKB Terbaik").click()
    expect(page.get_by_role("heading", name="Hasil: Poktan BKB Terbaik")).to_be_visible()
    expect(page.get_by_text("Diterbitkan").first).to_be_visible()
    assert page.locator('[data-testid="ranking"] tbody tr').count() >= 11
    expect(page.locator("svg.chart-svg")).to_have_count(2)
    page.locator("details.judge-scores summary").first.click()
    expect(page.locator("details.judge-scores table").first).to_be_visible()
    screenshot(page, "results-review-bkb")

    page.goto(f"{live_server}/panitia/hasil/acara/1")
    page.locator("a.list-group-item", has_text="Duta Orang Tua Hebat").click()
    expect(page.get_by_text("belum dikirim").first).to_be_visible()
    page.get_by_role("link", name="Nilai mentah").click()
    expect(page.locator('[data-testid="ranking"]')).to_be_visible()
    screenshot(page, "results-review-doth-raw")

    page.goto(f"{live_server}/panitia/audit?acara=1")
    expect(page.get_by_role("heading", name="Log audit")).to_be_visible()
    assert page.locator('[data-testid="audit-row"]').count() > 0
    screenshot(page, "results-audit")


def test_review_on_a_tablet(live_server: str, tablet_page) -> None:  # type: ignore[no-untyped-def]
    page = tablet_page
    _login(page, live_server)
    page.goto(f"{live_server}/panitia/hasil/kategori/1")
    expect(page.get_by_role("heading", name="Hasil: Poktan BKB Terbaik")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "results-review-tablet")
