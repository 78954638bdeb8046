"""Input checks shared by the core modules (private)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from scoring.core.errors import ShapeError


def as_matrix(values: ArrayLike, name: str = "scores") -> np.ndarray:
    """Return ``values`` as a 2-D float64 array (entries × judges), or raise ShapeError."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2:
        raise ShapeError(f"{name} must be a 2-D array (entries × judges), got {arr.ndim}-D")
    if np.isinf(arr).any():
        raise ShapeError(f"{name} contains an infinite value; use NaN for 'not scored'")
    return arr


def as_vector(values: ArrayLike, name: str, length: int | None = None) -> np.ndarray:
    """Return ``values`` as a 1-D float64 array, optionally of a given length."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ShapeError(f"{name} must be 1-D, got {arr.ndim}-D")
    if length is not None and arr.shape[0] != length:
        raise ShapeError(f"{name} has {arr.shape[0]} values, expected {length}")
    return arr


def as_weights(weights: ArrayLike, length: int, name: str = "weights") -> np.ndarray:
    """Weights: 1-D, finite, non-negative, with a positive sum (they need not sum to 1 or 100)."""
    w = as_vector(weights, name, length)
    if not np.isfinite(w).all() or (w < 0).any():
        raise ShapeError(f"{name} must be finite and non-negative")
    if w.sum() <= 0:
        raise ShapeError(f"{name} must have a positive sum")
    return w


def count_sum(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Count and sum of the non-NaN values along ``axis`` (no warnings)."""
    obs = ~np.isnan(x)
    return obs.sum(axis=axis), np.where(obs, x, 0.0).sum(axis=axis)


def column_ranks(
    x: np.ndarray, missing: np.ndarray | None = None, fill: float = np.nan
) -> np.ndarray:
    """Average ranks (1 = lowest) within each column; missing cells (default: NaN) get ``fill``.

    Same result as ``scipy.stats.rankdata(x, axis=0, nan_policy="omit")``, about twice as fast on
    entries × judges matrices because it sorts contiguous rows of the transpose and averages each
    run of ties in one vectorised step.
    """
    if missing is None:
        missing = np.isnan(x)
    rows = np.ascontiguousarray(np.where(missing, np.inf, x).T)  # NaN → +inf sorts last
    n_cols, n = rows.shape
    if n == 0 or n_cols == 0:
        return np.full(x.shape, np.nan)
    order = np.argsort(rows, axis=1)
    flat = (order + (np.arange(n_cols) * n)[:, None]).ravel()  # positions in rows.ravel()
    srt = rows.ravel()[flat].reshape(rows.shape)
    new_group = np.ones(rows.shape, bool)
    new_group[:, 1:] = srt[:, 1:] != srt[:, :-1]  # a group never spans two columns
    starts = np.flatnonzero(new_group)
    sizes = np.diff(np.append(starts, new_group.size))
    # Average 1-based position of each run of equal values, then one value per element.
    mean_pos = starts % n + (sizes + 1) / 2.0
    ranks = np.empty(rows.size)
    ranks[flat] = np.repeat(mean_pos, sizes)
    out = ranks.reshape(rows.shape).T
    out[missing] = fill
    return out
