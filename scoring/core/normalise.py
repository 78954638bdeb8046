"""Calibrating judges: put every judge's scores on a common footing, then aggregate per entry.

Input is a float matrix of entries (rows) × judges (columns) with NaN where a judge did not score
an entry. Every function keeps NaN where the input is NaN and never fills it in.

Methods (``normalise``):

* ``"raw"``: scores as given.
* ``"zscore"``: per judge, z = (x − mean_j) / sd_j, then rescaled to the pooled mean (mean of all
  observed scores) and the pooled within-judge SD sqrt(Σ(n_j − 1)s_j² / Σ(n_j − 1)) (Cohen 1988,
  §2.2; the "standard score" calibration of e.g. Bloxham & Price 2015). A judge with fewer than two
  scores or no spread cannot be rescaled, so their scores are only shifted: x − mean_j + pooled
  mean (a single score therefore lands exactly on the pooled mean).
* ``"rank"``: per judge percentile rank 100·(r − ½)/n_j with average ranks r for ties (the mid-rank
  percentile; Hazen 1914 plotting position). Results lie strictly inside 0–100.
* ``"additive"`` (default): the two-way additive model score_ij = μ + a_i + b_j + e_ij fitted by
  least squares on the observed cells (intra-block analysis of an incomplete block design:
  Yates 1936; Montgomery, *Design and Analysis of Experiments*, 8th ed., §4.4), then
  calibrated_ij = score_ij − b_j.

zscore and additive results may fall slightly outside 0–100; they are not clipped, because
clipping would create ties that are not in the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.sparse.csgraph import connected_components

from scoring.core._arrays import as_matrix, column_ranks, count_sum
from scoring.core.errors import CoreError, DisconnectedDesignError

Method = Literal["raw", "zscore", "rank", "additive"]
METHODS: tuple[Method, ...] = ("raw", "zscore", "rank", "additive")
Aggregation = Literal["mean", "median", "trimmed"]
TRIM_MIN_SCORES = 4


@dataclass(frozen=True)
class AdditiveFit:
    """Least-squares fit of score_ij = μ + a_i + b_j + e_ij with Σa_i = Σb_j = 0.

    ``entry_score[i]`` is μ + a_i (NaN for an entry nobody scored), ``judge_bias[j]`` is b_j
    (0.0 for a judge with no scores, who then does not enter Σb_j), ``grand_mean`` is μ.
    A positive bias means a lenient judge.
    """

    entry_score: np.ndarray
    judge_bias: np.ndarray
    grand_mean: float


def fit_additive(scores: ArrayLike) -> AdditiveFit:
    """Fit entry quality and judge severity jointly from an incomplete entries × judges matrix.

    Normal equations of the two-way additive model without interaction, with entries eliminated
    (the "reduced normal equations" / C-matrix of block designs; Montgomery, *Design and Analysis
    of Experiments*, §4.4 and Searle, *Linear Models*, 1971, §7.2):

        C b = Q,  C = diag(c) − Nᵀ diag(1/r) N,  Q_j = Y_·j − Σ_i n_ij Y_i· / r_i

    where N is the 0/1 incidence matrix, r_i and c_j the entry and judge counts, and Y the totals.
    C is singular with null space 1 when the entry–judge graph is connected, so we solve
    (C + 11ᵀ) b = Q, which gives the solution with Σb_j = 0. Then μ + a_i = mean_j(score_ij − b_j)
    and μ is the mean of those over scored entries, so Σa_i = 0.

    Raises DisconnectedDesignError (with the groups) when the graph is not connected: judge
    severity is then not comparable between groups and any single answer would be arbitrary.
    """
    x = as_matrix(scores)
    obs = ~np.isnan(x)
    if not obs.any():
        raise CoreError("no scores at all: nothing to fit")
    n_entries, n_judges = x.shape
    r = obs.sum(axis=1)
    c = obs.sum(axis=0)
    scored_e = r > 0
    active = np.flatnonzero(c > 0)

    incid = obs[:, active].astype(np.float64)
    inv_r = np.divide(1.0, r, out=np.zeros(n_entries), where=scored_e)
    # gram[j, k] = Σ_i n_ij n_ik / r_i, positive exactly when judges j and k share an entry.
    gram = incid.T @ (incid * inv_r[:, None])
    _check_connected(obs, gram > 0, active)

    y = np.where(obs, x, 0.0)
    row_tot = y.sum(axis=1)
    row_mean = row_tot * inv_r
    cmat = np.diag(c[active].astype(np.float64)) - gram
    q = y[:, active].sum(axis=0) - incid.T @ row_mean
    b_active = np.linalg.solve(cmat + 1.0, q)
    b_active -= b_active.mean()  # exact zero sum despite rounding

    bias = np.zeros(n_judges)
    bias[active] = b_active
    alpha = np.full(n_entries, np.nan)
    alpha[scored_e] = (row_tot[scored_e] - incid[scored_e] @ b_active) * inv_r[scored_e]
    grand = float(alpha[scored_e].mean())
    return AdditiveFit(entry_score=alpha, judge_bias=bias, grand_mean=grand)


def _check_connected(obs: np.ndarray, shared: np.ndarray, active: np.ndarray) -> None:
    """Raise DisconnectedDesignError unless every scored entry and judge form one graph.

    ``shared`` is the judges × judges "scored a common entry" matrix. Every scored entry hangs
    on its judges, so the bipartite entry–judge graph is connected exactly when this small judge
    graph is (scipy.sparse.csgraph.connected_components).
    """
    if active.size <= 1:
        return
    n_groups, label = connected_components(shared, directed=False)
    if n_groups == 1:
        return
    scored = np.flatnonzero(obs.any(axis=1))
    entry_label = label[np.argmax(obs[scored][:, active], axis=1)]
    groups = [(scored[entry_label == g], active[label == g]) for g in range(n_groups)]
    groups.sort(key=lambda grp: grp[0][0] if grp[0].size else np.iinfo(np.int64).max)
    raise DisconnectedDesignError(groups)


def normalise(scores: ArrayLike, method: Method = "additive") -> np.ndarray:
    """Calibrated scores, same shape as ``scores``, NaN where the input is NaN.

    See the module docstring for each method and its source. ``"additive"`` raises
    DisconnectedDesignError for a disconnected design (see ``fit_additive``).
    """
    x = as_matrix(scores)
    obs = ~np.isnan(x)
    if method == "raw":
        return x.copy()
    if method == "additive":
        return x - fit_additive(x).judge_bias[None, :]
    if method == "zscore":
        return _zscore(x, obs)
    if method == "rank":
        n = obs.sum(axis=0)
        ranks = column_ranks(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(obs, 100.0 * (ranks - 0.5) / n[None, :], np.nan)
    raise CoreError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def _zscore(x: np.ndarray, obs: np.ndarray) -> np.ndarray:
    n, s1 = count_sum(x, axis=0)
    if n.sum() == 0:
        return x.copy()
    mean = np.divide(s1, n, out=np.zeros_like(s1), where=n > 0)
    # Sum of squared deviations per judge, computed around the mean for accuracy.
    dev = np.where(obs, x - mean[None, :], 0.0)
    ss = (dev * dev).sum(axis=0)
    dof = np.maximum(n - 1, 0)
    pooled_mean = s1.sum() / n.sum()
    pooled_sd = float(np.sqrt(ss.sum() / dof.sum())) if dof.sum() > 0 else 0.0
    sd = np.sqrt(np.divide(ss, dof, out=np.zeros_like(ss), where=dof > 0))
    scalable = (n >= 2) & (sd > 1e-12 * np.maximum(1.0, np.abs(mean))) & (pooled_sd > 0)
    factor = np.divide(pooled_sd, sd, out=np.ones_like(sd), where=scalable)
    return np.where(obs, dev * factor[None, :] + pooled_mean, np.nan)


def aggregate(calibrated: ArrayLike, how: Aggregation = "mean") -> np.ndarray:
    """One score per entry from its calibrated scores (NaN cells ignored).

    * ``"mean"``: arithmetic mean.
    * ``"median"``: median (mean of the two middle values for an even count).
    * ``"trimmed"``: with at least 4 scores, drop one highest and one lowest and average the rest
      (a 1-score trimmed mean as in Olympic-style judging; Wilcox, *Introduction to Robust
      Estimation*, 2012, §2.2.2). Below 4 scores there is nothing safe to drop, so it is the
      plain mean.

    An entry with no scores gets NaN (never 0), which ``rank_entries`` then refuses.
    """
    x = as_matrix(calibrated, "calibrated")
    n, s1 = count_sum(x, axis=1)
    has = n > 0
    mean = np.divide(s1, n, out=np.full(s1.shape, np.nan), where=has)
    if how == "mean":
        return mean
    if how == "trimmed":
        hi = np.max(np.where(np.isnan(x), -np.inf, x), axis=1, initial=-np.inf)
        lo = np.min(np.where(np.isnan(x), np.inf, x), axis=1, initial=np.inf)
        trim = n >= TRIM_MIN_SCORES
        inner = s1 - np.where(trim, hi, 0.0) - np.where(trim, lo, 0.0)
        return np.divide(inner, n - 2, out=mean.copy(), where=trim)
    if how == "median":
        if x.shape[1] == 0:
            return mean
        srt = np.sort(x, axis=1)  # NaN sorts last, so the observed values come first
        rows = np.arange(x.shape[0])
        med = 0.5 * (srt[rows, np.maximum(n - 1, 0) // 2] + srt[rows, n // 2])
        return np.where(has, med, np.nan)
    raise CoreError(f"unknown aggregation {how!r}; choose mean, median or trimmed")
