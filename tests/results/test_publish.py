"""Publishing: freeze, lock, withdraw with a reason, republish as a new version; verify."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scoring.extensions import db as _db
from scoring.models import AuditEvent, ScoreSheet
from scoring.models.results import JudgeFlagAcknowledgement, ResultSnapshot
from scoring.results.canonical import canonical_json
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.results import latest_published_snapshot, published_awards
from scoring.services.sheets import SheetChange, SheetLocked, reopen_sheet, save_sheet
from scoring.services.snapshots import (
    acknowledge_flag,
    publish_results,
    unpublish_results,
    verify_snapshot,
)
from scoring.services.structure import Refused
from tests.results.support import build_category


def _statuses(category_ids: dict[str, Any]) -> set[str]:
    ids = list(category_ids["sheets"].values())
    return set(_db.session.scalars(select(ScoreSheet.status).where(ScoreSheet.id.in_(ids))))


def test_publish_edit_refused_unpublish_republish(db: Any, make_user: Any) -> None:
    ids = build_category()
    panitia = make_user("committee")
    category_id = ids["category_id"]
    first = publish_results(category_id, panitia.id, method="raw")
    assert (first.version, first.status, first.method) == (1, "published", "raw")
    assert len(first.sha256) == 64 and first.code_version.startswith("juara-results/1")
    assert _statuses(ids) == {"locked"}

    # The judge cannot change a locked sheet, and the committee cannot reopen it.
    sheet_id = ids["sheets"][("E1", 0, 2)]
    change = SheetChange(submission_id="5b0f7c2e-0000-4000-8000-000000000001", base_version=1,
                         scores={ids["criteria"]["A"]: 10.0})  # fmt: skip
    with pytest.raises(SheetLocked) as locked:
        save_sheet(sheet_id, ids["judges"][0], change)
    assert locked.value.reason == "locked"
    with pytest.raises(Conflict):
        reopen_sheet(sheet_id, "koreksi", panitia.id)
    with pytest.raises(Conflict):
        publish_results(category_id, panitia.id)  # already published

    with pytest.raises(InvalidInput):
        unpublish_results(category_id, panitia.id, "   ")
    withdrawn = unpublish_results(category_id, panitia.id, "Salah input nilai juri 2")
    assert withdrawn.status == "withdrawn" and withdrawn.withdraw_reason
    assert _statuses(ids) == {"submitted"}
    assert latest_published_snapshot(category_id) is None and published_awards(category_id) == []

    second = publish_results(category_id, panitia.id, method="additive")
    assert (second.version, second.status) == (2, "published") and second.id != first.id
    versions = _db.session.scalars(
        select(ResultSnapshot.status).order_by(ResultSnapshot.version)
    ).all()
    assert versions == ["withdrawn", "published"]
    actions = _db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["results.publish", "results.withdraw", "results.publish"]
    assert latest_published_snapshot(category_id).id == second.id


def test_snapshot_freezes_inputs_and_outputs(db: Any) -> None:
    ids = build_category()
    snapshot = publish_results(ids["category_id"], None, method="raw")
    scores = snapshot.inputs["scores"]
    assert len(scores) == 36 and set(scores[0]) == {"sheet", "judge", "entry", "criterion", "value"}
    assert snapshot.options == {"aggregate": "mean", "decimals": 2, "shared": "competition"}
    awards = published_awards(ids["category_id"])
    assert [(a.rank, a.award, a.total) for a in awards][:3] == [
        (1, "Juara I", 87.0),
        (2, "Juara II", 80.0),
        (3, "Juara III", 80.0),
    ]
    assert awards[0].entry_id == ids["entries"]["E1"]
    # Canonical JSON: sorted keys, no spaces, whole floats as integers.
    assert canonical_json({"b": 1.0, "a": [0.1234567, None]}) == '{"a":[0.123457,null],"b":1}'


def test_verify_snapshot_passes_then_fails_after_a_frozen_score_is_altered(app: Flask) -> None:
    with app.app_context():
        ids = build_category()
        snapshot_id = publish_results(ids["category_id"], None).id
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["verify-snapshot", str(snapshot_id)])
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output and "MISMATCH" not in ok.output
    with app.app_context():
        snapshot = _db.session.get(ResultSnapshot, snapshot_id)
        altered = copy.deepcopy(snapshot.inputs)
        altered["scores"][0]["value"] = altered["scores"][0]["value"] - 10
        snapshot.inputs = altered
        _db.session.commit()
        result = verify_snapshot(snapshot_id)
        assert not result.ok and result.recomputed != result.stored
    bad = runner.invoke(args=["verify-snapshot", str(snapshot_id)])
    assert bad.exit_code == 1 and "MISMATCH" in bad.output
    assert snapshot.sha256 in bad.output
    missing = runner.invoke(args=["verify-snapshot", "999999"])
    assert missing.exit_code == 1


def test_missing_sheets_block_until_an_override_with_reason(db: Any, make_user: Any) -> None:
    ids = build_category(leave_draft=("E2", 1))
    panitia = make_user("committee")
    with pytest.raises(Refused) as refused:
        publish_results(ids["category_id"], panitia.id)
    assert any("1 of 12 score sheets" in str(p) for p in refused.value.problems)
    assert _db.session.scalar(select(ResultSnapshot.id)) is None
    assert _statuses(ids) == {"submitted", "draft"}
    snapshot = publish_results(
        ids["category_id"], panitia.id, override_reason="Juri 2 sakit; disetujui ketua dewan juri"
    )
    assert snapshot.reason == "Juri 2 sakit; disetujui ketua dewan juri"
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "results.publish"))
    assert event.actor_id == panitia.id and event.after["override_reason"] == snapshot.reason
    assert event.after["blockers"]
    # The unsent sheet stays a draft (it is not part of the snapshot).
    assert _statuses(ids) == {"locked", "draft"}


def test_flagged_judge_blocks_until_acknowledged(db: Any, make_user: Any) -> None:
    ids = build_category(offsets=(0.0, 0.0, -14.0))  # judge 3 is far harsher
    panitia = make_user("committee")
    with pytest.raises(Refused) as refused:
        publish_results(ids["category_id"], panitia.id)
    assert any("Juri 3" in str(p) for p in refused.value.problems)
    with pytest.raises(InvalidInput):
        acknowledge_flag(ids["category_id"], ids["judges"][2], "harsh", " ", panitia.id)
    acknowledge_flag(ids["category_id"], ids["judges"][2], "harsh", "Dibahas", panitia.id)
    with pytest.raises(Conflict):
        acknowledge_flag(ids["category_id"], ids["judges"][2], "harsh", "Lagi", panitia.id)
    assert _db.session.scalar(select(JudgeFlagAcknowledgement.note)) == "Dibahas"
    assert publish_results(ids["category_id"], panitia.id).version == 1
