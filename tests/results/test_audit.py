"""The audit log page and the append-only audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from scoring.extensions import db as _db
from scoring.models import AuditEvent
from scoring.results.audit import (
    AuditTrailIsAppendOnly,
    append_only_ddl,
    drop_append_only_ddl,
)
from scoring.services import audit
from scoring.services.sheets import reopen_sheet
from scoring.services.snapshots import publish_results
from tests.results.support import build_category


def _history(app: Flask) -> dict[str, Any]:
    """A publish (event 1), a reopened sheet of E2 / judge 2 before it, and another event."""
    with app.app_context():
        ids = build_category()
        other = build_category(slug="lain")
        reopen_sheet(ids["sheets"][("E2", 1, 2)], "Salah ketik", None)
        publish_results(other["category_id"], None, override_reason="uji")
        old = AuditEvent(
            action="event.update",
            object_type="Event",
            object_id=ids["event_id"],
            event_id=ids["event_id"],
            occurred_at=dt.datetime(2025, 1, 2, 3, 0, tzinfo=dt.UTC),
        )
        _db.session.add(old)
        _db.session.commit()
    return {"ids": ids, "other": other}


def test_audit_page_filters(app: Flask, client: Any, login_as: Any) -> None:
    h = _history(app)
    ids, other = h["ids"], h["other"]
    login_as("committee")

    def count(**args: Any) -> int:
        html = client.get("/panitia/audit", query_string=args).text
        return html.count('data-testid="audit-row"')

    assert count() == 3
    assert count(acara=ids["event_id"]) == 2
    assert count(acara=other["event_id"]) == 1
    assert count(juri=ids["judges"][1]) == 1  # the reopened sheet of judge 2
    assert count(juri=ids["judges"][0]) == 0
    assert count(acara=ids["event_id"], peserta=ids["entries"]["E2"]) == 1
    assert count(acara=ids["event_id"], peserta=ids["entries"]["E3"]) == 0
    assert count(dari="2025-01-01", sampai="2025-01-02") == 1
    assert count(dari="2025-01-03") == 2
    assert count(dari="01/01/2025", sampai="02/01/2025") == 1  # typed the Indonesian way
    bad = client.get("/panitia/audit", query_string={"dari": "31/02/2025"}).text
    assert "Tulis tanggal sebagai hh/bb/tttt, misalnya 17/08/2025." in bad
    assert bad.count('data-testid="audit-row"') == 3  # the bad day is ignored, not guessed
    html = client.get("/panitia/audit", query_string={"acara": ids["event_id"]}).text
    assert "Log audit" in html and "sheet.reopen" in html and "Poktan E1" in html


def test_audit_page_is_for_the_committee(app: Flask, client: Any, login_as: Any) -> None:
    assert client.get("/panitia/audit").status_code == 302
    login_as("judge")
    assert client.get("/panitia/audit").status_code == 403


def test_the_orm_refuses_to_change_or_delete_audit_rows(db: Any) -> None:
    row = audit.record("test.thing", None, after={"x": 1})
    db.session.commit()
    row.action = "test.other"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, row.id))
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_the_database_trigger_refuses_update_and_delete(db: Any) -> None:
    dialect = db.engine.dialect.name
    audit.record("test.thing", None, after={"x": 1})
    db.session.commit()
    with db.engine.begin() as conn:
        for statement in append_only_ddl(dialect):
            conn.execute(text(statement))
    try:
        for statement in (update(AuditEvent).values(action="x"), delete(AuditEvent)):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                db.engine.begin() as conn,
            ):
                conn.execute(statement)
        assert db.session.scalar(select(AuditEvent.action)) == "test.thing"
    finally:
        db.session.rollback()  # release the read lock: DROP TRIGGER waits for it on PostgreSQL
        with db.engine.begin() as conn:
            for statement in drop_append_only_ddl(dialect):
                conn.execute(text(statement))
