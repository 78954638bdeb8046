"""Issue 5's "done means" on the demo, at laptop size and through the pages alone: the committee
prepares a second category of the running demo event from nothing to scoring (category, stage,
rubric, entries, judges, opened stage), and the dashboard tells the truth about the demo's
partly scored Duta Orang Tua Hebat category (its numbers checked against the database)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from scoring.extensions import db
from scoring.models import Assignment, Category, Event, ScoreSheet, Stage
from tests.browser.conftest import screenshot
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAPTOP = {"width": 1366, "height": 768}
CATEGORY = "Poktan BKR Terbaik"
ENTRIES = [("15.01", "BKR Harapan Bangsa"), ("15.04", "BKR Cempaka"), ("15.71", "BKR Tunas Muda")]


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A fresh `seed-demo` database served on its own (this test changes it; a rerun starts
    again from the seed)."""
    folder = tmp_path_factory.mktemp("second-category")
    app = make_test_app(
        f"sqlite:///{folder / 'live.sqlite3'}",
        UPLOAD_DIR=str(folder / "uploads"),
        STASH_DIR=str(folder / "stash"),
    )
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]


def test_second_category_from_nothing_to_scoring(demo: tuple[Flask, str], page: Any) -> None:
    app, base = demo
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("panitia@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-panitia")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/panitia/")
    region = page.get_by_role("region", name="Pemilihan Poktan Terbaik dan Duta Orang Tua Hebat")
    region.get_by_role("link", name=re.compile("Pemilihan Poktan Terbaik")).first.click()
    expect(page.get_by_role("heading", name="Kategori", exact=True)).to_be_visible()
    event_url = page.url

    # A category, a scored stage worth 100 %, two criteria.
    page.get_by_role("link", name="+ Tambah kategori").click()
    page.get_by_label("Nama kategori").fill(CATEGORY)
    page.get_by_label("Yang dilombakan").fill("Poktan BKR")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text(f"{CATEGORY} belum memiliki tahap yang dinilai.").first).to_be_visible()
    card = page.locator(".category-card", has_text=CATEGORY)
    card.get_by_role("link", name="+ Tambah tahap").click()
    page.get_by_label("Nama tahap").fill("Penilaian Dokumen")
    page.get_by_label("Dinilai dengan rubrik").check()
    page.get_by_label("Bobot dalam nilai akhir (%)").fill("100")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Rubrik: Penilaian Dokumen")).to_be_visible()
    for name, weight in (("Kelembagaan", "60"), ("Pelaksanaan kegiatan", "40")):
        form = page.locator("form.criterion-form")
        form.get_by_label("Nama kriteria").fill(name)
        form.get_by_label("Bobot", exact=True).fill(weight)
        form.get_by_role("button", name="Simpan kriteria").click()
        expect(page.get_by_text("Kriteria telah ditambahkan.")).to_be_visible()
    expect(page.locator(".criteria-table tbody tr")).to_have_count(2)
    screenshot(page, "second-category-rubric")

    # Three entries by hand; each code is shown once.
    page.locator(".breadcrumb").get_by_role(
        "link", name=re.compile("^Pemilihan Poktan Terbaik")
    ).click()
    card = page.locator(".category-card", has_text=CATEGORY)
    expect(card.get_by_text("Siap dinilai")).to_be_visible()
    card.get_by_role("link", name="Peserta", exact=True).click()
    for code, name in ENTRIES:
        page.get_by_role("link", name="+ Tambah peserta").click()
        page.get_by_label("Nama peserta").fill(name)
        region = page.get_by_label("Wilayah")
        value = region.locator("option", has_text=f"{code} ·").first.get_attribute("value")
        region.select_option(value)
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_test_id("codes")).to_contain_text(name)
        page.get_by_role("link", name="Selesai, kembali ke daftar peserta").click()
    expect(page.locator(".entries-table tbody tr")).to_have_count(3)
    screenshot(page, "second-category-entries")

    # Judges: every judge scores every entry, minus their own region.
    page.get_by_role("link", name="Penilaian Dokumen").first.click()
    expect(page.get_by_role("heading", name="Juri untuk Penilaian Dokumen")).to_be_visible()
    generate = page.get_by_test_id("generate-form")
    generate.get_by_role("button", name="Buat penugasan").click()
    expect(page.get_by_text(re.compile(r"\d+ penugasan telah dibuat"))).to_be_visible()
    _fits(page)
    screenshot(page, "second-category-assignments")

    # Open the stage: the category is being scored.
    page.locator(".breadcrumb").get_by_role(
        "link", name=re.compile("^Pemilihan Poktan Terbaik")
    ).click()
    card = page.locator(".category-card", has_text=CATEGORY)
    card.get_by_role("button", name="Buka penilaian Penilaian Dokumen").click()
    expect(page.get_by_text("Status tahap telah diubah.")).to_be_visible()
    card = page.locator(".category-card", has_text=CATEGORY)
    expect(card.get_by_text("Dibuka untuk penilaian", exact=True)).to_be_visible()
    _fits(page)
    screenshot(page, "second-category-open")

    event_id = int(event_url.rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        category = db.session.scalar(
            select(Category).where(Category.event_id == event_id, Category.name == CATEGORY)
        )
        stage = category.stages[0]
        assert stage.status == "open" and len(category.entries) == 3
        assigned = db.session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.stage_id == stage.id)
        )
        assert assigned == 9  # three judges per entry, none from the entry's own region

    # The dashboard: the demo's partly scored Duta Orang Tua Hebat category, truthfully.
    page.get_by_role("link", name="Kemajuan", exact=True).last.click()
    expect(page.get_by_role("heading", name="Kemajuan penjurian")).to_be_visible()
    with app.app_context():
        doth = db.session.scalar(
            select(Category)
            .join(Event, Event.id == Category.event_id)
            .where(Event.id == event_id, Category.name == "Duta Orang Tua Hebat")
        )
        sent, total = _sheet_counts(doth.id)
    assert 0 < sent < total
    section = page.get_by_role("region", name="Duta Orang Tua Hebat", exact=True)
    expect(section.get_by_text(f"{sent} dari {total} lembar terkirim")).to_be_visible()
    with app.app_context():
        counts = [_sheet_counts(c.id) for c in db.session.get(Event, event_id).categories]
    everything = f"{sum(c[0] for c in counts)} / {sum(c[1] for c in counts)}"
    expect(page.get_by_test_id("sheets-total")).to_have_text(everything)
    blockers = page.get_by_test_id("blockers")
    # Its portfolio stage is complete, so every missing sheet is a presentation one.
    expect(blockers).to_contain_text(
        f"Duta Orang Tua Hebat · Presentasi dan Wawancara: {total - sent} dari"
    )
    expect(blockers).to_contain_text(f"{CATEGORY} · Penilaian Dokumen masih dibuka")
    screenshot(page, "second-category-dashboard")


def _sheet_counts(category_id: int) -> tuple[int, int]:
    """(sent, expected) score sheets of the category, straight from the database."""
    stages = select(Stage.id).where(Stage.category_id == category_id)
    base = (
        select(func.count())
        .select_from(ScoreSheet)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.stage_id.in_(stages))
    )
    sent = db.session.scalar(base.where(ScoreSheet.status.in_(("submitted", "locked"))))
    return int(sent or 0), int(db.session.scalar(base) or 0)
