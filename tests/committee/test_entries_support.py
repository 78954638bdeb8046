"""Builders shared by the entry, import, attachment, judge and assignment tests (no tests here)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import update
from werkzeug.security import generate_password_hash

from scoring.extensions import db
from scoring.models import Category, Criterion, Event, Region, Stage, User
from scoring.services.demo import REGIONS
from tests.conftest import csrf_token_from

JAMBI = REGIONS  # the demo's Kemendagri codes for Jambi
JUDGE_HOMES = ["15.71", "15.01", "15.08", "15.05", "15.04"]
JUDGE_PASSWORD = "rahasia-123"
# Hashed once: scrypt costs ~0.1 s, and every test builds five judges.
_JUDGE_HASH = generate_password_hash(JUDGE_PASSWORD, method="scrypt")


@dataclass
class Workspace:
    event_id: int
    group_id: int  # Poktan BKB: pass/fail stage, then two scored stages
    person_id: int  # Duta Orang Tua Hebat
    screening_id: int  # the group category's pass/fail stage
    stage_id: int  # the group category's first scored stage
    person_stage_id: int
    regions: dict[str, int] = field(default_factory=dict)
    judges: list[int] = field(default_factory=list)  # homes JUDGE_HOMES, in that order


def use_tmp_storage(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Attachments and stashed previews go to the test's own folder."""
    uploads = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(uploads))
    monkeypatch.setitem(app.config, "STASH_DIR", str(tmp_path / "stash"))
    return uploads


def build_workspace(app: Flask, status: str = "open") -> Workspace:
    """Jambi's regions, an event with a group and a person category, five judges."""
    with app.app_context():
        province = Region(code="15", name="Jambi", level="provinsi")
        db.session.add(province)
        regions = {}
        for code, name, level in JAMBI:
            region = Region(code=code, name=name, level=level, parent=province)
            db.session.add(region)
            regions[code] = region
        event = Event(name="Lomba Uji 2025", slug="uji-2025", level="provinsi", status=status)
        group = Category(event=event, position=1, name="Poktan BKB Terbaik", kind="Poktan BKB")
        person = Category(
            event=event,
            position=2,
            name="Duta Orang Tua Hebat",
            kind="Duta Orang Tua Hebat",
            entry_kind="person",
        )
        screening = Stage(
            category=group, position=1, name="Seleksi Administrasi", kind="pass_fail", weight=0
        )
        stage = Stage(category=group, position=2, name="Penilaian Dokumen", weight=40)
        Stage(category=group, position=3, name="Presentasi", weight=60)
        person_stage = Stage(category=person, position=1, name="Penilaian Portofolio", weight=100)
        for scored in (stage, person_stage):
            Criterion(stage=scored, position=1, name="Kelembagaan", weight=40, tiebreak_order=1)
            Criterion(stage=scored, position=2, name="Inovasi", weight=60)
        judges = []
        for n, home in enumerate(JUDGE_HOMES, start=1):
            judge = User(
                email=f"juri{n}@uji.juara.id",
                name=f"Juri {n}",
                role="judge",
                home_region=regions[home],
                password_hash=_JUDGE_HASH,
            )
            judges.append(judge)
        db.session.add_all([event, group, person, *judges])
        db.session.commit()
        return Workspace(
            event_id=event.id,
            group_id=group.id,
            person_id=person.id,
            screening_id=screening.id,
            stage_id=stage.id,
            person_stage_id=person_stage.id,
            regions={code: r.id for code, r in regions.items()},
            judges=[j.id for j in judges],
        )


def created_by(app: Flask, user_ids: list[int], creator_id: int) -> None:
    """Record `creator_id` as the creator of these accounts: a committee account manages the
    judges it created until they belong to an event (scoring/services/account_scope.py)."""
    with app.app_context():
        db.session.execute(
            update(User).where(User.id.in_(user_ids)).values(created_by_id=creator_id)
        )
        db.session.commit()


def csrf(client: FlaskClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return csrf_token_from(page.get_data(as_text=True))


def xlsx_bytes(rows: list[list[Any]], text_columns: tuple[int, ...] = ()) -> bytes:
    """A workbook whose first sheet holds `rows` (the first row is the header)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for column in text_columns:
        for cells in sheet.iter_rows(min_col=column, max_col=column):
            for cell in cells:
                cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], delimiter: str = ";", bom: bool = True) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def text_of(response: Any) -> str:
    return response.get_data(as_text=True)
