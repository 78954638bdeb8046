"""The committee sees every value of a sheet once, its audit trail, and can reopen it."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import AuditEvent, ScoreSheet
from scoring.services.sheets import SheetChange, save_sheet
from tests.conftest import csrf_token_from
from tests.judge.support import build_open_sheet


@pytest.fixture
def sent_sheet(app: Flask):
    graph = build_open_sheet(app)
    first, second, likert = graph.criteria
    with app.app_context():
        save = SheetChange(str(uuid.uuid4()), 0, {first: 80}, {first: "Rapi"})
        save_sheet(graph.sheet_id, graph.judge_id, save)
        send = SheetChange(str(uuid.uuid4()), 1, {first: 82, second: 70, likert: 4}, {}, True)
        save_sheet(graph.sheet_id, graph.judge_id, send)
    return graph


def test_the_stage_table_shows_each_value_once(client, login_as, sent_sheet) -> None:
    login_as("committee")
    html = client.get(f"/panitia/tahap/{sent_sheet.stage_id}/lembar").get_data(as_text=True)
    assert "BKB Melati" in html and "Juri Uji" in html
    assert html.count(">82</td>") == 1 and html.count(">70</td>") == 1
    assert ">Terkirim</span>" in html
    # (40·82 + 60·70 + 20·80) / 120
    assert ">75,67</td>" in html


def test_the_sheet_page_shows_values_and_audit_trail(client, login_as, sent_sheet) -> None:
    login_as("committee")
    html = client.get(f"/panitia/lembar/{sent_sheet.sheet_id}").get_data(as_text=True)
    assert "Juri: Juri Uji" in html and "Versi 2" in html
    assert "Kelembagaan: – → 80" in html and "Kelembagaan: 80 → 82" in html
    assert "“” → “Rapi”" in html
    assert "Status: Draf → Terkirim" in html
    assert "Buka kembali lembar" in html


def test_reopen_needs_a_reason_then_is_audited(app, client, login_as, sent_sheet) -> None:
    user = login_as("committee")
    url = f"/panitia/lembar/{sent_sheet.sheet_id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/buka-kembali", data={"csrf_token": token, "reason": " "})
    assert response.status_code == 422
    assert "Tuliskan alasan membuka kembali lembar ini." in response.get_data(as_text=True)
    response = client.post(
        f"{url}/buka-kembali",
        data={"csrf_token": token, "reason": "Nilai kriteria 2 salah ketik"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Lembar dibuka kembali untuk jurinya." in html
    assert "Alasan: Nilai kriteria 2 salah ketik" in html
    with app.app_context():
        sheet = db.session.get(ScoreSheet, sent_sheet.sheet_id)
        assert sheet.status == "draft" and sheet.version == 3
        audit = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert audit.action == "sheet.reopen" and audit.actor_id == user.id
    # A draft cannot be reopened again.
    response = client.post(f"{url}/buka-kembali", data={"csrf_token": token, "reason": "lagi"})
    assert response.status_code == 409


def test_judges_cannot_see_the_committee_sheet_pages(client, sent_sheet) -> None:
    from tests.conftest import login
    from tests.judge.support import PASSWORD

    login(client, sent_sheet.judge_email, PASSWORD)
    assert client.get(f"/panitia/lembar/{sent_sheet.sheet_id}").status_code == 403
    assert client.get(f"/panitia/tahap/{sent_sheet.stage_id}/lembar").status_code == 403
