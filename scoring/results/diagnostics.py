"""What the committee reads next to the ranking: agreement, judge flags and severity, and whether
the awards depend on the calibration method. Pure (numpy and scoring.core).

Agreement per stage is measured on the raw sheet totals of the ranked entries:

* ICC(2,1) and ICC(3,k) (Shrout & Fleiss 1979) and Kendall's W need complete rows, so they use
  only the entries every judge of the stage scored, and are left out below MIN_COMPLETE_ROWS.
* Krippendorff's alpha (interval) takes every entry with at least two scores, before and after
  calibration. Reading (Krippendorff, *Content Analysis*, 2004, §11.4.4): α ≥ 0.800 reliable,
  0.667 ≤ α < 0.800 enough for tentative conclusions only, below 0.667 low.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from scoring.core.agreement import icc, judge_flags, kendall_w, krippendorff_alpha
from scoring.core.errors import CoreError
from scoring.core.normalise import METHODS, fit_additive
from scoring.results.compute import Computation, Options, StageComputeError, compute
from scoring.results.inputs import CategoryData

MIN_COMPLETE_ROWS = 3
ALPHA_GOOD = 0.800  # Krippendorff 2004, §11.4.4
ALPHA_TENTATIVE = 0.667


@dataclass(frozen=True)
class StageAgreement:
    stage_name: str
    judges: int  # judges with at least one counted sheet in the stage
    complete_rows: int  # entries scored by all of them
    icc_single: float | None  # ICC(2,1): absolute agreement of one judge
    icc_average: float | None  # ICC(3,k): consistency of the panel's mean
    kendall_w: float | None
    alpha_raw: float | None
    alpha_calibrated: float | None

    @property
    def alpha_level(self) -> str | None:
        """ "good", "tentative" or "low" (Krippendorff 2004) for the raw alpha."""
        if self.alpha_raw is None:
            return None
        if self.alpha_raw >= ALPHA_GOOD:
            return "good"
        return "tentative" if self.alpha_raw >= ALPHA_TENTATIVE else "low"


@dataclass(frozen=True)
class StageFlag:
    stage_name: str
    judge_id: int
    judge_name: str
    code: str
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Severity:
    """Judge bias b_j of the additive model per stage (positive: lenient), None if not fitted."""

    stage_name: str
    biases: list[tuple[int, str, float]]  # (judge id, name, points)


@dataclass(frozen=True)
class MethodsComparison:
    """Awards per entry under every method that could be computed, and the entries whose award
    is not the same under all of them. `failed` maps a method to why it could not be computed."""

    methods: tuple[str, ...]
    awards: dict[int, dict[str, str | None]]  # entry id -> method -> award
    ranks: dict[int, dict[str, int | None]]
    changed: tuple[int, ...]
    winner_stable: bool
    failed: dict[str, Exception]


def _safe(fn, *args) -> float | None:  # type: ignore[no-untyped-def]
    try:
        value = float(fn(*args))
    except CoreError:
        return None
    return value if np.isfinite(value) else None


def agreement(comp: Computation) -> list[StageAgreement]:
    result = []
    for stage in comp.stages:
        raw = stage.raw[:, ~np.isnan(stage.raw).all(axis=0)]
        complete = raw[~np.isnan(raw).any(axis=1)] if raw.shape[1] else raw
        enough = complete.shape[0] >= MIN_COMPLETE_ROWS and raw.shape[1] >= 2
        coefficients = _safe_icc(complete) if enough else None
        result.append(
            StageAgreement(
                stage_name=stage.info.name,
                judges=raw.shape[1],
                complete_rows=int(complete.shape[0]),
                icc_single=coefficients["ICC2"] if coefficients else None,
                icc_average=coefficients["ICC3k"] if coefficients else None,
                kendall_w=_safe(lambda x: kendall_w(x).w, complete) if enough else None,
                alpha_raw=_safe(krippendorff_alpha, stage.raw),
                # Under "raw" nothing is calibrated: a second, identical alpha would mislead.
                alpha_calibrated=None
                if comp.method == "raw"
                else _safe(krippendorff_alpha, stage.calibrated),
            )
        )
    return result


def _safe_icc(complete: np.ndarray) -> dict[str, float] | None:
    try:
        values = icc(complete)
    except CoreError:
        return None
    return values if all(np.isfinite(v) for v in values.values()) else None


def flags(comp: Computation) -> list[StageFlag]:
    judges = comp.data.judges
    found = []
    for stage in comp.stages:
        if not (~np.isnan(stage.raw)).any():
            continue
        for flag in judge_flags(stage.raw):
            judge = judges[flag.judge]
            found.append(StageFlag(stage.info.name, judge.id, judge.name, flag.code, flag.values))
    return found


def severity(comp: Computation) -> list[Severity]:
    judges = comp.data.judges
    result = []
    for stage in comp.stages:
        active = ~np.isnan(stage.raw).all(axis=0)
        if active.sum() < 2:
            continue
        try:
            bias = fit_additive(stage.raw).judge_bias
        except CoreError:
            continue
        result.append(
            Severity(
                stage.info.name,
                [(judges[j].id, judges[j].name, float(bias[j])) for j in np.flatnonzero(active)],
            )
        )
    return result


def compare(
    data: CategoryData, options: Options | None = None, methods: Sequence[str] = METHODS
) -> MethodsComparison:
    """The whole pipeline under every method (stages, tiers and tie-breaks included)."""
    done: dict[str, Computation] = {}
    failed: dict[str, Exception] = {}
    for method in methods:
        try:
            done[method] = compute(data, method, options)
        except StageComputeError as error:
            failed[method] = error
    awards: dict[int, dict[str, str | None]] = {}
    ranks: dict[int, dict[str, int | None]] = {}
    winners = set()
    for method, comp in done.items():
        ids = [comp.data.entries[i].id for i in comp.entry_index.tolist()]
        has = ~np.isnan(comp.total)
        for i, entry_id in enumerate(ids):
            awards.setdefault(entry_id, {})[method] = comp.awards[i]
            ranks.setdefault(entry_id, {})[method] = int(comp.ranks[i]) if has[i] else None
        winners.add(frozenset(e for e, r in zip(ids, comp.ranks.tolist(), strict=True) if r == 1))
    changed = tuple(e for e, per in awards.items() if len(set(per.values())) > 1)
    return MethodsComparison(
        methods=tuple(done),
        awards=awards,
        ranks=ranks,
        changed=changed,
        winner_stable=len(winners) <= 1,
        failed=failed,
    )
