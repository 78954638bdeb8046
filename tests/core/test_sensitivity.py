"""compare_methods: which awards depend on the calibration method."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.core.errors import CoreError, MissingScoresError
from scoring.core.sensitivity import AwardChange, compare_methods

NAN = np.nan


def test_complete_design_methods_agree_on_the_winner() -> None:
    x = np.array([[90, 85, 88], [80, 70, 75], [60, 65, 55], [70, 72, 74.0]])
    cmp = compare_methods(x, ("raw", "additive", "zscore"))
    assert cmp.winner_stable
    np.testing.assert_array_equal(cmp.ranks["raw"], cmp.ranks["additive"])
    assert cmp.awards["raw"][0] == "Juara I"


def test_harsh_judge_on_a_split_panel_changes_the_winner() -> None:
    # Judge 2 is 20 points harsh and saw entry 0 only with judge 0; raw means punish entry 0.
    x = np.array(
        [
            [85, NAN, 65],
            [NAN, 84, 64],
            [80, 80, NAN],
            [70, 71, NAN],
        ]
    )
    cmp = compare_methods(x, ("raw", "additive"))
    assert cmp.ranks["raw"][2] == 1
    assert cmp.ranks["additive"][0] == 1
    assert not cmp.winner_stable
    assert AwardChange(0, {"raw": "Juara II", "additive": "Juara I"}) in cmp.changes
    assert {c.entry for c in cmp.changes} <= {0, 1, 2, 3}
    np.testing.assert_allclose(cmp.totals["raw"], np.nanmean(x, axis=1))


def test_errors_propagate() -> None:
    with pytest.raises(MissingScoresError):
        compare_methods(np.array([[70, 80], [NAN, NAN], [60, 65.0]]))
    cmp = compare_methods(np.array([[70, 80], [NAN, NAN], [60, 65.0]]), nan_policy="last")
    assert cmp.ranks["additive"][1] == 3
    assert cmp.awards["additive"][1] is None  # ranked last, but no award without scores
    with pytest.raises(CoreError):
        compare_methods(np.ones((2, 2)), ())
