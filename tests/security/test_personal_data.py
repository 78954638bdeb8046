"""Personal data (UU PDP): privacy notice, export, erasure, retention, NIK masking, clean logs."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Attachment, AuditEvent, Category, Entry, Event, Region, ResultSnapshot
from scoring.orm import utcnow
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.personal import CONSENT_VERSION
from scoring.services.privacy import NOTICES, erase_personal_data, personal_data
from tests.committee.test_entries_support import Workspace, build_workspace, csrf, use_tmp_storage

NIK = "1571015506850001"
MASKED = "1571********0001"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def ws(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    use_tmp_storage(app, tmp_path, monkeypatch)
    return build_workspace(app)


@pytest.fixture
def person(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Workspace
) -> dict[str, Any]:
    """A Duta Orang Tua Hebat entry added through the form, with consent, NIK and a file."""
    user = login_as("committee")
    url = f"/panitia/kategori/{ws.person_id}/peserta/baru"
    fields = {
        "name": "Siti Aminah",
        "region_id": ws.regions["15.01"],
        "contact_name": "Ahmad Fauzi",
        "contact_phone": "0812 3456 7890",
        "contact_email": "siti@example.id",
        "nik": NIK,
        "consent": "y",
    }
    assert client.post(url, data={"csrf_token": csrf(client, url), **fields}).status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(select(Entry.id))
    page = f"/panitia/peserta/{entry_id}"
    uploaded = client.post(
        f"{page}/berkas",
        data={
            "csrf_token": csrf(client, page),
            "kind": "proposal",
            "label": "",
            "files": [(io.BytesIO(PDF), "proposal.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(Attachment.stored_name))
    return {
        "id": entry_id,
        "page": page,
        "user": user,
        "file": Path(app.config["UPLOAD_DIR"]) / stored,
    }


def test_the_privacy_notice_is_public_versioned_and_named_by_the_consent(
    app: Flask, client: FlaskClient, person: dict[str, Any]
) -> None:
    with app.app_context():
        version = db.session.get(Entry, person["id"]).consent_version
    assert version == CONSENT_VERSION and version in NOTICES
    client.post("/logout", data={"csrf_token": csrf(client, person["page"])})
    for url in ("/privasi", f"/privasi/{version}"):
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, url
        assert f'data-version="{version}"' in html
        assert "Pelindungan Data Pribadi" in html and "Menarik persetujuan" in html
    assert client.get("/privasi/1999-1").status_code == 404
    # The entry page links the committee to the notice.
    assert client.get("/privasi").status_code == 200


def test_export_gives_the_person_data_with_the_nik_masked_and_is_audited(
    app: Flask, client: FlaskClient, person: dict[str, Any]
) -> None:
    url = f"{person['page']}/data-pribadi.json"
    assert client.get(url).status_code == 405  # an export is a POST: it is audited
    refused = client.post(url)  # no CSRF token
    assert refused.status_code in (302, 400)
    response = client.post(url, data={"csrf_token": csrf(client, person["page"])})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert NIK not in body
    data = json.loads(body)
    assert data["nik_masked"] == MASKED
    assert data["contact_phone"] == "081234567890"
    assert data["contact_email"] == "siti@example.id"
    assert data["consent"]["notice_version"] == CONSENT_VERSION
    assert [f["name"] for f in data["attachments"]] == ["proposal.pdf"]
    assert data["region"] == {"code": "15.01", "name": "Kerinci"}
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "entry.personal_export")
        ).all()
    assert [(r.actor_id, r.object_id) for r in rows] == [(person["user"].id, person["id"])]


def test_erasure_keeps_name_and_region_deletes_the_rest_and_is_audited_once(
    app: Flask, client: FlaskClient, person: dict[str, Any]
) -> None:
    erase_url = f"{person['page']}/hapus-data-pribadi"
    page = client.get(erase_url).get_data(as_text=True)
    assert MASKED in page and NIK not in page and "proposal.pdf" in page
    token = csrf(client, erase_url)
    no_reason = client.post(erase_url, data={"csrf_token": token, "kind": "withdrawal"})
    assert no_reason.status_code == 200
    with app.app_context():
        assert db.session.get(Entry, person["id"]).erased_at is None
    assert person["file"].is_file()

    reason = "Surat permohonan Ibu Siti tanggal 1 Juli 2025"
    done = client.post(
        erase_url, data={"csrf_token": token, "kind": "withdrawal", "reason": reason}
    )
    assert done.status_code == 302
    with app.app_context():
        entry = db.session.get(Entry, person["id"])
        assert (entry.name, entry.region.code) == ("Siti Aminah", "15.01")
        assert entry.erased_at is not None
        assert [
            entry.contact_name,
            entry.contact_phone,
            entry.contact_email,
            entry.nik,
            entry.consent_at,
            entry.consent_version,
            entry.access_code_hash,
        ] == [None] * 7
        assert db.session.scalar(select(Attachment.id)) is None
        audit = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "entry.erase")
        ).one()
        assert audit.actor_id == person["user"].id and audit.object_id == person["id"]
        assert audit.after["kind"] == "withdrawal" and audit.after["reason"] == reason
        assert audit.after["files"] == 1
        assert set(audit.after["fields"]) == {
            "contact_name",
            "contact_phone",
            "contact_email",
            "nik",
            "consent",
            "access_code",
        }
        assert NIK not in json.dumps(audit.after)
        with pytest.raises(Conflict):
            erase_personal_data(person["id"], "again")
        assert personal_data(person["id"])["nik_masked"] is None
    assert not person["file"].exists()
    page = client.get(person["page"]).get_data(as_text=True)
    assert 'data-testid="erased"' in page
    again = client.post(erase_url, data={"csrf_token": token, "kind": "request", "reason": "x"})
    assert 'data-testid="already-erased"' in again.get_data(as_text=True)
    with app.app_context():
        assert (
            len(
                db.session.scalars(
                    select(AuditEvent.id).where(AuditEvent.action == "entry.erase")
                ).all()
            )
            == 1
        )


def test_erasure_needs_a_reason(app: Flask, person: dict[str, Any]) -> None:
    with app.app_context(), pytest.raises(InvalidInput):
        erase_personal_data(person["id"], "   ")


def _published_event(slug: str, days_ago: int, region: Region) -> int:
    event = Event(name=f"Lomba {slug}", slug=slug, level="provinsi", status="published")
    category = Category(event=event, name="Duta", kind="Duta", entry_kind="person")
    entry = Entry(
        category=category,
        region=region,
        name=f"Peserta {slug}",
        contact_phone="081234567890",
        nik=NIK,
        consent_at=utcnow(),
        consent_version=CONSENT_VERSION,
    )
    snapshot = ResultSnapshot(
        category=category,
        version=1,
        method="raw",
        options={},
        inputs={},
        outputs={},
        code_version="test",
        sha256="0" * 64,
        published_at=utcnow() - dt.timedelta(days=days_ago),
    )
    db.session.add_all([event, category, entry, snapshot])
    db.session.flush()
    return entry.id


def test_retention_purge_erases_only_entries_of_events_published_long_ago(app: Flask) -> None:
    with app.app_context():
        region = Region(code="15.02", name="Merangin", level="kabupaten")
        db.session.add(region)
        old = _published_event("lama-2023", 400, region)
        recent = _published_event("baru-2025", 10, region)
        db.session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge-personal-data", "--days", "365", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"entry {old}" in dry.output and f"entry {recent}" not in dry.output
    with app.app_context():
        assert db.session.get(Entry, old).nik == NIK  # a dry run changes nothing
    app.config["RETENTION_DAYS"] = 365
    try:
        real = runner.invoke(args=["purge-personal-data"])
    finally:
        app.config["RETENTION_DAYS"] = 365
    assert real.exit_code == 0 and "Erased the person data of 1 entries" in real.output
    with app.app_context():
        assert db.session.get(Entry, old).nik is None
        assert db.session.get(Entry, old).erased_at is not None
        assert db.session.get(Entry, recent).nik == NIK
        audit = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "entry.erase")
        ).one()
        assert audit.after["kind"] == "retention" and audit.actor_id is None
    again = runner.invoke(args=["purge-personal-data", "--days", "365"])
    assert "of 0 entries" in again.output


def test_nik_is_masked_in_the_audit_log_page(
    app: Flask, client: FlaskClient, person: dict[str, Any]
) -> None:
    html = client.get("/panitia/audit").get_data(as_text=True)
    assert "entry.create" in html or "Siti Aminah" in html
    assert NIK not in html


def test_logs_carry_no_password_nik_or_token(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO)
    user = make_user("committee", password="Rahasia-Sekali-42")
    page = client.get("/login")
    from tests.conftest import csrf_token_from

    client.post(
        "/login",
        data={
            "email": user.email,
            "password": "Rahasia-Sekali-42",
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        },
    )
    request_lines = [r.getMessage() for r in caplog.records if r.name == "juara.request"]
    assert any('"route":"/login"' in line for line in request_lines)

    # An unhandled error whose message and URL carry a NIK, a password and a token.
    token = "SecretToken_abc123XYZ"

    def explode(_token: str) -> None:
        raise RuntimeError(f"lookup failed for nik {NIK} password=Rahasia-Sekali-42 token={_token}")

    monkeypatch.setattr("scoring.certificates.queries.verification", explode)
    response = client.get(f"/verifikasi/{token}")
    assert response.status_code == 500

    # A database error: SQLAlchemy would print the statement's values; they are hidden.
    with app.app_context():
        region = Region(code="15.09", name="Tebo", level="kabupaten")
        event = Event(name="Lomba Log", slug="lomba-log", level="provinsi")
        category = Category(event=event, name="Duta", kind="Duta", entry_kind="person")
        db.session.add_all([region, event, category])
        db.session.flush()
        db.session.add(Entry(category=category, region=region, name="X", nik=NIK + "9"))
        try:
            db.session.flush()
        except Exception:
            app.logger.exception("could not save the entry")
        db.session.rollback()

    text = caplog.text
    assert "Unhandled error" in text or "lookup failed" in text
    assert "could not save the entry" in text
    for secret in ("Rahasia-Sekali-42", NIK, token):
        assert secret not in text, secret
    assert MASKED in text  # masked, still useful for support


def test_published_results_keep_name_and_region_and_exports_carry_no_nik(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any]
) -> None:
    from scoring.services.demo import EVENT_SLUG, seed_demo

    with app.app_context():
        seed_demo()
        snapshot = db.session.scalars(select(ResultSnapshot)).first()
        snapshot_id = snapshot.id
        entries = db.session.scalars(
            select(Entry).where(Entry.category_id == snapshot.category_id).order_by(Entry.id)
        ).all()
        niks = [f"1501{n:012d}" for n in range(len(entries))]
        for entry, nik in zip(entries, niks, strict=True):
            entry.nik = nik
        db.session.commit()
        winner = entries[0]
        name, region = winner.name, winner.region.name
        erase_personal_data(winner.id, "Permintaan peserta", kind="request")
    public = client.get(f"/hasil/{EVENT_SLUG}").get_data(as_text=True)
    assert name in public and region in public
    login_as("admin")
    for extension in ("csv", "xlsx"):
        response = client.get(f"/panitia/hasil/snapshot/{snapshot_id}.{extension}")
        assert response.status_code == 200
        body = response.get_data()
        if extension == "xlsx":
            import zipfile

            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(n) for n in archive.namelist())
        assert name.encode() in body or extension == "xlsx"
        for nik in niks:
            assert nik.encode() not in body and nik[:4].encode() + b"*" * 8 not in body
