"""Guards that keep published results trustworthy (issue 15, committee side).

Publishing closes the stages still open; a published category's weights and rubric cannot
change; reopening its scoring needs a reason; the review shows the announced figures and how
the live ranking differs; sent sheets missing a criterion block publishing and go back to their
judges when scoring opens; a conflict of interest found late keeps the earlier sheets.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scoring.extensions import db as _db
from scoring.models import Assignment, AuditEvent, Event, Score, ScoreSheet, Stage
from scoring.results.reviewing import review_category
from scoring.services.conflicts import declare_conflict
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.results import compute_results
from scoring.services.rubrics import add_criterion, reopen_rubric, update_criterion
from scoring.services.sheets import SheetChange, SheetLocked, save_sheet
from scoring.services.snapshots import publish_results, unpublish_results
from scoring.services.stages import change_stage_status, set_stage_status, set_stage_weights
from scoring.services.structure import Refused
from scoring.services.worklist import load_sheet
from tests.results.support import build_category

SUBMISSION = "5b0f7c2e-0000-4000-8000-00000000{:04d}"


def _indonesian(app: Flask, error: Any) -> str:
    from scoring.results.review import message

    with app.test_request_context(headers={"Accept-Language": "id"}):
        return " ".join(message(p) for p in [error, *getattr(error, "problems", ())])


def _status(stage_id: int) -> str:
    _db.session.expire_all()
    return _db.session.get(Stage, stage_id).status


def _in_scoring(ids: dict[str, Any], *open_stages: int) -> None:
    """The event back in scoring, with these stages open (as during the contest)."""
    _db.session.get(Event, ids["event_id"]).status = "scoring"
    for stage_id in open_stages:
        _db.session.get(Stage, stage_id).status = "open"
    _db.session.commit()


def _send(ids: dict[str, Any], key: str, judge: int, value: float, n: int = 1) -> None:
    sheet_id = ids["sheets"][(key, judge, 3)]
    sheet = _db.session.get(ScoreSheet, sheet_id)
    change = SheetChange(
        submission_id=SUBMISSION.format(n),
        base_version=sheet.version,
        scores={ids["criteria"]["C"]: value},
        submit=True,
    )
    save_sheet(sheet_id, ids["judges"][judge], change)


def test_publishing_closes_open_stages_so_no_sheet_arrives_afterwards(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category(leave_draft=("E1", 0))
    _s1, s2 = ids["stage_ids"]
    _in_scoring(ids, s2)
    panitia = make_user("committee")
    with pytest.raises(Refused):
        publish_results(ids["category_id"], panitia.id, method="raw")  # 1 of 12 sheets unsent
    assert _status(s2) == "open"
    snapshot = publish_results(
        ids["category_id"], panitia.id, method="raw", override_reason="Juri 1 sakit"
    )
    assert snapshot.reason == "Juri 1 sakit"
    assert _status(s2) == "closed"
    with pytest.raises(SheetLocked) as late:
        _send(ids, "E1", 0, 9.0)
    assert late.value.reason == "stage_not_open"
    audit = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "results.publish")
    ).one()
    assert audit.after["stages_closed"] == [{"id": s2, "name": "Presentasi"}]
    assert audit.after["override_reason"] == "Juri 1 sakit"


def test_a_published_category_keeps_its_weights_and_rubric(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category()
    s1, s2 = ids["stage_ids"]
    panitia = make_user("committee")
    publish_results(ids["category_id"], panitia.id, method="raw")
    with pytest.raises(Conflict) as weights:
        set_stage_weights(ids["category_id"], {s1: 50.0, s2: 50.0})
    assert "versi 1 sudah diumumkan" in _indonesian(app, weights.value)
    with pytest.raises(Conflict):
        reopen_rubric(s1, "Bobot A salah")
    with pytest.raises(Conflict):
        update_criterion(
            ids["criteria"]["A"], name="A", description="", weight=3, min_score=1,
            max_score=100, bands=None, tiebreak_order=1,
        )  # fmt: skip
    _db.session.expire_all()
    assert _db.session.get(Stage, s1).weight == 60.0
    # Withdrawn with a reason (audited), the weights can change again.
    unpublish_results(ids["category_id"], panitia.id, "Bobot tahap keliru")
    set_stage_weights(ids["category_id"], {s1: 50.0, s2: 50.0})
    _db.session.expire_all()
    assert _db.session.get(Stage, s1).weight == 50.0


def test_reopening_scoring_of_published_results_needs_a_reason(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category(leave_draft=("E1", 0))
    _s1, s2 = ids["stage_ids"]
    panitia = make_user("committee")
    publish_results(ids["category_id"], panitia.id, method="raw", override_reason="Juri 1 sakit")
    _in_scoring(ids)
    with pytest.raises(InvalidInput) as missing:
        set_stage_status(s2, "open")
    assert "Tuliskan alasan membuka kembali penilaian" in _indonesian(app, missing.value)
    with pytest.raises(InvalidInput):
        set_stage_status(s2, "open", "   ")
    assert _status(s2) == "closed"
    set_stage_status(s2, "open", "Juri 1 sudah sehat")
    assert _status(s2) == "open"
    audit = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "stage.status")).one()
    assert audit.after["reason"] == "Juri 1 sudah sehat"
    assert audit.after["published_version"] == 1
    # The sheets of the published results stay locked.
    locked = _db.session.get(ScoreSheet, ids["sheets"][("E2", 0, 3)])
    assert locked.status == "locked"


def test_the_review_shows_announced_figures_and_every_live_difference(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category(leave_draft=("E1", 0))
    _s1, s2 = ids["stage_ids"]
    panitia = make_user("committee")
    snapshot = publish_results(
        ids["category_id"], panitia.id, method="raw", override_reason="Juri 1 sakit"
    )
    announced = {row["entry_id"]: row["total"] for row in snapshot.outputs["rows"]}
    e1 = ids["entries"]["E1"]
    with app.test_request_context():
        same = review_category(ids["category_id"], "raw")
    assert same.divergence is not None and not same.divergence
    _in_scoring(ids)
    set_stage_status(s2, "open", "Juri 1 sudah sehat")
    _send(ids, "E1", 0, 1.0)  # far below the other judge: E1's total drops
    with app.test_request_context():
        review = review_category(ids["category_id"], "raw")
    assert review.published_rows[e1]["total"] == announced[e1]
    live = {row.entry_id: row.total for row in review.results.rows}
    assert live[e1] != announced[e1]
    diff = review.divergence
    assert diff and diff.sheets == (23, 24)
    changed = {d.entry_id: d for d in diff.entries}
    assert changed[e1].published.total == announced[e1]
    assert changed[e1].live.total == live[e1]


def test_sheets_missing_a_new_criterion_block_publishing_and_go_back_to_judges(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category()
    _s1, s2 = ids["stage_ids"]
    panitia = make_user("committee")
    reopen_rubric(s2, "Kriteria kreativitas terlupa")
    add_criterion(
        s2, name="Kreativitas", description="", weight=1, min_score=1, max_score=10,
        bands=None, tiebreak_order=None,
    )  # fmt: skip
    # The berita acara counts what the ranking really rests on: the 12 stage-1 sheets.
    outputs = compute_results(ids["category_id"], "raw").outputs
    assert outputs["sheets"] == {"counted": 12, "expected": 24}
    with pytest.raises(Refused) as refused:
        publish_results(ids["category_id"], panitia.id, method="raw", override_reason="Segera")
    text = _indonesian(app, refused.value)
    assert "12 lembar nilai yang sudah dikirim belum berisi nilai Kreativitas" in text
    assert "Juri 1 (Poktan E1)" in text and "Juri 2 (Poktan E6)" in text
    assert not _db.session.scalars(select(AuditEvent.action)).all().count("results.publish")

    _in_scoring(ids)
    change = change_stage_status(s2, "open")
    assert len(change.reopened) == 12
    sheet = _db.session.get(ScoreSheet, ids["sheets"][("E1", 0, 3)])
    assert (sheet.status, sheet.version, sheet.reopen_notice) == (
        "draft",
        2,
        {"missing": ["Kreativitas"]},
    )
    assert _db.session.get(ScoreSheet, ids["sheets"][("E1", 0, 2)]).status == "submitted"
    view = load_sheet(sheet.id, ids["judges"][0])
    assert view is not None and view.missing_criteria == ("Kreativitas",)
    reopened = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sheet.reopen")
    ).all()
    assert len(reopened) == 12 and reopened[0].after["missing"] == ["Kreativitas"]


def test_a_late_conflict_of_interest_keeps_the_earlier_sheets(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category()
    s1, _s2 = ids["stage_ids"]
    e1, judge = ids["entries"]["E1"], ids["judges"][0]
    # Judge 1 has scored E1 in Dokumen; the Presentasi sheet is still untouched.
    later = _db.session.get(ScoreSheet, ids["sheets"][("E1", 0, 3)])
    for score in list(later.scores):
        _db.session.delete(score)
    later.status, later.submitted_at = "draft", None
    _db.session.commit()
    with app.test_request_context():
        declared = declare_conflict(e1, judge, "Ternyata saudara ketua kelompok")
    assert (declared.removed, declared.kept) == (1, ["Dokumen"])
    pairs = _db.session.execute(
        select(Assignment.stage_id).where(Assignment.entry_id == e1, Assignment.judge_id == judge)
    ).all()
    assert [p.stage_id for p in pairs] == [s1]
    kept = _db.session.get(ScoreSheet, ids["sheets"][("E1", 0, 2)])
    assert kept.status == "submitted" and len(kept.scores) == 2
    audit = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "conflict.declare")
    ).one()
    assert audit.after["kept_sheets"] == [{"stage_id": s1, "sheet_id": kept.id}]
    # Scored in the last stage too: nothing left to protect, so the sheet must be cleared first.
    with app.test_request_context(), pytest.raises(Conflict):
        declare_conflict(ids["entries"]["E2"], judge, "Kerabat")
    # A half-filled draft in the later stage must be cleared first too.
    half = _db.session.get(ScoreSheet, ids["sheets"][("E3", 0, 3)])
    half.status, half.submitted_at = "draft", None
    _db.session.commit()
    with app.test_request_context(), pytest.raises(Conflict):
        declare_conflict(ids["entries"]["E3"], judge, "Kerabat")
    assert _db.session.scalar(select(Score.id).limit(1)) is not None


def test_a_published_category_keeps_who_failed_the_administrative_selection(
    app: Flask, db: Any, make_user: Any
) -> None:
    from scoring.services.decisions import DecisionInput, record_decisions

    ids = build_category()
    gate = _db.session.scalar(
        select(Stage.id).where(Stage.category_id == ids["category_id"], Stage.kind == "pass_fail")
    )
    publish_results(ids["category_id"], make_user("committee").id, method="raw")
    with app.test_request_context():
        with pytest.raises(Conflict):
            record_decisions(gate, [DecisionInput(ids["entries"]["E6"], "fail", "Berkas palsu")])
        # A clearer reason for a decision that stays a fail changes no ranking.
        changed = record_decisions(
            gate, [DecisionInput(ids["entries"]["E7"], "fail", "SK tidak ditandatangani")]
        )
    assert changed == 1
