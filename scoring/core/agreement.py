"""How far judges agree: ICC, Kendall's W, Krippendorff's alpha, and per-judge flags.

``icc`` and ``kendall_w`` need complete rows (every judge scored every row); pass the complete
rows of a panel. ``krippendorff_alpha`` takes NaN for missing values. ``judge_flags`` lives in
``scoring.core.flags`` and is re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import chi2 as chi2_dist
from scipy.stats import rankdata

from scoring.core._arrays import as_matrix
from scoring.core.errors import CoreError, IncompleteRatingsError
from scoring.core.flags import JudgeFlag, judge_flags

__all__ = ["JudgeFlag", "KendallW", "icc", "judge_flags", "kendall_w", "krippendorff_alpha"]

Level = Literal["nominal", "ordinal", "interval", "ratio"]


def _complete(ratings: ArrayLike, what: str) -> np.ndarray:
    x = as_matrix(ratings, "ratings")
    if np.isnan(x).any():
        rows = np.flatnonzero(np.isnan(x).any(axis=1))
        raise IncompleteRatingsError(
            f"{what} needs complete rows; rows {rows[:10].tolist()} have missing scores "
            "(use only the rows every judge scored)"
        )
    if x.shape[0] < 2 or x.shape[1] < 2:
        raise IncompleteRatingsError(f"{what} needs at least 2 rows and 2 judges, got {x.shape}")
    return x


def icc(ratings: ArrayLike) -> dict[str, float]:
    """The six intraclass correlations of Shrout & Fleiss (1979), targets × judges, complete.

    From the two-way ANOVA mean squares BMS (targets), JMS (judges), EMS (residual) and the
    one-way WMS (within targets), with n targets and k judges (Shrout & Fleiss 1979, Table 3):

        ICC1  = (BMS − WMS) / (BMS + (k−1) WMS)              ICC1k = (BMS − WMS) / BMS
        ICC2  = (BMS − EMS) / (BMS + (k−1) EMS + k (JMS − EMS)/n)
        ICC2k = (BMS − EMS) / (BMS + (JMS − EMS)/n)
        ICC3  = (BMS − EMS) / (BMS + (k−1) EMS)              ICC3k = (BMS − EMS) / BMS

    Raises IncompleteRatingsError for NaN or fewer than 2 targets or judges, CoreError when the
    ratings have no variation at all.
    """
    x = _complete(ratings, "ICC")
    n, k = x.shape
    grand = x.mean()
    ss_total = float(((x - grand) ** 2).sum())
    ss_rows = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    bms = ss_rows / (n - 1)
    jms = ss_cols / (k - 1)
    ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    wms = (ss_total - ss_rows) / (n * (k - 1))
    if bms <= 0 and ems <= 0:
        raise CoreError("ICC is undefined: all targets have identical scores")
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "ICC1": float((bms - wms) / (bms + (k - 1) * wms)),
            "ICC2": float((bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)),
            "ICC3": float((bms - ems) / (bms + (k - 1) * ems)),
            "ICC1k": float((bms - wms) / bms),
            "ICC2k": float((bms - ems) / (bms + (jms - ems) / n)),
            "ICC3k": float((bms - ems) / bms),
        }


@dataclass(frozen=True)
class KendallW:
    """Kendall's coefficient of concordance with its chi-square test (df = items − 1)."""

    w: float
    chi2: float
    df: int
    p_value: float


def kendall_w(ratings: ArrayLike, correct_ties: bool = True) -> KendallW:
    """Kendall's W for items × raters (higher = better), complete rows.

    Each rater's column is ranked with average ranks for ties. With m raters, n items, rank sums
    R_i and S = Σ(R_i − m(n+1)/2)² (Kendall & Babington Smith 1939; Siegel & Castellan,
    *Nonparametric Statistics*, 2nd ed. 1988, §9.4, eqs. 9.15–9.16):

        W = 12 S / (m²(n³ − n) − m ΣT),  T_j = Σ_groups (t³ − t) per rater,

    where the tie term is dropped when ``correct_ties`` is False. χ² = m(n − 1) W on n − 1 df,
    which with the tie correction equals Friedman's statistic.
    """
    x = _complete(ratings, "Kendall's W")
    n, m = x.shape
    ranks = rankdata(x, axis=0)
    s = float(((ranks.sum(axis=1) - m * (n + 1) / 2.0) ** 2).sum())
    ties = _tie_term(x) if correct_ties else 0.0
    denom = m * m * (n**3 - n) - m * ties
    if denom <= 0:
        raise CoreError("Kendall's W is undefined: every rater gave all items the same score")
    w = 12.0 * s / denom
    chi2 = m * (n - 1) * w
    return KendallW(w=w, chi2=chi2, df=n - 1, p_value=float(chi2_dist.sf(chi2, n - 1)))


