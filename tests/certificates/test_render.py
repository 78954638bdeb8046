"""Rendering: text and QR in the PDF, a fetcher that reaches nothing, the pool, the look."""

from __future__ import annotations

import socket
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter

from scoring.certificates.pool import render_many
from scoring.certificates.render import (
    ASSET_ORIGIN,
    AssetFetcher,
    RefusedURL,
    Renderer,
    check_primitives,
    media_url,
    qr_data_uri,
    static_url,
)
from tests.certificates.conftest import decode_qr, needs_tools, pdf_text

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VERIFY = "https://juara.example.go.id/verifikasi/Zq3v9XJb0c1WwS8m2Qk5aA"

BASE: dict[str, Any] = {
    "title": "PIAGAM PENGHARGAAN",
    "number": "007/PIAGAM/BKKBN-JMB/VI/2025",
    "name": "BKB Tunas Harapan Kelurahan Talang Banjar",
    "award": "Juara I",
    "region_name": "Kota Jambi",
    "category_name": "Poktan BKB Terbaik",
    "event_name": "Pemilihan Poktan Terbaik Tingkat Provinsi Jambi Tahun 2025",
    "place": "Jambi",
    "date_text": "27 Juni 2025",
    "signer_title": "Kepala Perwakilan BKKBN Provinsi Jambi",
    "signer_name": "Dr. Drs. Munawar Ibrahim, M.Kes.",
    "signer_nip": "196805121994031003",
    "verify_url": VERIFY,
    "logo_url": None,
    "background_url": None,
}
KINDS = {
    "winner": {"kind": "winner"},
    "participant": {"kind": "participant", "award": "Peserta", "name": "BKB Melati Desa Semurup"},
    "judge": {
        "kind": "judge",
        "award": "Dewan Juri",
        "name": "Dra. Yusnidar, M.Pd.",
        "region_name": "",
        "category_name": "",
    },
}


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    return Renderer(media_dir=tmp_path_factory.mktemp("media"))


@needs_tools
def test_the_pdf_text_has_name_award_category_and_number(
    renderer: Renderer, tmp_path: Path
) -> None:
    text = pdf_text(renderer.render({**BASE, "kind": "winner"}), tmp_path)
    for expected in ("PIAGAM PENGHARGAAN", "BKB Tunas Harapan Kelurahan Talang Banjar",
                     "JUARA I", "Poktan BKB Terbaik", "007/PIAGAM/BKKBN-JMB/VI/2025",
                     "Jambi, 27 Juni 2025", "NIP 196805121994031003", "diberikan kepada",
                     "Pindai untuk verifikasi"):  # fmt: skip
        assert expected in text, expected


@needs_tools
def test_the_qr_code_decodes_to_the_verify_url(renderer: Renderer, tmp_path: Path) -> None:
    assert decode_qr(renderer.render({**BASE, "kind": "winner"}), tmp_path) == [VERIFY]


@needs_tools
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_renders_to_an_a4_landscape_page(
    renderer: Renderer, tmp_path: Path, kind: str
) -> None:
    """Also leaves test-artifacts/certificate-<kind>.png to look at."""
    pdf = renderer.render({**BASE, **KINDS[kind]})
    (tmp_path / "c.pdf").write_bytes(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / f"certificate-{kind}"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(tmp_path / "c.pdf"), str(prefix)],
        check=True,
    )
    with Image.open(f"{prefix}.png") as image:
        width, height = image.size
    assert abs(width / height - 297 / 210) < 0.01  # one A4 landscape page
    text = pdf_text(pdf, tmp_path)
    assert {"winner": "JUARA I", "participant": "PESERTA", "judge": "DEWAN JURI"}[kind] in text
    assert "Halaman" not in text and text.count("PIAGAM PENGHARGAAN") == 1
    fonts = subprocess.run(["pdffonts", str(tmp_path / "c.pdf")], capture_output=True, check=True)
    # Debian's fonts-urw-base35 (scripts/system-deps.sh): Palatino-like text, script names.
    assert "P052" in fonts.stdout.decode() and "Z003" in fonts.stdout.decode()


