"""The final score split into what each stage contributed, printed so the parts add up.

A stage contributes score × weight / Σ weights (`scoring.core.ranking.combine_stages`); a stage
the entry did not reach contributes nothing, so an entry that stopped before the field visit
(weight 40 of 100) can reach at most 60.

Rounding: the final score is the published one (rounded half up at the snapshot's decimals, the
number the ranking compares). Each contribution is rounded down at the same decimals and the
hundredths still missing to reach the printed total are given to the contributions with the
largest rounding remainders (largest remainder method). Every part is thus within one unit of
its exact value and the printed parts add up exactly to the printed total.

Pure: works on a snapshot's `outputs` JSON; no Flask, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

EPSILON = 1e-9  # absorbs binary representation (0.29 * 100 = 28.999999999999996)


@dataclass(frozen=True)
class StagePart:
    name: str
    share: float  # the stage's weight as a percentage of the final score
    score: float | None  # the stage score 0–100 at the published precision; None: not reached
    points: float | None  # printed contribution; the points of a row add up to its total


@dataclass(frozen=True)
class Breakdown:
    parts: tuple[StagePart, ...]
    reached: str | None  # name of the last stage the entry reached
    reached_all: bool
    maximum: float  # the highest final score possible with the stages reached


@dataclass(frozen=True)
class Cut:
    """Entries that stopped after `stage` can score at most `maximum`."""

    stage: str
    maximum: float


def shares(stages: list[dict[str, Any]]) -> list[float]:
    """Each stage's weight as a percentage of the final score."""
    total = sum(float(s["weight"]) for s in stages)
    return [float(s["weight"]) * 100.0 / total if total else 0.0 for s in stages]


def _units(value: float, decimals: int) -> int:
    """`value` in units of the last printed decimal, rounded half up."""
    return math.floor(value * 10**decimals + 0.5 + EPSILON)


def split_total(exact: list[float], total: float, decimals: int) -> list[float]:
    """Round the exact parts so that they add up to the printed `total` (largest remainder)."""
    scale = 10**decimals
    scaled = [value * scale for value in exact]
    floors = [math.floor(value + EPSILON) for value in scaled]
    missing = _units(total, decimals) - sum(floors)
    order = sorted(range(len(exact)), key=lambda k: (floors[k] - scaled[k], k))
    if 0 <= missing <= len(exact):
        for k in order[:missing]:
            floors[k] += 1
    elif exact:  # not reachable when total is the rounded sum; keep the sum right anyway
        floors[order[0]] += missing
    return [units / scale for units in floors]


def row_breakdown(row: dict[str, Any], stages: list[dict[str, Any]], decimals: int) -> Breakdown:
    """One ranked row of a snapshot's outputs split by stage."""
    weights = shares(stages)
    tier = int(row.get("tier") or 0)
    scores = row.get("stage_scores") or [None] * len(stages)
    reached = [k < tier for k in range(len(stages))]
    exact = [
        (scores[k] or 0.0) * weights[k] / 100.0 if reached[k] else 0.0 for k in range(len(stages))
    ]
    total = row.get("total")
    if total is None:
        points: list[float | None] = [None] * len(stages)
    else:
        printed = split_total([exact[k] for k in range(len(stages)) if reached[k]], total, decimals)
        it = iter(printed)
        points = [next(it) if reached[k] else None for k in range(len(stages))]
    parts = tuple(
        StagePart(
            name=stage["name"],
            share=weights[k],
            score=None
            if not reached[k] or scores[k] is None
            else _units(scores[k], decimals) / 10**decimals,
            points=points[k],
        )
        for k, stage in enumerate(stages)
    )
    return Breakdown(
        parts=parts,
        reached=stages[tier - 1]["name"] if 0 < tier <= len(stages) else None,
        reached_all=tier >= len(stages),
        maximum=sum(weights[:tier]),
    )


def cuts(stages: list[dict[str, Any]]) -> list[Cut]:
    """For every stage but the last: the highest final score of an entry that stopped there."""
    weights = shares(stages)
    return [
        Cut(stage=stages[k]["name"], maximum=sum(weights[: k + 1])) for k in range(len(stages) - 1)
    ]
