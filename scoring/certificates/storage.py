"""Files of the certificates: uploaded images, rendered PDFs and the ZIPs of bulk jobs.

Everything lives under UPLOAD_DIR (outside static/), under random names:
    certificates/<hex>.jpg       logo and background, converted once to an optimised JPEG
    certificates/pdf/<token>.pdf the rendered certificates
    jobs/<job id>-<hex>.zip      the result of an "issue all" job
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from PIL import Image, UnidentifiedImageError

from scoring.services.errors import InvalidInput

IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 300 dpi A4 page is 8.7 Mpx; refuse decompression bombs
# Long side in pixels: a background at 150 dpi on A4, a logo printed 16 mm high.
IMAGE_SIZES = {"background": (1754, 1240), "logo": (600, 360)}
PAPER = (255, 253, 245)  # the certificate's ivory, for flattening transparent PNGs
_UNSAFE = re.compile(r"[^\w .,()'-]+")


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def media_dir() -> Path:
    """Where logos and backgrounds are; the renderer serves files from here only."""
    return upload_root() / "certificates"


def pdf_dir() -> Path:
    return media_dir() / "pdf"


def jobs_dir() -> Path:
    return upload_root() / "jobs"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def store_image(stream: BinaryIO, purpose: str) -> str:
    """Convert an uploaded JPEG or PNG to an optimised JPEG; returns its stored name.

    Raises InvalidInput for anything that is not a readable JPEG or PNG of a sane size.
    """
    data = stream.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput("The image is larger than %(n)d MB.", n=MAX_IMAGE_BYTES // 2**20)
    if not data.startswith(IMAGE_SIGNATURES):
        raise InvalidInput("Upload a JPEG or PNG image.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise InvalidInput("The image has too many pixels; use at most 40 megapixels.")
            probe.load()
            image = probe.copy()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise InvalidInput("The image could not be read. Upload a JPEG or PNG image.") from error
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, PAPER)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail(IMAGE_SIZES[purpose], Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    name = f"{secrets.token_hex(16)}.jpg"
    _write_atomically(media_dir() / name, out.getvalue())
    return name


def delete_media(name: str | None) -> None:
    if name and "/" not in name:
        (media_dir() / name).unlink(missing_ok=True)


def store_pdf(token: str, pdf: bytes) -> tuple[str, str]:
    """Write a certificate PDF; returns (stored name, sha256 hex)."""
    name = f"{token}.pdf"
    _write_atomically(pdf_dir() / name, pdf)
    return name, hashlib.sha256(pdf).hexdigest()


def read_pdf(name: str | None, sha256: str | None) -> bytes | None:
    """The stored PDF if it is there and unchanged, else None (the caller renders again)."""
    if not name or not sha256:
        return None
    try:
        data = (pdf_dir() / name).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def delete_pdf(name: str | None) -> None:
    if name and "/" not in name:
        (pdf_dir() / name).unlink(missing_ok=True)


def download_name(number: str, name: str) -> str:
    """ "001/PIAGAM/X/VI/2025", "BKB Melati" → "001-PIAGAM-X-VI-2025 BKB Melati.pdf"."""
    text = unicodedata.normalize("NFKC", f"{number.replace('/', '-')} {name}")
    text = _UNSAFE.sub("", text).strip(" .")[:150]
    return f"{text or 'piagam'}.pdf"


def write_zip(job_id: int, files: Iterable[tuple[str, bytes]]) -> str:
    """A ZIP of (name inside the archive, PDF bytes); returns its stored name under jobs/."""
    name = f"{job_id}-{secrets.token_hex(8)}.zip"
    path = jobs_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".zip.tmp")
    seen: set[str] = set()
    # PDFs are already compressed: storing them is as small and much faster.
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
        for member, data in files:
            stem, n = member[:-4], 2
            while member in seen:
                member, n = f"{stem} ({n}).pdf", n + 1
            seen.add(member)
            archive.writestr(member, data)
    os.replace(tmp, path)
    return name


def job_file(name: str) -> Path | None:
    path = jobs_dir() / name
    return path if "/" not in name and path.is_file() else None
