"""The results pipeline of one category, on `CategoryData` (pure: numpy and scoring.core).

1. Sheet total: percent of the maximum, Σ wᵢ·(vᵢ/maxᵢ)·100 / Σ wᵢ over the stage's criteria
   (`scoring.core.ranking.weighted_total` on vᵢ/maxᵢ·100: the formula the judge's tablet shows).
   Only submitted or locked sheets count; a sheet missing a criterion counts as not scored.
2. Per scored stage: entries × judges matrix of sheet totals (NaN where none), calibrated with
   `normalise(method)` and aggregated per entry (`aggregate`): the stage score.
3. Stages combined by their weights (`combine_stages`); an entry reached a stage when it has an
   assignment there (the field visit is only for the finalists), and entries that reached more
   stages rank above those that reached fewer.
4. Tie-breaks: the criteria with a tie-break order, the latest stage first (the stage that chose
   the finalists is the closest look at them) and within a stage by their order. An entry's
   value for a criterion is its mean percentage on that criterion over its counted sheets
   (uncalibrated), compared at the published precision.
5. Ranks at the published precision with shared ranks (`rank_entries`), awards (`award_tiers`)
   and the explanation of every tie (`tie_notes`).

Entries that failed a pass/fail stage are left out of every matrix and listed apart. An entry
without a total (missing sheets) is listed last without rank or award.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from scoring.core.errors import CoreError
from scoring.core.normalise import METHODS, Aggregation, aggregate, normalise
from scoring.core.ranking import (
    AWARD_LABELS,
    SharedRule,
    TieNote,
    award_tiers,
    combine_stages,
    rank_entries,
    round_published,
    tie_notes,
    weighted_total,
)
from scoring.results.inputs import CategoryData, StageInfo, index_of

DEFAULT_METHOD = "additive"
__all__ = ["DEFAULT_METHOD", "METHODS", "Computation", "Options", "StageComputeError", "compute"]


@dataclass(frozen=True)
class Options:
    """How the pipeline aggregates, rounds and shares awards; frozen with every snapshot."""

    aggregate: Aggregation = "mean"
    decimals: int = 2
    shared: SharedRule = "competition"

    def to_json(self) -> dict[str, Any]:
        return {"aggregate": self.aggregate, "decimals": self.decimals, "shared": self.shared}

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> Options:
        return cls(
            aggregate=values.get("aggregate", "mean"),
            decimals=int(values.get("decimals", 2)),
            shared=values.get("shared", "competition"),
        )


class StageComputeError(Exception):
    """The core refused a step; `stage` is None when it is the combination of stages."""

    def __init__(self, stage: StageInfo | None, cause: CoreError) -> None:
        super().__init__(f"{stage.name if stage else 'combination'}: {cause}")
        self.stage = stage
        self.cause = cause


class NoScoredStage(Exception):
    """The category has no scored stage with a positive weight."""


@dataclass(frozen=True)
class StageResult:
    info: StageInfo
    raw: np.ndarray  # ranked entries × judges, sheet totals in percent, NaN = no counted sheet
    calibrated: np.ndarray
    score: np.ndarray  # per ranked entry, NaN = no counted sheet
    expected: np.ndarray  # sheets assigned per ranked entry in this stage
    counted: np.ndarray  # counted sheets per ranked entry in this stage


@dataclass(frozen=True)
class Computation:
    data: CategoryData
    method: str
    options: Options
    entry_index: np.ndarray  # positions in data.entries of the ranked entries
    stages: list[StageResult]
    reached: np.ndarray  # ranked entries × stages
    total: np.ndarray
    tier: np.ndarray
    tiebreak: np.ndarray  # ranked entries × tie-break criteria
    tiebreak_criteria: list[int]  # positions in data.criteria
    ranks: np.ndarray
    awards: list[str | None]
    notes: list[TieNote | None]

    @property
    def order(self) -> list[int]:
        """Ranked entries best first; those without a total last, by name."""
        names = [self.data.entries[i].name for i in self.entry_index.tolist()]
        return sorted(
            range(self.total.size),
            key=lambda i: (bool(np.isnan(self.total[i])), int(self.ranks[i]), names[i]),
        )


def compute(
    data: CategoryData, method: str = DEFAULT_METHOD, options: Options | None = None
) -> Computation:
    """Run the whole pipeline (see the module docstring)."""
    options = options or Options()
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if not data.stages or sum(s.weight for s in data.stages) <= 0:
        raise NoScoredStage()
    keep = np.flatnonzero(~np.array([e.failed for e in data.entries], dtype=bool))
    n_e, n_j, n_s = keep.size, len(data.judges), len(data.stages)
    local = np.full(len(data.entries), -1, dtype=np.int64)
    local[keep] = np.arange(n_e)
    a_entry = local[data.asg_entry]
    in_run = a_entry >= 0
    reached = np.zeros((n_e, n_s), dtype=bool)
    reached[a_entry[in_run], data.asg_stage[in_run]] = True

    rows = _score_rows(data)
    crit_max = np.array([c.max_score for c in data.criteria], dtype=np.float64)
    pct = data.score_value / crit_max[data.score_criterion] * 100.0
    valid = data.asg_counted[rows] & in_run[rows]
    crit_stage = _criterion_stages(data)

    stages = []
    for s, info in enumerate(data.stages):
        stage_asg = in_run & (data.asg_stage == s)
        counted_asg = stage_asg & data.asg_counted
        raw = _sheet_totals(data, s, counted_asg, a_entry, rows, pct, crit_stage, (n_e, n_j))
        try:
            calibrated = normalise(raw, method) if (~np.isnan(raw)).any() else raw.copy()
        except CoreError as error:
            raise StageComputeError(info, error) from error
        stages.append(
            StageResult(
                info=info,
                raw=raw,
                calibrated=calibrated,
                score=aggregate(calibrated, options.aggregate),
                expected=np.bincount(a_entry[stage_asg], minlength=n_e),
                counted=np.bincount(a_entry[counted_asg], minlength=n_e),
            )
        )
    stage_scores = np.column_stack([st.score for st in stages]).reshape(n_e, n_s)
    try:
        combined = combine_stages(stage_scores, [s.weight for s in data.stages], reached)
    except CoreError as error:
        raise StageComputeError(None, error) from error
    total, tier = np.asarray(combined, dtype=np.float64), np.asarray(combined.tier)

    tb_crit = _tiebreak_criteria(data)
    tiebreak = np.full((n_e, len(tb_crit)), np.nan)
    sc_entry = a_entry[rows]
    for col, k in enumerate(tb_crit):
        mask = valid & (data.score_criterion == k)
        sums = np.bincount(sc_entry[mask], weights=pct[mask], minlength=n_e)
        counts = np.bincount(sc_entry[mask], minlength=n_e)
        tiebreak[:, col] = np.divide(sums, counts, out=np.full(n_e, np.nan), where=counts > 0)
    ranks = rank_entries(total, tiebreak, options.decimals, tier=tier, nan_policy="last")
    has_total = ~np.isnan(total)
    awards = award_tiers(ranks, AWARD_LABELS, options.shared, eligible=has_total)
    notes = (
        tie_notes(total, tiebreak, options.decimals, tier=tier, nan_policy="last") if n_e else []
    )
    notes = [note if ok else None for note, ok in zip(notes, has_total.tolist(), strict=True)]
    return Computation(
        data=data,
        method=method,
        options=options,
        entry_index=keep,
        stages=stages,
        reached=reached,
        total=total,
        tier=tier,
        tiebreak=tiebreak,
        tiebreak_criteria=tb_crit,
        ranks=ranks,
        awards=awards,
        notes=notes,
    )


def _score_rows(data: CategoryData) -> np.ndarray:
    """The assignment row of every score, through its sheet id."""
    if not data.score_sheet.size:
        return np.zeros(0, dtype=np.int64)
    by_sheet = np.argsort(data.asg_sheet, kind="stable")
    return by_sheet[index_of(data.asg_sheet[by_sheet], data.score_sheet, "sheet")]


def _criterion_stages(data: CategoryData) -> np.ndarray:
    stage_of = {s.id: k for k, s in enumerate(data.stages)}
    return np.array([stage_of[c.stage_id] for c in data.criteria], dtype=np.int64)


def _sheet_totals(
    data: CategoryData,
    s: int,
    counted_asg: np.ndarray,
    a_entry: np.ndarray,
    rows: np.ndarray,
    pct: np.ndarray,
    crit_stage: np.ndarray,
    shape: tuple[int, int],
) -> np.ndarray:
    """Entries × judges of the stage's counted sheet totals (percent), NaN where none."""
    raw = np.full(shape, np.nan)
    crit_idx = np.flatnonzero(crit_stage == s)
    sheets = np.flatnonzero(counted_asg)
    if not sheets.size or not crit_idx.size:
        return raw
    sheet_pos = np.full(counted_asg.size, -1, dtype=np.int64)
    sheet_pos[sheets] = np.arange(sheets.size)
    column = np.full(len(data.criteria), -1, dtype=np.int64)
    column[crit_idx] = np.arange(crit_idx.size)
    matrix = np.full((sheets.size, crit_idx.size), np.nan)
    if rows.size:
        mine = (sheet_pos[rows] >= 0) & (column[data.score_criterion] >= 0)
        matrix[sheet_pos[rows[mine]], column[data.score_criterion[mine]]] = pct[mine]
    weights = [data.criteria[k].weight for k in crit_idx.tolist()]
    raw[a_entry[sheets], data.asg_judge[sheets]] = weighted_total(matrix, weights)
    return raw


