"""Totals, stage combination, ranks with tie-breaks, and award tiers.

NaN rules (nothing is filled in silently):

* ``weighted_total``: a NaN criterion makes that row's total NaN.
* ``combine_stages``: a NaN score in a stage the entry reached makes its total NaN.
* ``rank_entries``: refuses NaN totals (MissingScoresError naming the entries) unless
  ``nan_policy="last"`` is asked for, which ranks them after every scored entry, sharing one rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from scoring.core._arrays import as_matrix, as_vector, as_weights
from scoring.core.errors import CoreError, MissingScoresError, ShapeError

AWARD_LABELS: tuple[str, ...] = (
    "Juara I",
    "Juara II",
    "Juara III",
    "Harapan I",
    "Harapan II",
    "Harapan III",
)
NanPolicy = Literal["raise", "last"]
SharedRule = Literal["competition", "dense"]


def weighted_total(criterion_scores: ArrayLike, weights: ArrayLike) -> np.ndarray:
    """Weighted mean over the last axis: Σ w_k x_k / Σ w_k (… × criteria → …).

    Weights need not sum to 1 or 100 (20/30/20/20/10 works as is); a total of criteria on 0–100
    stays on 0–100. Any NaN criterion in a row gives NaN for that row: a missing criterion is
    never treated as 0 or renormalised away.
    """
    x = np.asarray(criterion_scores, dtype=np.float64)
    if x.ndim < 1:
        raise ShapeError("criterion_scores needs a criteria axis")
    w = as_weights(weights, x.shape[-1])
    return (x @ w) / w.sum()


class StageTotals(np.ndarray):
    """Totals from ``combine_stages`` that also carry ``tier`` (number of stages reached).

    ``rank_entries`` compares ``tier`` before the total when given this array directly. Any
    derived array (a slice, ``total + 1``, ``np.round``) drops the tier on purpose, because its
    rows may no longer line up; pass ``tier=`` explicitly then.
    """

    tier: np.ndarray | None

    def __new__(cls, total: np.ndarray, tier: np.ndarray) -> StageTotals:
        obj = np.asarray(total, dtype=np.float64).view(cls)
        obj.tier = tier
        return obj

    def __array_finalize__(self, obj: object) -> None:
        self.tier = None


def combine_stages(
    stage_scores: ArrayLike, weights: ArrayLike, reached: ArrayLike | None = None
) -> StageTotals:
    """Combine sequential stage scores (entries × stages) into one total per entry.

    total_i = Σ_{s reached by i} w_s x_is / Σ_s w_s, weights per stage in any unit (e.g. 30, 30,
    40 percent). A stage an entry did not reach contributes nothing, so the total is what the
    entry actually earned; ``reached`` defaults to "has a score" (``~isnan``).

    Ordering rule: an entry that reached more stages ranks above every entry that reached fewer
    (only the top 3 get a field visit, so a 99 in stage 1 without the visit stays below all
    visited entries); within the same number of stages, totals decide. The returned
    ``StageTotals`` carries that number as ``.tier`` and ``rank_entries`` uses it first.

    Stages must be reached in order (no stage 3 without stage 2), and an entry marked as not
    reaching a stage must not have a score there; both raise CoreError rather than guess.
    """
    x = as_matrix(stage_scores, "stage_scores")
    w = as_weights(weights, x.shape[1])
    scored = ~np.isnan(x)
    if reached is None:
        reach = scored
    else:
        reach = np.asarray(reached, dtype=bool)
        if reach.shape != x.shape:
            raise ShapeError(f"reached has shape {reach.shape}, expected {x.shape}")
        stray = np.flatnonzero((scored & ~reach).any(axis=1))
        if stray.size:
            raise CoreError(
                f"entries {stray.tolist()} have a score in a stage they are marked as not reaching"
            )
    skipped = np.flatnonzero((reach[:, 1:] & ~reach[:, :-1]).any(axis=1))
    if skipped.size:
        raise CoreError(f"entries {skipped.tolist()} reached a stage without the one before it")
    total = np.where(reach, x, 0.0) @ w / w.sum()  # NaN in a reached stage stays NaN
    return StageTotals(total, reach.sum(axis=1))


def round_published(values: ArrayLike, decimals: int = 2) -> np.ndarray:
    """Round half up at ``decimals`` as on the paper results (89,585 → 89,59).

    A 1e-9 tolerance absorbs binary representation (89.585 is stored as 89.58499999…). Show the
    same rounded numbers that ``rank_entries`` compares.
    """
    scale = 10.0**decimals
    return np.floor(np.asarray(values, dtype=np.float64) * scale + 0.5 + 1e-9) / scale


def _sort_keys(
    total: ArrayLike,
    tiebreak: ArrayLike | None,
    decimals: int,
    tier: ArrayLike | None,
    nan_policy: NanPolicy,
) -> np.ndarray:
    """Keys entries × (missing, tier, total, tiebreaks…), smaller is better, exact integers."""
    if tier is None and isinstance(total, StageTotals):
        tier = total.tier
    t = as_vector(total, "total")
    n = t.shape[0]
    tb = np.empty((n, 0)) if tiebreak is None else np.asarray(tiebreak, dtype=np.float64)
    if tb.ndim == 1:
        tb = tb[:, None]
    if tb.ndim != 2 or tb.shape[0] != n:
        raise ShapeError(f"tiebreak must be entries × columns with {n} rows")
    tr = np.zeros(n) if tier is None else as_vector(tier, "tier", n)
    if not np.isfinite(tr).all():
        raise ShapeError("tier must be finite (the number of stages reached)")
    if nan_policy not in ("raise", "last"):
        raise CoreError(f"unknown nan_policy {nan_policy!r}")
    bad_total = np.isnan(t)
    bad_tb = np.isnan(tb).any(axis=1) & ~bad_total
    if nan_policy == "raise" and (bad_total.any() or bad_tb.any()):
        idx = np.flatnonzero(bad_total | bad_tb)
        raise MissingScoresError(
            f"entries {idx.tolist()} have no total or a missing tie-break value; "
            "complete their scores or rank with nan_policy='last'",
            idx,
        )
    scale = 10.0**decimals
    cols = [
        bad_total.astype(np.float64),
        -tr,
        -np.rint(round_published(np.where(bad_total, 0.0, t), decimals) * scale),
    ]
    # A missing tie-break value compares lowest; entries without a total compare equal.
    tb_keys = -np.rint(round_published(np.nan_to_num(tb, nan=-1e12), decimals) * scale)
    tb_keys[bad_total] = 0.0
    cols.extend(tb_keys.T)
    return np.column_stack(cols)


def rank_entries(
    total: ArrayLike,
    tiebreak: ArrayLike | None = None,
    decimals: int = 2,
    *,
    tier: ArrayLike | None = None,
    nan_policy: NanPolicy = "raise",
) -> np.ndarray:
    """Standard competition ranking ("1224"), best first, as an int array.

    Order of comparison: ``tier`` (higher first; taken from a ``StageTotals`` when not given),
    the total rounded half up to ``decimals`` (the published precision, see
    ``round_published``), then each ``tiebreak`` column in order (entries × k, higher is better,
    compared at the same precision). Entries equal on all keys share the rank (juara kembar)
    and the next rank skips, e.g. 1, 2, 2, 4 (the "1224" standard competition ranking used for
    sport results).

    NaN totals raise MissingScoresError unless ``nan_policy="last"``.
    """
    keys = _sort_keys(total, tiebreak, decimals, tier, nan_policy)
    n = keys.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort(keys.T[::-1])
    srt = keys[order]
    new_group = np.r_[True, (srt[1:] != srt[:-1]).any(axis=1)]
    starts = np.flatnonzero(new_group)
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = starts[np.cumsum(new_group) - 1] + 1
    return ranks


def award_tiers(
    ranks: ArrayLike,
    labels: Sequence[str] = AWARD_LABELS,
    shared: SharedRule = "competition",
    *,
    eligible: ArrayLike | None = None,
) -> list[str | None]:
    """Award label per entry, None when outside the awards.

    ``shared="competition"`` (default): the label is the one at the rank's position and shared
    ranks skip the following labels, e.g. ranks 1, 1, 3 → Juara I, Juara I, Juara III (nobody is
    Juara II), so never more entries are awarded than there are labels plus ties at the last one.
    ``shared="dense"``: distinct ranks take consecutive labels, e.g. 1, 1, 3 → Juara I, Juara I,
    Juara II; every label is used, so more entries may be awarded than there are labels.
    ``eligible`` (bool per entry) gives None to the others, e.g. entries without a total that
    were ranked with ``nan_policy="last"``; it does not renumber the ranks.
    """
    given = np.asarray(ranks)
    if given.ndim != 1 or not np.isfinite(given).all() or (given != np.round(given)).any():
        raise ShapeError("ranks must be a 1-D array of whole numbers starting at 1")
    r = given.astype(np.int64)
    if r.size and r.min() < 1:
        raise ShapeError("ranks must be a 1-D array of whole numbers starting at 1")
    if shared == "competition":
        pos = r
    elif shared == "dense":
        pos = np.unique(r, return_inverse=True)[1] + 1
    else:
        raise CoreError(f"unknown shared rule {shared!r}; choose competition or dense")
    names = list(labels)
    ok = np.ones(r.shape, bool) if eligible is None else np.asarray(eligible, dtype=bool)
    if ok.shape != r.shape:
        raise ShapeError("eligible must have one value per entry")
    return [
        names[p - 1] if p <= len(names) and e else None
        for p, e in zip(pos.tolist(), ok.tolist(), strict=True)
    ]


@dataclass(frozen=True)
class TieNote:
    """Why an entry whose published total equals another's got its rank.

    ``tied_with``: entries with the same tier and rounded total. ``decided_by``: index of the last
    tie-break column needed to separate this entry from those it was separated from (None if it
    was separated from none). ``shared_with``: entries it still shares the rank with.
    """

    rank: int
    tied_with: tuple[int, ...]
    decided_by: int | None
    shared_with: tuple[int, ...]


def tie_notes(
    total: ArrayLike,
    tiebreak: ArrayLike | None = None,
    decimals: int = 2,
    *,
    tier: ArrayLike | None = None,
    nan_policy: NanPolicy = "raise",
) -> list[TieNote | None]:
    """Explain ties for the results page: None for an entry whose total is unique.

    Loops only over entries inside tie groups, which are few.
    """
    keys = _sort_keys(total, tiebreak, decimals, tier, nan_policy)
    ranks = rank_entries(total, tiebreak, decimals, tier=tier, nan_policy=nan_policy)
    head = keys[:, :3]
    _, group, counts = np.unique(head, axis=0, return_inverse=True, return_counts=True)
    group = group.ravel()
    notes: list[TieNote | None] = [None] * keys.shape[0]
    for i in np.flatnonzero(counts[group] > 1).tolist():
        mates = np.flatnonzero(group == group[i])
        mates = mates[mates != i]
        differ = keys[mates, 3:] != keys[i, 3:]
        separated = differ.any(axis=1)
        # No tie-break columns at all: nothing separates, and argmax of an empty row is an error.
        first = np.argmax(differ, axis=1) if differ.shape[1] else np.zeros(len(mates), dtype=int)
        notes[i] = TieNote(
            rank=int(ranks[i]),
            tied_with=tuple(mates.tolist()),
            decided_by=int(first[separated].max()) if separated.any() else None,
            shared_with=tuple(mates[~separated].tolist()),
        )
    return notes