class _Listener:
    """A TCP port that records whether anything connects to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@needs_tools
def test_hostile_names_and_images_fetch_nothing(tmp_path: Path) -> None:
    listener = _Listener()
    renderer = Renderer(media_dir=tmp_path)
    try:
        pdf = renderer.render(
            {
                **BASE,
                "kind": "participant",
                "name": '<img src="file:///etc/passwd">',
                "region_name": f'<img src="http://127.0.0.1:{listener.port}/x.png">',
                "background_url": "file:///etc/passwd",
                "logo_url": "http://127.0.0.1:9/",
            }
        )
        pdf2 = renderer.render(
            {**BASE, "kind": "winner", "background_url": f"http://127.0.0.1:{listener.port}/bg.png"}
        )
    finally:
        listener.close()
    assert listener.connections == 0
    assert renderer.fetcher.refused == [
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        f"http://127.0.0.1:{listener.port}/bg.png",
    ]
    text = pdf_text(pdf, tmp_path)
    assert '<img src="file:///etc/passwd">' in text  # printed as text, never parsed
    assert "root:" not in text
    assert pdf2.startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        "https://127.0.0.1/static/css/certificate.css",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        f"{ASSET_ORIGIN}/static/../config.py",
        f"{ASSET_ORIGIN}/static/%2e%2e/config.py",
        f"{ASSET_ORIGIN}/static//etc/passwd",
        f"{ASSET_ORIGIN}/static/css/certificate.css?x=1",
        f"{ASSET_ORIGIN}/etc/passwd",
        f"{ASSET_ORIGIN}/media/../../etc/passwd",
        f"{ASSET_ORIGIN}/media/secret.txt",
        f"http://{ASSET_ORIGIN[8:]}/static/css/certificate.css",
    ],
)
def test_the_fetcher_refuses_everything_but_its_own_files(tmp_path: Path, url: str) -> None:
    (tmp_path / "secret.txt").write_text("no")
    fetcher = AssetFetcher(Path(__file__).resolve().parents[2] / "static", tmp_path)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_static_media_and_data(tmp_path: Path) -> None:
    (tmp_path / "abc123.jpg").write_bytes(b"\xff\xd8\xff jpeg")
    fetcher = AssetFetcher(Path(__file__).resolve().parents[2] / "static", tmp_path)
    css = fetcher.fetch(static_url("css/certificate.css"))
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert fetcher.fetch(media_url("abc123.jpg") or "").read() == b"\xff\xd8\xff jpeg"
    assert fetcher.fetch("data:text/plain,hello%20world").read() == b"hello world"
    assert fetcher.fetch(qr_data_uri("x")).read().startswith(b"\x89PNG")
    assert fetcher.refused == []


def test_the_template_gets_primitives_only() -> None:
    class Row:
        name = "BKB Melati"

    with pytest.raises(TypeError):
        check_primitives({**BASE, "entry": Row()})
    with pytest.raises(TypeError):
        check_primitives({**BASE, "names": ["a"]})
    assert check_primitives({"a": "x", "b": 1, "c": 1.5, "d": None, "e": True})


def test_the_html_is_autoescaped(renderer: Renderer) -> None:
    html = renderer.html({**BASE, "kind": "winner", "name": "<b>x</b> & <script>"})
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<script>" not in html


@needs_tools
def test_render_many_spreads_over_a_pool_and_keeps_the_order(tmp_path: Path) -> None:
    contexts = [
        {
            **BASE,
            "kind": "winner",
            "number": f"{i:03d}/PIAGAM/X/VI/2025",
            "verify_url": f"{VERIFY}{i}",
        }
        for i in range(1, 7)
    ]
    pdfs = list(render_many(contexts, tmp_path, workers=2))
    assert len(pdfs) == 6
    for i, pdf in enumerate(pdfs, start=1):
        assert f"{i:03d}/PIAGAM/X/VI/2025" in pdf_text(pdf, tmp_path)


@needs_tools
@pytest.mark.parametrize(
    "url",
    [VERIFY, "https://penilaian-lomba.jambi.bkkbn.go.id/verifikasi/Zq3v9XJb0c1WwS8m2Qk5aA"],
)
def test_the_qr_code_decodes_from_a_150_dpi_scan_of_the_whole_page(
    renderer: Renderer, tmp_path: Path, url: str
) -> None:
    """The printed certificate scanned at 150 dpi (and slightly blurred, as a scanner does):
    the QR's modules must be big enough for a reader to find and decode it on the page."""
    pdf = tmp_path / "piagam.pdf"
    pdf.write_bytes(renderer.render({**BASE, "kind": "winner", "verify_url": url}))
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / "scan")],
                   check=True)  # fmt: skip
    (page,) = sorted(tmp_path.glob("scan*.png"))
    blurred = tmp_path / "blurred.png"
    with Image.open(page) as scan:
        assert scan.width == 1754  # A4 landscape at 150 dpi
        scan.filter(ImageFilter.GaussianBlur(1.0)).save(blurred)
    for image in (page, blurred):
        out = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True)
        assert out.stdout.decode().split() == [url], image.name
