"""At laptop size the committee builds an event, a category, a scored stage and a small rubric
through the pages, previews it as a judge will see it, and moves the event to scoring."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from scoring.extensions import db
from tests.browser.conftest import screenshot
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def committee_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server of its own: this test changes data, the shared demo server stays seeded."""
    path = tmp_path_factory.mktemp("committee-live") / "live.sqlite3"
    app = make_test_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def laptop_page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def _add_criterion(page, name: str, weight: str, low: str = "1", high: str = "100") -> None:  # type: ignore[no-untyped-def]
    form = page.locator("form.criterion-form")
    form.get_by_label("Nama kriteria").fill(name)
    form.get_by_label("Bobot", exact=True).fill(weight)
    form.get_by_label("Nilai terendah").fill(low)
    form.get_by_label("Nilai tertinggi").fill(high)
    form.get_by_role("button", name="Simpan kriteria").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Kriteria telah ditambahkan.")).to_be_visible()


def test_committee_builds_a_rubric_and_previews_it(committee_server: str, laptop_page) -> None:
    page = laptop_page
    base = committee_server
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("panitia@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-panitia")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/panitia/")
    screenshot(page, "committee-home-laptop")

    # A new event.
    page.get_by_role("link", name="+ Kegiatan baru").click()
    page.get_by_label("Nama kegiatan").fill(
        "Pemilihan PIK-R Terbaik Tingkat Provinsi Jambi Tahun 2026"
    )
    page.get_by_label("Tingkat").select_option("provinsi")
    page.get_by_label("Hari pertama").fill("2026-07-14")
    page.get_by_label("Hari terakhir").fill("2026-07-16")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Kegiatan telah dibuat.")).to_be_visible()
    expect(page.get_by_text("14 Juli 2026 – 16 Juli 2026")).to_be_visible()

    # A category, then a scored stage worth 100 %.
    page.get_by_role("link", name="+ Tambah kategori").click()
    page.get_by_label("Nama kategori").fill("PIK-R Terbaik")
    page.get_by_label("Yang dilombakan").fill("PIK-R")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    expect(
        page.get_by_text("PIK-R Terbaik belum memiliki tahap yang dinilai.").first
    ).to_be_visible()
    page.get_by_role("link", name="+ Tambah tahap").click()
    page.get_by_label("Nama tahap").fill("Penilaian Dokumen")
    page.get_by_label("Dinilai dengan rubrik").check()
    page.get_by_label("Bobot dalam nilai akhir (%)").fill("100")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Rubrik: Penilaian Dokumen")).to_be_visible()

    # Three criteria: two on 1–100 with the usual bands, one on a 1–5 scale.
    _add_criterion(page, "Kelembagaan", "40")
    _add_criterion(page, "Inovasi", "35")
    _add_criterion(page, "Kesan umum juri", "25", "1", "5")
    rows = page.locator(".criteria-table tbody tr")
    expect(rows).to_have_count(3)
    assert "Kesan umum juri" in rows.nth(2).inner_text()
    assert "5 Sangat baik" in rows.nth(2).inner_text()
    # A bad weight is refused with a clear message and nothing is lost.
    form = page.locator("form.criterion-form")
    form.get_by_label("Nama kriteria").fill("Pencatatan")
    form.get_by_label("Bobot", exact=True).fill("0")
    form.get_by_role("button", name="Simpan kriteria").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Bobot kriteria harus lebih dari 0.")).to_be_visible()
    assert page.locator("form.criterion-form").get_by_label("Nama kriteria").input_value() == (
        "Pencatatan"
    )
    expect(page.locator(".criteria-table tbody tr")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    screenshot(page, "committee-rubric-builder-laptop")

    # The preview shows the rubric as a judge will see it.
    page.get_by_role("link", name="Pratinjau seperti dilihat juri").click()
    page.wait_for_load_state()
    preview = page.get_by_test_id("rubric-preview")
    expect(preview.get_by_role("heading", name="Contoh peserta")).to_be_visible()
    expect(preview.get_by_text("Wilayah · PIK-R Terbaik · Penilaian Dokumen")).to_be_visible()
    expect(preview.locator(".preview-criterion")).to_have_count(3)
    expect(preview.get_by_text("dari 1 sampai 5")).to_be_visible()
    scores = preview.locator(".score-input")
    assert scores.count() == 3 and all(scores.nth(i).is_disabled() for i in range(3))
    expect(preview.get_by_text("Bobot 40", exact=True)).to_be_visible()
    frame_width = preview.evaluate("el => el.getBoundingClientRect().width")
    assert 700 <= frame_width <= 768
    screenshot(page, "committee-rubric-preview-laptop")

    # Back on the event page: ready, and the event goes draft → open → scoring.
    page.get_by_role(
        "link", name="Pemilihan PIK-R Terbaik Tingkat Provinsi Jambi Tahun 2026"
    ).click()
    expect(page.get_by_text("Siap dinilai: rubrik sudah lengkap")).to_be_visible()
    page.get_by_role("button", name="Lanjut ke “Pendaftaran dibuka”").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Lanjut ke “Penilaian”").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Status kegiatan telah diubah.")).to_be_visible()
    assert page.locator(".workflow-step.is-current").inner_text().strip().endswith("Penilaian")
    page.get_by_role("button", name="Buka penilaian Penilaian Dokumen").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Status tahap telah diubah.")).to_be_visible()
    screenshot(page, "committee-event-laptop")


def test_dashboard_on_a_projector(committee_server: str, laptop_page) -> None:
    page = laptop_page
    base = committee_server
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("panitia@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-panitia")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/panitia/")
    demo = page.get_by_role("region", name="Pemilihan Poktan Terbaik dan Duta Orang Tua Hebat")
    demo.get_by_role("link", name="Kemajuan").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Kemajuan penjurian")).to_be_visible()
    expect(page.locator(".judge-table")).to_have_count(2)
    assert page.get_by_text(
        "Duta Orang Tua Hebat · Presentasi dan Wawancara masih dibuka"
    ).is_visible()
    expect(page.get_by_text("Yang masih menghambat pengumuman")).to_be_visible()
    screenshot(page, "committee-dashboard-laptop")
    page.get_by_role("link", name="Teks besar untuk proyektor").click()
    page.wait_for_load_state()
    assert "projector" in (page.locator("body").get_attribute("class") or "")
    # The board refreshes by itself (htmx polling every 15 s) and keeps its numbers.
    before = page.get_by_test_id("sheets-total").inner_text()
    with page.expect_response(lambda r: "/kemajuan/langsung?besar=1" in r.url, timeout=25000):
        pass
    page.wait_for_timeout(300)
    assert page.get_by_test_id("sheets-total").inner_text() == before
    expect(page.locator("#board .navbar")).to_have_count(0)
    screenshot(page, "committee-dashboard-projector")
