"""Results of a category: load its scores into numpy, run the pipeline, read published snapshots.

`compute_results` is the live computation the committee reviews (scoring/results/compute.py
explains every step). `published_awards` and `latest_published_snapshot` read what was frozen
at publication and are what certificates and the public page rely on; they never recompute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import defer

from scoring.core.errors import DisconnectedDesignError
from scoring.extensions import db
from scoring.models.results import ResultSnapshot
from scoring.orm import utcnow
from scoring.results.compute import (
    DEFAULT_METHOD,
    METHODS,
    Computation,
    NoScoredStage,
    Options,
    StageComputeError,
    compute,
    outputs_of,
)
from scoring.results.inputs import CategoryData
from scoring.results.loading import load_category
from scoring.services.errors import InvalidInput

__all__ = [
    "AwardRow",
    "CategoryResults",
    "ResultRow",
    "compute_results",
    "latest_published_snapshot",
    "load_category",
    "published_awards",
    "results_from",
    "run_pipeline",
]


@dataclass(frozen=True)
class AwardRow:
    """One ranked entry of a published snapshot (for certificates)."""

    entry_id: int
    rank: int
    award: str | None  # "Juara I" .. "Harapan III", None outside the awards
    total: float  # the published total (2 decimals)
    name: str
    region: str


@dataclass(frozen=True)
class JudgeScore:
    judge_id: int
    raw: float | None  # the sheet's total, percent of the maximum
    calibrated: float | None


@dataclass(frozen=True)
class ResultRow:
    entry_id: int
    name: str
    region: str
    rank: int | None  # None: no total yet (missing sheets)
    award: str | None
    total: float | None  # rounded to the published precision
    total_exact: float | None
    tier: int  # scored stages reached
    stage_scores: tuple[float | None, ...]
    tie: dict[str, Any] | None  # tied_with, decided_by (criterion id), shared_with
    judge_scores: tuple[tuple[JudgeScore, ...], ...]  # per stage, the judges who sent a sheet


@dataclass(frozen=True)
class CategoryResults:
    category_id: int
    method: str
    rows: list[ResultRow]
    outputs: dict[str, Any]  # the same ranking as a snapshot would freeze it
    computation: Computation


def run_pipeline(data: CategoryData, method: str, options: Options | None = None) -> Computation:
    """`compute`, with the core's refusals turned into messages for the committee."""
    if method not in METHODS:
        raise InvalidInput("Choose one of the normalisation methods.")
    try:
        return compute(data, method, options)
    except NoScoredStage as error:
        raise InvalidInput("This category has no scored stage with a weight yet.") from error
    except StageComputeError as error:
        if isinstance(error.cause, DisconnectedDesignError):
            raise InvalidInput(
                "%(stage)s: the judges form %(n)d groups that share no entry, so the additive "
                "method cannot compare their severity. Choose another method, or add a judge "
                "who scores entries in several groups.",
                stage=error.stage.name if error.stage else "",
                n=len(error.cause.groups),
            ) from error
        if error.stage is None:
            raise InvalidInput(
                "Some entries have scores in a later stage without a sheet in the stage "
                "before it. Check the assignments."
            ) from error
        raise InvalidInput(
            "%(stage)s: the scores cannot be calibrated (%(detail)s).",
            stage=error.stage.name,
            detail=str(error.cause),
        ) from error


def compute_results(
    category_id: int, method: str = DEFAULT_METHOD, options: Options | None = None
) -> CategoryResults:
    """The live ranking of a category under `method` (raw, zscore, rank or additive)."""
    return results_from(load_category(category_id), method, options)


def results_from(
    data: CategoryData, method: str = DEFAULT_METHOD, options: Options | None = None
) -> CategoryResults:
    """`compute_results` on data already loaded."""
    comp = run_pipeline(data, method, options)
    outputs = outputs_of(comp)
    judge_ids = [j.id for j in comp.data.judges]
    # Per stage and ranked entry, (judge id, raw, calibrated) of every counted sheet; built
    # from the matrices in one pass each (no per-cell numpy indexing).
    per_entry: list[list[tuple[JudgeScore, ...]]] = [[] for _ in range(comp.total.size)]
    for stage in comp.stages:
        found: list[list[JudgeScore]] = [[] for _ in range(comp.total.size)]
        rows_i, cols_j = np.nonzero(~np.isnan(stage.raw))
        calibrated = stage.calibrated[rows_i, cols_j]
        for i, j, raw, cal, ok in zip(
            rows_i.tolist(),
            cols_j.tolist(),
            stage.raw[rows_i, cols_j].tolist(),
            calibrated.tolist(),
            (~np.isnan(calibrated)).tolist(),
            strict=True,
        ):
            found[i].append(JudgeScore(judge_ids[j], raw, cal if ok else None))
        for i, scores in enumerate(found):
            per_entry[i].append(tuple(scores))
    position = {entry_id: i for i, entry_id in enumerate(_entry_ids(comp))}
    rows = []
    for out in outputs["rows"]:
        per_stage = per_entry[position[out["entry_id"]]]
        rows.append(
            ResultRow(
                entry_id=out["entry_id"],
                name=out["name"],
                region=out["region"],
                rank=out["rank"],
                award=out["award"],
                total=out["total"],
                total_exact=out["total_exact"],
                tier=out["tier"],
                stage_scores=tuple(out["stage_scores"]),
                tie=out["tie"],
                judge_scores=tuple(per_stage),
            )
        )
    return CategoryResults(int(data.category["id"]), method, rows, outputs, comp)


def _entry_ids(comp: Computation) -> list[int]:
    return [comp.data.entries[i].id for i in comp.entry_index.tolist()]


def latest_published_snapshot(
    category_id: int, *, at: dt.datetime | None = None, public: bool = True
) -> ResultSnapshot | None:
    """The newest published snapshot; with `public`, only once its embargo has passed at `at`
    (default: now). The large inputs column is not loaded."""
    snapshot = db.session.scalar(
        select(ResultSnapshot)
        .options(defer(ResultSnapshot.inputs))
        .where(ResultSnapshot.category_id == category_id, ResultSnapshot.status == "published")
        .order_by(ResultSnapshot.version.desc())
        .limit(1)
    )
    if snapshot is None or (public and not snapshot.visible_at(at or utcnow())):
        return None
    return snapshot


def published_awards(category_id: int) -> list[AwardRow]:
    """The ranked entries of the latest published snapshot past its embargo, best first.

    Entries without a total (published with an override) are left out. Empty before publication.
    """
    snapshot = latest_published_snapshot(category_id)
    if snapshot is None:
        return []
    return [
        AwardRow(
            entry_id=row["entry_id"],
            rank=row["rank"],
            award=row["award"],
            total=float(row["total"]),
            name=row["name"],
            region=row["region"],
        )
        for row in snapshot.outputs["rows"]
        if row["rank"] is not None
    ]


def events_with_published_results(now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """(slug, name) of events with at least one published, no longer embargoed ranking."""
    from sqlalchemy import or_, select

    from scoring.extensions import db
    from scoring.models import Category, Event, ResultSnapshot
    from scoring.orm import utcnow

    moment = now or utcnow()
    rows = db.session.execute(
        select(Event.slug, Event.name)
        .join(Category, Category.event_id == Event.id)
        .join(ResultSnapshot, ResultSnapshot.category_id == Category.id)
        .where(
            ResultSnapshot.status == "published",
            or_(ResultSnapshot.embargo_until.is_(None), ResultSnapshot.embargo_until <= moment),
        )
        .distinct()
        .order_by(Event.name)
    ).all()
    return [(slug, name) for slug, name in rows]
