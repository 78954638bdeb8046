"""The stage split of a final score: printed parts add up to the printed total."""

from __future__ import annotations

import random

from scoring.core.ranking import round_published
from scoring.results.breakdown import cuts, row_breakdown, split_total

STAGES = [
    {"id": 1, "name": "Dokumen", "weight": 30},
    {"id": 2, "name": "Presentasi", "weight": 30},
    {"id": 3, "name": "Verifikasi Lapangan", "weight": 40},
]


def test_an_entry_without_the_field_visit_is_split_over_the_stages_it_reached() -> None:
    # 74,08 × 30% = 22,224 and 74,09 × 30% = 22,227: both round to 22,22 (sum 44,44), but the
    # published total is round(44,451) = 44,45; the cent goes to the larger remainder (22,227).
    row = {"tier": 2, "stage_scores": [74.08, 74.09, None], "total": 44.45}
    split = row_breakdown(row, STAGES, 2)
    assert [p.points for p in split.parts] == [22.22, 22.23, None]
    assert [p.score for p in split.parts] == [74.08, 74.09, None]
    assert [p.share for p in split.parts] == [30.0, 30.0, 40.0]
    assert (split.reached, split.reached_all, split.maximum) == ("Presentasi", False, 60.0)


def test_a_finalist_reaches_every_stage() -> None:
    row = {"tier": 3, "stage_scores": [80.0, 70.0, 90.0], "total": 81.0}
    split = row_breakdown(row, STAGES, 2)
    assert [p.points for p in split.parts] == [24.0, 21.0, 36.0]
    assert split.reached == "Verifikasi Lapangan" and split.reached_all and split.maximum == 100


def test_no_total_no_points() -> None:
    row = {"tier": 2, "stage_scores": [80.0, None, None], "total": None}
    assert [p.points for p in row_breakdown(row, STAGES, 2).parts] == [None, None, None]


def test_printed_parts_always_add_up_and_stay_within_one_cent() -> None:
    rng = random.Random(15)
    for _ in range(2000):
        n = rng.randint(1, 4)
        weights = [rng.randint(1, 60) for _ in range(n)]
        stages = [{"name": f"S{k}", "weight": w} for k, w in enumerate(weights)]
        tier = rng.randint(1, n)
        scores = [round(rng.uniform(40, 100), 6) for _ in range(n)]
        exact = [scores[k] * weights[k] / sum(weights) for k in range(tier)]
        total = float(round_published(sum(exact), 2))
        row = {"tier": tier, "stage_scores": scores, "total": total}
        points = [p.points for p in row_breakdown(row, stages, 2).parts[:tier]]
        assert round(sum(points) * 100) == round(total * 100), (row, points)
        for printed, value in zip(points, exact, strict=True):
            assert abs(printed - value) < 0.01 + 1e-9


def test_split_total_keeps_whole_numbers_whole() -> None:
    assert split_total([48.0, 39.0], 87.0, 2) == [48.0, 39.0]


def test_cuts_say_the_highest_score_without_the_later_stages() -> None:
    assert [(c.stage, c.maximum) for c in cuts(STAGES)] == [("Dokumen", 30.0), ("Presentasi", 60.0)]
