"""Seleksi administrasi of registered entries, and the committee's overview of registration.

The committee passes, fails or sends back a submitted registration, always with a reason for the
last two. Pass and fail are also written as the StageDecision of the category's pass/fail stage,
so the rest of the app (assignments, results) sees them as before. A passed entry flows into the
first scored stage: it is assigned to that stage's judges (the judges already on it, else those
on the category's other stages, else every active judge), never to a judge of its own region or
one with a declared conflict.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Entry,
    Registration,
    ScoreSheet,
    Stage,
    StageDecision,
    User,
)
from scoring.models.registration import REVIEW_OUTCOMES
from scoring.services.assignments import default_judge_ids
from scoring.services.audit import record
from scoring.services.conflicts import conflict_reason, declared_conflicts
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.registration import ChecklistItem, checklist
from scoring.services.structure import ensure_results_unpublished

REASON_MAX = 1000
STATUS_OF = {"pass": "passed", "fail": "failed", "needs_correction": "needs_correction"}


@dataclass(frozen=True)
class QueueItem:
    registration: Registration
    documents: list[ChecklistItem]


@dataclass(frozen=True)
class Reviewed:
    status: str
    assigned: int  # judges the entry was given in the first scored stage


def not_admitted_entry_ids() -> Select[tuple[int]]:
    """Entries a region registered that have not (yet) passed the administrative check.

    For `assignments.eligible_entries`: drafts, sent, sent-back and failed registrations must not
    be given judges by a generated design. Entries the committee added itself have no
    Registration and are not in this set.
    """
    return select(Registration.entry_id).where(Registration.status != "passed")


def review_queue(event_id: int, status: str = "submitted") -> list[QueueItem]:
    """Registrations of the event in `status`, oldest sent first, with their documents."""
    rows = db.session.scalars(
        select(Registration)
        .join(Entry, Entry.id == Registration.entry_id)
        .join(Category, Category.id == Entry.category_id)
        .where(Category.event_id == event_id, Registration.status == status)
        .options(joinedload(Registration.entry).joinedload(Entry.region))
        .order_by(Registration.submitted_at, Registration.id)
    ).unique()
    return [QueueItem(row, checklist(row)) for row in rows]


def status_counts(event_id: int) -> dict[tuple[int, int], Counter[str]]:
    """(category id, region id) -> how many registrations are in each status."""
    rows = db.session.execute(
        select(Entry.category_id, Entry.region_id, Registration.status)
        .join(Registration, Registration.entry_id == Entry.id)
        .join(Category, Category.id == Entry.category_id)
        .where(Category.event_id == event_id)
    ).all()
    counts: dict[tuple[int, int], Counter[str]] = {}
    for category_id, region_id, status in rows:
        counts.setdefault((category_id, region_id), Counter())[status] += 1
    return counts


def review_registration(
    registration_id: int, outcome: str, reason: str, actor_id: int | None, now: dt.datetime
) -> Reviewed:
    """Decide a submitted registration; see the module docstring for what "pass" sets off."""
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput("Choose pass, fail or needs correction.")
    reason = (reason or "").strip()
    if outcome != "pass" and not reason:
        raise InvalidInput("Write the reason; the region's operator will read it.")
    if len(reason) > REASON_MAX:
        raise InvalidInput("The reason is too long.")
    with committing():
        registration = get_for_update(Registration, registration_id)
        if registration is None:
            raise NotFound("Registration not found.")
        if registration.status != "submitted":
            raise Conflict("Only a sent registration can be checked.")
        entry = registration.entry
        category = entry.category
        if category.event.status in ("review", "published"):
            raise Conflict("The event is in review or published; entries can no longer change.")
        ensure_results_unpublished(category)  # passing or failing changes who is ranked
        before = {"status": registration.status}
        registration.status = STATUS_OF[outcome]
        registration.review_reason = reason or None
        registration.reviewed_at, registration.reviewed_by_id = now, actor_id
        gate = _gate(category)
        if gate is not None and outcome != "needs_correction":
            _decide(gate, entry, outcome, reason or None, actor_id, now)
        assigned = _flow_into_first_scored_stage(category, entry) if outcome == "pass" else 0
        record(
            "registration.review",
            registration,
            before=before,
            after={
                "status": registration.status,
                "reason": registration.review_reason,
                "entry_id": entry.id,
                "assigned": assigned,
            },
            event_id=category.event_id,
            actor_id=actor_id,
        )
    return Reviewed(registration.status, assigned)


def _gate(category: Category) -> Stage | None:
    """The category's first pass/fail stage (seleksi administrasi), if it has one."""
    return next((stage for stage in category.stages if not stage.is_scored), None)


def _decide(
    stage: Stage,
    entry: Entry,
    outcome: str,
    reason: str | None,
    actor_id: int | None,
    now: dt.datetime,
) -> None:
    decision = db.session.scalar(
        select(StageDecision).filter_by(stage_id=stage.id, entry_id=entry.id)
    )
    before = {"outcome": decision.outcome, "reason": decision.reason} if decision else {}
    if decision is None:
        decision = StageDecision(stage_id=stage.id, entry_id=entry.id)
        db.session.add(decision)
    decision.outcome, decision.reason = outcome, reason
    decision.decided_by_id, decision.decided_at = actor_id, now
    db.session.flush()
    record(
        "decision.set",
        decision,
        before=before | {"entry_id": entry.id},
        after={"outcome": outcome, "reason": reason},
        event_id=stage.category.event_id,
        actor_id=actor_id,
    )


def _flow_into_first_scored_stage(category: Category, entry: Entry) -> int:
    """Assign the entry to the judges of the first scored stage; returns how many."""
    stage = next((s for s in category.stages if s.is_scored), None)
    if stage is None or stage.status == "closed":
        return 0
    judge_ids = default_judge_ids(stage)
    judges = db.session.scalars(
        select(User).where(User.id.in_(judge_ids), User.role == "judge", User.active.is_(True))
    ).all()
    declared = declared_conflicts([entry.id])
    taken = set(
        db.session.scalars(
            select(Assignment.judge_id).filter_by(stage_id=stage.id, entry_id=entry.id)
        )
    )
    added = 0
    for judge in sorted(judges, key=lambda j: j.id):
        if judge.id in taken or conflict_reason(entry, judge, declared) is not None:
            continue
        assignment = Assignment(stage_id=stage.id, entry_id=entry.id, judge_id=judge.id)
        assignment.sheet = ScoreSheet(status="draft", version=0)
        db.session.add(assignment)
        db.session.flush()
        record(
            "assignment.create",
            assignment,
            after={"stage_id": stage.id, "entry_id": entry.id, "judge_id": judge.id},
            event_id=category.event_id,
        )
        added += 1
    return added
