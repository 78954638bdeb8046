"""weighted_total, combine_stages, rank_entries, award_tiers, tie_notes."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.core.errors import CoreError, MissingScoresError, ShapeError
from scoring.core.ranking import (
    AWARD_LABELS,
    StageTotals,
    TieNote,
    award_tiers,
    combine_stages,
    rank_entries,
    round_published,
    tie_notes,
    weighted_total,
)

NAN = np.nan


def test_weighted_total_rubric_weights_need_not_sum_to_one() -> None:
    # Poktan BKB rubric weights 20/30/20/20/10 (DOMAIN.md).
    crit = np.array([[80, 90, 70, 60, 100], [100, 100, 100, 100, 100.0]])
    expected = (80 * 20 + 90 * 30 + 70 * 20 + 60 * 20 + 100 * 10) / 100
    np.testing.assert_allclose(weighted_total(crit, [20, 30, 20, 20, 10]), [expected, 100])
    np.testing.assert_allclose(weighted_total(crit, [0.2, 0.3, 0.2, 0.2, 0.1]), [expected, 100])


def test_weighted_total_works_on_any_leading_shape() -> None:
    crit = np.arange(24, dtype=float).reshape(2, 3, 4)
    out = weighted_total(crit, [1, 1, 1, 1])
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out, crit.mean(axis=-1))


def test_weighted_total_nan_criterion_gives_nan_row() -> None:
    crit = np.array([[80, NAN, 70], [80, 90, 70.0]])
    out = weighted_total(crit, [1, 0, 1])  # even a zero-weight NaN is not silently dropped
    assert np.isnan(out[0]) and out[1] == pytest.approx(75)


@pytest.mark.parametrize("weights", [[1, -1, 1], [0, 0, 0], [1, NAN, 1], [1, 1]])
def test_weighted_total_bad_weights(weights: list[float]) -> None:
    with pytest.raises(ShapeError):
        weighted_total(np.ones((2, 3)), weights)


def test_combine_stages_non_reaching_entry_ranks_below_all_reaching() -> None:
    # Stage 1 dokumen+presentasi 60 %, stage 2 verifikasi lapangan 40 % for the top 3 only.
    # Entry 0 scored 99 in stage 1 but was not visited; the visited entries did badly in the
    # field, so their totals (52, 50, 48) are below entry 0's 59.4, yet they rank above it.
    stages = np.array([[99, NAN], [80, 10], [70, 20], [60, 30], [98, NAN]])
    total = combine_stages(stages, [60, 40])
    np.testing.assert_allclose(total, [59.4, 52, 50, 48, 58.8])
    np.testing.assert_array_equal(total.tier, [1, 2, 2, 2, 1])
    ranks = rank_entries(total)
    np.testing.assert_array_equal(ranks, [4, 1, 2, 3, 5])
    assert ranks[0] > ranks[1:4].max()


def test_combine_stages_explicit_reached_and_errors() -> None:
    stages = np.array([[90, 80, 70], [85, 75, NAN], [95, NAN, NAN]])
    total = combine_stages(stages, [30, 30, 40], reached=~np.isnan(stages))
    np.testing.assert_array_equal(total.tier, [3, 2, 1])
    np.testing.assert_array_equal(rank_entries(total), [1, 2, 3])
    # Reached a stage but the score is missing: the total is NaN and ranking refuses it.
    reached = np.array([[1, 1, 1], [1, 1, 1], [1, 0, 0]], bool)
    total = combine_stages(stages, [30, 30, 40], reached)
    assert np.isnan(total[1])
    with pytest.raises(MissingScoresError) as err:
        rank_entries(total)
    assert err.value.indices == (1,)
    with pytest.raises(CoreError, match="without the one before"):
        combine_stages(np.array([[90, NAN, 70]]), [1, 1, 1])
    with pytest.raises(CoreError, match="marked as not reaching"):
        combine_stages(stages, [1, 1, 1], np.zeros((3, 3), bool))


def test_stage_totals_lose_tier_when_derived() -> None:
    total = combine_stages(np.array([[99, NAN], [50, 50]]), [50, 50])
    assert isinstance(total, StageTotals)
    assert total[:1].tier is None and (total + 0).tier is None
    # For a derived array, pass the tier explicitly.
    np.testing.assert_array_equal(
        rank_entries(np.array([60.0, 50.0]), tier=np.array([1, 2])), [2, 1]
    )


def test_standard_competition_ranking() -> None:
    np.testing.assert_array_equal(rank_entries(np.array([90, 85, 85, 80])), [1, 2, 2, 4])
    np.testing.assert_array_equal(rank_entries(np.array([70, 90, 80])), [3, 1, 2])
    assert rank_entries(np.array([])).size == 0


def test_published_precision_decides_ties() -> None:
    total = np.array([89.584, 89.576, 89.5849])
    np.testing.assert_array_equal(rank_entries(total), [1, 1, 1])  # all publish as 89,58
    np.testing.assert_array_equal(rank_entries(total, decimals=3), [2, 3, 1])
    np.testing.assert_allclose(round_published([89.585, 2.675, 0.125], 2), [89.59, 2.68, 0.13])


def test_tiebreak_columns_in_order() -> None:
    total = np.array([85.0, 85.0, 85.0, 85.0, 90.0])
    tb = np.array([[70, 60], [80, 10], [70, 65], [70, 60], [0, 0.0]])
    np.testing.assert_array_equal(rank_entries(total, tb), [4, 2, 3, 4, 1])
    notes = tie_notes(total, tb)
    assert notes[4] is None
    assert notes[1] == TieNote(rank=2, tied_with=(0, 2, 3), decided_by=0, shared_with=())
    assert notes[2] == TieNote(rank=3, tied_with=(0, 1, 3), decided_by=1, shared_with=())
    assert notes[0] == TieNote(rank=4, tied_with=(1, 2, 3), decided_by=1, shared_with=(3,))


def test_ties_without_tiebreak_criteria_are_shared() -> None:
    """A category with no tie-break criteria: tied entries share the rank, nothing decides."""
    total = np.array([85.0, 90.0, 85.0])
    np.testing.assert_array_equal(rank_entries(total), [2, 1, 2])
    notes = tie_notes(total)
    assert notes[1] is None
    assert notes[0] == TieNote(rank=2, tied_with=(2,), decided_by=None, shared_with=(2,))
    assert notes[2] == TieNote(rank=2, tied_with=(0,), decided_by=None, shared_with=(0,))


def test_nan_totals_refused_or_ranked_last() -> None:
    total = np.array([80, NAN, 90, NAN])
    with pytest.raises(MissingScoresError, match=r"entries \[1, 3\]"):
        rank_entries(total)
    np.testing.assert_array_equal(rank_entries(total, nan_policy="last"), [2, 3, 1, 3])
    with pytest.raises(MissingScoresError):
        rank_entries(np.array([80.0, 80.0]), np.array([1.0, NAN]))
    np.testing.assert_array_equal(
        rank_entries(np.array([80.0, 80.0]), np.array([NAN, 1.0]), nan_policy="last"), [2, 1]
    )
    with pytest.raises(CoreError):
        rank_entries(total, nan_policy="zero")  # type: ignore[arg-type]


def test_award_tiers_competition_rule() -> None:
    ranks = np.array([1, 1, 3, 4, 5, 6, 7])
    assert award_tiers(ranks) == [
        "Juara I",
        "Juara I",
        "Juara III",
        "Harapan I",
        "Harapan II",
        "Harapan III",
        None,
    ]


def test_award_tiers_dense_rule() -> None:
    ranks = np.array([1, 1, 3, 4, 5, 6, 7, 8])
    assert award_tiers(ranks, shared="dense") == [*AWARD_LABELS[:1], *AWARD_LABELS, None]


def test_award_tiers_eligible() -> None:
    ranks = rank_entries(np.array([80, NAN, 90.0]), nan_policy="last")
    eligible = ~np.isnan([80, NAN, 90.0])
    assert award_tiers(ranks, eligible=eligible) == ["Juara II", None, "Juara I"]
    with pytest.raises(ShapeError):
        award_tiers(ranks, eligible=[True])


def test_award_tiers_custom_labels_and_errors() -> None:
    assert award_tiers(np.array([2, 1, 3]), labels=("Emas", "Perak")) == ["Perak", "Emas", None]
    with pytest.raises(ShapeError):
        award_tiers(np.array([0, 1]))
    with pytest.raises(ShapeError):
        award_tiers(np.array([1.5, 1]))
    assert award_tiers([2.0, 1.0]) == ["Juara II", "Juara I"]  # e.g. from scipy's rankdata
    with pytest.raises(CoreError):
        award_tiers(np.array([1]), shared="olympic")  # type: ignore[arg-type]
