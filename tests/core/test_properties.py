"""Property tests (hypothesis) for the invariances the committee relies on."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.core.errors import DisconnectedDesignError, MissingScoresError
from scoring.core.normalise import aggregate, fit_additive, normalise
from scoring.core.ranking import combine_stages, rank_entries, weighted_total

# Per-test settings, not a global profile, so other test modules keep their own.
CORE = settings(max_examples=60, deadline=None)


@st.composite
def designs(draw: st.DrawFn, complete: bool = False) -> np.ndarray:
    """Integer scores 0–100 on entries × judges with some cells missing (NaN)."""
    n_e = draw(st.integers(3, 10))
    n_j = draw(st.integers(2, 6))
    x = draw(arrays(np.float64, (n_e, n_j), elements=st.integers(0, 100).map(float)))
    if not complete:
        gone = draw(arrays(np.bool_, (n_e, n_j), elements=st.booleans()))
        gone[np.arange(n_e), np.arange(n_e) % n_j] = False  # every entry keeps a score
        x[gone] = np.nan
    return x


def _connected(x: np.ndarray) -> bool:
    try:
        fit_additive(x)
    except DisconnectedDesignError:
        return False
    return True


@CORE
@given(designs(), st.integers(0, 5), st.integers(-30, 30))
def test_shifting_one_judge_shifts_additive_totals_uniformly(
    x: np.ndarray, judge: int, shift: int
) -> None:
    assume(_connected(x))
    j = judge % x.shape[1]
    y = x.copy()
    y[:, j] += shift
    before = aggregate(normalise(x, "additive"))
    after = aggregate(normalise(y, "additive"))
    diff = after - before
    # Every total moves by the same amount, so order and gaps (hence ranks) are unchanged.
    np.testing.assert_allclose(diff, diff[0], atol=1e-7)


@CORE
@given(designs(), st.integers(0, 5), st.integers(-30, 30))
def test_shifting_one_judge_shifts_zscore_uniformly(x: np.ndarray, judge: int, shift: int) -> None:
    j = judge % x.shape[1]
    y = x.copy()
    y[:, j] += shift
    diff = normalise(y, "zscore") - normalise(x, "zscore")
    observed = diff[~np.isnan(diff)]
    np.testing.assert_allclose(observed, observed[0], atol=1e-7)


@CORE
@given(designs(), st.randoms(use_true_random=False))
def test_permuting_judges_and_entries_permutes_output(x: np.ndarray, rnd: random.Random) -> None:
    pe = np.array(rnd.sample(range(x.shape[0]), x.shape[0]))
    pj = np.array(rnd.sample(range(x.shape[1]), x.shape[1]))
    y = x[pe][:, pj]
    for method in ("raw", "zscore", "rank"):
        np.testing.assert_allclose(normalise(y, method), normalise(x, method)[pe][:, pj])
    if _connected(x):
        fx, fy = fit_additive(x), fit_additive(y)
        np.testing.assert_allclose(fy.entry_score, fx.entry_score[pe], atol=1e-8)
        np.testing.assert_allclose(fy.judge_bias, fx.judge_bias[pj], atol=1e-8)
        assert fy.grand_mean == pytest.approx(fx.grand_mean)
    else:
        with pytest.raises(DisconnectedDesignError):
            fit_additive(y)
    for how in ("mean", "median", "trimmed"):
        np.testing.assert_allclose(aggregate(y, how), aggregate(x, how)[pe])


@CORE
@given(designs(complete=True))
def test_complete_design_additive_equals_raw_means(x: np.ndarray) -> None:
    raw = aggregate(x)
    additive = aggregate(normalise(x, "additive"))
    np.testing.assert_allclose(additive, raw, atol=1e-9)
    np.testing.assert_allclose(fit_additive(x).entry_score, raw, atol=1e-9)
    np.testing.assert_array_equal(rank_entries(additive), rank_entries(raw))


@CORE
@given(designs())
def test_judge_bias_sums_to_zero_and_entry_effects_center(x: np.ndarray) -> None:
    assume(_connected(x))
    fit = fit_additive(x)
    assert abs(fit.judge_bias.sum()) < 1e-8
    assert fit.entry_score.mean() == pytest.approx(fit.grand_mean)


@CORE
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 8), st.integers(1, 5)),
        elements=st.one_of(st.integers(0, 100).map(float), st.just(np.nan)),
    )
)
def test_nan_never_leaks_silently(crit: np.ndarray) -> None:
    total = weighted_total(crit, np.arange(1, crit.shape[1] + 1))
    np.testing.assert_array_equal(np.isnan(total), np.isnan(crit).any(axis=1))
    agg = aggregate(crit)
    np.testing.assert_array_equal(np.isnan(agg), np.isnan(crit).all(axis=1))
    if np.isnan(total).any():
        with pytest.raises(MissingScoresError):
            rank_entries(total)
        ranks = rank_entries(total, nan_policy="last")
        assert ranks[np.isnan(total)].min() > ranks[~np.isnan(total)].max(initial=0)
    else:
        rank_entries(total)


@CORE
@given(
    arrays(np.float64, st.integers(1, 15), elements=st.integers(0, 20).map(float)),
    st.integers(0, 3),
)
def test_ranks_are_standard_competition(total: np.ndarray, k: int) -> None:
    rng = np.random.default_rng(int(total.sum()))
    tb = rng.integers(0, 3, (total.size, k)).astype(float)
    ranks = rank_entries(total, tb if k else None)
    keys = np.column_stack([total, tb])
    for i in range(total.size):  # brute force: 1 + number of entries strictly better
        better = 0
        for j in range(total.size):
            for a, b in zip(keys[j], keys[i], strict=True):
                if a != b:
                    better += a > b
                    break
        assert ranks[i] == 1 + better


@CORE
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(2, 10), st.just(3)),
        elements=st.integers(0, 100).map(float),
    ),
    st.lists(st.integers(1, 3), min_size=10, max_size=10),
)
def test_reaching_more_stages_always_ranks_higher(scores: np.ndarray, reach: list[int]) -> None:
    tiers = np.array(reach[: scores.shape[0]])
    reached = np.arange(3)[None, :] < tiers[:, None]
    scores = np.where(reached, scores, np.nan)
    total = combine_stages(scores, [30, 30, 40])
    ranks = rank_entries(total)
    for t in (1, 2):
        if (tiers > t).any() and (tiers == t).any():
            assert ranks[tiers > t].max() < ranks[tiers == t].min()


@CORE
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(0, 12), st.integers(0, 5)),
        elements=st.one_of(st.integers(0, 6).map(float), st.just(np.nan)),
    )
)
def test_column_ranks_match_scipy(x: np.ndarray) -> None:
    from scipy.stats import rankdata

    from scoring.core._arrays import column_ranks

    if x.size:
        expected = rankdata(x, axis=0, nan_policy="omit")
        np.testing.assert_allclose(column_ranks(x), expected)
    assert column_ranks(x).shape == x.shape
