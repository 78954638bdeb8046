"""Issue 15: a band descriptor longer than 60 characters is kept whole, from the rubric builder
to the judge's sheet; one over the limit is refused with the limit said, never cut silently."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from scoring.extensions import db
from tests.browser.conftest import screenshot
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LONG = (
    "Sangat baik: kegiatan berjalan rutin setiap bulan, tercatat lengkap di buku register, "
    "dan keluarga peserta menunjukkan perubahan pola asuh yang nyata"
)
TOO_LONG = "x" * 301


@pytest.fixture(scope="module")
def builder_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("bands-live") / "live.sqlite3"
    app = make_test_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def new_stage(page: Any, base: str) -> None:
    """Log in as the committee and build an event, a category and a scored stage."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("panitia@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-panitia")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/panitia/")
    page.get_by_role("link", name="+ Kegiatan baru").click()
    page.get_by_label("Nama kegiatan").fill("Pemilihan Kampung KB Terbaik 2026")
    page.get_by_label("Tingkat").select_option("provinsi")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kegiatan telah dibuat.")).to_be_visible()
    page.get_by_role("link", name="+ Tambah kategori").click()
    page.get_by_label("Nama kategori").fill("Kampung KB")
    page.get_by_label("Yang dilombakan").fill("Kampung KB")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("link", name="+ Tambah tahap").click()
    page.get_by_label("Nama tahap").fill("Penilaian Dokumen")
    page.get_by_label("Dinilai dengan rubrik").check()
    page.get_by_label("Bobot dalam nilai akhir (%)").fill("100")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Rubrik: Penilaian Dokumen")).to_be_visible()


def fill_bands(form: Any, rows: list[tuple[str, str, str]]) -> None:
    form.get_by_label("Gunakan rentang keterangan yang lazim untuk rentang nilai ini").uncheck()
    for n, (low, high, text) in enumerate(rows, start=1):
        form.get_by_label(f"Rentang {n}: dari").fill(low)
        form.get_by_label(f"Rentang {n}: sampai").fill(high)
        form.get_by_label(f"Rentang {n}: keterangan").fill(text)


def test_a_long_band_descriptor_is_kept_whole(builder_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID")
    page = context.new_page()
    try:
        new_stage(page, builder_server)
        form = page.locator("form.criterion-form")
        form.get_by_label("Nama kriteria").fill("Pelaksanaan kegiatan")
        form.get_by_label("Bobot", exact=True).fill("100")

        # Over the limit: refused with the limit said; the text typed is all still there.
        fill_bands(
            form,
            [
                ("1", "59", "Kurang"),
                ("60", "74", "Cukup"),
                ("75", "89", "Baik"),
                ("90", "100", TOO_LONG),
            ],
        )
        expect(form.get_by_text("Keterangan boleh sampai 300 karakter")).to_be_visible()
        descriptor = form.get_by_label("Rentang 4: keterangan")
        assert descriptor.get_attribute("maxlength") is None
        expect(descriptor).to_have_value(TOO_LONG)
        form.get_by_role("button", name="Simpan kriteria").click()
        expect(
            page.get_by_text("Rentang 4: Paling banyak 300 karakter; teks ini 301 karakter.")
        ).to_be_visible()
        expect(descriptor).to_have_value(TOO_LONG)

        # 140 characters: saved whole (the builder used to stop typing at 60).
        descriptor.fill("")
        descriptor.press_sequentially(LONG)
        expect(descriptor).to_have_value(LONG)
        form.get_by_role("button", name="Simpan kriteria").click()
        expect(page.get_by_text("Kriteria telah ditambahkan.")).to_be_visible()
        expect(page.locator(".criteria-table .band-chip").nth(3)).to_have_text(f"90–100 {LONG}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024
        screenshot(page, "committee-rubric-long-band")

        # The judge's sheet (the preview draws it as the tablet does) shows all of it.
        page.get_by_role("link", name="Pratinjau seperti dilihat juri").click()
        preview = page.get_by_test_id("rubric-preview")
        band = preview.locator(".band").nth(3)
        expect(band.locator(".band-label")).to_have_text(LONG)
        assert band.evaluate("el => el.scrollWidth <= el.clientWidth")
        screenshot(page, "judge-sheet-long-band-preview")
    finally:
        context.close()
