"""Stages of a category: order, kind (scored / pass_fail), weight, how many advance, status."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import exists, func, select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Category, Stage, StageDecision
from scoring.models.event import STAGE_KINDS, STAGE_STATUSES
from scoring.results.completeness import IncompleteSheet
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.sheet_notices import reopen_incomplete_sheets
from scoring.services.structure import (
    Refused,
    category_problems,
    ensure_not_published,
    ensure_results_unpublished,
    has_assignments,
    published_version,
    require,
    scored_weight_total,
    scoring_started,
    snapshot,
    weights_total_100,
)

STAGE_FIELDS = ("name", "kind", "weight", "advance_count", "position", "status")
REASON_MAX = 2000
STATUS_STEPS = {"pending": ("open",), "open": ("closed",), "closed": ("open",)}


def _clean(name: str, kind: str, weight: float | None, advance_count: int | None) -> dict:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Enter the name of the stage.")
    if len(name) > 200:
        raise InvalidInput("The name is too long (at most %(n)d characters).", n=200)
    if kind not in STAGE_KINDS:
        raise InvalidInput("Choose whether the stage is scored or pass/fail.")
    if kind == "pass_fail":
        weight = 0.0
    elif weight is None or not math.isfinite(weight) or weight <= 0 or weight > 100:
        raise InvalidInput("The weight of a scored stage must be more than 0%% and at most 100%%.")
    if advance_count is not None and advance_count < 1:
        raise InvalidInput("The number of entries that advance must be at least 1.")
    return {"name": name, "kind": kind, "weight": float(weight), "advance_count": advance_count}


def _in_scoring(category: Category) -> bool:
    """Scoring has begun in this category: its weights must keep adding up to 100%."""
    return any(stage.status != "pending" for stage in category.stages)


def _keep_total(category: Category) -> None:
    total = scored_weight_total(category)
    if _in_scoring(category) and not weights_total_100(total):
        raise InvalidInput(
            "Scoring has begun in this category, so the weights of its scored stages must keep "
            "adding up to 100%% (now %(total)s%%). Change all the weights at once instead.",
            total=total,
        )


def create_stage(
    category_id: int,
    name: str,
    kind: str = "scored",
    weight: float | None = None,
    advance_count: int | None = None,
) -> Stage:
    with committing():
        category = require(get_for_update(Category, category_id))
        ensure_not_published(category.event)
        ensure_results_unpublished(category)
        fields = _clean(name, kind, weight, advance_count)
        last = db.session.scalar(
            select(func.max(Stage.position)).where(Stage.category_id == category.id)
        )
        stage = Stage(category=category, position=(last or 0) + 1, status="pending", **fields)
        db.session.add(stage)
        db.session.flush()
        _keep_total(category)
        record(
            "stage.create", stage, after=snapshot(stage, STAGE_FIELDS), event_id=category.event_id
        )
    return stage


def update_stage(
    stage_id: int, name: str, kind: str, weight: float | None, advance_count: int | None
) -> Stage:
    with committing():
        stage = require(get_for_update(Stage, stage_id))
        category = stage.category
        ensure_not_published(category.event)
        fields = _clean(name, kind, weight, advance_count)
        if fields["kind"] != stage.kind or fields["weight"] != stage.weight:
            ensure_results_unpublished(category)
        if fields["kind"] != stage.kind:
            _check_kind_change(stage)
        before = snapshot(stage, STAGE_FIELDS)
        for key, value in fields.items():
            setattr(stage, key, value)
        db.session.flush()
        _keep_total(category)
        after = snapshot(stage, STAGE_FIELDS)
        if after != before:
            record("stage.update", stage, before=before, after=after, event_id=category.event_id)
    return stage


def _check_kind_change(stage: Stage) -> None:
    if stage.is_scored and (stage.criteria or scoring_started(stage.id)):
        raise Conflict("This stage has criteria; delete them first to make it a pass/fail stage.")
    decided = db.session.scalar(
        select(exists(select(StageDecision.id).where(StageDecision.stage_id == stage.id)))
    )
    if not stage.is_scored and decided:
        raise Conflict("Entries already have pass/fail decisions in this stage.")


def set_stage_weights(category_id: int, weights: dict[int, float]) -> Category:
    """Set every scored stage's weight at once; the new total must be exactly 100%."""
    with committing():
        category = require(get_for_update(Category, category_id))
        ensure_not_published(category.event)
        scored = {stage.id: stage for stage in category.stages if stage.is_scored}
        if set(weights) != set(scored):
            raise InvalidInput("Enter a weight for every scored stage.")
        for stage_id, weight in weights.items():
            if not math.isfinite(weight) or weight <= 0 or weight > 100:
                raise InvalidInput(
                    "The weight of %(stage)s must be more than 0%% and at most 100%%.",
                    stage=scored[stage_id].name,
                )
        total = sum(weights.values())
        if not weights_total_100(total):
            raise InvalidInput(
                "The weights of the scored stages add up to %(total)s%%; they must add up to "
                "100%%.",
                total=total,
            )
        before = {str(s.id): s.weight for s in scored.values()}
        if any(scored[stage_id].weight != float(w) for stage_id, w in weights.items()):
            ensure_results_unpublished(category)
        for stage_id, weight in weights.items():
            scored[stage_id].weight = float(weight)
        after = {str(s.id): s.weight for s in scored.values()}
        if after != before:
            record(
                "stage.weights", category, before=before, after=after, event_id=category.event_id
            )
    return category


