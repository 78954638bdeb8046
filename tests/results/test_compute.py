"""compute_results on the hand-computed category of tests/results/support.py."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from scoring.results.compute import compute
from scoring.results.inputs import (
    CategoryData,
    CriterionInfo,
    EntryInfo,
    JudgeInfo,
    StageInfo,
    build,
    from_inputs,
    to_inputs,
)
from scoring.services.errors import InvalidInput, NotFound
from scoring.services.results import compute_results, load_category
from tests.results.support import EXPECTED, build_category


@pytest.mark.parametrize("method", ["raw", "additive"])
def test_hand_computed_ranking(db: Any, method: str) -> None:
    ids = build_category()
    result = compute_results(ids["category_id"], method)
    by_name = {row.name: row for row in result.rows}
    for key, (rank, award, total) in EXPECTED.items():
        row = by_name[ids["names"][key]]
        assert (row.rank, row.award, row.total) == (rank, award, total), key
    # Winners first; the failed entry is not ranked but listed apart.
    assert [row.name for row in result.rows][:3] == [ids["names"][k] for k in ("E1", "E2", "E3")]
    assert ids["names"]["E7"] not in by_name
    assert [e["name"] for e in result.outputs["excluded"]] == [ids["names"]["E7"]]
    e1 = by_name[ids["names"]["E1"]]
    assert e1.stage_scores == pytest.approx((85.0, 90.0))
    assert e1.tier == 2


def test_tie_broken_by_the_second_criterion_and_a_shared_rank(db: Any) -> None:
    ids = build_category()
    rows = {row.entry_id: row for row in compute_results(ids["category_id"], "raw").rows}
    e = ids["entries"]
    # E2 and E3 both total 80,00 and both have 80 on A: B (the second criterion) decides.
    assert rows[e["E2"]].tie == {
        "tied_with": [e["E3"]],
        "decided_by": ids["criteria"]["B"],
        "shared_with": [],
    }
    assert rows[e["E3"]].tie["decided_by"] == ids["criteria"]["B"]
    # E4 and E5 are equal on everything: they share rank 4 and rank 5 is skipped.
    assert rows[e["E4"]].tie == {
        "tied_with": [e["E5"]],
        "decided_by": None,
        "shared_with": [e["E5"]],
    }
    assert rows[e["E1"]].tie is None and rows[e["E6"]].tie is None
    assert sorted(r.rank for r in rows.values()) == [1, 2, 3, 4, 4, 6]


def test_each_judge_raw_and_calibrated(db: Any) -> None:
    ids = build_category()
    rows = {row.entry_id: row for row in compute_results(ids["category_id"], "additive").rows}
    first_stage = rows[ids["entries"]["E1"]].judge_scores[0]
    # Judge 1 gave (92 + 82) / 2 = 87, judge 2 gave 83; the additive model removes ±2.
    assert [(s.judge_id, s.raw) for s in first_stage] == [
        (ids["judges"][0], 87.0),
        (ids["judges"][1], 83.0),
    ]
    assert [s.calibrated for s in first_stage] == pytest.approx([85.0, 85.0])


def test_inputs_round_trip_gives_the_same_outputs(db: Any) -> None:
    from scoring.results.compute import outputs_of

    ids = build_category()
    data = load_category(ids["category_id"])
    again = from_inputs(to_inputs(data))
    assert outputs_of(compute(data, "additive")) == outputs_of(compute(again, "additive"))
    assert len(to_inputs(data)["scores"]) == 6 * 2 * 3  # entries × judges × criteria


def test_unknown_category_and_unknown_method(db: Any) -> None:
    ids = build_category()
    with pytest.raises(NotFound):
        compute_results(ids["category_id"] + 99)
    with pytest.raises(InvalidInput):
        compute_results(ids["category_id"], "median-of-means")


def _data(assignments: list[tuple[int, int, int, int]], scores: list[tuple[int, int, float]]):
    stages = [StageInfo(1, 1, "S1", 50), StageInfo(2, 2, "S2", 50)]
    criteria = [
        CriterionInfo(11, 1, 1, "K1", 1, 1, 100, 1),
        CriterionInfo(21, 2, 1, "K2", 1, 1, 100, None),
    ]
    entries = [EntryInfo(i, f"P{i}", "R", "15.01", False) for i in (1, 2, 3)]
    judges = [JudgeInfo(7, "J7"), JudgeInfo(8, "J8")]
    asg = np.array(assignments, dtype=np.int64)
    return build(
        {"id": 1, "name": "K", "event": {}},
        stages,
        criteria,
        entries,
        judges,
        asg,
        ["submitted"] * len(assignments),
        np.array(scores, dtype=np.float64),
    )


def test_reaching_a_later_stage_ranks_above_a_higher_first_stage() -> None:
    # Entry 3 has 99 in stage 1 but no field visit; entries 1 and 2 were visited.
    asg = [(1, e, 7, 100 + e) for e in (1, 2, 3)] + [(2, e, 7, 200 + e) for e in (1, 2)]
    scores = [(101, 11, 60), (102, 11, 70), (103, 11, 99), (201, 21, 50), (202, 21, 40)]
    data: CategoryData = _data(asg, scores)
    comp = compute(data, "raw")
    assert comp.ranks.tolist() == [2, 1, 3]  # 55 and 55 → stage-1 criterion decides; then P3
    assert comp.tier.tolist() == [2, 2, 1]
    assert comp.total[2] == pytest.approx(49.5)


def test_an_entry_without_sheets_is_listed_last_without_rank() -> None:
    asg = [(1, e, 7, 100 + e) for e in (1, 2, 3)]
    scores = [(101, 11, 60), (102, 11, 70)]
    comp = compute(_data(asg, scores), "raw")
    assert math.isnan(comp.total[2]) and comp.awards[2] is None
    assert comp.order[-1] == 2
