"""normalise, fit_additive and aggregate: reference values and behaviour."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.core.errors import CoreError, DisconnectedDesignError
from scoring.core.normalise import METHODS, aggregate, fit_additive, normalise

NAN = np.nan

# Montgomery, Design and Analysis of Experiments (8th ed., 2013), Example 4.5 / Table 4.22:
# a balanced incomplete block design, 4 catalysts (treatments) in 4 batches of raw material
# (blocks), 3 catalysts per batch, response = reaction time. Here catalysts are entries and
# batches are judges. Montgomery's adjusted treatment effects are τ̂_i = k Q_i / (λ a) with
# k = 3, λ = 2, a = 4 and Q = (−9/3, −7/3, −4/3, 20/3), i.e. τ̂ = (−9/8, −7/8, −4/8, 20/8);
# μ̂ = y../N = 870/12 = 72.5.
BIBD = np.array(
    [
        [73, 74, NAN, 71],
        [NAN, 75, 67, 72],
        [73, 75, 68, NAN],
        [75, NAN, 72, 75],
    ]
)
BIBD_TREATMENT_EFFECTS = np.array([-1.125, -0.875, -0.5, 2.5])
# Block effects by hand from β̂_j = (y.j − k μ̂ − Σ_{i in j} τ̂_i) / k with block totals
# 221, 224, 207, 218: (2.625/3, 9/3, −11.625/3, 0/3).
BIBD_BLOCK_EFFECTS = np.array([0.875, 3.0, -3.875, 0.0])


def test_fit_additive_matches_montgomery_bibd() -> None:
    fit = fit_additive(BIBD)
    assert fit.grand_mean == pytest.approx(72.5)
    np.testing.assert_allclose(fit.entry_score - fit.grand_mean, BIBD_TREATMENT_EFFECTS)
    np.testing.assert_allclose(fit.judge_bias, BIBD_BLOCK_EFFECTS, atol=1e-12)
    # Adjusted treatment sum of squares k ΣQ²/(λa) = 22.75 (Montgomery, Table 4.23).
    q = BIBD_TREATMENT_EFFECTS * 2 * 4 / 3
    assert 3 * (q**2).sum() / 8 == pytest.approx(22.75)


def test_additive_mean_equals_entry_score() -> None:
    fit = fit_additive(BIBD)
    np.testing.assert_allclose(aggregate(normalise(BIBD, "additive")), fit.entry_score)


def test_fit_additive_recovers_exact_additive_data() -> None:
    rng = np.random.default_rng(7)
    a = rng.normal(0, 8, 30)
    b = rng.normal(0, 6, 5)
    b -= b.mean()
    x = 70 + a[:, None] + b[None, :]
    x[rng.random(x.shape) < 0.4] = NAN
    x[np.arange(30), np.arange(30) % 5] = 70 + a + b[np.arange(30) % 5]  # ≥1 score per entry
    fit = fit_additive(x)
    np.testing.assert_allclose(fit.judge_bias, b, atol=1e-9)
    np.testing.assert_allclose(fit.entry_score - fit.entry_score.mean(), a - a.mean(), atol=1e-9)
    assert fit.judge_bias.sum() == pytest.approx(0, abs=1e-9)


def test_unscored_entry_and_judge() -> None:
    x = np.array([[70, 80, NAN], [60, 75, NAN], [NAN, NAN, NAN]])
    fit = fit_additive(x)
    assert np.isnan(fit.entry_score[2])
    assert fit.judge_bias[2] == 0.0
    assert fit.judge_bias.sum() == pytest.approx(0)
    np.testing.assert_allclose(fit.judge_bias[:2], [-6.25, 6.25])


def test_disconnected_design_names_groups() -> None:
    # Panel A (judges 0, 1) sees entries 0–1, panel B (judges 2, 3) sees entries 2–3.
    x = np.array(
        [
            [70, 72, NAN, NAN],
            [80, 78, NAN, NAN],
            [NAN, NAN, 60, 65],
            [NAN, NAN, 90, 85],
        ]
    )
    with pytest.raises(DisconnectedDesignError) as err:
        fit_additive(x)
    assert err.value.groups == [((0, 1), (0, 1)), ((2, 3), (2, 3))]
    assert "2 unconnected groups" in str(err.value)
    with pytest.raises(DisconnectedDesignError):
        normalise(x, "additive")
    x[0, 2] = 71  # one judge crossing panels connects the design
    assert np.isfinite(fit_additive(x).entry_score).all()


def test_no_scores_at_all() -> None:
    with pytest.raises(CoreError):
        fit_additive(np.full((3, 2), NAN))


@pytest.mark.parametrize("method", METHODS)
def test_normalise_keeps_nan_and_shape(method: str) -> None:
    out = normalise(BIBD, method)
    assert out.shape == BIBD.shape
    np.testing.assert_array_equal(np.isnan(out), np.isnan(BIBD))


def test_raw_is_a_copy() -> None:
    out = normalise(BIBD, "raw")
    out[0, 0] = 0
    assert BIBD[0, 0] == 73


def test_zscore_rescales_to_pooled_mean_and_sd() -> None:
    x = np.array([[60, 90], [70, 95], [80, 100.0]])
    out = normalise(x, "zscore")
    # Both judges have SD 10 and 5 resp.; pooled SD = sqrt((2·100 + 2·25)/4), pooled mean 82.5.
    pooled_sd = np.sqrt((200 + 50) / 4)
    np.testing.assert_allclose(out[:, 0], out[:, 1])
    np.testing.assert_allclose(out[:, 0], 82.5 + pooled_sd * np.array([-1, 0, 1]))


def test_zscore_single_score_and_flat_judge_are_shifted_only() -> None:
    x = np.array([[60, 90, 70], [70, NAN, 70], [80, NAN, 70.0]])
    out = normalise(x, "zscore")
    pooled_mean = np.nanmean(x)
    assert out[0, 1] == pytest.approx(pooled_mean)  # one score: lands on the pooled mean
    np.testing.assert_allclose(out[:, 2], pooled_mean)  # no spread: all on the pooled mean


def test_rank_percentiles() -> None:
    x = np.array([[50, 1], [70, NAN], [70, 3], [90, 2.0]])
    out = normalise(x, "rank")
    np.testing.assert_allclose(out[:, 0], [12.5, 50, 50, 87.5])  # 100(r − ½)/n, ties averaged
    np.testing.assert_allclose(out[[0, 2, 3], 1], [100 / 6, 500 / 6, 50])


def test_unknown_method() -> None:
    with pytest.raises(CoreError, match="unknown method"):
        normalise(BIBD, "median")  # type: ignore[arg-type]


def test_aggregate_rules() -> None:
    x = np.array(
        [
            [60, 70, 80, 90, 100],  # 5 scores: drop 60 and 100
            [60, 70, 100, NAN, NAN],  # 3 scores: trimmed falls back to the plain mean
            [NAN, NAN, NAN, NAN, NAN],  # nobody scored: NaN, never 0
            [50, 50, 90, 90, NAN],  # 4 scores: drop one 50 and one 90
        ]
    )
    np.testing.assert_allclose(aggregate(x, "mean"), [80, 230 / 3, NAN, 70])
    np.testing.assert_allclose(aggregate(x, "median"), [80, 70, NAN, 70])
    np.testing.assert_allclose(aggregate(x, "trimmed"), [80, 230 / 3, NAN, 70])
    with pytest.raises(CoreError):
        aggregate(x, "mode")  # type: ignore[arg-type]


def test_aggregate_no_warnings_on_empty_rows() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for how in ("mean", "median", "trimmed"):
            assert np.isnan(aggregate(np.full((2, 3), NAN), how)).all()  # type: ignore[arg-type]