def _tie_term(x: np.ndarray) -> float:
    """Σ over raters and tie groups of t³ − t, without a loop over raters."""
    srt = np.sort(x, axis=0)
    starts = np.vstack([np.ones((1, x.shape[1]), bool), srt[1:] != srt[:-1]])
    group = np.cumsum(starts.T.ravel())  # column-major so groups never span two raters
    t = np.bincount(group).astype(np.float64)
    return float((t**3 - t).sum())


def krippendorff_alpha(ratings: ArrayLike, level: Level = "interval") -> float:
    """Krippendorff's alpha, units × raters with NaN for missing values.

    α = 1 − D_o / D_e = 1 − (n − 1) Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck over pairable values
    (units with at least two values), where o_ck is the coincidence matrix
    o_ck = Σ_u (number of c–k pairs in u) / (m_u − 1) and n_c its margins (Krippendorff,
    "Computing Krippendorff's Alpha-Reliability", 2011; *Content Analysis*, 2004, §11.3).
    Distances δ²: nominal 1[c ≠ k]; interval (c − k)²; ratio ((c − k)/(c + k))²; ordinal
    (Σ_{g=c}^{k} n_g − (n_c + n_k)/2)².

    Computed without a loop over units: for nominal from per-unit value counts; for interval
    from per-unit sums, using Σ_{i≠j}(x_i − x_j)² = 2(m Σx² − (Σx)²); ordinal is interval on the
    mid-ranks of the pairable values (the ordinal δ is exactly the squared mid-rank
    difference); ratio from the coincidence matrix built with a sparse product.
    """
    x = as_matrix(ratings, "ratings")
    obs = ~np.isnan(x)
    pairable = obs.sum(axis=1) >= 2
    unit, _ = np.nonzero(obs & pairable[:, None])
    values = x[obs & pairable[:, None]]
    n = values.size
    if n < 2:
        raise IncompleteRatingsError("alpha needs at least one unit with two or more values")
    if values.min() == values.max():
        raise CoreError("alpha is undefined: every pairable value is the same")
    m_u = np.bincount(unit).astype(np.float64)
    keep = m_u > 0
    m_u = m_u[keep]
    unit = np.cumsum(keep)[unit] - 1
    if level in ("nominal", "ratio"):
        codes, counts = np.unique(values, return_inverse=True, return_counts=True)[1:]
    if level == "nominal":
        pair = np.unique(unit * counts.size + codes, return_counts=True)
        sq = np.bincount(pair[0] // counts.size, weights=pair[1].astype(np.float64) ** 2)
        d_obs = float(((m_u**2 - sq) / (m_u - 1)).sum())
        d_exp = float(n * n - (counts.astype(np.float64) ** 2).sum())
    elif level in ("interval", "ordinal"):
        v = rankdata(values) if level == "ordinal" else values - values.mean()
        s1 = np.bincount(unit, weights=v)
        s2 = np.bincount(unit, weights=v * v)
        d_obs = float((2.0 * (m_u * s2 - s1 * s1) / (m_u - 1)).sum())
        d_exp = float(2.0 * (n * (v * v).sum() - v.sum() ** 2))
    elif level == "ratio":
        d_obs, d_exp = _ratio_sums(np.unique(values), codes, counts, unit, m_u)
    else:
        raise CoreError(f"unknown level {level!r}; choose nominal, ordinal, interval or ratio")
    return 1.0 - (n - 1) * d_obs / d_exp


def _ratio_sums(
    domain: np.ndarray, codes: np.ndarray, counts: np.ndarray, unit: np.ndarray, m_u: np.ndarray
) -> tuple[float, float]:
    """Σ o_ck δ²_ck and Σ n_c n_k δ²_ck for the ratio metric via a sparse coincidence matrix."""
    from scipy.sparse import coo_matrix, diags

    size = domain.size
    unit_counts = coo_matrix((np.ones(codes.size), (unit, codes)), shape=(m_u.size, size)).tocsr()
    coinc = (unit_counts.T @ diags(1.0 / (m_u - 1)) @ unit_counts).tocoo()
    d_obs = float((coinc.data * _ratio_delta(domain[coinc.row], domain[coinc.col])).sum())
    d_exp = 0.0
    nc = counts.astype(np.float64)
    for start in range(0, size, 2048):  # blocks of rows keep the V × V table small
        block = _ratio_delta(domain[start : start + 2048, None], domain[None, :])
        d_exp += float(nc[start : start + 2048] @ block @ nc)
    return d_obs, d_exp


def _ratio_delta(c: np.ndarray, k: np.ndarray) -> np.ndarray:
    den = c + k
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, ((c - k) / np.where(den != 0, den, 1.0)) ** 2, 0.0)
