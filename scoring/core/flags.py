"""Flags on individual judges, with the numbers behind them so the interface can explain them.

Everything is measured against the leave-one-out consensus: for judge j and entry i, the mean of
the *other* judges' scores on i. Only entries that j and at least one other judge scored count.

Codes (checked in this order for each judge):

* ``"harsh"`` / ``"lenient"``: offset = mean(x_ij) − mean(consensus_ij) over the shared entries is
  ≤ −``bias_points`` / ≥ ``bias_points``. Plain words: "on the N entries also scored by others,
  this judge was on average |offset| points lower/higher than the others".
  values: offset, own_mean, others_mean, n_entries, threshold.
* ``"disagrees"``: Spearman's rho between the judge's scores and the consensus over the shared
  entries is below ``min_rho`` (needs ``min_entries`` shared entries). "The order this judge gave
  differs from the others' order". values: rho, n_entries, threshold.
* ``"flat"``: the SD of the judge's scores is below ``min_spread_ratio`` × the median SD of the
  other judges (needs ``min_entries`` scores). "This judge gave almost the same score to
  everyone". values: sd, others_sd, ratio, n_entries, threshold.

Spearman (1904) rank correlation is computed as the Pearson correlation of average ranks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from scoring.core._arrays import as_matrix, column_ranks

FLAG_CODES = ("harsh", "lenient", "disagrees", "flat")


@dataclass(frozen=True)
class JudgeFlag:
    """One finding about one judge (column index ``judge``); ``values`` are the evidence."""

    code: str
    judge: int
    values: dict[str, float] = field(default_factory=dict, hash=False)


def judge_flags(
    scores: ArrayLike,
    *,
    bias_points: float = 10.0,
    min_rho: float = 0.3,
    min_spread_ratio: float = 0.35,
    min_entries: int = 5,
) -> list[JudgeFlag]:
    """Flag judges who are far harsher/more lenient, out of order, or nearly flat.

    ``scores`` is entries × judges with NaN where not scored. Thresholds are in score points
    (``bias_points``), correlation (``min_rho``) and SD ratio (``min_spread_ratio``); see the
    module docstring for the exact rule of each code. Returns flags sorted by judge, then code.
    """
    x = as_matrix(scores)
    obs = ~np.isnan(x)
    filled = np.where(obs, x, 0.0)
    m = obs.sum(axis=1)
    shared = obs & (m >= 2)[:, None]
    own = np.where(shared, filled, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        loo = np.where(shared, (filled.sum(axis=1)[:, None] - own) / (m[:, None] - 1), 0.0)
    n_shared = shared.sum(axis=0)
    own_mean = _safe_div(own.sum(axis=0), n_shared)
    others_mean = _safe_div(loo.sum(axis=0), n_shared)
    offset = own_mean - others_mean
    rho = _spearman_cols(own, loo, ~shared, n_shared)

    n_all = obs.sum(axis=0)
    dev = np.where(obs, x - np.nan_to_num(_safe_div(filled.sum(axis=0), n_all))[None, :], 0.0)
    sd = np.sqrt(_safe_div((dev * dev).sum(axis=0), n_all - 1, min_count=2))
    # Median SD of the *other* judges with at least two scores: a judges × judges table with
    # the judge itself masked out, so no loop over judges.
    peer = np.where((n_all >= 2)[None, :] & ~np.eye(sd.size, dtype=bool), sd[None, :], np.nan)
    others_sd = _nanmedian_rows(peer)

    bias_hit = (n_shared > 0) & (np.abs(np.nan_to_num(offset)) >= bias_points)
    rho_hit = (n_shared >= min_entries) & (np.nan_to_num(rho, nan=np.inf) < min_rho)
    flat_hit = (n_all >= min_entries) & (others_sd > 0) & (sd < min_spread_ratio * others_sd)

    # Building the flag objects touches only flagged judges.
    flags = [
        JudgeFlag(
            "harsh" if offset[j] < 0 else "lenient",
            int(j),
            {
                "offset": float(offset[j]),
                "own_mean": float(own_mean[j]),
                "others_mean": float(others_mean[j]),
                "n_entries": float(n_shared[j]),
                "threshold": float(bias_points),
            },
        )
        for j in np.flatnonzero(bias_hit)
    ]
    flags += [
        JudgeFlag(
            "disagrees",
            int(j),
            {"rho": float(rho[j]), "n_entries": float(n_shared[j]), "threshold": float(min_rho)},
        )
        for j in np.flatnonzero(rho_hit)
    ]
    flags += [
        JudgeFlag(
            "flat",
            int(j),
            {
                "sd": float(sd[j]),
                "others_sd": float(others_sd[j]),
                "ratio": float(sd[j] / others_sd[j]),
                "n_entries": float(n_all[j]),
                "threshold": float(min_spread_ratio),
            },
        )
        for j in np.flatnonzero(flat_hit)
    ]
    order = {code: k for k, code in enumerate(FLAG_CODES)}
    return sorted(flags, key=lambda f: (f.judge, order[f.code]))


def _nanmedian_rows(a: np.ndarray) -> np.ndarray:
    """Row medians ignoring NaN; NaN for an all-NaN row (no RuntimeWarning)."""
    if a.shape[1] == 0:
        return np.full(a.shape[0], np.nan)
    n = (~np.isnan(a)).sum(axis=1)
    srt = np.sort(a, axis=1)  # NaN sorts last
    rows = np.arange(a.shape[0])
    med = 0.5 * (srt[rows, np.maximum(n - 1, 0) // 2] + srt[rows, n // 2])
    return np.where(n > 0, med, np.nan)


def _safe_div(num: np.ndarray, count: np.ndarray, min_count: int = 1) -> np.ndarray:
    """num / count, NaN where count < min_count (no warnings)."""
    return np.divide(num, count, out=np.full(num.shape, np.nan), where=count >= min_count)


def _spearman_cols(a: np.ndarray, b: np.ndarray, missing: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Column-wise Spearman rho of a and b over the cells not ``missing``.

    Average ranks 1..n have mean (n + 1)/2 exactly, so the Pearson correlation of the ranks needs
    only three sums per column.
    """
    ra = column_ranks(a, missing, fill=0.0)
    rb = column_ranks(b, missing, fill=0.0)
    centre = n * ((n + 1) / 2.0) ** 2
    num = (ra * rb).sum(axis=0) - centre
    den = np.sqrt(((ra * ra).sum(axis=0) - centre) * ((rb * rb).sum(axis=0) - centre))
    return np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 1e-9 * (n + 1) ** 3)
