"""Constraints live in the database, not only in forms: each one refuses a bad row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scoring.models import (
    Assignment,
    AuditEvent,
    Criterion,
    Entry,
    Event,
    Region,
    Score,
    ScoreSheet,
    Stage,
    User,
)
from tests.factories import build_event_graph


def _refused(db: Any, obj: Any) -> None:
    db.session.add(obj)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_valid_graph_is_accepted(db: Any) -> None:
    graph = build_event_graph()
    db.session.commit()
    sheet = db.session.get(ScoreSheet, graph["sheet"].id)
    assert sheet.status == "draft" and sheet.version == 0
    assert sheet.assignment.entry.name == "BKB Melati"
    assert [c.name for c in sheet.assignment.stage.criteria] == ["Kelembagaan", "Inovasi"]
    assert sheet.created_at.tzinfo is dt.UTC


def test_unknown_role_is_refused(db: Any) -> None:
    _refused(db, User(email="x@test.juara.id", name="X", role="superuser", password_hash="x"))


def test_email_must_be_lowercase_and_unique(db: Any) -> None:
    _refused(db, User(email="Juri@Test.id", name="X", role="judge", password_hash="x"))
    db.session.add(User(email="a@test.juara.id", name="A", role="judge", password_hash="x"))
    db.session.commit()
    _refused(db, User(email="a@test.juara.id", name="B", role="judge", password_hash="x"))


def test_region_code_unique(db: Any) -> None:
    db.session.add(Region(code="15.01", name="Kerinci", level="kabupaten"))
    db.session.commit()
    _refused(db, Region(code="15.01", name="Kerinci lagi", level="kabupaten"))


def test_event_status_and_dates(db: Any) -> None:
    _refused(db, Event(name="E", slug="e", level="provinsi", status="finished"))
    _refused(
        db,
        Event(
            name="E",
            slug="e2",
            level="provinsi",
            starts_on=dt.date(2025, 6, 27),
            ends_on=dt.date(2025, 6, 23),
        ),
    )


def test_stage_weight_bounds_and_pass_fail(db: Any) -> None:
    graph = build_event_graph()
    category = graph["category"]
    _refused(db, Stage(category_id=category.id, position=2, name="S", weight=120))
    graph = build_event_graph("uji-b")
    _refused(
        db,
        Stage(
            category_id=graph["category"].id, position=2, name="Adm", kind="pass_fail", weight=10
        ),
    )
    graph = build_event_graph("uji-c")
    _refused(db, Stage(category_id=graph["category"].id, position=1, name="Dup", weight=0))


def test_criterion_weight_range_and_tiebreak(db: Any) -> None:
    stage_id = build_event_graph()["stage"].id
    _refused(db, Criterion(stage_id=stage_id, position=3, name="Nol", weight=0))
    stage_id = build_event_graph("uji-b")["stage"].id
    _refused(
        db, Criterion(stage_id=stage_id, position=3, name="R", weight=5, min_score=5, max_score=5)
    )
    stage_id = build_event_graph("uji-c")["stage"].id
    _refused(db, Criterion(stage_id=stage_id, position=3, name="T", weight=5, tiebreak_order=1))


def test_entry_unique_per_region_and_nik_length(db: Any) -> None:
    graph = build_event_graph()
    _refused(
        db,
        Entry(category_id=graph["category"].id, region_id=graph["region"].id, name="BKB Melati"),
    )
    graph = build_event_graph("uji-b")
    _refused(
        db,
        Entry(
            category_id=graph["category"].id,
            region_id=graph["region"].id,
            name="Siti",
            nik="12345",
        ),
    )


def test_consent_needs_time_and_version(db: Any) -> None:
    graph = build_event_graph()
    _refused(
        db,
        Entry(
            category_id=graph["category"].id,
            region_id=graph["region"].id,
            name="Siti",
            consent_at=dt.datetime.now(dt.UTC),
        ),
    )


def test_assignment_unique_and_sheet_one_per_assignment(db: Any) -> None:
    graph = build_event_graph()
    _refused(
        db,
        Assignment(
            stage_id=graph["stage"].id, entry_id=graph["entry"].id, judge_id=graph["judge"].id
        ),
    )
    graph = build_event_graph("uji-b")
    _refused(db, ScoreSheet(assignment_id=graph["assignment"].id))


def test_sheet_status_version_and_submitted_at(db: Any) -> None:
    graph = build_event_graph()
    sheet = graph["sheet"]
    sheet.status = "sent"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    graph = build_event_graph("uji-b")
    graph["sheet"].status = "submitted"  # without submitted_at
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    graph = build_event_graph("uji-c")
    graph["sheet"].version = -1
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_score_per_criterion_and_foreign_keys(db: Any) -> None:
    graph = build_event_graph()
    sheet, criterion = graph["sheet"], graph["criteria"][0]
    db.session.add(Score(sheet_id=sheet.id, criterion_id=criterion.id, value=80))
    db.session.commit()
    _refused(db, Score(sheet_id=sheet.id, criterion_id=criterion.id, value=70))
    _refused(db, Score(sheet_id=sheet.id, criterion_id=999_999, value=70))


def test_deleting_a_sheet_deletes_its_scores(db: Any) -> None:
    graph = build_event_graph()
    sheet = graph["sheet"]
    db.session.add(Score(sheet_id=sheet.id, criterion_id=graph["criteria"][0].id, value=80))
    db.session.commit()
    db.session.delete(db.session.get(ScoreSheet, sheet.id))
    db.session.commit()
    assert db.session.scalars(select(Score)).all() == []


def test_audit_event_keeps_json(db: Any) -> None:
    db.session.add(
        AuditEvent(
            action="sheet.save",
            object_type="ScoreSheet",
            object_id=1,
            before={"scores": {"1": 70}},
            after={"scores": {"1": 85.5}, "note": "Nilai ✓ ditinjau"},
        )
    )
    db.session.commit()
    row = db.session.scalars(select(AuditEvent)).one()
    assert row.after == {"scores": {"1": 85.5}, "note": "Nilai ✓ ditinjau"}
    assert row.occurred_at.tzinfo is dt.UTC
