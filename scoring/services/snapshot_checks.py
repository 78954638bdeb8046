"""What `verify-snapshot` checks beyond recomputing a snapshot from its own frozen inputs.

Recomputing only proves the snapshot is consistent with itself: someone who rewrites the frozen
scores, the outputs and the stored SHA-256 together passes it. Two outside witnesses catch that:

* the audit log, where publication recorded the SHA-256 (`results.publish`, `after.sha256`);
* the live scores in the database: every score that differs from the frozen one (or appeared or
  disappeared) since publication is listed as entry, judge, criterion, old → new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Assignment, AuditEvent, Score, ScoreSheet, Stage
from scoring.models.results import ResultSnapshot
from scoring.services.errors import NotFound
from scoring.services.snapshots import Verification, verify_snapshot

# Frozen values pass through canonical JSON (6 significant decimals): compare with that slack.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class ScoreChange:
    entry: str
    judge: str
    criterion: str
    old: float | None  # None: the score was not in the snapshot
    new: float | None  # None: the score is gone (or its sheet no longer counts)


@dataclass(frozen=True)
class SnapshotCheck:
    verification: Verification
    audit_sha256: str | None  # None: no publication record in the audit log
    changes: list[ScoreChange]

    @property
    def audit_ok(self) -> bool:
        return self.audit_sha256 == self.verification.stored

    @property
    def ok(self) -> bool:
        return self.verification.ok and self.audit_ok and not self.changes


def published_sha256(snapshot_id: int) -> str | None:
    """The SHA-256 the audit log recorded when this snapshot was published."""
    after = db.session.scalar(
        select(AuditEvent.after)
        .where(
            AuditEvent.action == "results.publish",
            AuditEvent.object_type == "ResultSnapshot",
            AuditEvent.object_id == snapshot_id,
        )
        .order_by(AuditEvent.id)
        .limit(1)
    )
    return (after or {}).get("sha256")


def _live_scores(category_id: int) -> dict[tuple[int, int, int], float]:
    """(entry, judge, criterion) → value of every live score on a counted sheet."""
    rows = db.session.execute(
        select(Assignment.entry_id, Assignment.judge_id, Score.criterion_id, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .join(Stage, Stage.id == Assignment.stage_id)
        .where(
            Stage.category_id == category_id,
            ScoreSheet.status.in_(("submitted", "locked")),
            Score.value.is_not(None),
        )
    ).all()
    return {(e, j, c): float(v) for e, j, c, v in rows}


def _frozen_scores(inputs: dict[str, Any]) -> dict[tuple[int, int, int], float]:
    return {
        (s["entry"], s["judge"], s["criterion"]): float(s["value"])
        for s in inputs.get("scores", [])
        if s.get("value") is not None
    }


def _differs(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(old - new) > TOLERANCE * max(1.0, abs(old))


def score_changes(snapshot: ResultSnapshot) -> list[ScoreChange]:
    """Every score whose live value differs from the snapshot's frozen value."""
    inputs = snapshot.inputs or {}
    frozen, live = _frozen_scores(inputs), _live_scores(snapshot.category_id)
    entries = {e["id"]: e["name"] for e in inputs.get("entries", [])}
    judges = {j["id"]: j["name"] for j in inputs.get("judges", [])}
    criteria = {c["id"]: c["name"] for c in inputs.get("criteria", [])}
    changes = []
    for key in sorted(frozen.keys() | live.keys()):
        old, new = frozen.get(key), live.get(key)
        if _differs(old, new):
            entry, judge, criterion = key
            changes.append(
                ScoreChange(
                    entry=f"{entries.get(entry, '?')} (#{entry})",
                    judge=f"{judges.get(judge, '?')} (#{judge})",
                    criterion=f"{criteria.get(criterion, '?')} (#{criterion})",
                    old=old,
                    new=new,
                )
            )
    return changes


def check_snapshot(snapshot_id: int) -> SnapshotCheck:
    """Recompute the snapshot, compare its hash with the audit log and its scores with the
    live ones."""
    snapshot = db.session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound("This snapshot does not exist.")
    return SnapshotCheck(
        verification=verify_snapshot(snapshot_id),
        audit_sha256=published_sha256(snapshot_id),
        changes=score_changes(snapshot),
    )
