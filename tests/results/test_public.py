"""The public page /hasil/<event-slug>: from the snapshot only, embargo, no personal data."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from scoring.extensions import db as _db
from scoring.models import Entry, Score
from scoring.orm import utcnow
from scoring.services.results import published_awards
from scoring.services.snapshots import publish_results
from tests.results.support import build_category

PERSONAL = {
    "E1": {
        "nik": "1571010101900001",
        "contact_phone": "081234567890",
        "contact_email": "ketua.e1@contoh.id",
        "contact_name": "Ibu Rahmawati Kontak",
    },
    "E2": {"nik": "1571020202900002", "contact_phone": "+62 812 9999 1111"},
}


def _setup(app: Flask, **publish: Any) -> dict[str, Any]:
    with app.app_context():
        ids = build_category(entry_fields=PERSONAL)
        publish_results(ids["category_id"], None, method="raw", **publish)
    return ids


def test_public_page_shows_the_ranking_winners_first(app: Flask, client: Any) -> None:
    ids = _setup(app)
    html = client.get(f"/hasil/{ids['slug']}").text
    names = [ids["names"][k] for k in ("E1", "E2", "E3", "E4", "E5", "E6")]
    positions = [html.index(n) for n in names]
    assert positions == sorted(positions)
    assert "Juara I" in html and "Harapan III" in html and "87,00" in html
    assert "Kabupaten E1" in html  # region
    assert ids["names"]["E7"] not in html  # failed the administrative selection
    assert re.search(r'data-testid="snapshot-hash">[0-9a-f]{64}<', html)
    assert "Diumumkan" in html


def test_public_page_leaks_no_personal_data(app: Flask, client: Any) -> None:
    ids = _setup(app)
    html = client.get(f"/hasil/{ids['slug']}").text
    for fields in PERSONAL.values():
        for value in fields.values():
            assert value not in html
    digits = re.sub(r"\D", "", html)
    for fields in PERSONAL.values():
        assert fields["nik"] not in digits
        assert fields["nik"][:4] + "********" not in html  # not even masked
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", html)  # no e-mail address at all
    assert not re.search(r"\b(?:\+62|0)8\d{8,11}\b", re.sub(r"[\s-]", "", html))  # no phone


def test_public_page_is_served_from_the_snapshot(app: Flask, client: Any) -> None:
    ids = _setup(app)
    with app.app_context():
        _db.session.execute(update(Entry).values(name=Entry.name + " (diubah)"))
        _db.session.execute(update(Score).values(value=1))
        _db.session.commit()
    html = client.get(f"/hasil/{ids['slug']}").text
    assert "(diubah)" not in html and "87,00" in html


def test_embargo_hides_the_page_until_the_time(
    app: Flask, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ceremony = utcnow() + dt.timedelta(hours=3)
    ids = _setup(app, embargo_until=ceremony)
    url = f"/hasil/{ids['slug']}"
    before = client.get(url).text
    assert ids["names"]["E1"] not in before and "Juara I" not in before
    assert "belum diumumkan" in before
    with app.app_context():
        assert published_awards(ids["category_id"]) == []
    later = ceremony + dt.timedelta(seconds=1)
    monkeypatch.setattr("scoring.results.views.utcnow", lambda: later)
    monkeypatch.setattr("scoring.services.results.utcnow", lambda: later)
    after = client.get(url).text
    assert ids["names"]["E1"] in after and "Juara I" in after
    with app.app_context():
        assert published_awards(ids["category_id"])[0].award == "Juara I"


def test_unknown_or_draft_event_is_404(app: Flask, client: Any) -> None:
    assert client.get("/hasil/tidak-ada").status_code == 404
    with app.app_context():
        build_category(slug="masih-draf")
        from scoring.models import Event

        _db.session.execute(update(Event).values(status="draft"))
        _db.session.commit()
    assert client.get("/hasil/masih-draf").status_code == 404


def test_demo_shows_the_published_bkb_ranking(app: Flask, client: Any) -> None:
    assert app.test_cli_runner().invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    html = client.get("/hasil/jambi-2025").text
    assert "Poktan BKB Terbaik" in html and "BKB Tunas Harapan Kelurahan Talang Banjar" in html
    assert "Juara I" in html and "Juara III" in html
    # Duta Orang Tua Hebat is still being scored: nothing of it is shown.
    assert "Siti Aminah" not in html and "Hasil kategori ini belum diumumkan." in html
