"""Concurrent read-modify-write through `get_for_update` loses no update on either backend."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask

from scoring.database import get_for_update
from scoring.extensions import db
from scoring.models import ScoreSheet
from tests.factories import build_event_graph

THREADS, ROUNDS = 4, 15


def _increment_many(app: Flask, sheet_id: int, errors: list[BaseException]) -> None:
    try:
        for _ in range(ROUNDS):
            with app.app_context():
                sheet = get_for_update(ScoreSheet, sheet_id)
                assert sheet is not None
                current = sheet.version
                sheet.version = current + 1  # read, then write: the classic lost update
                db.session.commit()
    except BaseException as error:
        errors.append(error)


def test_no_lost_update_under_concurrent_writers(app: Flask, db: Any) -> None:
    sheet_id = build_event_graph()["sheet"].id
    db.session.commit()
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_increment_many, args=(app, sheet_id, errors))
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    db.session.expire_all()
    assert db.session.get(ScoreSheet, sheet_id).version == THREADS * ROUNDS


def test_begin_write_refuses_pending_changes(app: Flask, db: Any) -> None:
    import pytest

    from scoring.database import begin_write

    graph = build_event_graph()
    db.session.commit()
    graph["sheet"].version = 5
    with pytest.raises(RuntimeError, match="unsaved"):
        begin_write()
