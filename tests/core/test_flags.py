"""judge_flags: each code fires on the judge it should, with the numbers behind it."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.core.agreement import JudgeFlag, judge_flags

NAN = np.nan


def _panel(seed: int = 11, entries: int = 60) -> np.ndarray:
    rng = np.random.default_rng(seed)
    quality = rng.normal(70, 10, entries)
    return quality[:, None] + rng.normal(0, 4, (entries, 5))


def test_a_fair_panel_has_no_flags() -> None:
    assert judge_flags(_panel()) == []


def test_harsh_and_lenient_judges() -> None:
    x = _panel()
    x[:, 1] -= 15
    x[:, 3] += 12
    flags = judge_flags(x)
    codes = {(f.judge, f.code) for f in flags}
    assert codes == {(1, "harsh"), (3, "lenient")}
    harsh = next(f for f in flags if f.code == "harsh")
    assert harsh.values["offset"] == pytest.approx(
        harsh.values["own_mean"] - harsh.values["others_mean"]
    )
    assert harsh.values["offset"] < -10
    assert harsh.values["n_entries"] == 60
    assert harsh.values["threshold"] == 10


def test_offset_uses_only_shared_entries() -> None:
    # Judge 2 scored one entry alone (no one to compare with): it must not count.
    x = np.array([[70, 72, NAN], [80, 78, 60], [NAN, NAN, 10], [60, 61, 40.0]])
    flag = next(f for f in judge_flags(x, min_entries=2) if f.judge == 2)
    assert flag == JudgeFlag(
        "harsh",
        2,
        {
            "offset": -19.75,
            "own_mean": 50.0,
            "others_mean": 69.75,
            "n_entries": 2.0,
            "threshold": 10.0,
        },
    )


def test_disagreeing_judge() -> None:
    x = _panel()
    rng = np.random.default_rng(5)
    x[:, 4] = rng.permutation(x[:, 4])
    flags = judge_flags(x)
    assert [(f.judge, f.code) for f in flags] == [(4, "disagrees")]
    assert flags[0].values["rho"] < 0.3


def test_flat_judge() -> None:
    x = _panel()
    x[:, 0] = 75 + np.resize([0.0, 1.0], 60)
    flags = {(f.judge, f.code): f for f in judge_flags(x)}
    assert (0, "flat") in flags
    assert flags[0, "flat"].values["ratio"] < 0.35
    assert flags[0, "flat"].values["others_sd"] > 5


def test_flags_with_missing_scores_and_thresholds() -> None:
    x = _panel(entries=120)
    rng = np.random.default_rng(2)
    x[rng.random(x.shape) < 0.4] = NAN
    x[:, 2] -= 6
    assert judge_flags(x) == []
    assert [(f.judge, f.code) for f in judge_flags(x, bias_points=5)] == [(2, "harsh")]


def test_too_few_entries_for_order_and_spread() -> None:
    x = _panel(entries=4)
    x[:, 4] = x[::-1, 4]
    assert all(f.code not in ("disagrees", "flat") for f in judge_flags(x))
