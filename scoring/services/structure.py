"""Shared pieces of the event-structure services: loading, guards, readiness and snapshots.

Readiness problems are returned as `InvalidInput` objects (not raised) so that their English
msgids are extracted like every other domain message and views translate them the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import exists, select

from scoring.extensions import db
from scoring.models import Assignment, Category, Event, ResultSnapshot, Score, ScoreSheet, Stage
from scoring.services.errors import Conflict, InvalidInput, NotFound

T = TypeVar("T")


class Refused(Conflict):
    """A change the guards refuse; `problems` lists every reason (ScoringErrors, or row problems
    that carry one), each translatable."""

    def __init__(self, message: str, problems: Sequence[object], **params: object) -> None:
        super().__init__(message, **params)
        self.problems = problems


# Scored stage weights are percentages that must add up to 100; allow float noise only.
WEIGHT_TOLERANCE = 1e-6


def require(row: T | None) -> T:
    """The row, or NotFound when it does not exist (views answer 404)."""
    if row is None:
        raise NotFound("This item no longer exists.")
    return row


def ensure_not_published(event: Event) -> None:
    if event.status == "published":
        raise Conflict(
            "The results of this event are published; its structure can no longer change."
        )


def published_version(category_id: int) -> int | None:
    """The version of the category's published results (embargoed or not), None if none."""
    return db.session.scalar(
        select(ResultSnapshot.version).where(
            ResultSnapshot.category_id == category_id, ResultSnapshot.status == "published"
        )
    )


def ensure_results_unpublished(category: Category) -> None:
    """Refuse a change that would alter the category's published ranking (stages, weights,
    the rubric): the committee withdraws the results first, with a reason that is audited."""
    version = published_version(category.id)
    if version is not None:
        raise Conflict(
            "Version %(version)d of the results of %(category)s is published, and this change "
            "would alter them. Withdraw the results first, with a reason, on the results page.",
            version=version,
            category=category.name,
        )


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-safe picture of `fields` of `obj` for the audit trail."""
    picture: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        picture[name] = value
    return picture


def scored_weight_total(category: Category) -> float:
    return sum(stage.weight for stage in category.stages if stage.is_scored)


def weights_total_100(total: float) -> bool:
    return math.isclose(total, 100.0, abs_tol=WEIGHT_TOLERANCE)


def category_problems(category: Category) -> list[InvalidInput]:
    """What keeps this category's stages from being scored, in words for the committee."""
    problems: list[InvalidInput] = []
    scored = [stage for stage in category.stages if stage.is_scored]
    if not scored:
        problems.append(
            InvalidInput("%(category)s has no scored stage yet.", category=category.name)
        )
        return problems
    total = scored_weight_total(category)
    if not weights_total_100(total):
        problems.append(
            InvalidInput(
                "%(category)s: the weights of the scored stages add up to %(total)s%%; "
                "they must add up to 100%%.",
                category=category.name,
                total=total,
            )
        )
    for stage in scored:
        if not stage.criteria:
            problems.append(
                InvalidInput(
                    "%(category)s · %(stage)s has no criteria yet.",
                    category=category.name,
                    stage=stage.name,
                )
            )
    return problems


def event_problems(event: Event) -> list[InvalidInput]:
    """Everything that must be fixed before the event may move to scoring."""
    if not event.categories:
        return [InvalidInput("The event has no categories yet.")]
    problems: list[InvalidInput] = []
    for category in event.categories:
        problems.extend(category_problems(category))
    return problems


def scoring_started(stage_id: int) -> bool:
    """True once any judge has a score or a sent sheet in this stage: its rubric is then locked."""
    sent = exists(
        select(ScoreSheet.id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.stage_id == stage_id, ScoreSheet.status != "draft")
    )
    scored = exists(
        select(Score.id)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.stage_id == stage_id)
    )
    return bool(db.session.scalar(select(sent | scored)))


def rubric_locked(stage: Stage) -> bool:
    """Locked once scoring started, unless the committee reopened the rubric on purpose."""
    return stage.rubric_reopened_at is None and scoring_started(stage.id)


def ensure_rubric_editable(stage: Stage) -> None:
    ensure_not_published(stage.category.event)
    ensure_results_unpublished(stage.category)
    if rubric_locked(stage):
        raise Conflict(
            "Judges have already scored with this rubric, so it cannot change. To correct it, "
            "close the stage and reopen the rubric with a reason."
        )


def has_assignments(stage_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(exists(select(Assignment.id).where(Assignment.stage_id == stage_id)))
        )
    )
