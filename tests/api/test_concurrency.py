"""Two tablets of one judge save the same sheet at the same moment: exactly one wins each round.

Runs on SQLite (BEGIN IMMEDIATE) and PostgreSQL (SELECT ... FOR UPDATE) through the `app`
fixture. The loser gets 409 with the winner's values; nothing is lost and nothing is doubled.
"""

from __future__ import annotations

import threading
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import AuditEvent, Score, ScoreSheet, SheetSubmission
from tests.judge.support import api_login, body, build_open_sheet, put

ROUNDS = 12


def race(devices: list[tuple[FlaskClient, str]], sheet_id: int, payloads: list[Any]) -> list[Any]:
    """Send one payload per device from its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(devices))
    answers: list[Any] = [None] * len(devices)

    def send(index: int) -> None:
        client, token = devices[index]
        barrier.wait()
        answers[index] = put(client, sheet_id, token, payloads[index])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_two_devices_saving_at_once_never_both_win(app) -> None:
    graph = build_open_sheet(app)
    first = graph.criteria[0]
    devices = []
    for _ in range(2):
        client = app.test_client()
        devices.append((client, api_login(client, graph.judge_email)))
    for round_no in range(ROUNDS):
        wanted = [10 + round_no, 60 + round_no]  # each device enters its own value
        payloads = [body(round_no, {first: value}) for value in wanted]
        answers = race(devices, graph.sheet_id, payloads)
        codes = sorted(answer.status_code for answer in answers)
        assert codes == [200, 409], [a.get_json() for a in answers]
        winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
        loser = answers[1 - winner].get_json()
        # The loser is shown what won, to choose from; the database holds the winner's value.
        assert loser["reason"] == "stale"
        assert loser["sheet"]["scores"][str(first)] == wanted[winner]
        assert answers[winner].get_json()["version"] == round_no + 1
        with app.app_context():
            value = db.session.scalar(select(Score.value).filter_by(sheet_id=graph.sheet_id))
            assert value == wanted[winner]
    with app.app_context():
        assert db.session.get(ScoreSheet, graph.sheet_id).version == ROUNDS
        audits = db.session.scalar(select(func.count()).select_from(AuditEvent))
        logged = db.session.scalar(select(func.count()).select_from(SheetSubmission))
        rows = db.session.scalar(select(func.count()).select_from(Score))
        assert audits == logged == ROUNDS and rows == 1


def test_the_same_submission_sent_twice_at_once_is_applied_once(app) -> None:
    """A retry racing the original (the answer was slow, not lost) is written once."""
    graph = build_open_sheet(app)
    devices = []
    for _ in range(2):
        client = app.test_client()
        devices.append((client, api_login(client, graph.judge_email)))
    for round_no in range(6):
        payload = body(round_no, {graph.criteria[0]: 30 + round_no})
        answers = race(devices, graph.sheet_id, [payload, payload])
        assert [a.status_code for a in answers] == [200, 200]
        assert sorted(a.get_json()["replayed"] for a in answers) == [False, True]
    with app.app_context():
        assert db.session.get(ScoreSheet, graph.sheet_id).version == 6
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 6
