"""Attachments: type checked by content, stored outside static/, shown only to those allowed."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Assignment, Attachment, AuditEvent, Entry, ScoreSheet
from scoring.services.attachments import attachments_for_entry, safe_display_name, sniff_type
from tests.committee.test_entries_support import (
    JUDGE_PASSWORD,
    build_workspace,
    csrf,
    text_of,
    use_tmp_storage,
)
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 60


@pytest.fixture
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_tmp_storage(app, tmp_path, monkeypatch)


@pytest.fixture
def ws(app: Flask, uploads: Path) -> Any:
    """The workspace plus two entries; judge 1 is assigned to the first (entry_id) only."""
    workspace = build_workspace(app)
    with app.app_context():
        entry = Entry(
            category_id=workspace.group_id, region_id=workspace.regions["15.02"], name="BKB Kenanga"
        )
        other = Entry(
            category_id=workspace.group_id, region_id=workspace.regions["15.03"], name="BKB Mawar"
        )
        db.session.add_all([entry, other])
        db.session.flush()
        assignment = Assignment(
            stage_id=workspace.stage_id, entry_id=entry.id, judge_id=workspace.judges[0]
        )
        assignment.sheet = ScoreSheet()
        db.session.add(assignment)
        db.session.commit()
        workspace.entry_id, workspace.other_id = entry.id, other.id  # type: ignore[attr-defined]
    return workspace


def _upload(
    client: FlaskClient, entry_id: int, files: list[tuple[bytes, str]], kind: str = "proposal"
) -> Any:
    token = csrf(client, f"/panitia/peserta/{entry_id}")
    data: dict[str, Any] = {"csrf_token": token, "kind": kind, "label": "Proposal kegiatan"}
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(
        f"/panitia/peserta/{entry_id}/berkas",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _committee(client: FlaskClient, login_as: Callable[..., Any]) -> FlaskClient:
    login_as("committee")
    return client


def test_sniffing_reads_the_content_not_the_name() -> None:
    assert sniff_type(PDF) == "application/pdf"
    assert sniff_type(PNG) == "image/png"
    assert sniff_type(JPEG) == "image/jpeg"
    assert sniff_type(EXE) is None
    assert sniff_type(b"<html><script>") is None
    assert safe_display_name("C:\\Users\\rina\\Proposal BKB.pdf", "application/pdf") == (
        "Proposal BKB.pdf"
    )
    assert safe_display_name("../../etc/passwd", "image/png") == "passwd.png"
    assert safe_display_name("foto\x00<script>.png", "image/jpeg") == "foto_script.jpg"


def test_committee_uploads_files_stored_outside_static_under_random_names(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Any, uploads: Path
) -> None:
    committee = _committee(client, login_as)
    page = _upload(committee, ws.entry_id, [(PDF, "Proposal BKB.pdf"), (JPEG, "foto.jpg")])
    assert "2 berkas telah diunggah." in text_of(page)
    with app.app_context():
        rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
        assert [(r.content_type, r.original_name) for r in rows] == [
            ("application/pdf", "Proposal BKB.pdf"),
            ("image/jpeg", "foto.jpg"),
        ]
        for row in rows:
            stored = uploads / row.stored_name
            assert stored.is_file() and len(row.stored_name) == 32
            assert "static" not in str(stored.resolve())
            assert "Proposal" not in row.stored_name
        infos = attachments_for_entry(ws.entry_id)
        assert [i.original_name for i in infos] == ["Proposal BKB.pdf", "foto.jpg"]
        assert db.session.scalars(select(AuditEvent.action)).all().count("attachment.create") == 2
    assert (uploads / rows[0].stored_name).read_bytes() == PDF


def test_an_exe_renamed_pdf_is_refused(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Any, uploads: Path
) -> None:
    committee = _committee(client, login_as)
    page = _upload(committee, ws.entry_id, [(EXE, "proposal.pdf")])
    assert "proposal.pdf bukan berkas PDF, JPEG, atau PNG." in text_of(page)
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None
    assert not uploads.exists() or not any(uploads.iterdir())


def test_a_png_named_pdf_is_stored_and_served_as_png(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Any
) -> None:
    """Decision: the content decides. A PNG called .pdf is kept as the PNG it is."""
    committee = _committee(client, login_as)
    _upload(committee, ws.entry_id, [(PNG, "laporan.pdf")], kind="report")
    with app.app_context():
        row = db.session.scalars(select(Attachment)).one()
        assert row.content_type == "image/png" and row.original_name == "laporan.png"
    response = committee.get(f"/berkas/{row.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data == PNG


def test_a_file_over_10_mb_is_refused(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Any
) -> None:
    committee = _committee(client, login_as)
    big = PDF + b"0" * (10 * 1024 * 1024)
    page = _upload(committee, ws.entry_id, [(big, "besar.pdf")])
    assert "besar.pdf lebih besar dari 10 MB." in text_of(page)
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None


def test_who_may_fetch_an_attachment(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Any
) -> None:
    committee = _committee(client, login_as)
    _upload(committee, ws.entry_id, [(PDF, "Proposal BKB.pdf")])
    _upload(committee, ws.other_id, [(PDF, "lain.pdf")])
    with app.app_context():
        mine, other = db.session.scalars(select(Attachment.id).order_by(Attachment.id)).all()
    response = committee.get(f"/berkas/{mine}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "Proposal BKB.pdf" in response.headers["Content-Disposition"]
    assert "private" in response.headers["Cache-Control"]
    assert response.data == PDF

    anonymous = app.test_client()
    redirect = anonymous.get(f"/berkas/{mine}")
    assert redirect.status_code == 302 and "/login" in redirect.headers["Location"]

    assigned = app.test_client()
    login(assigned, "juri1@uji.juara.id", JUDGE_PASSWORD)
    assert assigned.get(f"/berkas/{mine}").status_code == 200
    assert assigned.get(f"/berkas/{other}").status_code == 404  # not their entry

    stranger = app.test_client()
    login(stranger, "juri2@uji.juara.id", JUDGE_PASSWORD)
    assert stranger.get(f"/berkas/{mine}").status_code == 404
    assert stranger.get(f"/berkas/{mine + 1000}").status_code == 404  # same answer as missing


def test_committee_deletes_an_attachment_and_its_file(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Any, uploads: Path
) -> None:
    committee = _committee(client, login_as)
    _upload(committee, ws.entry_id, [(PDF, "Proposal BKB.pdf")])
    with app.app_context():
        row = db.session.scalars(select(Attachment)).one()
        attachment_id, stored = row.id, uploads / row.stored_name
    assert stored.exists()
    token = csrf(committee, f"/panitia/peserta/{ws.entry_id}")
    page = committee.post(
        f"/panitia/berkas/{attachment_id}/hapus", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Berkas telah dihapus." in text_of(page)
    assert not stored.exists()
    assert committee.get(f"/berkas/{attachment_id}").status_code == 404
    with app.app_context():
        audit = db.session.scalars(select(AuditEvent).filter_by(action="attachment.delete")).one()
        assert audit.before["original_name"] == "Proposal BKB.pdf"


def test_deleting_an_entry_removes_its_files_unless_it_was_scored(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Any, uploads: Path
) -> None:
    committee = _committee(client, login_as)
    _upload(committee, ws.other_id, [(PDF, "lain.pdf")])
    with app.app_context():
        stored = uploads / db.session.scalars(select(Attachment.stored_name)).one()
    token = csrf(committee, f"/panitia/peserta/{ws.other_id}")
    page = committee.post(
        f"/panitia/peserta/{ws.other_id}/hapus", data={"csrf_token": token}, follow_redirects=True
    )
    assert "BKB Mawar telah dihapus." in text_of(page)
    assert not stored.exists()
    with app.app_context():
        assert db.session.get(Entry, ws.other_id) is None
        audit = db.session.scalars(select(AuditEvent).filter_by(action="entry.delete")).one()
        assert audit.before["name"] == "BKB Mawar"
        # The scored entry stays.
        sheet = db.session.scalars(select(ScoreSheet)).one()
        sheet.status, sheet.submitted_at = "submitted", sheet.created_at
        db.session.commit()
    page = committee.post(
        f"/panitia/peserta/{ws.entry_id}/hapus", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Juri sudah menilai peserta ini sehingga tidak dapat dihapus." in text_of(page)
    with app.app_context():
        assert db.session.get(Entry, ws.entry_id) is not None