def _tiebreak_criteria(data: CategoryData) -> list[int]:
    """Positions of the tie-break criteria: latest stage first, then by tie-break order."""
    stage_of = {s.id: k for k, s in enumerate(data.stages)}
    chosen = [
        (-stage_of[c.stage_id], c.tiebreak_order or 0, k)
        for k, c in enumerate(data.criteria)
        if c.tiebreak_order is not None
    ]
    return [k for *_, k in sorted(chosen)]


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def outputs_of(comp: Computation) -> dict[str, Any]:
    """The ranking as plain JSON: what a snapshot freezes and the public page shows."""
    data, decimals = comp.data, comp.options.decimals
    entries = [data.entries[i] for i in comp.entry_index.tolist()]
    published = round_published(comp.total, decimals)
    rows = []
    for i in comp.order:
        entry, has_total = entries[i], not np.isnan(comp.total[i])
        note = comp.notes[i]
        rows.append(
            {
                "entry_id": entry.id,
                "name": entry.name,
                "region": entry.region,
                "region_code": entry.region_code,
                "rank": int(comp.ranks[i]) if has_total else None,
                "award": comp.awards[i],
                "total": float(published[i]) if has_total else None,
                "total_exact": _number(comp.total[i]),
                "tier": int(comp.tier[i]),
                "stage_scores": [_number(st.score[i]) for st in comp.stages],
                "tie": None
                if note is None
                else {
                    "tied_with": [entries[j].id for j in note.tied_with],
                    "decided_by": None
                    if note.decided_by is None
                    else data.criteria[comp.tiebreak_criteria[note.decided_by]].id,
                    "shared_with": [entries[j].id for j in note.shared_with],
                },
            }
        )
    stage_name = {s.id: s.name for s in data.stages}
    return {
        "stages": [{"id": s.id, "name": s.name, "weight": s.weight} for s in data.stages],
        "tiebreak": [
            {
                "criterion": data.criteria[k].id,
                "name": data.criteria[k].name,
                "stage": stage_name[data.criteria[k].stage_id],
            }
            for k in comp.tiebreak_criteria
        ],
        "rows": rows,
        "excluded": [
            {"entry_id": e.id, "name": e.name, "region": e.region, "region_code": e.region_code}
            for e in data.entries
            if e.failed
        ],
        # What the ranking really rests on: a sent sheet that lacks a criterion has no total
        # and is not counted, whatever its status says.
        "sheets": {
            "counted": sum(int((~np.isnan(st.raw)).sum()) for st in comp.stages),
            "expected": data.expected_sheets,
        },
    }
