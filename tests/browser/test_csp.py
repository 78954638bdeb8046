"""Under the Content-Security-Policy, the pages with scripts still work in Chromium: no CSP
violation and no script error on the committee dashboard (htmx polling), the results review
(charts), the public results, the certificate page and the judge's pages (service worker).
The judge flows themselves are covered by tests/browser, which run under the same headers."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Category, Event, ScoreSheet
from tests.browser.conftest import TABLET, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" or "Security" in m.text else None,
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    # a missing resource is reported by URL below (favicon.ico is not served, on purpose)
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return problems


def _login(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("button", name="Masuk", exact=True)).to_have_count(0)


def test_committee_and_public_pages_run_under_the_csp(
    browser: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        event = db.session.scalar(select(Event).order_by(Event.id))
        category = db.session.scalar(select(Category).order_by(Category.id))
        event_id, category_id, slug = event.id, category.id, event.slug
    context = browser.new_context(viewport=TABLET, locale="id-ID")
    page = context.new_page()
    problems = _watch(page)
    page.goto(f"{live_server}/hasil/{slug}")
    page.goto(f"{live_server}/sertifikat")
    _login(page, live_server, "panitia@demo.juara.id", "demo-panitia")
    page.goto(f"{live_server}/panitia/acara/{event_id}/kemajuan")
    # htmx is loaded and polling: its request class comes and goes without a CSP error
    page.wait_for_timeout(1500)
    expect(page.locator("body")).to_be_visible()
    screenshot(page, "security-csp-progress")
    page.goto(f"{live_server}/panitia/hasil/kategori/{category_id}")
    expect(page.locator("svg").first).to_be_visible()
    screenshot(page, "security-csp-results-review")
    context.close()
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []


def test_judge_pages_run_under_the_csp(browser: Any, live_server: str, live_app: Flask) -> None:
    with live_app.app_context():
        sheet_id = db.session.scalar(select(ScoreSheet.id).order_by(ScoreSheet.id))
    context = browser.new_context(viewport=TABLET, locale="id-ID")
    page = context.new_page()
    problems = _watch(page)
    _login(page, live_server, "juri1@demo.juara.id", "demo-juri")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=15000)
    page.goto(f"{live_server}/juri/")
    screenshot(page, "security-csp-judge-home")
    assert sheet_id is not None
    context.close()
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []
