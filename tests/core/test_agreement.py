"""icc, kendall_w, krippendorff_alpha against published examples and independent code."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.stats import friedmanchisquare

from scoring.core.agreement import icc, kendall_w, krippendorff_alpha
from scoring.core.errors import CoreError, IncompleteRatingsError

NAN = np.nan

# Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
# reliability. Psychological Bulletin 86(2), 420–428. Table 2: 6 targets × 4 judges.
SHROUT_FLEISS = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ],
    dtype=float,
)
# Their Table 4: ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71, ICC(1,4) .44, ICC(2,4) .62,
# ICC(3,4) .91.
SHROUT_FLEISS_ICC = {
    "ICC1": 0.17,
    "ICC2": 0.29,
    "ICC3": 0.71,
    "ICC1k": 0.44,
    "ICC2k": 0.62,
    "ICC3k": 0.91,
}


def test_icc_shrout_fleiss_table() -> None:
    got = icc(SHROUT_FLEISS)
    assert set(got) == set(SHROUT_FLEISS_ICC)
    for key, published in SHROUT_FLEISS_ICC.items():
        assert round(got[key], 2) == published, key


def test_icc_mean_squares_by_hand() -> None:
    # Shrout & Fleiss Table 2 ANOVA: BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02; ICC(3,1) from them.
    bms, ems = 11.24, 1.02
    assert icc(SHROUT_FLEISS)["ICC3"] == pytest.approx((bms - ems) / (bms + 3 * ems), abs=2e-3)


# pingouin 0.7 labels the forms McGraw & Wong style: A = absolute agreement, C = consistency.
PINGOUIN_NAMES = {
    "ICC1": "ICC(1,1)",
    "ICC2": "ICC(A,1)",
    "ICC3": "ICC(C,1)",
    "ICC1k": "ICC(1,k)",
    "ICC2k": "ICC(A,k)",
    "ICC3k": "ICC(C,k)",
}


@pytest.mark.parametrize("shape", [(6, 4), (15, 3), (40, 7), (5, 2)])
def test_icc_matches_pingouin(shape: tuple[int, int]) -> None:
    pd = pytest.importorskip("pandas")
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(sum(shape))
    n, k = shape
    x = rng.normal(0, 1, (n, 1)) * 2 + rng.normal(0, 1, (1, k)) + rng.normal(0, 1, (n, k))
    long = pd.DataFrame(
        {
            "target": np.repeat(np.arange(n), k),
            "judge": np.tile(np.arange(k), n),
            "score": x.ravel(),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin's own pandas deprecation notices
        table = pg.intraclass_corr(long, targets="target", raters="judge", ratings="score")
    ref = dict(zip(table["Type"], table["ICC"], strict=True))
    got = icc(x)
    for key, theirs in PINGOUIN_NAMES.items():
        assert got[key] == pytest.approx(ref[theirs], abs=1e-10), key


def test_icc_needs_complete_rows() -> None:
    x = SHROUT_FLEISS.copy()
    x[2, 1] = NAN
    with pytest.raises(IncompleteRatingsError, match=r"rows \[2\]"):
        icc(x)
    with pytest.raises(IncompleteRatingsError):
        icc(SHROUT_FLEISS[:1])
    with pytest.raises(IncompleteRatingsError):
        icc(SHROUT_FLEISS[:, :1])
    with pytest.raises(CoreError):
        icc(np.ones((4, 3)))


# Siegel, S. (1956). Nonparametric Statistics for the Behavioral Sciences, ch. 9 (Kendall
# coefficient of concordance W): three executives rank six job applicants, no ties.
# Rank sums 8, 14, 11, 11, 11, 8; s = 25.5; W = 12·25.5 / (3²(6³ − 6)) = .16.
SIEGEL_NO_TIES = np.array(
    [[1, 6, 3, 2, 5, 4], [1, 5, 6, 4, 2, 3], [6, 3, 2, 5, 4, 1]], dtype=float
).T  # items × raters

# NAG Library routine g08daf (Kendall's coefficient of concordance), example program data and
# published results (Mark 26.2): 3 comparisons × 10 objects with ties, W = 0.828 (tie-corrected),
# significance 0.008. The routine cites Siegel (1956). By hand: rank sums 5.5, 6.5, 9, 13.5, 12,
# 20, 23, 23.5, 25.5, 26.5; S = 591; Σ(t³ − t) = 12 + 18 + 84 = 114, so W = 7092/8568 = 0.8277
# with the correction and 7092/8910 = 0.7960 without.
NAG_TIES = np.array(
    [
        [1.0, 4.5, 2.0, 4.5, 3.0, 7.5, 6.0, 9.0, 7.5, 10.0],
        [2.5, 1.0, 2.5, 4.5, 4.5, 8.0, 9.0, 6.5, 10.0, 6.5],
        [2.0, 1.0, 4.5, 4.5, 4.5, 4.5, 8.0, 8.0, 8.0, 10.0],
    ]
).T


def test_kendall_w_without_ties_siegel() -> None:
    res = kendall_w(SIEGEL_NO_TIES)
    assert res.w == pytest.approx(12 * 25.5 / (9 * 210))
    assert round(res.w, 2) == 0.16
    assert res.df == 5
    assert res.chi2 == pytest.approx(3 * 5 * res.w)
    assert kendall_w(SIEGEL_NO_TIES, correct_ties=False).w == pytest.approx(res.w)


def test_kendall_w_with_ties_nag_example() -> None:
    res = kendall_w(NAG_TIES)
    assert round(res.w, 3) == 0.828
    assert round(res.p_value, 3) == 0.008
    assert res.w == pytest.approx(7092 / 8568)
    assert kendall_w(NAG_TIES, correct_ties=False).w == pytest.approx(7092 / 8910)


def test_kendall_w_is_friedman_chi2() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, (9, 5)).astype(float)  # many ties
    ref = friedmanchisquare(*x)  # items are the treatments, raters the blocks
    res = kendall_w(x)
    assert res.chi2 == pytest.approx(ref.statistic)
    assert res.p_value == pytest.approx(ref.pvalue)


def test_kendall_w_higher_is_better_or_not_gives_same_w() -> None:
    assert kendall_w(-NAG_TIES).w == pytest.approx(kendall_w(NAG_TIES).w)


def test_kendall_w_errors() -> None:
    with pytest.raises(IncompleteRatingsError):
        kendall_w(np.array([[1, NAN], [2, 3.0]]))
    with pytest.raises(CoreError):
        kendall_w(np.ones((4, 3)))


# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania. Example C: 4 observers × 12 units with missing
# values (here units × observers): α nominal .743, ordinal .815, interval .849, ratio .797.
KRIPP_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
).T
KRIPP_2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


@pytest.mark.parametrize("level", list(KRIPP_2011_ALPHA))
def test_krippendorff_2011_example(level: str) -> None:
    assert round(krippendorff_alpha(KRIPP_2011, level), 3) == KRIPP_2011_ALPHA[level]  # type: ignore[arg-type]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize(
    ("units", "raters", "missing", "values"),
    [
        (12, 4, 0.2, 5),
        (60, 3, 0.3, 7),
        (200, 9, 0.5, 101),
        (25, 2, 0.1, 3),
    ],
)
def test_krippendorff_matches_reference_package(
    level: str, units: int, raters: int, missing: float, values: int
) -> None:
    kd = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(units * raters + values)
    truth = rng.integers(1, values + 1, units)
    x = np.clip(truth[:, None] + rng.integers(-1, 2, (units, raters)), 1, values).astype(float)
    x[rng.random(x.shape) < missing] = NAN
    ref = kd.alpha(reliability_data=x.T, level_of_measurement=level)
    assert krippendorff_alpha(x, level) == pytest.approx(ref, abs=1e-10)  # type: ignore[arg-type]


def test_krippendorff_ignores_units_with_one_value() -> None:
    base = krippendorff_alpha(KRIPP_2011)
    extra = np.vstack([KRIPP_2011, [NAN, 99, NAN, NAN]])
    assert krippendorff_alpha(extra) == pytest.approx(base)


def test_krippendorff_errors() -> None:
    with pytest.raises(IncompleteRatingsError):
        krippendorff_alpha(np.array([[1, NAN], [NAN, 2.0]]))
    with pytest.raises(CoreError, match="same"):
        krippendorff_alpha(np.full((3, 2), 4.0))
    with pytest.raises(CoreError, match="unknown level"):
        krippendorff_alpha(KRIPP_2011, "cardinal")  # type: ignore[arg-type]
