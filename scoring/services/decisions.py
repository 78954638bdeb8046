"""Pass/fail decisions of a pass_fail stage (seleksi administrasi), with a reason for each fail."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import select

from scoring.database import get_for_update
from scoring.extensions import db
from scoring.models import Entry, Stage, StageDecision
from scoring.models.decision import DECISION_OUTCOMES
from scoring.orm import utcnow
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput, ScoringError
from scoring.services.structure import (
    Refused,
    ensure_not_published,
    ensure_results_unpublished,
    require,
)

UNDECIDED = ""


@dataclass(frozen=True)
class DecisionInput:
    entry_id: int
    outcome: str  # "pass", "fail" or UNDECIDED (remove a decision)
    reason: str = ""


@dataclass(frozen=True)
class RowProblem:
    """A problem with one entry's row; views show it beside that row."""

    entry_id: int
    error: ScoringError


def stage_decisions(stage_id: int) -> dict[int, StageDecision]:
    rows = db.session.scalars(select(StageDecision).where(StageDecision.stage_id == stage_id))
    return {row.entry_id: row for row in rows}


def record_decisions(stage_id: int, decisions: list[DecisionInput]) -> int:
    """Save every row or none: a fail without a reason refuses the whole form.

    Returns how many decisions changed. Raises `Refused` whose problems are `RowProblem`s.
    """
    try:
        stage = require(get_for_update(Stage, stage_id))
        ensure_not_published(stage.category.event)
        if stage.is_scored:
            raise Conflict("Pass/fail decisions belong to a pass/fail stage.")
        entries = set(
            db.session.scalars(select(Entry.id).where(Entry.category_id == stage.category_id))
        )
        problems = _problems(decisions, entries)
        if problems:
            raise Refused("Nothing was saved. Check the rows marked below.", problems)
        existing = stage_decisions(stage.id)
        # Who failed decides who is ranked: such a change waits until published results of
        # the category are withdrawn. Reasons and pass/undecided changes do not alter them.
        if any(
            (row.outcome == "fail")
            != (getattr(existing.get(row.entry_id), "outcome", "") == "fail")
            for row in decisions
        ):
            ensure_results_unpublished(stage.category)
        actor = current_user.id if getattr(current_user, "is_authenticated", False) else None
        changed = 0
        for row in decisions:
            reason = row.reason.strip() or None
            old = existing.get(row.entry_id)
            before = {"outcome": old.outcome, "reason": old.reason} if old else None
            if row.outcome == UNDECIDED:
                if old is None:
                    continue
                db.session.delete(old)
                after = None
            else:
                if old is not None and (old.outcome, old.reason) == (row.outcome, reason):
                    continue
                if old is None:
                    old = StageDecision(stage_id=stage.id, entry_id=row.entry_id)
                    db.session.add(old)
                old.outcome, old.reason = row.outcome, reason
                old.decided_by_id, old.decided_at = actor, utcnow()
                after = {"outcome": row.outcome, "reason": reason}
            db.session.flush()
            record(
                "decision.set",
                old,
                before=before | {"entry_id": row.entry_id}
                if before
                else {"entry_id": row.entry_id},
                after=after,
                event_id=stage.category.event_id,
            )
            changed += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return changed


def _problems(decisions: list[DecisionInput], entries: set[int]) -> list[RowProblem]:
    problems: list[RowProblem] = []
    seen: set[int] = set()
    for row in decisions:
        if row.entry_id not in entries or row.entry_id in seen:
            problems.append(RowProblem(row.entry_id, InvalidInput("Unknown entry.")))
        elif row.outcome not in (*DECISION_OUTCOMES, UNDECIDED):
            problems.append(RowProblem(row.entry_id, InvalidInput("Choose pass or fail.")))
        elif row.outcome == "fail" and not row.reason.strip():
            problems.append(
                RowProblem(row.entry_id, InvalidInput("Write why this entry does not pass."))
            )
        elif len(row.reason) > 1000:
            problems.append(RowProblem(row.entry_id, InvalidInput("The reason is too long.")))
        seen.add(row.entry_id)
    return problems
