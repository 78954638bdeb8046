"""Fixtures for the certificate tests: a small contest with published awards, files in tmp.

The results work (issue 7) provides `published_awards`; here the one adapter
`scoring.services.certificates._awards_for` is replaced by a dict the test fills.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from scoring.extensions import db as _db
from scoring.models import (
    Assignment,
    Category,
    CertificateSettings,
    Entry,
    Event,
    Region,
    Stage,
    User,
)
from scoring.ratelimit import limiter
from scoring.services import certificates as issuing
from scoring.services.access_codes import hash_code

NIK = "1571015505800001"
PHONE = "081234567890"
EMAIL = "ketua.melati@contoh.id"
CONTACT = "Ibu Ketua Rahasia"
AWARD_NAMES = ["Juara I", "Juara II", "Juara III", "Harapan I"]


@dataclass(frozen=True)
class FakeAward:
    """Shaped like results' AwardRow: entry_id, rank, award, total."""

    entry_id: int
    rank: int
    award: str | None
    total: float


@pytest.fixture(autouse=True)
def _isolated(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Files in tmp and fresh rate-limit counters for every test that uses the app."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "BASE_URL", "https://juara.example.go.id")
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def awards(monkeypatch: pytest.MonkeyPatch) -> dict[int, list[FakeAward]]:
    """category id → its published awards; a category missing here is unpublished."""
    published: dict[int, list[FakeAward]] = {}
    monkeypatch.setattr(issuing, "_awards_for", lambda category_id: published.get(category_id))
    return published


@dataclass
class Contest:
    event_id: int
    category_id: int
    other_category_id: int
    entry_ids: list[int]
    codes: list[str]
    judge_ids: list[int]
    slug: str


def build_contest(n_entries: int = 6, complete_settings: bool = True) -> Contest:
    """Event, a person category (with NIK, phone, email) of `n_entries`, two judges."""
    province = Region(code="15", name="Jambi", level="provinsi")
    kota = Region(code="15.71", name="Kota Jambi", level="kota", parent=province)
    kab = Region(code="15.01", name="Kerinci", level="kabupaten", parent=province)
    event = Event(
        name="Pemilihan Duta Orang Tua Hebat Tingkat Provinsi Jambi Tahun 2025",
        slug="jambi-2025",
        level="provinsi",
        host_region=province,
        place="Jambi",
        starts_on=dt.date(2025, 6, 23),
        ends_on=dt.date(2025, 6, 27),
        status="published",
    )
    category = Category(event=event, name="Duta Orang Tua Hebat", kind="DOTH", entry_kind="person")
    other = Category(event=event, name="Poktan BKB Terbaik", kind="Poktan BKB", position=2)
    stage = Stage(category=category, position=1, name="Presentasi", weight=100)
    _db.session.add_all([province, kota, kab, event, category, other, stage])
    codes, entries = [], []
    for i in range(n_entries):
        code = f"ABCD-EFGH-{2000 + i}"
        codes.append(code)
        entries.append(
            Entry(
                category=category,
                region=kota if i % 2 == 0 else kab,
                name=f"Peserta Nomor {i + 1}",
                contact_name=CONTACT,
                contact_phone=PHONE,
                contact_email=EMAIL,
                nik=NIK,
                consent_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
                consent_version="2025-1",
                access_code_hash=hash_code(code),
            )
        )
    judges = []
    for i in range(2):
        judge = User(email=f"juri{i}@contoh.id", name=f"Dr. Juri Ke-{i + 1}", role="judge")
        judge.set_password("rahasia-123")
        judges.append(judge)
    _db.session.add_all(entries + judges)
    _db.session.flush()
    for judge in judges:
        for entry in entries:
            _db.session.add(Assignment(stage=stage, entry=entry, judge=judge))
    settings = CertificateSettings(
        event_id=event.id,
        signer_title="Kepala Perwakilan BKKBN Provinsi Jambi",
        signer_name="Dr. Drs. Munawar Ibrahim, M.Kes." if complete_settings else "",
        signer_nip="196805121994031003",
        place="Jambi",
        org_code="BKKBN-JMB",
    )
    _db.session.add(settings)
    _db.session.commit()
    return Contest(
        event.id, category.id, other.id, [e.id for e in entries], codes,
        [j.id for j in judges], event.slug,
    )  # fmt: skip


def publish(awards: dict[int, list[FakeAward]], contest: Contest, winners: int = 3) -> None:
    awards[contest.category_id] = [
        FakeAward(entry_id, rank, AWARD_NAMES[rank - 1] if rank <= winners else None, 90.0 - rank)
        for rank, entry_id in enumerate(contest.entry_ids, start=1)
    ]


@pytest.fixture
def contest(app: Flask, awards: dict[int, list[FakeAward]]) -> Contest:
    with app.app_context():
        return build_contest()


@pytest.fixture
def published(contest: Contest, awards: dict[int, list[FakeAward]]) -> Contest:
    publish(awards, contest)
    return contest


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode())


def decode_qr(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every QR code in the PDF's raster images (pdfimages, then zbarimg)."""
    folder = tmp_path / "images"
    folder.mkdir(exist_ok=True)
    (folder / "in.pdf").write_bytes(pdf)
    subprocess.run(["pdfimages", "-png", str(folder / "in.pdf"), str(folder / "img")], check=True)
    found = []
    for image in sorted(folder.glob("img-*.png")):
        with Image.open(image) as small:  # one pixel per module: enlarge it as a camera would
            small.resize((small.width * 8, small.height * 8), Image.Resampling.NEAREST).save(image)
        out = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True)
        found += [line for line in out.stdout.decode().splitlines() if line]
    return found


def tools_missing() -> bool:
    return not all(shutil.which(t) for t in ("pdftotext", "pdfimages", "zbarimg", "pdftoppm"))


needs_tools = pytest.mark.skipif(tools_missing(), reason="poppler-utils and zbar-tools missing")


def strip_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", html)


Factory = Callable[..., Any]
