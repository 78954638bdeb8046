"""On a laptop the committee builds a small rubric for a new category, imports its entries from
an XLSX file (preview, then confirm) and generates the judges' assignments."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from scoring.extensions import db
from scoring.models import Category, Event, Stage
from tests.browser.conftest import screenshot
from tests.committee.test_entries_support import xlsx_bytes
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAPTOP = {"width": 1366, "height": 768}
ROWS = [
    ["kode_wilayah", "nama", "nama_kontak", "telepon", "email"],
    ["15.01", "BKR Tunas Muda Desa Semurup", "Ibu Yanti", "0812-7000-0001", ""],
    ["15.02", "BKR Harapan Bangsa Pasar Bangko", "", "0812 7000 0002", ""],
    ["15.03", "BKR Melati Desa Pelawan", "", "", "melati.bkr@contoh.id"],
    ["15.04", "BKR Cendana Muara Bulian", "", "", ""],
    ["15.05", "BKR Sejahtera Mendalo Darat", "", "", ""],
    ["15.71", "BKR Bina Remaja Talang Banjar", "", "", ""],
    ["15.99", "BKR Tanpa Wilayah", "", "", ""],  # row 8: unknown region code
    ["15.08", "BKR Ceria Bungo Barat", "", "12345", ""],  # row 9: bad phone
]


@pytest.fixture(scope="module")
def workspace_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The demo on its own SQLite file (this test changes data), files in its own folder."""
    folder = tmp_path_factory.mktemp("committee-import")
    app = make_test_app(
        f"sqlite:///{folder / 'live.sqlite3'}",
        UPLOAD_DIR=str(folder / "uploads"),
        STASH_DIR=str(folder / "stash"),
    )
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    return app


def _id_of(app: Flask, model: Any, **lookup: Any) -> int:
    with app.app_context():
        return db.session.query(model).filter_by(**lookup).one().id


@pytest.fixture(scope="module")
def server(workspace_app: Flask) -> Iterator[str]:
    httpd = make_server("127.0.0.1", 0, workspace_app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def laptop_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def test_committee_builds_a_rubric_imports_entries_and_assigns_judges(
    server: str, workspace_app: Flask, laptop_page: Any, tmp_path: Path
) -> None:
    page = laptop_page
    upload = tmp_path / "peserta-bkr.xlsx"
    upload.write_bytes(xlsx_bytes(ROWS))

    page.goto(f"{server}/login")
    page.get_by_label("Email").fill("panitia@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-panitia")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{server}/panitia/")

    # A new category in the demo event, with a scored stage and a two-criterion rubric.
    event_id = _id_of(workspace_app, Event, slug="jambi-2025")
    page.goto(f"{server}/panitia/acara/{event_id}")
    page.get_by_role("link", name="+ Tambah kategori").click()
    page.get_by_label("Nama kategori").fill("Poktan BKR Terbaik")
    page.get_by_label("Yang dilombakan").fill("Poktan BKR")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    card = page.get_by_role("region", name="Poktan BKR Terbaik")
    card.get_by_role("link", name="+ Tambah tahap").click()
    page.get_by_label("Nama tahap").fill("Penilaian Dokumen")
    page.get_by_label("Dinilai dengan rubrik").check()
    page.get_by_label("Bobot dalam nilai akhir (%)").fill("100")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Rubrik: Penilaian Dokumen")).to_be_visible()
    for name, weight in (("Kelembagaan", "40"), ("Pelaksanaan kegiatan", "60")):
        form = page.locator("form.criterion-form")
        form.get_by_label("Nama kriteria").fill(name)
        form.get_by_label("Bobot", exact=True).fill(weight)
        form.get_by_role("button", name="Simpan kriteria").click()
        page.wait_for_load_state()
        expect(page.get_by_text("Kriteria telah ditambahkan.")).to_be_visible()
    category_id = _id_of(workspace_app, Category, name="Poktan BKR Terbaik", event_id=event_id)
    stage_id = _id_of(workspace_app, Stage, category_id=category_id)

    # The category's entries (URL for now: the event page does not link here yet).
    page.goto(f"{server}/panitia/kategori/{category_id}/peserta")
    expect(page.get_by_text("Belum ada peserta.")).to_be_visible()
    page.get_by_role("link", name="Impor dari lembar kerja").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Impor peserta dari lembar kerja"
    page.get_by_label("Lembar kerja (XLSX atau CSV)").set_input_files(str(upload))
    screenshot(page, "committee-import-upload")
    page.get_by_role("button", name="Periksa berkas").click()

    # The preview: two problems with their rows, nothing saved yet.
    page.wait_for_url("**/impor/pratinjau")
    problems = page.get_by_test_id("problems")
    assert "Kode wilayah 15.99 tidak dikenal." in problems.inner_text()
    assert "Isi nomor telepon Indonesia" in problems.inner_text()
    rows = problems.locator("tbody tr td:first-child").all_inner_texts()
    assert rows == ["8", "9"]
    assert page.get_by_label("Semua 8 baris").is_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    screenshot(page, "committee-import-preview")
    page.get_by_label("Hanya 6 baris yang benar").check()
    page.get_by_test_id("confirm-import").click()

    # The access codes, shown once.
    page.wait_for_url("**/kode-akses")
    expect(page.get_by_text("6 peserta telah disimpan.")).to_be_visible()
    codes = page.locator(".access-code").all_inner_texts()
    assert len(codes) == 6 and all(len(code) == 14 for code in codes)
    screenshot(page, "committee-import-codes")

    # Generate a balanced assignment: three judges per entry, none from the entry's region.
    page.goto(f"{server}/panitia/tahap/{stage_id}/penugasan")
    assert page.get_by_label("Juri per peserta").input_value() == "3"
    page.get_by_label("Angka acak (tidak wajib)").fill("2025")
    page.get_by_role("button", name="Buat penugasan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("18 penugasan telah dibuat (angka acak 2025).")).to_be_visible()
    expect(page.get_by_text("Semua juri saling terhubung")).to_be_visible()
    board = page.get_by_test_id("board")
    expect(board.locator("td.cell-assigned")).to_have_count(18)
    expect(board.locator("td.cell-home")).to_have_count(4)  # four judges live in entries' regions
    heights = board.locator("td .btn").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    screenshot(page, "committee-assignments")
