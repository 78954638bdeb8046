"""Who scores which entry in a stage: generated designs and manual edits.

A judge never gets an entry from their home region (User.home_region_id == Entry.region_id)
nor one with a declared ConflictOfInterest; generated and manual assignments are checked by the
same `allowed` rule. The design itself comes from the pure `scoring.core.assignments`.
Every new Assignment gets its ScoreSheet (draft, version 0) at once: the judge app relies on it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, exists, or_, select

from scoring.core import assignments as design
from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import (
    Assignment,
    Entry,
    Registration,
    Score,
    ScoreSheet,
    Stage,
    StageAdvancement,
    StageDecision,
    User,
)
from scoring.services.account_scope import current_account_filter, current_may_manage
from scoring.services.audit import record
from scoring.services.conflicts import conflict_reason, declared_conflicts, sheet_started
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.structure import ensure_results_unpublished

MODES = ("all", "balanced")
MAX_SEED = 999_999


@dataclass(frozen=True)
class Uncovered:
    entry_id: int
    name: str
    region: str
    allowed: int  # judges free of conflicts among those chosen


class AssignmentRefused(InvalidInput):
    """No design satisfies the rules; `uncovered` names the entries, `judges` any judge at fault."""

    def __init__(
        self, message: str, uncovered: list[Uncovered], judges: list[str], **params: object
    ) -> None:
        super().__init__(message, **params)
        self.uncovered = uncovered
        self.judges = judges


@dataclass(frozen=True)
class Generated:
    mode: str
    k: int
    seed: int
    assignments: int
    loads: dict[int, int]


def load_stage(stage_id: int) -> Stage:
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        raise NotFound("Stage not found.")
    return stage


def ensure_assignable(stage: Stage) -> None:
    """Assignments change only for a scored stage that is not closed, before review."""
    if not stage.is_scored:
        raise Conflict("A pass/fail stage is decided by the committee; it has no judges.")
    if stage.category.event.status in ("review", "published"):
        raise Conflict("The event is in review or published; assignments can no longer change.")
    if stage.status == "closed":
        raise Conflict("This stage is closed; assignments can no longer change.")
    ensure_results_unpublished(stage.category)  # who scores whom changes the ranking


def eligible_entries(stage: Stage) -> list[Entry]:
    """The category's entries minus those that failed an earlier pass/fail stage and those an
    earlier stage's "how many advance" stopped (scoring/services/advancement.py), and regional
    registrations that have not passed the administrative check.
    """
    failed = (
        select(StageDecision.entry_id)
        .join(Stage, Stage.id == StageDecision.stage_id)
        .where(
            Stage.category_id == stage.category_id,
            Stage.position < stage.position,
            Stage.kind == "pass_fail",
            StageDecision.outcome == "fail",
        )
    )
    stopped = (
        select(StageAdvancement.entry_id)
        .join(Stage, Stage.id == StageAdvancement.stage_id)
        .where(
            Stage.category_id == stage.category_id,
            Stage.position < stage.position,
            StageAdvancement.advances.is_(False),
        )
    )
    # Entries a region registered count only once they passed the administrative check
    # (scoring/services/registration_review.py); the committee's own entries have no Registration.
    not_admitted = select(Registration.entry_id).where(Registration.status != "passed")
    return list(
        db.session.scalars(
            select(Entry)
            .where(
                Entry.category_id == stage.category_id,
                Entry.id.not_in(failed),
                Entry.id.not_in(stopped),
                Entry.id.not_in(not_admitted),
            )
            .order_by(Entry.name)
        )
    )


def active_judges() -> list[User]:
    """The active judges the logged-in account may assign: those it may manage
    (services/account_scope.py), so assigning a judge never hands over another event's judge."""
    query = select(User).where(User.role == "judge", User.active.is_(True)).order_by(User.name)
    scope = current_account_filter()
    if scope is not None:
        query = query.where(scope)
    return list(db.session.scalars(query))


def default_judge_ids(stage: Stage) -> set[int]:
    """Judges already on this stage, else on the category's other stages, else every judge."""
    for condition in (
        Assignment.stage_id == stage.id,
        Assignment.stage_id.in_(select(Stage.id).where(Stage.category_id == stage.category_id)),
    ):
        ids = set(db.session.scalars(select(Assignment.judge_id).where(condition).distinct()))
        if ids:
            return ids
    return {judge.id for judge in active_judges()}


def allowed_matrix(entries: Sequence[Entry], judges: Sequence[User]) -> np.ndarray:
    declared = declared_conflicts([e.id for e in entries])
    return np.array(
        [[conflict_reason(e, j, declared) is None for j in judges] for e in entries], dtype=bool
    ).reshape(len(entries), len(judges))


def _started_sheets(stage_id: int) -> bool:
    scored = exists().where(
        Score.sheet_id == ScoreSheet.id, or_(Score.value.is_not(None), Score.comment.is_not(None))
    )
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(ScoreSheet.assignment_id == Assignment.id, Assignment.stage_id == stage_id)
                .where(or_(ScoreSheet.status != "draft", scored))
            )
        )
    )


def _new_assignment(stage_id: int, entry_id: int, judge_id: int) -> Assignment:
    assignment = Assignment(stage_id=stage_id, entry_id=entry_id, judge_id=judge_id)
    assignment.sheet = ScoreSheet(status="draft", version=0)
    db.session.add(assignment)
    return assignment


