"""The rubric of a scored stage: criteria with weight, range, band descriptors and tie-break order.

A rubric locks once judges have scored with it (see `structure.rubric_locked`); the committee
may reopen it with a reason while the stage is closed, and opening the stage locks it again.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Criterion, Score, Stage
from scoring.models.event import BAND_LABEL_MAX, DEFAULT_BANDS
from scoring.orm import utcnow
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.structure import (
    ensure_not_published,
    ensure_results_unpublished,
    ensure_rubric_editable,
    require,
    scoring_started,
    snapshot,
)

CRITERION_FIELDS = (
    "name",
    "description",
    "weight",
    "min_score",
    "max_score",
    "bands",
    "tiebreak_order",
    "position",
)
LIKERT_LABELS = ("Sangat kurang", "Kurang", "Cukup", "Baik", "Sangat baik")


def _plain(value: float) -> float | int:
    """Whole numbers stored as int, so bands read 60-74 rather than 60.0-74.0."""
    return int(value) if float(value).is_integer() else float(value)


def default_bands(low: float, high: float) -> list[dict[str, Any]]:
    """The usual descriptors for a range: 1–100 kurang/cukup/baik/sangat baik, 1–5 one per step.

    Other ranges get the 1–100 cut points (59, 74, 89) scaled onto them; a range too narrow
    for four bands gets none.
    """
    if (low, high) == (1, 100):
        return [dict(band) for band in DEFAULT_BANDS]
    if float(low).is_integer() and float(high).is_integer() and high - low + 1 == 5:
        return [
            {"min": _plain(low + i), "max": _plain(low + i), "label": label}
            for i, label in enumerate(LIKERT_LABELS)
        ]
    if float(low).is_integer() and float(high).is_integer() and high - low + 1 >= 8:
        span = high - low
        cuts = [low + round(span * f) for f in (58 / 99, 73 / 99, 88 / 99)]
        starts = [low, cuts[0] + 1, cuts[1] + 1, cuts[2] + 1]
        ends = [cuts[0], cuts[1], cuts[2], high]
        labels = [band["label"] for band in DEFAULT_BANDS]
        return [
            {"min": _plain(a), "max": _plain(b), "label": label}
            for a, b, label in zip(starts, ends, labels, strict=True)
        ]
    return []


def validate_bands(bands: list[dict[str, Any]], low: float, high: float) -> list[dict[str, Any]]:
    """Bands within low..high, each min ≤ max, ascending and not overlapping, each labelled."""
    cleaned: list[dict[str, Any]] = []
    for number, band in enumerate(bands, start=1):
        label = str(band.get("label") or "").strip()
        try:
            b_min, b_max = float(band["min"]), float(band["max"])
        except (KeyError, TypeError, ValueError):
            raise InvalidInput("Band %(n)d needs a lowest and a highest score.", n=number) from None
        if not label:
            raise InvalidInput("Band %(n)d needs a descriptor, e.g. Baik.", n=number)
        if len(label) > BAND_LABEL_MAX:
            raise InvalidInput(
                "The descriptor of band %(n)d is too long (at most %(max)d characters).",
                n=number,
                max=BAND_LABEL_MAX,
            )
        if not (math.isfinite(b_min) and math.isfinite(b_max)) or b_min > b_max:
            raise InvalidInput(
                "Band %(label)s: the lowest score is above the highest score.", label=label
            )
        if b_min < low or b_max > high:
            raise InvalidInput(
                "Band %(label)s (%(band_min)s–%(band_max)s) lies outside the criterion's range "
                "%(low)s–%(high)s.",
                label=label,
                band_min=b_min,
                band_max=b_max,
                low=low,
                high=high,
            )
        if cleaned and b_min <= cleaned[-1]["max"]:
            raise InvalidInput(
                "Band %(label)s overlaps band %(previous)s or comes before it; list the bands "
                "from the lowest score up.",
                label=label,
                previous=cleaned[-1]["label"],
            )
        cleaned.append({"min": _plain(b_min), "max": _plain(b_max), "label": label})
    return cleaned


def _clean(
    stage: Stage,
    criterion_id: int | None,
    *,
    name: str,
    description: str,
    weight: float | None,
    min_score: float | None,
    max_score: float | None,
    bands: list[dict[str, Any]] | None,
    tiebreak_order: int | None,
) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Enter the name of the criterion.")
    if len(name) > 200:
        raise InvalidInput("The name is too long (at most %(n)d characters).", n=200)
    if weight is None or not math.isfinite(weight) or weight <= 0:
        raise InvalidInput("The weight of a criterion must be more than 0.")
    if min_score is None or max_score is None:
        raise InvalidInput("Enter the lowest and the highest score.")
    if not (math.isfinite(min_score) and math.isfinite(max_score)) or min_score >= max_score:
        raise InvalidInput("The lowest score must be less than the highest score.")
    if tiebreak_order is not None:
        if tiebreak_order < 1:
            raise InvalidInput("The tie-break order must be 1 or more.")
        for other in stage.criteria:
            if other.id != criterion_id and other.tiebreak_order == tiebreak_order:
                raise InvalidInput(
                    "Tie-break order %(n)d is already used by %(name)s.",
                    n=tiebreak_order,
                    name=other.name,
                )
    chosen = default_bands(min_score, max_score) if bands is None else bands
    return {
        "name": name,
        "description": (description or "").strip(),
        "weight": float(weight),
        "min_score": float(min_score),
        "max_score": float(max_score),
        "bands": validate_bands(chosen, min_score, max_score),
        "tiebreak_order": tiebreak_order,
    }


def _scored_range(criterion_id: int) -> tuple[float | None, float | None]:
    low, high = db.session.execute(
        select(func.min(Score.value), func.max(Score.value)).where(
            Score.criterion_id == criterion_id
        )
    ).one()
    return low, high


def add_criterion(stage_id: int, **fields: Any) -> Criterion:
    """Add a criterion at the end. `bands=None` means the usual bands for its range."""
    with committing():
        stage = require(get_for_update(Stage, stage_id))
        if not stage.is_scored:
            raise Conflict("A pass/fail stage has no criteria.")
        ensure_rubric_editable(stage)
        values = _clean(stage, None, **fields)
        last = max((c.position for c in stage.criteria), default=0)
        criterion = Criterion(stage=stage, position=last + 1, **values)
        db.session.add(criterion)
        db.session.flush()
        record(
            "criterion.create",
            criterion,
            after=snapshot(criterion, CRITERION_FIELDS),
            event_id=stage.category.event_id,
        )
    return criterion


def update_criterion(criterion_id: int, **fields: Any) -> Criterion:
    with committing():
        criterion = require(get_for_update(Criterion, criterion_id))
        stage = criterion.stage
        ensure_rubric_editable(stage)
        values = _clean(stage, criterion.id, **fields)
        low, high = _scored_range(criterion.id)
        if low is not None and (low < values["min_score"] or high > values["max_score"]):
            raise Conflict(
                "Judges have already given %(name)s scores from %(low)s to %(high)s; the range "
                "must include them.",
                name=criterion.name,
                low=low,
                high=high,
            )
        before = snapshot(criterion, CRITERION_FIELDS)
        for key, value in values.items():
            setattr(criterion, key, value)
        after = snapshot(criterion, CRITERION_FIELDS)
        if after != before:
            record(
                "criterion.update",
                criterion,
                before=before,
                after=after,
                event_id=stage.category.event_id,
            )
    return criterion


def delete_criterion(criterion_id: int) -> int:
    """Delete a criterion nobody has scored; returns its stage id."""
    with committing():
        criterion = require(get_for_update(Criterion, criterion_id))
        stage = criterion.stage
        ensure_rubric_editable(stage)
        if _scored_range(criterion.id)[0] is not None:
            raise Conflict(
                "Judges have already scored %(name)s, so it cannot be deleted.",
                name=criterion.name,
            )
        record(
            "criterion.delete",
            criterion,
            before=snapshot(criterion, CRITERION_FIELDS),
            event_id=stage.category.event_id,
        )
        stage.criteria.remove(criterion)
    return stage.id


def move_criterion(criterion_id: int, direction: str) -> Criterion:
    """Swap the criterion with its neighbour above ("up") or below ("down")."""
    try:
        criterion = require(get_for_update(Criterion, criterion_id))
        stage = criterion.stage
        ensure_rubric_editable(stage)
        ordered = sorted(stage.criteria, key=lambda c: c.position)
        index = ordered.index(criterion)
        other_index = index - 1 if direction == "up" else index + 1
        if direction not in ("up", "down") or not 0 <= other_index < len(ordered):
            return criterion
        other = ordered[other_index]
        a_pos, b_pos = criterion.position, other.position
        # (stage_id, position) is unique and checked per row: park one side first.
        criterion.position = -a_pos
        db.session.flush()
        other.position = a_pos
        db.session.flush()
        criterion.position = b_pos
        record(
            "criterion.move",
            criterion,
            before={"position": a_pos},
            after={"position": b_pos},
            event_id=stage.category.event_id,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return criterion


def reopen_rubric(stage_id: int, reason: str) -> Stage:
    """Allow corrections to a rubric judges have used; audited with the committee's reason."""
    with committing():
        stage = require(get_for_update(Stage, stage_id))
        ensure_not_published(stage.category.event)
        ensure_results_unpublished(stage.category)
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput("Write why the rubric must change.")
        if stage.rubric_reopened_at is not None or not scoring_started(stage.id):
            raise Conflict("This rubric is not locked.")
        if stage.status == "open":
            raise Conflict(
                "Close the stage for scoring first, so that no judge scores while the rubric "
                "changes."
            )
        stage.rubric_reopened_at = utcnow()
        record(
            "rubric.reopen",
            stage,
            before={"locked": True},
            after={"locked": False, "reason": reason},
            event_id=stage.category.event_id,
        )
    return stage
