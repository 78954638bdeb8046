"""Conflicts of interest: a judge never scores an entry from their home region, nor one with a
conflict declared by hand (ConflictOfInterest). Generated and manual assignments both ask
`conflict_reason`, so the rule is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Assignment, ConflictOfInterest, Entry, User
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.structure import ensure_results_unpublished

REASON_MAX = 300


def declared_conflicts(entry_ids: Sequence[int]) -> dict[tuple[int, int], ConflictOfInterest]:
    rows = db.session.scalars(
        select(ConflictOfInterest).where(ConflictOfInterest.entry_id.in_(list(entry_ids)))
    )
    return {(row.entry_id, row.judge_id): row for row in rows}


def conflict_reason(entry: Entry, judge: User, declared: dict) -> str | None:
    """ "home" (judge's own region), "declared", or None when the judge may score the entry."""
    if judge.home_region_id is not None and judge.home_region_id == entry.region_id:
        return "home"
    if (entry.id, judge.id) in declared:
        return "declared"
    return None


@dataclass(frozen=True)
class DeclaredConflict:
    removed: int  # unscored assignments of the pair that were deleted
    kept: list[str]  # names of the earlier stages whose scored sheets stay counted


def declare_conflict(entry_id: int, judge_id: int, reason: str) -> DeclaredConflict:
    """Record a conflict; unscored assignments of that pair are removed.

    A conflict found after the judge sent a sheet for the entry in an earlier stage still
    protects the stages not yet scored: the sent sheets stay (given in good faith, audited) and
    the judge is never assigned the entry again. Refused while the judge has a half-filled
    draft for it, or when no scored stage is left after the last sheet they sent: then the
    sheet itself must be reopened and cleared.
    """
    reason = " ".join((reason or "").split())[:REASON_MAX]
    with committing():
        entry = get_for_update(Entry, entry_id)  # one declaration per entry at a time
        judge = db.session.get(User, judge_id)
        if entry is None:
            raise NotFound("Entry not found.")
        if judge is None or judge.role != "judge":
            raise InvalidInput("Choose an active judge.")
        if not reason:
            raise InvalidInput("Write the reason for the conflict of interest.")
        if (entry.id, judge.id) in declared_conflicts([entry.id]):
            raise Conflict("This conflict of interest is already recorded.")
        existing = list(
            db.session.scalars(select(Assignment).filter_by(entry_id=entry.id, judge_id=judge.id))
        )
        sent = sorted(
            (a for a in existing if a.sheet is not None and a.sheet.status != "draft"),
            key=lambda a: a.stage.position,
        )
        later = [
            stage
            for stage in entry.category.stages
            if stage.is_scored and (not sent or stage.position > sent[-1].stage.position)
        ]
        half_done = any(sheet_started(a) for a in existing if a not in sent)
        if half_done or (sent and not later):
            raise Conflict(
                "%(judge)s has already scored this entry. Reopen and clear that sheet first.",
                judge=judge.name,
            )
        if any(a not in sent for a in existing):
            ensure_results_unpublished(entry.category)  # removing assignments alters them
        conflict = ConflictOfInterest(
            judge_id=judge.id, entry_id=entry.id, reason=reason, declared_by=_actor_id()
        )
        db.session.add(conflict)
        db.session.flush()
        event_id = entry.category.event_id
        record(
            "conflict.declare",
            conflict,
            after={
                "entry_id": entry.id,
                "judge_id": judge.id,
                "reason": reason,
                "kept_sheets": [{"stage_id": a.stage_id, "sheet_id": a.sheet.id} for a in sent],
            },
            event_id=event_id,
        )
        removed = [a for a in existing if a not in sent]
        for assignment in removed:
            record(
                "assignment.delete",
                assignment,
                before={
                    "stage_id": assignment.stage_id,
                    "entry_id": entry.id,
                    "judge_id": judge.id,
                },
                event_id=event_id,
            )
            db.session.delete(assignment)
    return DeclaredConflict(len(removed), [a.stage.name for a in sent])


def withdraw_conflict(conflict_id: int) -> int:
    """Remove a declared conflict; returns the entry's category id."""
    with committing():
        conflict = get_for_update(ConflictOfInterest, conflict_id)
        if conflict is None:
            raise NotFound("Conflict of interest not found.")
        category_id = conflict.entry.category_id
        record(
            "conflict.withdraw",
            conflict,
            before={
                "entry_id": conflict.entry_id,
                "judge_id": conflict.judge_id,
                "reason": conflict.reason,
            },
            event_id=conflict.entry.category.event_id,
        )
        db.session.delete(conflict)
    return category_id


def sheet_started(assignment: Assignment) -> bool:
    """True once the judge wrote anything on the sheet (a score, a comment) or submitted it."""
    sheet = assignment.sheet
    if sheet is None:
        return False
    return sheet.status != "draft" or any(
        s.value is not None or s.comment is not None for s in sheet.scores
    )


def _actor_id() -> int | None:
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None
