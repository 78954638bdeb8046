"""Issue 16: the lean save path keeps every promise of docs/api.md.

The save reads once without a lock, decides, then writes under a version compare-and-set. These
tests pin what that must not lose: a bounded number of statements and no user load before the
save; the account checked inside the save (also when it ends between the read and the write);
a save that lost the race between read and write answered as stale, not written; replays and
one audit row per change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, update

from scoring.extensions import db
from scoring.models import AuditEvent, ScoreSheet, SheetSubmission, User
from scoring.services import sheet_save
from tests.conftest import csrf_token_from, login
from tests.judge.support import SheetGraph, api_login, body, build_open_sheet, put


@pytest.fixture
def graph(app: Flask) -> SheetGraph:
    return build_open_sheet(app)


@pytest.fixture
def token(client: FlaskClient, graph: SheetGraph) -> str:
    return api_login(client, graph.judge_email)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Every statement the app's engine sends while the block runs (BEGIN included)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def rows(app: Flask, sheet_id: int) -> tuple[int, int, int]:
    with app.app_context():
        version = db.session.get(ScoreSheet, sheet_id).version
        audits = db.session.scalar(
            select(func.count()).select_from(AuditEvent).filter_by(object_id=sheet_id)
        )
        logged = db.session.scalar(
            select(func.count()).select_from(SheetSubmission).filter_by(sheet_id=sheet_id)
        )
    return version, audits, logged


def test_a_save_is_a_handful_of_statements_and_loads_no_user(
    app: Flask, client: FlaskClient, graph: SheetGraph, token: str
) -> None:
    first, second, likert = graph.criteria
    with statements(app) as seen:
        response = put(client, graph.sheet_id, token, body(0, {first: 80, likert: 4}))
    assert response.status_code == 200
    # read, compare-and-set, score upsert, audit row, submission row (+ BEGINs on SQLite)
    real = [s for s in seen if not s.startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    assert len(real) == 5, seen
    assert not any(s.startswith("SELECT") and "FROM user_account" in s[:200] for s in seen)
    assert sum(1 for s in seen if s.startswith("SELECT")) == 1
    with statements(app) as seen:
        replay = put(client, graph.sheet_id, token, body(1, {second: 70}))
    assert replay.status_code == 200
    assert len([s for s in seen if not s.startswith("BEGIN")]) <= 5
    assert rows(app, graph.sheet_id) == (2, 2, 2)  # one audit row per change


def test_an_account_ended_between_read_and_write_is_refused_by_the_write(
    app: Flask, client: FlaskClient, graph: SheetGraph, token: str, monkeypatch: Any
) -> None:
    """The judge logs out on another device while this save is between its read and its
    compare-and-set: the write itself refuses (401), nothing is stored."""
    real_read = sheet_save.read_sheet

    def read_then_logout(conn: Any, *args: Any, **kwargs: Any) -> Any:
        snapshot = real_read(conn, *args, **kwargs)
        if not kwargs.get("locked", args[-1] if args else False):
            with db.engine.begin() as other:
                other.execute(
                    update(User)
                    .where(User.id == graph.judge_id)
                    .values(session_version=User.session_version + 1)
                )
        return snapshot

    monkeypatch.setattr(sheet_save, "read_sheet", read_then_logout)
    response = put(client, graph.sheet_id, token, body(0, {graph.criteria[0]: 80}))
    assert response.status_code == 401
    assert response.get_json()["error"] == "login_required"
    assert rows(app, graph.sheet_id) == (0, 0, 0)


def test_a_save_that_loses_the_race_after_its_read_is_stale(
    app: Flask, client: FlaskClient, graph: SheetGraph, token: str, monkeypatch: Any
) -> None:
    """Another device's save lands between this save's read and its write: 409 stale with the
    winner's values, exactly as if both had queued on the lock."""
    first = graph.criteria[0]
    other_device = app.test_client()
    other_token = api_login(other_device, graph.judge_email)
    real_read = sheet_save.read_sheet
    raced = []

    def read_then_other_save(conn: Any, *args: Any, **kwargs: Any) -> Any:
        snapshot = real_read(conn, *args, **kwargs)
        if not raced:
            raced.append(True)
            conn.rollback()  # let the other device write (SQLite: one writer at a time)
            assert (
                put(other_device, graph.sheet_id, other_token, body(0, {first: 55})).json["version"]
                == 1
            )
        return snapshot

    monkeypatch.setattr(sheet_save, "read_sheet", read_then_other_save)
    response = put(client, graph.sheet_id, token, body(0, {first: 90}))
    assert response.status_code == 409, response.get_json()
    data = response.get_json()
    assert data["reason"] == "stale" and data["sheet"]["scores"][str(first)] == 55
    assert rows(app, graph.sheet_id) == (1, 1, 1)


def test_the_same_submission_racing_itself_is_applied_once(
    app: Flask, client: FlaskClient, graph: SheetGraph, token: str, monkeypatch: Any
) -> None:
    """A retry that arrives while the first attempt is between read and write: one row, and
    the second answer is the replay."""
    payload = body(0, {graph.criteria[0]: 77})
    real_read = sheet_save.read_sheet
    raced = []

    def read_then_same_save(conn: Any, *args: Any, **kwargs: Any) -> Any:
        snapshot = real_read(conn, *args, **kwargs)
        if not raced:
            raced.append(True)
            conn.rollback()
            assert put(client, graph.sheet_id, token, payload).status_code == 200
        return snapshot

    monkeypatch.setattr(sheet_save, "read_sheet", read_then_same_save)
    response = put(client, graph.sheet_id, token, payload)
    assert response.status_code == 200 and response.get_json()["replayed"] is True
    assert rows(app, graph.sheet_id) == (1, 1, 1)


def test_a_deactivated_judge_is_refused_inside_the_save(
    app: Flask, client: FlaskClient, graph: SheetGraph, token: str
) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == graph.judge_id).values(active=False))
        db.session.commit()
    with statements(app) as seen:
        response = put(client, graph.sheet_id, token, body(0, {graph.criteria[0]: 80}))
    assert response.status_code == 401
    assert [s for s in seen if s.startswith(("INSERT", "UPDATE"))] == []
    assert rows(app, graph.sheet_id) == (0, 0, 0)


def test_another_role_is_403_and_an_unknown_sheet_404(
    app: Flask, client: FlaskClient, graph: SheetGraph, make_user: Any
) -> None:
    token = api_login(client, graph.judge_email)
    assert put(client, 999999, token, body(0, {graph.criteria[0]: 80})).status_code == 404
    staff = make_user("committee")
    committee = app.test_client()
    assert login(committee, staff.email, staff.plain_password).status_code == 302
    staff_token = csrf_token_from(committee.get("/kata-sandi").get_data(as_text=True))
    response = put(committee, graph.sheet_id, staff_token, body(0, {graph.criteria[0]: 80}))
    assert response.status_code == 403
    assert rows(app, graph.sheet_id) == (0, 0, 0)
