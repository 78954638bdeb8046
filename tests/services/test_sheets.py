"""Sheet services: the weighted total, saving, submitting and the committee's reopen."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from scoring.models import AuditEvent, Event, Score, ScoreSheet
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.sheets import (
    SheetChange,
    SheetLocked,
    StaleSheet,
    reopen_sheet,
    save_sheet,
    weighted_total,
)
from scoring.services.worklist import load_sheet
from tests.judge.support import build_open_sheet


def change(base: int, scores=None, comments=None, submit: bool = False) -> SheetChange:
    return SheetChange(str(uuid.uuid4()), base, scores or {}, comments or {}, submit)


def test_weighted_total_is_percent_of_the_maximum_over_scored_criteria() -> None:
    # Worked by hand: (40·80 + 60·70) / 100 = 74; a 1–5 criterion counts as value/5·100.
    assert weighted_total([(80, 40, 100), (70, 60, 100)]) == pytest.approx(74.0)
    assert weighted_total([(80, 40, 100), (4, 20, 5)]) == pytest.approx(80.0)
    assert weighted_total([(80, 40, 100), (None, 60, 100)]) == pytest.approx(80.0)
    assert weighted_total([(None, 40, 100)]) is None
    assert weighted_total([]) is None


def test_the_digest_ignores_key_order_and_int_or_float() -> None:
    one = SheetChange("a", 1, {1: 80, 2: 70.5}, {1: "x"}, False)
    two = SheetChange("a", 1, {2: 70.5, 1: 80.0}, {1: "x"}, False)
    assert one.digest() == two.digest()
    assert one.digest() != SheetChange("a", 1, {1: 80, 2: 70.5}, {1: "x"}, True).digest()
    assert one.digest() != SheetChange("a", 2, {1: 80, 2: 70.5}, {1: "x"}, False).digest()


def test_save_clear_and_comments(app, db) -> None:
    graph = build_open_sheet(app)
    first, second, _ = graph.criteria
    result = save_sheet(graph.sheet_id, graph.judge_id, change(0, {first: 80}, {second: " Baik "}))
    assert result.changed and result.sheet.version == 1
    assert result.sheet.comments()[str(second)] == "Baik"
    # A comment alone keeps its row without a value; clearing a value keeps the comment.
    result = save_sheet(graph.sheet_id, graph.judge_id, change(1, {first: None, second: None}))
    assert result.sheet.values()[str(first)] is None
    assert result.sheet.version == 2
    rows = db.session.scalars(select(Score).order_by(Score.criterion_id)).all()
    assert [(r.criterion_id, r.value, r.comment) for r in rows] == [
        (first, None, None),
        (second, None, "Baik"),
    ]


def test_a_save_that_sets_nothing_new_writes_no_row(app, db) -> None:
    graph = build_open_sheet(app)
    result = save_sheet(graph.sheet_id, graph.judge_id, change(0, {graph.criteria[0]: None}))
    assert not result.changed and result.sheet.version == 0
    assert db.session.scalar(select(func.count()).select_from(Score)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_stale_and_locked_errors_carry_the_server_copy(app, db) -> None:
    graph = build_open_sheet(app)
    first = graph.criteria[0]
    save_sheet(graph.sheet_id, graph.judge_id, change(0, {first: 80}))
    with pytest.raises(StaleSheet) as stale:
        save_sheet(graph.sheet_id, graph.judge_id, change(0, {first: 50}))
    assert stale.value.sheet.values()[str(first)] == 80.0
    complete = {cid: 3 for cid in graph.criteria}
    save_sheet(graph.sheet_id, graph.judge_id, change(1, complete, submit=True))
    with pytest.raises(SheetLocked) as locked:
        save_sheet(graph.sheet_id, graph.judge_id, change(2, {first: 90}))
    assert locked.value.reason == "submitted" and locked.value.sheet.status == "submitted"


def test_a_sheet_of_a_draft_event_is_not_found(app, db) -> None:
    graph = build_open_sheet(app)
    db.session.get(Event, graph.event_id).status = "draft"
    db.session.commit()
    with pytest.raises(NotFound):
        save_sheet(graph.sheet_id, graph.judge_id, change(0, {graph.criteria[0]: 80}))
    assert load_sheet(graph.sheet_id, graph.judge_id) is None
    assert load_sheet(graph.sheet_id) is not None  # the committee still sees it


def test_reopen_needs_a_reason_and_a_sent_sheet(app, db, make_user) -> None:
    graph = build_open_sheet(app)
    committee = make_user("committee")
    with pytest.raises(Conflict):
        reopen_sheet(graph.sheet_id, "Salah ketik", committee.id)
    complete = {cid: 4 for cid in graph.criteria}
    save_sheet(graph.sheet_id, graph.judge_id, change(0, complete, submit=True))
    with pytest.raises(InvalidInput):
        reopen_sheet(graph.sheet_id, "   ", committee.id)
    with pytest.raises(NotFound):
        reopen_sheet(424242, "Salah ketik", committee.id)
    view = reopen_sheet(graph.sheet_id, "Salah ketik pada kriteria 2", committee.id)
    assert view.status == "draft" and view.version == 2 and view.editable
    sheet = db.session.get(ScoreSheet, graph.sheet_id)
    assert sheet.submitted_at is None
    audit = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert audit.action == "sheet.reopen" and audit.actor_id == committee.id
    assert audit.before["status"] == "submitted"
    assert audit.after == {"status": "draft", "version": 2, "reason": "Salah ketik pada kriteria 2"}
    # The judge's tablet still on version 1 must now take the server's copy first.
    with pytest.raises(StaleSheet):
        save_sheet(graph.sheet_id, graph.judge_id, change(1, {graph.criteria[0]: 90}))
    result = save_sheet(graph.sheet_id, graph.judge_id, change(2, {graph.criteria[0]: 90}))
    assert result.sheet.version == 3
