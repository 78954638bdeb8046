"""A small registration world: Jambi with two regions, an open category, two operators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from scoring.extensions import db as _db

OPENS = dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)  # 1 March 2026 08.00 WIB
CLOSES = dt.datetime(2026, 3, 31, 16, 59, tzinfo=dt.UTC)  # 31 March 2026 23.59 WIB
DURING = dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n%test document\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def world(app: Flask, uploads: Path) -> dict[str, Any]:
    """Ids of: province, Kota Jambi, Kerinci, event, group + person categories with a
    pass/fail and a scored stage, windows (quota 1), two required documents each, judges."""
    from scoring.models import (
        Category,
        Criterion,
        Event,
        Region,
        RegistrationWindow,
        RequiredDocument,
        Stage,
        User,
    )

    with app.app_context():
        province = Region(code="15", name="Jambi", level="provinsi")
        kota = Region(code="15.71", name="Kota Jambi", level="kota", parent=province)
        kerinci = Region(code="15.01", name="Kerinci", level="kabupaten", parent=province)
        event = Event(
            name="Lomba Uji 2026",
            slug="uji-2026",
            level="provinsi",
            status="open",
            host_region=province,
        )
        ids: dict[str, Any] = {}
        for key, name, kind in (("group", "Poktan BKR", "group"), ("person", "DOTH", "person")):
            category = Category(event=event, name=name, kind=name, entry_kind=kind)
            Stage(category=category, position=1, name="Seleksi Administrasi", kind="pass_fail")
            scored = Stage(
                category=category, position=2, name="Penilaian Dokumen", weight=100, status="open"
            )
            Criterion(stage=scored, position=1, name="Kelembagaan", weight=100)
            _db.session.add(category)
            _db.session.flush()
            _db.session.add_all(
                [
                    RegistrationWindow(
                        category_id=category.id,
                        opens_at=OPENS,
                        closes_at=CLOSES,
                        quota_per_region=1,
                    ),
                    RequiredDocument(
                        category_id=category.id,
                        position=1,
                        name="SK pembentukan",
                        allowed_types=["application/pdf"],
                        max_bytes=1024 * 1024,
                    ),
                    RequiredDocument(
                        category_id=category.id,
                        position=2,
                        name="Foto kegiatan",
                        allowed_types=["image/jpeg", "image/png"],
                        max_bytes=1024 * 1024,
                    ),
                ]
            )
            ids[key] = category.id
            ids[f"{key}_scored"] = scored.id
        _db.session.add(event)
        judges = []
        for n, home in ((1, kota), (2, kerinci), (3, None)):
            judge = User(email=f"juri{n}@uji.id", name=f"Juri {n}", role="judge", home_region=home)
            judge.set_password("rahasia-123")
            judges.append(judge)
        _db.session.add_all(judges)
        _db.session.commit()
        ids.update(
            province=province.id,
            kota=kota.id,
            kerinci=kerinci.id,
            event=event.id,
            judges=[j.id for j in judges],
        )
    return ids


@pytest.fixture
def operators(make_user: Any, world: dict[str, Any]) -> dict[str, Any]:
    """Operator users (detached, with plain_password) of Kota Jambi and Kerinci."""
    return {
        "kota": make_user("regional", home_region_id=world["kota"], email="op.kota@uji.id"),
        "kerinci": make_user(
            "regional", home_region_id=world["kerinci"], email="op.kerinci@uji.id"
        ),
    }