def move_stage(stage_id: int, direction: str) -> Stage:
    """Swap the stage with its neighbour above ("up") or below ("down")."""
    try:
        stage = require(get_for_update(Stage, stage_id))
        category = stage.category
        ensure_not_published(category.event)
        ensure_results_unpublished(category)
        ordered = sorted(category.stages, key=lambda s: s.position)
        index = ordered.index(stage)
        other_index = index - 1 if direction == "up" else index + 1
        if direction not in ("up", "down") or not 0 <= other_index < len(ordered):
            return stage
        other = ordered[other_index]
        _swap_positions(stage, other)
        record(
            "stage.move",
            stage,
            before={"position": other.position},
            after={"position": stage.position},
            event_id=category.event_id,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return stage


def _swap_positions(a: Stage, b: Stage) -> None:
    # (category_id, position) is unique and checked per row: park one side first.
    a_pos, b_pos = a.position, b.position
    a.position = -a_pos
    db.session.flush()
    b.position = a_pos
    db.session.flush()
    a.position = b_pos
    db.session.flush()


def delete_stage(stage_id: int) -> int:
    """Delete a stage nobody has been assigned to yet; returns its category id."""
    with committing():
        stage = require(get_for_update(Stage, stage_id))
        category = stage.category
        ensure_not_published(category.event)
        ensure_results_unpublished(category)
        if has_assignments(stage.id):
            raise Conflict("Judges are already assigned to this stage, so it cannot be deleted.")
        decided = db.session.scalar(
            select(exists(select(StageDecision.id).where(StageDecision.stage_id == stage.id)))
        )
        if decided:
            raise Conflict("Entries already have pass/fail decisions in this stage.")
        record(
            "stage.delete",
            stage,
            before=snapshot(stage, STAGE_FIELDS) | {"criteria": [c.name for c in stage.criteria]},
            event_id=category.event_id,
        )
        category.stages.remove(stage)
        db.session.flush()
        _keep_total(category)
    return category.id


@dataclass(frozen=True)
class StatusChange:
    stage: Stage
    reopened: list[IncompleteSheet]  # sheets sent back to their judges (a criterion missing)


def set_stage_status(stage_id: int, status: str, reason: str | None = None) -> Stage:
    """pending → open → closed → open. Opening needs the event in scoring and a whole rubric."""
    return change_stage_status(stage_id, status, reason).stage


def change_stage_status(stage_id: int, status: str, reason: str | None = None) -> StatusChange:
    """`set_stage_status`, telling which sent sheets opening the stage sent back to the judges.

    Reopening scoring in a category whose results are published needs a reason (audited); its
    locked sheets stay locked, and the review shows how the live ranking then differs.
    """
    reopened: list[IncompleteSheet] = []
    with committing():
        stage = require(get_for_update(Stage, stage_id))
        category = stage.category
        event = category.event
        ensure_not_published(event)
        if status not in STAGE_STATUSES or status not in STATUS_STEPS[stage.status]:
            raise Conflict("The stage cannot move from this status to that one.")
        published = published_version(category.id) if status == "open" else None
        note = None
        if published is not None:
            note = " ".join((reason or "").split())
            if not note:
                raise InvalidInput(
                    "The results of this category are published. Give the reason for reopening "
                    "scoring."
                )
            if len(note) > REASON_MAX:
                raise InvalidInput(
                    "The reason is too long (at most %(n)d characters).", n=REASON_MAX
                )
        if status == "open":
            if event.status != "scoring":
                raise Conflict(
                    "A stage can be opened for scoring only while the event is in the "
                    "Scoring status."
                )
            problems = category_problems(category)
            if problems:
                raise Refused("This stage cannot be opened for scoring yet.", problems)
        before = {"status": stage.status, "rubric_reopened_at": _iso(stage)}
        stage.status = status
        if status == "open":
            # Judges score again: the rubric locks again, and sheets sent before a criterion
            # was added go back to their judges.
            stage.rubric_reopened_at = None
            reopened = reopen_incomplete_sheets(stage)
        after: dict[str, object] = {"status": status, "rubric_reopened_at": _iso(stage)}
        if published is not None:
            after |= {"reason": note, "published_version": published}
        if reopened:
            after["sheets_reopened"] = [s.sheet_id for s in reopened]
        record("stage.status", stage, before=before, after=after, event_id=event.id)
    return StatusChange(stage, reopened)


def _iso(stage: Stage) -> str | None:
    return stage.rubric_reopened_at.isoformat() if stage.rubric_reopened_at else None
