"""Builders shared by the judge, API and sheet-service tests: an open stage with one sheet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from scoring.extensions import db
from scoring.models import Assignment, Criterion, Entry, ScoreSheet, User
from tests.factories import build_event_graph

PASSWORD = "rahasia-123"


@dataclass(frozen=True)
class SheetGraph:
    sheet_id: int
    judge_id: int
    judge_email: str
    stage_id: int
    event_id: int
    criteria: list[int]  # ids: Kelembagaan 1–100 weight 40, Inovasi 1–100 weight 60, Kesan 1–5


def build_open_sheet(app: Flask, slug: str = "uji-2025") -> SheetGraph:
    """The factory graph with its stage open and a third, 1–5 criterion (committed)."""
    with app.app_context():
        graph = build_event_graph(slug)
        graph["stage"].status = "open"
        likert = Criterion(
            stage=graph["stage"],
            position=3,
            name="Kesan umum",
            weight=20,
            min_score=1,
            max_score=5,
            bands=[{"min": n, "max": n, "label": str(n)} for n in range(1, 6)],
        )
        db.session.add(likert)
        db.session.commit()
        return SheetGraph(
            sheet_id=graph["sheet"].id,
            judge_id=graph["judge"].id,
            judge_email=graph["judge"].email,
            stage_id=graph["stage"].id,
            event_id=graph["event"].id,
            criteria=[c.id for c in graph["stage"].criteria],
        )


def add_sheet_for_new_judge(app: Flask, graph: SheetGraph, email: str) -> int:
    """Another judge on the same entry and stage; returns their sheet id."""
    with app.app_context():
        judge = User(email=email, name="Juri Lain", role="judge")
        judge.set_password(PASSWORD)
        entry_id = db.session.get(ScoreSheet, graph.sheet_id).assignment.entry_id
        assignment = Assignment(stage_id=graph.stage_id, entry_id=entry_id, judge=judge)
        sheet = ScoreSheet(assignment=assignment)
        db.session.add_all([judge, assignment, sheet])
        db.session.commit()
        return sheet.id


def entry_of(app: Flask, graph: SheetGraph) -> Entry:
    with app.app_context():
        return db.session.get(ScoreSheet, graph.sheet_id).assignment.entry


def api_login(client: FlaskClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the form and return a CSRF token for the API's X-CSRFToken header."""
    from tests.conftest import login

    response = login(client, email, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    session = client.get("/api/v1/session")
    assert session.status_code == 200
    return session.get_json()["csrf_token"]


def body(base_version: int, scores: dict[int, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A PUT body with a fresh submission id."""
    payload: dict[str, Any] = {
        "submission_id": str(uuid.uuid4()),
        "base_version": base_version,
        "scores": {str(k): v for k, v in (scores or {}).items()},
        "comments": {},
        "submit": False,
    }
    payload.update(extra)
    return payload


def put(client: FlaskClient, sheet_id: int, token: str, payload: Any) -> Any:
    return client.put(f"/api/v1/sheets/{sheet_id}", json=payload, headers={"X-CSRFToken": token})
