"""Issue 15: a value outside the criterion's range never reaches a sheet, saved or sent.

The tablet keeps a wrong typed value out of its outbox; the server refuses it anyway (a stale
tablet, a hand-made request): 422 with the field named, nothing written, no version, no audit.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Score, ScoreSheet
from tests.judge.support import SheetGraph, api_login, body, build_open_sheet, put


@pytest.fixture
def graph(app: Flask) -> SheetGraph:
    return build_open_sheet(app)


def stored(app: Flask, sheet_id: int) -> tuple[str, int, dict[int, float | None]]:
    with app.app_context():
        sheet = db.session.get(ScoreSheet, sheet_id)
        rows = db.session.scalars(select(Score).filter_by(sheet_id=sheet_id)).all()
        return sheet.status, sheet.version, {r.criterion_id: r.value for r in rows}


@pytest.mark.parametrize("submit", [False, True])
def test_120_on_1_to_100_and_45_on_1_to_5_are_refused(app, client, graph, submit) -> None:
    token = api_login(client, graph.judge_email)
    first, second, likert = graph.criteria
    payload = body(0, {first: 120, second: 80, likert: 45}, submit=submit)
    response = put(client, graph.sheet_id, token, payload)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {
        f"scores.{first}": "Masukkan nilai dari 1 sampai 100.",
        f"scores.{likert}": "Masukkan nilai dari 1 sampai 5.",
    }
    assert stored(app, graph.sheet_id) == ("draft", 0, {})
    # Just inside the range is accepted, and sends.
    ok = put(
        client, graph.sheet_id, token, body(0, {first: 100, second: 80, likert: 5}, submit=submit)
    )
    assert ok.status_code == 200
    status, version, values = stored(app, graph.sheet_id)
    assert values == {first: 100.0, second: 80.0, likert: 5.0} and version == 1
    assert status == ("submitted" if submit else "draft")
