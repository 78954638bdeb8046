"""Regional registration on a phone (390×844): the Kota Jambi operator registers an entry with
its two documents and sends it; the committee passes it; a judge then finds it on the worklist.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import expect
from werkzeug.serving import make_server

from scoring.extensions import db
from scoring.services.demo_registration import DEMO_PDF
from tests.browser.conftest import screenshot
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """The demo on its own database and upload folder: this test changes what judges see."""
    app = make_test_app(
        f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        UPLOAD_DIR=str(tmp_path / "up"),
        STASH_DIR=str(tmp_path / "stash"),
    )
    with app.app_context():
        db.create_all()
    assert app.test_cli_runner().invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    pdf = tmp_path / "SK Poktan BKR Harapan.pdf"
    pdf.write_bytes(DEMO_PDF)
    photo = tmp_path / "foto kegiatan.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (46, 125, 50)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    return {"pdf": pdf, "photo": photo}


def log_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_operator_registers_on_a_phone_and_the_judges_get_it(
    browser, demo_server: tuple[str, Flask], files: dict[str, Path]
) -> None:
    url, _app = demo_server
    phone = browser.new_context(viewport=PHONE, locale="id-ID")
    page = phone.new_page()
    log_in(page, url, "operator.kotajambi@demo.juara.id", "demo-operator")
    page.wait_for_url(f"{url}/wilayah/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pendaftaran")
    slot = page.get_by_test_id("slot").filter(has_text="Poktan BKR Terbaik")
    expect(slot).to_contain_text("WIB")
    screenshot(page, "regional-phone-home")
    slot.get_by_role("link", name="Daftarkan peserta").click()

    page.get_by_label("Nama peserta").fill("BKR Harapan Bangsa Kelurahan Talang Banjar")
    page.get_by_label("Narahubung").fill("Ibu Sri Rahayu")
    page.get_by_label("Telepon (WhatsApp)").fill("0812 7400 1122")
    screenshot(page, "regional-phone-form")
    page.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(page.get_by_test_id("entry-name")).to_have_text(
        "BKR Harapan Bangsa Kelurahan Talang Banjar"
    )
    expect(page.get_by_test_id("checklist-count")).to_have_text("0 dari 2 dokumen wajib")

    for requirement, path in (
        ("SK pembentukan Poktan", files["pdf"]),
        ("Foto kegiatan", files["photo"]),
    ):
        item = page.get_by_test_id("requirement").filter(has_text=requirement)
        item.get_by_label(f"Unggah {requirement}").set_input_files(str(path))
        item.get_by_role("button", name="Unggah", exact=True).click()
        expect(page.get_by_test_id("requirement").filter(has_text=requirement)).to_contain_text(
            path.suffix
        )
    expect(page.get_by_test_id("checklist-count")).to_have_text("2 dari 2 dokumen wajib")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "regional-phone-documents")

    page.get_by_label("Saya menyatakan data dan dokumen sudah benar dan lengkap").check()
    page.get_by_role("button", name="Kirim ke panitia").click()
    expect(page.get_by_test_id("status")).to_have_text("Terkirim")
    screenshot(page, "regional-phone-sent")
    phone.close()

    laptop = browser.new_context(viewport=LAPTOP, locale="id-ID")
    page = laptop.new_page()
    log_in(page, url, "panitia@demo.juara.id", "demo-panitia")
    page.goto(f"{url}/panitia/")
    page.get_by_role("link", name="Pemilihan Poktan BKR").first.click()
    page.get_by_role("link", name="Pendaftaran", exact=True).click()
    bkr = page.locator("section").filter(has_text="Poktan BKR Terbaik").first
    expect(bkr.get_by_test_id("region-row").filter(has_text="Kota Jambi")).to_contain_text("1")
    screenshot(page, "regional-committee-overview")
    page.get_by_role("link", name="Operator wilayah").click()
    expect(page.get_by_role("cell", name="operator.kotajambi@demo.juara.id")).to_be_visible()
    screenshot(page, "regional-committee-operators")
    page.get_by_role("link", name="Seleksi administrasi").first.click()
    item = page.get_by_test_id("queue-item").filter(has_text="BKR Harapan Bangsa")
    expect(item.locator("img")).to_be_visible()  # the photo inline
    screenshot(page, "regional-committee-queue")
    item.get_by_label("Lulus", exact=True).check()
    item.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_role("status").first).to_contain_text("4 juri")  # juri1 is from Kota Jambi
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    laptop.close()

    tablet = browser.new_context(viewport={"width": 768, "height": 1024}, locale="id-ID")
    page = tablet.new_page()
    log_in(page, url, "juri2@demo.juara.id", "demo-juri")
    page.wait_for_url(f"{url}/juri/")
    expect(page.get_by_text("BKR Harapan Bangsa Kelurahan Talang Banjar").first).to_be_visible()
    screenshot(page, "regional-judge-worklist")
    tablet.close()
