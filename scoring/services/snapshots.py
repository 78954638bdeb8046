"""Publishing results: freeze a reproducible snapshot, withdraw it, verify it later.

The hashed document is {code_version, inputs, method, options, outputs} as canonical JSON
(scoring/results/canonical.py). Publishing computes the outputs from the frozen inputs
themselves (not from the database arrays), so `verify_snapshot` runs exactly the same
computation on exactly the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Assignment, Category, ScoreSheet, Stage
from scoring.models.results import FLAG_CODES, JudgeFlagAcknowledgement, ResultSnapshot
from scoring.orm import utcnow
from scoring.results import diagnostics
from scoring.results.canonical import code_version, digest, plain
from scoring.results.compute import DEFAULT_METHOD, Computation, Options, outputs_of
from scoring.results.inputs import from_inputs, to_inputs
from scoring.services import audit
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.publication import (
    advance_before_publishing,
    close_open_stages,
    incomplete_blockers,
)
from scoring.services.results import load_category, run_pipeline
from scoring.services.structure import Refused

REASON_MAX = 2000


def publish_blockers(comp: Computation, acknowledged: set[tuple[int, str]]) -> list[InvalidInput]:
    """Why the ranking is not ready to publish: missing sheets, entries without a total,
    judge flags the committee has not acknowledged. Empty: ready."""
    problems = []
    for stage in comp.stages:
        expected, counted = int(stage.expected.sum()), int(stage.counted.sum())
        if counted < expected:
            problems.append(
                InvalidInput(
                    "%(stage)s: %(missing)d of %(expected)d score sheets not sent yet.",
                    stage=stage.info.name,
                    missing=expected - counted,
                    expected=expected,
                )
            )
    unscored = int(sum(1 for value in comp.total.tolist() if math.isnan(value)))
    if unscored:
        problems.append(InvalidInput("%(n)d entries have no final score yet.", n=unscored))
    seen = set()
    for flag in diagnostics.flags(comp):
        key = (flag.judge_id, flag.code)
        if key in acknowledged or key in seen:
            continue
        seen.add(key)
        problems.append(
            InvalidInput(
                "The flag on %(judge)s (%(stage)s) has not been acknowledged yet.",
                judge=flag.judge_name,
                stage=flag.stage_name,
            )
        )
    return problems


def acknowledged_flags(category_id: int) -> set[tuple[int, str]]:
    rows = db.session.execute(
        select(JudgeFlagAcknowledgement.judge_id, JudgeFlagAcknowledgement.code).where(
            JudgeFlagAcknowledgement.category_id == category_id
        )
    ).all()
    return {(judge_id, code) for judge_id, code in rows}


def _clean_reason(reason: str | None, missing: InvalidInput) -> str:
    text = (reason or "").strip()
    if not text:
        raise missing
    if len(text) > REASON_MAX:
        raise InvalidInput("The reason is too long (at most %(n)d characters).", n=REASON_MAX)
    return text


def _category_sheets(category_id: int) -> Any:
    return (
        select(ScoreSheet.id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .join(Stage, Stage.id == Assignment.stage_id)
        .where(Stage.category_id == category_id)
    )


def publish_results(
    category_id: int,
    actor_id: int | None,
    *,
    method: str = DEFAULT_METHOD,
    override_reason: str | None = None,
    embargo_until: dt.datetime | None = None,
    options: Options | None = None,
) -> ResultSnapshot:
    """Freeze the category's ranking as a new snapshot version and lock its sheets.

    Refused while blockers remain, unless `override_reason` explains why (audited with them);
    refused in any case while a sent sheet lacks a criterion. Stages still open are closed.
    """
    with committing():
        category = get_for_update(Category, category_id)
        if category is None:
            raise NotFound("This category does not exist.")
        if latest := _current(category_id):
            raise Conflict(
                "Version %(version)d of these results is already published. Withdraw it first.",
                version=latest.version,
            )
        if embargo_until is not None and embargo_until.tzinfo is None:
            raise InvalidInput("The announcement time needs a time zone.")
        advanced = advance_before_publishing(category_id, method, override_reason)
        options = options or Options()
        inputs = plain(to_inputs(load_category(category_id)))
        comp = run_pipeline(from_inputs(inputs), method, options)
        if incomplete := incomplete_blockers(comp.data):
            raise Refused("The results cannot be published yet.", incomplete)
        blockers = publish_blockers(comp, acknowledged_flags(category_id))
        reason = None
        if blockers:
            if not (override_reason or "").strip():
                raise Refused("The results cannot be published yet.", blockers)
            reason = _clean_reason(
                override_reason, InvalidInput("Give the reason for publishing anyway.")
            )
        outputs = plain(outputs_of(comp))
        code = code_version()
        version = (
            db.session.scalar(
                select(func.max(ResultSnapshot.version)).where(
                    ResultSnapshot.category_id == category_id
                )
            )
            or 0
        ) + 1
        snapshot = ResultSnapshot(
            category_id=category_id,
            version=version,
            status="published",
            method=method,
            options=options.to_json(),
            inputs=inputs,
            outputs=outputs,
            code_version=code,
            sha256=digest(code, inputs, method, options.to_json(), outputs),
            published_at=utcnow(),
            embargo_until=embargo_until,
            published_by=actor_id,
            reason=reason,
        )
        db.session.add(snapshot)
        locked = db.session.execute(
            update(ScoreSheet)
            .where(ScoreSheet.id.in_(_category_sheets(category_id)))
            .where(ScoreSheet.status == "submitted")
            .values(status="locked")
            .execution_options(synchronize_session=False)
        ).rowcount
        closed = close_open_stages(category_id)
        db.session.flush()
        audit.record(
            "results.publish",
            snapshot,
            after={
                "category_id": category_id,
                "version": version,
                "method": method,
                "sha256": snapshot.sha256,
                "embargo_until": embargo_until.isoformat() if embargo_until else None,
                "override_reason": reason,
                "blockers": [str(b) for b in blockers],
                "sheets_locked": locked,
                "stages_closed": closed,
                "advanced": advanced,
            },
            event_id=category.event_id,
            actor_id=actor_id,
        )
    return snapshot


def _current(category_id: int) -> ResultSnapshot | None:
    return db.session.scalar(
        select(ResultSnapshot).where(
            ResultSnapshot.category_id == category_id, ResultSnapshot.status == "published"
        )
    )


def unpublish_results(category_id: int, actor_id: int | None, reason: str) -> ResultSnapshot:
    """Withdraw the published snapshot (it stays, marked withdrawn) and unlock the sheets."""
    with committing():
        text = _clean_reason(reason, InvalidInput("Give the reason for withdrawing the results."))
        category = get_for_update(Category, category_id)
        if category is None:
            raise NotFound("This category does not exist.")
        snapshot = _current(category_id)
        if snapshot is None:
            raise Conflict("These results are not published.")
        snapshot.status = "withdrawn"
        snapshot.withdrawn_at = utcnow()
        snapshot.withdrawn_by = actor_id
        snapshot.withdraw_reason = text
        unlocked = db.session.execute(
            update(ScoreSheet)
            .where(ScoreSheet.id.in_(_category_sheets(category_id)))
            .where(ScoreSheet.status == "locked")
            .values(status="submitted")
            .execution_options(synchronize_session=False)
        ).rowcount
        audit.record(
            "results.withdraw",
            snapshot,
            before={"status": "published"},
            after={
                "status": "withdrawn",
                "version": snapshot.version,
                "reason": text,
                "sheets_unlocked": unlocked,
            },
            event_id=category.event_id,
            actor_id=actor_id,
        )
    return snapshot


def acknowledge_flag(
    category_id: int, judge_id: int, code: str, note: str, actor_id: int | None
) -> JudgeFlagAcknowledgement:
    """Record that the committee discussed a judge's flag and keeps the scores (with a note)."""
    with committing():
        text = _clean_reason(
            note, InvalidInput("Write what the committee decided about this flag.")
        )
        category = get_for_update(Category, category_id)
        if category is None:
            raise NotFound("This category does not exist.")
        if code not in FLAG_CODES:
            raise InvalidInput("Unknown flag.")
        row = db.session.scalar(
            select(JudgeFlagAcknowledgement).filter_by(
                category_id=category_id, judge_id=judge_id, code=code
            )
        )
        if row is not None:
            raise Conflict("This flag has already been acknowledged.")
        row = JudgeFlagAcknowledgement(
            category_id=category_id,
            judge_id=judge_id,
            code=code,
            note=text,
            acknowledged_by=actor_id,
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            "results.acknowledge_flag",
            row,
            after={"category_id": category_id, "judge_id": judge_id, "code": code, "note": text},
            event_id=category.event_id,
            actor_id=actor_id,
        )
    return row


@dataclass(frozen=True)
class Verification:
    snapshot_id: int
    stored: str  # the sha256 stored with the snapshot
    frozen: str  # sha256 of the stored document as it is now
    recomputed: str  # sha256 with the outputs recomputed from the frozen inputs

    @property
    def ok(self) -> bool:
        return self.stored == self.frozen == self.recomputed


def verify_snapshot(snapshot_id: int) -> Verification:
    """Recompute the outputs from the frozen inputs with the frozen method and options."""
    snapshot = db.session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound("This snapshot does not exist.")
    inputs, options = snapshot.inputs, snapshot.options
    code = snapshot.code_version
    frozen = digest(code, inputs, snapshot.method, options, snapshot.outputs)
    try:
        comp = run_pipeline(from_inputs(inputs), snapshot.method, Options.from_json(options))
        outputs = outputs_of(comp)
        recomputed = digest(code, inputs, snapshot.method, options, outputs)
    except (InvalidInput, KeyError, TypeError, ValueError):
        recomputed = "-" * 64
    return Verification(snapshot.id, snapshot.sha256, frozen, recomputed)