def generate_assignments(
    stage_id: int,
    *,
    mode: str,
    judge_ids: Sequence[int],
    entry_ids: Sequence[int],
    k: int | None = None,
    seed: int | None = None,
) -> Generated:
    """Replace the stage's assignments with a new design (only before any sheet is started)."""
    if mode not in MODES:
        raise InvalidInput("Choose how to assign the judges.")
    seed = secrets.randbelow(MAX_SEED + 1) if seed is None else seed
    with committing():
        stage = get_for_update(Stage, stage_id)
        if stage is None:
            raise NotFound("Stage not found.")
        ensure_assignable(stage)
        if _started_sheets(stage.id):
            raise Conflict(
                "Judges have started scoring this stage; change the assignments one by one."
            )
        entries = [e for e in eligible_entries(stage) if e.id in set(entry_ids)]
        judge_set = set(judge_ids)
        judges = [j for j in active_judges() if j.id in judge_set]
        if not entries:
            raise InvalidInput("Choose at least one entry.")
        if not judges:
            raise InvalidInput("Choose at least one judge.")
        allowed = allowed_matrix(entries, judges)
        if mode == "balanced":
            if k is None or not 1 <= k <= len(judges):
                raise InvalidInput("Judges per entry must be between 1 and %(n)d.", n=len(judges))
            plan = design.balanced_assignment(allowed, k, seed=seed)
        else:
            plan = design.full_assignment(allowed)
            k = 0
        if isinstance(plan, design.AssignmentImpossible):
            raise _refusal(plan, entries, judges)
        before = db.session.scalar(
            select(db.func.count()).select_from(Assignment).where(Assignment.stage_id == stage.id)
        )
        db.session.execute(delete(Assignment).where(Assignment.stage_id == stage.id))
        pairs = [
            (entries[e].id, judges[j].id) for e, j in zip(*np.nonzero(plan.matrix), strict=True)
        ]
        for entry_id, judge_id in pairs:
            _new_assignment(stage.id, entry_id, judge_id)
        db.session.flush()
        record(
            "stage.assignments_generate",
            stage,
            before={"assignments": before},
            after={"mode": mode, "k": k, "seed": seed, "pairs": [list(p) for p in pairs]},
            event_id=stage.category.event_id,
        )
    loads = {judges[j].id: int(n) for j, n in enumerate(plan.matrix.sum(axis=0))}
    return Generated(mode, k, seed, len(pairs), loads)


def _refusal(
    plan: design.AssignmentImpossible, entries: Sequence[Entry], judges: Sequence[User]
) -> AssignmentRefused:
    uncovered = [
        Uncovered(entries[i].id, entries[i].name, entries[i].region.name, n)
        for i, n in zip(plan.entries, plan.allowed_counts, strict=True)
    ]
    names = [judges[j].name for j in plan.judges]
    reasons = {
        design.TOO_FEW_JUDGES: InvalidInput(
            "These entries cannot get %(k)d judges without a conflict of interest. "
            "Choose more judges or fewer judges per entry.",
            k=plan.needed,
        ),
        design.UNBALANCED: InvalidInput(
            "The judges cannot be given loads that differ by at most one under these conflicts "
            "of interest. Choose other judges or fewer judges per entry."
        ),
        design.DISCONNECTED: InvalidInput(
            "The judges would split into separate groups that never score the same entry, so "
            "their scores could not be compared. Choose more judges per entry."
        ),
        design.NO_JUDGES: InvalidInput("Choose at least one judge."),
        design.NO_ENTRIES: InvalidInput("Choose at least one entry."),
    }
    reason = reasons[plan.reason]
    return AssignmentRefused(reason.message, uncovered, names, **reason.params)


def add_assignment(stage_id: int, entry_id: int, judge_id: int) -> Assignment:
    """One more judge for an entry, checked like a generated design."""
    with committing():
        stage = get_for_update(Stage, stage_id)
        if stage is None:
            raise NotFound("Stage not found.")
        ensure_assignable(stage)
        entry = next((e for e in eligible_entries(stage) if e.id == entry_id), None)
        judge = db.session.get(User, judge_id)
        if entry is None:
            raise InvalidInput("This entry does not take part in this stage.")
        if judge is None or judge.role != "judge" or not judge.active:
            raise InvalidInput("Choose an active judge.")
        if not current_may_manage(judge.id):
            raise InvalidInput("Choose an active judge.")
        reason = conflict_reason(entry, judge, declared_conflicts([entry.id]))
        if reason == "home":
            raise Conflict(
                "%(judge)s comes from the entry's region and may not score it.", judge=judge.name
            )
        if reason == "declared":
            raise Conflict(
                "%(judge)s has a declared conflict of interest with this entry.", judge=judge.name
            )
        duplicate = db.session.scalar(
            select(Assignment.id).filter_by(stage_id=stage.id, entry_id=entry.id, judge_id=judge.id)
        )
        if duplicate is not None:
            raise Conflict("This judge is already assigned to this entry.")
        assignment = _new_assignment(stage.id, entry.id, judge.id)
        db.session.flush()
        record(
            "assignment.create",
            assignment,
            after={"stage_id": stage.id, "entry_id": entry.id, "judge_id": judge.id},
            event_id=stage.category.event_id,
        )
    return assignment


def remove_assignment(assignment_id: int) -> int:
    """Remove an assignment whose sheet holds no score yet; returns the stage id."""
    with committing():
        assignment = get_for_update(Assignment, assignment_id)
        if assignment is None:
            raise NotFound("Assignment not found.")
        stage = assignment.stage
        ensure_assignable(stage)
        if sheet_started(assignment):
            raise Conflict("This judge has already scored the entry; the assignment stays.")
        picture = {
            "stage_id": stage.id,
            "entry_id": assignment.entry_id,
            "judge_id": assignment.judge_id,
        }
        record("assignment.delete", assignment, before=picture, event_id=stage.category.event_id)
        db.session.delete(assignment)
    return stage.id


def _actor_id() -> int | None:
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None
