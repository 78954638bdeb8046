"""The certificate walk-through on the demo: the committee issues all Poktan BKB certificates
with a progress bar, a participant downloads theirs with the access code on a phone, and the QR
code in the PDF opens the verify page.

Its own live server on a fresh SQLite file (it issues certificates); the published results of
issue 7 are stood in for by replacing the one adapter, `_awards_for`.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from random import Random
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from scoring.extensions import db
from scoring.models import Category, Entry
from scoring.services import certificates as issuing
from scoring.services.access_codes import generate_code
from scoring.services.demo import BKB_ENTRIES
from tests.browser.conftest import screenshot
from tests.certificates.conftest import decode_qr, needs_tools
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), needs_tools]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AWARDS = ["Juara I", "Juara II", "Juara III", "Harapan I", "Harapan II", "Harapan III"]


@pytest.fixture
def demo_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Flask]]:
    app = make_test_app(f"sqlite:///{tmp_path / 'demo.sqlite3'}", UPLOAD_DIR=str(tmp_path / "up"))
    with app.app_context():
        db.create_all()
    assert app.test_cli_runner().invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    with app.app_context():
        bkb = db.session.scalar(select(Category).filter_by(name="Poktan BKB Terbaik"))
        quality = {name: q for _code, name, q in BKB_ENTRIES}
        entries = sorted(
            db.session.scalars(select(Entry).filter_by(category_id=bkb.id)),
            key=lambda e: -quality[e.name],
        )
        ranking = [
            SimpleNamespace(entry_id=e.id, rank=i, award=AWARDS[i - 1] if i <= 6 else None, total=0)
            for i, e in enumerate(entries, start=1)
        ]
        bkb_id = bkb.id
    monkeypatch.setattr(issuing, "_awards_for", lambda cid: ranking if cid == bkb_id else None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url, app
    server.shutdown()


def _demo_code(entry_name: str, region_code: str) -> str:
    """The access code seed-demo printed for this entry (same seed as scoring.services.demo)."""
    return generate_code(Random(f"juara-demo-access-Poktan BKB Terbaik-{region_code}"))


def test_issue_download_and_verify(
    demo_server: tuple[str, Flask], browser: Any, tmp_path: Path
) -> None:
    url, _app = demo_server
    committee = browser.new_context(viewport=LAPTOP, locale="id-ID", accept_downloads=True)
    page = committee.new_page()
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill("panitia@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-panitia")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()

    page.goto(f"{url}/panitia/sertifikat/")
    page.get_by_role("link", name=re.compile("Pemilihan Poktan Terbaik")).click()
    # The demo seeds a made-up signer, so issuing is possible at once; the committee
    # still puts in the real one first.
    page.get_by_role("link", name="Ubah pengaturan").click()
    assert page.get_by_label("Jabatan penanda tangan").input_value() == (
        "Kepala Perwakilan BKKBN Provinsi Jambi"
    )
    page.get_by_label("Nama penanda tangan").fill("Dr. Drs. Munawar Ibrahim, M.Kes.")
    page.get_by_label("NIP penanda tangan (opsional)").fill("196805121994031003")
    page.get_by_label("Kode instansi").fill("BKKBN-JMB")
    screenshot(page, "certificates-settings")
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_text("Pengaturan piagam telah disimpan.")).to_be_visible()

    page.get_by_role("button", name="Terbitkan semua Poktan BKB Terbaik").click()
    page.wait_for_url(re.compile(r"/panitia/sertifikat/tugas/\d+$"))
    zip_link = page.get_by_role("link", name="Unduh semua (ZIP)")
    zip_link.wait_for(state="visible")
    assert page.locator("[role=progressbar]").get_attribute("aria-valuenow") == "100"
    expect(page.get_by_text("Selesai: 11 piagam telah dibuat.")).to_be_visible()
    screenshot(page, "certificates-job-done")
    with page.expect_download() as download:
        zip_link.click()
    assert download.value.suggested_filename.endswith(".zip")

    page.get_by_role("link", name="Kembali ke daftar piagam").click()
    expect(
        page.get_by_role("cell", name="001/PIAGAM/BKKBN-JMB/VI/2025", exact=True)
    ).to_be_visible()
    expect(page.locator(".cert-table tbody tr")).to_have_count(11)
    screenshot(page, "certificates-event")
    committee.close()

    # A participant on a phone, with the access code of BKB Tunas Harapan (Juara I).
    phone = browser.new_context(viewport=PHONE, locale="id-ID", accept_downloads=True)
    page = phone.new_page()
    page.goto(f"{url}/sertifikat")
    page.get_by_role("textbox", name="Kode akses").fill("ZZZZ-ZZZZ-ZZZZ")
    page.get_by_role("button", name="Tampilkan piagam").click()
    expect(page.get_by_text("Tidak ada piagam untuk kode ini")).to_be_visible()
    screenshot(page, "certificates-download-wrong-code")
    page.get_by_role("textbox", name="Kode akses").fill(
        _demo_code("BKB Tunas Harapan Kelurahan Talang Banjar", "15.71")
    )
    page.get_by_role("button", name="Tampilkan piagam").click()
    expect(page.get_by_text("BKB Tunas Harapan Kelurahan Talang Banjar")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "certificates-download-list")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh PDF")).click()
    pdf_path = tmp_path / "piagam.pdf"
    download.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True)
    assert "JUARA I" in text.stdout.decode()

    # Scanning the QR code opens the verify page.
    (verify_url,) = decode_qr(pdf_path.read_bytes(), tmp_path)
    assert verify_url.startswith(f"{url}/verifikasi/")
    page.goto(verify_url)
    assert page.get_by_test_id("verify-status").inner_text().strip().startswith("✓ Sah")
    expect(page.get_by_text("Kota Jambi")).to_be_visible()
    screenshot(page, "certificates-verify")
    phone.close()
