"""Entries by hand: checks, duplicates, consent and the NIK, access codes shown once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.extensions import db
from scoring.formatting import mask_nik
from scoring.models import AuditEvent, Entry
from scoring.services.access_codes import hash_code
from scoring.services.errors import InvalidInput
from scoring.services.personal import clean_email, clean_nik, clean_phone, parse_consent
from tests.committee.test_entries_support import (
    Workspace,
    build_workspace,
    csrf,
    text_of,
    use_tmp_storage,
)

NIK = "1571015506850001"


@pytest.fixture
def ws(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    use_tmp_storage(app, tmp_path, monkeypatch)
    return build_workspace(app)


@pytest.fixture
def committee(client: FlaskClient, login_as: Callable[..., Any], ws: Workspace) -> FlaskClient:
    login_as("committee")
    return client


def _post_entry(client: FlaskClient, url: str, **fields: Any) -> Any:
    data = {"csrf_token": csrf(client, url), **fields}
    return client.post(url, data=data)


def test_nik_is_masked_and_checked() -> None:
    assert mask_nik(NIK) == "1571********0001"
    assert mask_nik(None) == "" and mask_nik("") == ""
    assert clean_nik(" 1571 0155 0685 0001 ") == NIK
    assert clean_nik("") is None
    for bad in (
        "157101550685000",
        "15710155068500011",
        "157101550685000x",
        "１５７１０１５５０６８５０００１",
    ):
        with pytest.raises(InvalidInput):
            clean_nik(bad)


def test_phone_numbers_the_indonesian_way() -> None:
    assert clean_phone("0812-3456-7890") == "081234567890"
    assert clean_phone("+62 812 3456 7890") == "+6281234567890"
    assert clean_phone("62812345678") == "+62812345678"
    assert clean_phone("(0741) 123456") == "0741123456"
    assert clean_phone("") is None
    for bad in ("12345678901", "0812", "+62 0812 3456 789", "0812345678901234", "08abc4567890"):
        with pytest.raises(InvalidInput):
            clean_phone(bad)
    assert clean_email(" Ketua.BKB@Contoh.ID ") == "ketua.bkb@contoh.id"
    with pytest.raises(InvalidInput):
        clean_email("ketua@")
    assert parse_consent("Ya") and not parse_consent("tidak") and not parse_consent("")
    with pytest.raises(InvalidInput):
        parse_consent("mungkin")


def test_committee_adds_a_group_entry_and_sees_its_code_once(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    url = f"/panitia/kategori/{ws.group_id}/peserta/baru"
    response = _post_entry(
        committee,
        url,
        name="  BKB   Melati Desa Semurup ",
        region_id=ws.regions["15.01"],
        contact_name="Ibu Sari",
        contact_phone="0812-3456-7890",
        contact_email="Sari@Contoh.id",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/panitia/kategori/{ws.group_id}/kode-akses")
    page = committee.get(response.headers["Location"])
    html = text_of(page)
    assert "Kode ini hanya ditampilkan kali ini saja." in html
    assert page.headers["Cache-Control"] == "no-store"
    code = html.split('class="access-code font-monospace">')[1].split("<")[0]
    with app.app_context():
        entry = db.session.scalars(select(Entry)).one()
        assert entry.name == "BKB Melati Desa Semurup"
        assert entry.contact_phone == "081234567890"
        assert entry.contact_email == "sari@contoh.id"
        assert entry.access_code_hash == hash_code(code)
        assert entry.consent_at is None  # a group: no consent needed
        audit = db.session.scalars(select(AuditEvent).filter_by(action="entry.create")).one()
        assert audit.after["name"] == "BKB Melati Desa Semurup"
        assert audit.event_id == ws.event_id
    # Shown once: the second visit no longer has it.
    again = text_of(committee.get(f"/panitia/kategori/{ws.group_id}/kode-akses"))
    assert code not in again
    assert "sudah pernah ditampilkan" in again


def test_bad_input_is_marked_beside_each_field_and_nothing_is_saved(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    url = f"/panitia/kategori/{ws.group_id}/peserta/baru"
    response = _post_entry(
        committee,
        url,
        name="BKB Mawar",
        region_id=ws.regions["15.03"],
        contact_phone="12345",
        contact_email="bukan-email",
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "Mohon perbaiki isian yang ditandai." in html
    assert "Isi nomor telepon Indonesia yang diawali 08 atau +62" in html
    assert "Isi alamat email yang benar." in html
    assert 'value="BKB Mawar"' in html  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(Entry.id)) is None


def test_duplicates_ignore_case_and_spacing(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    url = f"/panitia/kategori/{ws.group_id}/peserta/baru"
    first = _post_entry(committee, url, name="BKB Melati", region_id=ws.regions["15.01"])
    assert first.status_code == 302
    again = _post_entry(committee, url, name="  bkb  MELATI ", region_id=ws.regions["15.01"])
    assert "Kategori ini sudah memiliki peserta tersebut dari wilayah yang sama: BKB Melati." in (
        text_of(again)
    )
    elsewhere = _post_entry(committee, url, name="BKB Melati", region_id=ws.regions["15.02"])
    assert elsewhere.status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Entry)).all()) == 2


def test_person_entry_needs_consent_before_anything_is_saved(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    url = f"/panitia/kategori/{ws.person_id}/peserta/baru"
    refused = _post_entry(
        committee, url, name="Siti Aminah", region_id=ws.regions["15.01"], nik=NIK
    )
    html = text_of(refused)
    assert "Persetujuan belum ada" in html
    assert NIK not in html  # not even echoed back into the field
    with app.app_context():
        assert db.session.scalar(select(Entry.id)) is None
    saved = _post_entry(
        committee, url, name="Siti Aminah", region_id=ws.regions["15.01"], nik=NIK, consent="y"
    )
    assert saved.status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(Entry)).one()
        assert entry.nik == NIK
        assert entry.consent_version == "2025-1" and entry.consent_at is not None
        audit = db.session.scalars(select(AuditEvent).filter_by(action="entry.create")).one()
        assert audit.after["nik"] == "1571********0001"
        assert NIK not in str(audit.after)


def test_bad_nik_is_refused(app: Flask, committee: FlaskClient, ws: Workspace) -> None:
    url = f"/panitia/kategori/{ws.person_id}/peserta/baru"
    response = _post_entry(
        committee, url, name="Nur Aisyah", region_id=ws.regions["15.03"], nik="12345", consent="y"
    )
    assert "NIK harus terdiri dari tepat 16 angka." in text_of(response)


def test_nik_is_masked_on_every_page(app: Flask, committee: FlaskClient, ws: Workspace) -> None:
    url = f"/panitia/kategori/{ws.person_id}/peserta/baru"
    _post_entry(
        committee, url, name="Siti Aminah", region_id=ws.regions["15.01"], nik=NIK, consent="y"
    )
    with app.app_context():
        entry_id = db.session.scalar(select(Entry.id))
    pages = [
        f"/panitia/kategori/{ws.person_id}/peserta",
        f"/panitia/peserta/{entry_id}",
    ]
    for page in pages:
        html = text_of(committee.get(page))
        assert NIK not in html, page
        assert "1571********0001" in html, page
    # No personal data in URLs: links carry ids only.
    listing = text_of(committee.get(pages[0]))
    assert f'href="/panitia/peserta/{entry_id}"' in listing
    assert "Siti" not in listing.split("href=")[1].split(">")[0]


def test_editing_keeps_the_nik_unless_replaced_or_deleted(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    new = f"/panitia/kategori/{ws.person_id}/peserta/baru"
    _post_entry(
        committee, new, name="Siti Aminah", region_id=ws.regions["15.01"], nik=NIK, consent="y"
    )
    with app.app_context():
        entry_id = db.session.scalar(select(Entry.id))
    edit = f"/panitia/peserta/{entry_id}"
    response = _post_entry(
        committee, edit, name="Siti Aminah, S.Pd.", region_id=ws.regions["15.01"]
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        assert entry.name == "Siti Aminah, S.Pd." and entry.nik == NIK
        audit = db.session.scalars(select(AuditEvent).filter_by(action="entry.update")).one()
        assert audit.before["nik"] == audit.after["nik"] == "1571********0001"
    _post_entry(
        committee, edit, name="Siti Aminah, S.Pd.", region_id=ws.regions["15.01"], clear_nik="y"
    )
    with app.app_context():
        assert db.session.get(Entry, entry_id).nik is None


def test_a_new_access_code_replaces_the_old_one(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    _post_entry(
        committee,
        f"/panitia/kategori/{ws.group_id}/peserta/baru",
        name="BKB Dahlia",
        region_id=ws.regions["15.08"],
    )
    with app.app_context():
        entry = db.session.scalars(select(Entry)).one()
        entry_id, old_hash = entry.id, entry.access_code_hash
    token = csrf(committee, f"/panitia/peserta/{entry_id}")
    response = committee.post(f"/panitia/peserta/{entry_id}/kode-akses", data={"csrf_token": token})
    assert response.status_code == 302
    html = text_of(committee.get(response.headers["Location"]))
    code = html.split('class="access-code font-monospace">')[1].split("<")[0]
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        assert entry.access_code_hash == hash_code(code) != old_hash
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "entry.access_code_regenerate" in actions


def test_published_event_refuses_new_entries(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_tmp_storage(app, tmp_path, monkeypatch)
    ws = build_workspace(app, status="published")
    login_as("committee")
    url = f"/panitia/kategori/{ws.group_id}/peserta/baru"
    response = _post_entry(client, url, name="BKB Melati", region_id=ws.regions["15.01"])
    assert "Hasil kegiatan ini sudah diumumkan" in text_of(response)


def test_judges_cannot_open_committee_pages(
    client: FlaskClient, login_as: Callable[..., Any], ws: Workspace
) -> None:
    login_as("judge")
    assert client.get(f"/panitia/kategori/{ws.group_id}/peserta").status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get(f"/panitia/kategori/{ws.group_id}/peserta").status_code == 302
