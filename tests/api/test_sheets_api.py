"""PUT/GET /api/v1/sheets/<id>: every status the sync contract promises (docs/api.md)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import AuditEvent, Score, ScoreSheet, SheetSubmission, Stage
from tests.judge.support import (
    SheetGraph,
    add_sheet_for_new_judge,
    api_login,
    body,
    build_open_sheet,
    put,
)


@pytest.fixture
def graph(app: Flask) -> SheetGraph:
    return build_open_sheet(app)


@pytest.fixture
def token(client: FlaskClient, graph: SheetGraph) -> str:
    return api_login(client, graph.judge_email)


def counts(app: Flask, sheet_id: int) -> tuple[int, int, int]:
    """(version, audit rows, submission rows) of a sheet."""
    with app.app_context():
        version = db.session.get(ScoreSheet, sheet_id).version
        audits = db.session.scalar(
            select(func.count()).select_from(AuditEvent).filter_by(object_id=sheet_id)
        )
        logged = db.session.scalar(
            select(func.count()).select_from(SheetSubmission).filter_by(sheet_id=sheet_id)
        )
    return version, audits, logged


def values(app: Flask, sheet_id: int) -> dict[int, float | None]:
    with app.app_context():
        rows = db.session.scalars(select(Score).filter_by(sheet_id=sheet_id)).all()
        return {row.criterion_id: row.value for row in rows}


def test_get_returns_the_rubric_and_values(client, graph, token) -> None:
    response = client.get(f"/api/v1/sheets/{graph.sheet_id}")
    assert response.status_code == 200
    data = response.get_json()
    assert data["version"] == 0 and data["status"] == "draft" and data["editable"] is True
    assert [c["name"] for c in data["criteria"]] == ["Kelembagaan", "Inovasi", "Kesan umum"]
    assert data["criteria"][2]["max"] == 5
    assert data["entry"]["name"] == "BKB Melati" and data["entry"]["region"] == "Kota Jambi"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_save_returns_the_new_version_and_is_audited(app, client, graph, token) -> None:
    first, second, likert = graph.criteria
    payload = body(0, {first: 80, second: 72.5, likert: 4}, comments={str(first): "Rapi"})
    response = put(client, graph.sheet_id, token, payload)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["version"] == 1 and data["replayed"] is False and data["changed"] is True
    # 40·80 + 60·72,5 + 20·(4/5·100) over 120
    assert data["sheet"]["total"] == pytest.approx((40 * 80 + 60 * 72.5 + 20 * 80) / 120)
    assert values(app, graph.sheet_id) == {first: 80.0, second: 72.5, likert: 4.0}
    assert counts(app, graph.sheet_id) == (1, 1, 1)
    with app.app_context():
        audit = db.session.scalar(select(AuditEvent).filter_by(object_id=graph.sheet_id))
        assert audit.action == "sheet.save" and audit.actor_id == graph.judge_id
        assert audit.before["scores"][str(first)] is None
        assert audit.after["scores"][str(second)] == 72.5
        assert audit.after["comments"][str(first)] == "Rapi"
        assert audit.event_id == graph.event_id


def test_a_replay_of_any_earlier_submission_writes_nothing(app, client, graph, token) -> None:
    first, second, _ = graph.criteria
    one = body(0, {first: 60})
    two = body(1, {first: 65, second: 70})
    assert put(client, graph.sheet_id, token, one).status_code == 200
    assert put(client, graph.sheet_id, token, two).status_code == 200
    before = counts(app, graph.sheet_id)
    for payload in (two, one, two):  # the last one, and an older one, sent again
        response = put(client, graph.sheet_id, token, payload)
        assert response.status_code == 200
        data = response.get_json()
        assert data["replayed"] is True and data["version"] == 2
        assert data["sheet"]["scores"][str(first)] == 65  # the current state, not the old body
    assert counts(app, graph.sheet_id) == before == (2, 2, 2)


def test_an_equivalent_body_is_a_replay(app, client, graph, token) -> None:
    first = graph.criteria[0]
    payload = body(0, {first: 80})
    assert put(client, graph.sheet_id, token, payload).status_code == 200
    again = dict(payload, scores={str(first): 80.0})  # 80 and 80.0 are the same value
    assert put(client, graph.sheet_id, token, again).get_json()["replayed"] is True


def test_a_reused_submission_id_with_another_body_is_a_conflict(app, client, graph, token):
    first = graph.criteria[0]
    payload = body(0, {first: 80})
    assert put(client, graph.sheet_id, token, payload).status_code == 200
    response = put(client, graph.sheet_id, token, dict(payload, scores={str(first): 81}))
    assert response.status_code == 409
    assert response.get_json()["reason"] == "submission_reused"
    assert values(app, graph.sheet_id) == {first: 80.0}
    assert counts(app, graph.sheet_id) == (1, 1, 1)


def test_a_stale_base_version_gets_the_server_copy(app, client, graph, token) -> None:
    first = graph.criteria[0]
    assert put(client, graph.sheet_id, token, body(0, {first: 80})).status_code == 200
    response = put(client, graph.sheet_id, token, body(0, {first: 55}))  # other device, old base
    assert response.status_code == 409
    data = response.get_json()
    assert data["reason"] == "stale"
    assert data["sheet"]["version"] == 1 and data["sheet"]["scores"][str(first)] == 80
    assert "perangkat lain" in data["message"]
    assert values(app, graph.sheet_id) == {first: 80.0}
    assert counts(app, graph.sheet_id) == (1, 1, 1)


def test_submit_makes_the_sheet_read_only(app, client, graph, token) -> None:
    first, second, likert = graph.criteria
    payload = body(0, {first: 80, second: 70, likert: 3}, submit=True)
    response = put(client, graph.sheet_id, token, payload)
    assert response.status_code == 200
    assert response.get_json()["status"] == "submitted"
    with app.app_context():
        sheet = db.session.get(ScoreSheet, graph.sheet_id)
        assert sheet.status == "submitted" and sheet.submitted_at is not None
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions == ["sheet.submit"]
    # The submit sent again (its answer was lost) is still a success ...
    assert put(client, graph.sheet_id, token, payload).status_code == 200
    # ... but any new change is refused: 423 with the sheet as it is.
    response = put(client, graph.sheet_id, token, body(1, {first: 90}))
    assert response.status_code == 423
    data = response.get_json()
    assert data["reason"] == "submitted" and data["sheet"]["status"] == "submitted"
    assert data["message"] == "Lembar ini sudah dikirim dan tidak dapat diubah lagi."
    assert counts(app, graph.sheet_id) == (1, 1, 1)


def test_submit_needs_every_criterion(app, client, graph, token) -> None:
    first, second, likert = graph.criteria
    response = put(client, graph.sheet_id, token, body(0, {first: 80}, submit=True))
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) == {f"scores.{second}", f"scores.{likert}"}
    assert counts(app, graph.sheet_id) == (0, 0, 0)


@pytest.mark.parametrize("status", ["locked"])
def test_a_locked_sheet_is_423(app, client, graph, token, status) -> None:
    with app.app_context():
        sheet = db.session.get(ScoreSheet, graph.sheet_id)
        sheet.status = status
        sheet.submitted_at = sheet.created_at
        db.session.commit()
    response = put(client, graph.sheet_id, token, body(0, {graph.criteria[0]: 80}))
    assert response.status_code == 423 and response.get_json()["reason"] == "locked"


@pytest.mark.parametrize("status", ["closed", "pending"])
def test_a_stage_not_open_is_423(app, client, graph, token, status) -> None:
    with app.app_context():
        db.session.get(Stage, graph.stage_id).status = status
        db.session.commit()
    response = put(client, graph.sheet_id, token, body(0, {graph.criteria[0]: 80}))
    assert response.status_code == 423
    data = response.get_json()
    assert data["reason"] == "stage_not_open"
    assert data["message"] == "Penilaian untuk tahap ini tidak sedang dibuka."
    assert client.get(f"/api/v1/sheets/{graph.sheet_id}").get_json()["editable"] is False


def test_another_judges_sheet_and_an_unknown_sheet_look_the_same(app, client, graph, token):
    other = add_sheet_for_new_judge(app, graph, "juri-lain@test.juara.id")
    answers = []
    for sheet_id in (other, 987654):
        response = put(client, sheet_id, token, body(0, {graph.criteria[0]: 80}))
        assert response.status_code == 404
        answers.append(response.get_json())
        assert client.get(f"/api/v1/sheets/{sheet_id}").status_code == 404
    assert answers[0] == answers[1]
    message = "Lembar penilaian ini tidak ada atau tidak ditugaskan kepada Anda."
    assert answers[0]["message"] == message
    assert counts(app, other) == (0, 0, 0)


def test_values_out_of_range_and_unknown_criteria_are_422(app, client, graph, token) -> None:
    first, second, likert = graph.criteria
    payload = body(0, {first: 101, second: 0.5, likert: 4.5, 999: 50})
    payload["scores"]["abc"] = 10
    payload["comments"] = {str(first): "x" * 2001}
    response = put(client, graph.sheet_id, token, payload)
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert fields["scores.abc"] == "Kriteria ini tidak termasuk dalam lembar."
    assert fields[f"comments.{first}"].startswith("Catatan terlalu panjang")
    # Shape errors are reported first; then the values against the rubric.
    del payload["scores"]["abc"]
    payload["comments"] = {}
    fields = put(client, graph.sheet_id, token, payload).get_json()["fields"]
    assert fields == {
        f"scores.{first}": "Masukkan nilai dari 1 sampai 100.",
        f"scores.{second}": "Masukkan nilai dari 1 sampai 100.",
        "scores.999": "Kriteria ini tidak termasuk dalam lembar.",
    }
    assert values(app, graph.sheet_id) == {}
    fields = put(client, graph.sheet_id, token, body(0, {first: 80.125})).get_json()["fields"]
    assert fields == {f"scores.{first}": "Gunakan paling banyak dua angka desimal."}
    assert counts(app, graph.sheet_id) == (0, 0, 0)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("{not json", "body"),
        ("[1, 2]", "body"),
        ('{"base_version": 0}', "submission_id"),
        ('{"submission_id": "00000000-0000-1000-8000-000000000000", "base_version": 0}',
         "submission_id"),
        ('{"submission_id": "0b8a4f7e-8d52-4a5e-9a55-6f1f4bb0b8a1", "base_version": -1}',
         "base_version"),
        ('{"submission_id": "0b8a4f7e-8d52-4a5e-9a55-6f1f4bb0b8a1", "base_version": 0,'
         ' "scores": {"1": "80"}}', "scores.1"),
        ('{"submission_id": "0b8a4f7e-8d52-4a5e-9a55-6f1f4bb0b8a1", "base_version": 0,'
         ' "submit": "yes"}', "submit"),
        ('{"submission_id": "0b8a4f7e-8d52-4a5e-9a55-6f1f4bb0b8a1", "base_version": 0,'
         ' "extra": 1}', "extra"),
    ],
)  # fmt: skip
def test_malformed_bodies_are_422(app, client, graph, token, raw, field) -> None:
    response = client.put(
        f"/api/v1/sheets/{graph.sheet_id}",
        data=raw,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 422
    data = response.get_json()
    assert data["error"] == "invalid" and field in data["fields"]
    assert counts(app, graph.sheet_id) == (0, 0, 0)


def test_csrf_still_holds_for_the_api(app, client, graph, token) -> None:
    payload = body(0, {graph.criteria[0]: 80})
    response = client.put(f"/api/v1/sheets/{graph.sheet_id}", json=payload)
    assert response.status_code == 400
    assert response.get_json()["error"] == 400
    response = put(client, graph.sheet_id, "wrong-token", payload)
    assert response.status_code == 400
    assert counts(app, graph.sheet_id) == (0, 0, 0)


def test_only_logged_in_judges(app, client, graph, login_as) -> None:
    response = client.put(f"/api/v1/sheets/{graph.sheet_id}", json={})
    assert response.status_code in (400, 401)  # CSRF or login: either way nothing is written
    assert client.get(f"/api/v1/sheets/{graph.sheet_id}").status_code == 401
    assert client.get("/api/v1/session").get_json()["error"] == "login_required"
    login_as("committee")
    assert client.get(f"/api/v1/sheets/{graph.sheet_id}").status_code == 403


def test_a_judge_whose_login_expired_logs_in_again_and_syncs(app, client, graph) -> None:
    """The outbox keeps its item through a 401; after a new login and token it lands once."""
    token = api_login(client, graph.judge_email)
    payload = body(0, {graph.criteria[0]: 77})
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])  # expired while offline
    assert put(client, graph.sheet_id, token, payload).status_code in (400, 401)
    assert client.get("/api/v1/session").status_code == 401
    fresh = api_login(client, graph.judge_email)
    assert fresh != token
    assert put(client, graph.sheet_id, fresh, payload).status_code == 200
    assert put(client, graph.sheet_id, fresh, payload).get_json()["replayed"] is True
    assert counts(app, graph.sheet_id) == (1, 1, 1)


def test_a_save_that_changes_nothing_keeps_the_version(app, client, graph, token) -> None:
    first = graph.criteria[0]
    assert put(client, graph.sheet_id, token, body(0, {first: 80})).status_code == 200
    response = put(client, graph.sheet_id, token, body(1, {first: 80}))
    assert response.status_code == 200
    assert response.get_json()["changed"] is False and response.get_json()["version"] == 1
    assert counts(app, graph.sheet_id) == (1, 1, 2)


def test_the_sheet_list_gives_the_addresses_to_cache(client, graph, token) -> None:
    sheets = client.get("/api/v1/sheets").get_json()["sheets"]
    assert sheets == [
        {
            "id": graph.sheet_id,
            "version": 0,
            "status": "draft",
            "stage_status": "open",
            "page_url": f"/juri/lembar/{graph.sheet_id}",
            "api_url": f"/api/v1/sheets/{graph.sheet_id}",
        }
    ]
