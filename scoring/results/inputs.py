"""What a category's results are computed from, as numpy arrays and as frozen JSON.

`CategoryData` is the one input of `scoring.results.compute.compute`. The service layer builds
it straight from the database (a few column queries, no ORM object per score); a snapshot stores
it as JSON (`to_inputs`) and `from_inputs` rebuilds the very same arrays, so publishing and
verifying a snapshot run the same code on the same numbers.

No Flask and no database here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

COUNTED_STATUSES = ("submitted", "locked")


@dataclass(frozen=True)
class StageInfo:
    id: int
    position: int
    name: str
    weight: float


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    stage_id: int
    position: int
    name: str
    weight: float
    min_score: float
    max_score: float
    tiebreak_order: int | None


@dataclass(frozen=True)
class EntryInfo:
    id: int
    name: str
    region: str
    region_code: str
    failed: bool  # failed a pass/fail stage (seleksi administrasi): not ranked


@dataclass(frozen=True)
class JudgeInfo:
    id: int
    name: str


@dataclass(frozen=True)
class CategoryData:
    """One category's rubric, entries, judges, assignments and counted scores.

    Stages are the scored stages in position order; criteria are ordered by (stage, position);
    entries and judges by id. Assignment arrays hold indices into `stages`, `entries` and
    `judges`, the sheet id (0 when the assignment has no sheet), whether the sheet counts
    (submitted or locked) and its status. Score arrays hold the sheet id, the criterion index
    and the value of every score on a counted sheet.
    """

    category: dict[str, Any]
    stages: tuple[StageInfo, ...]
    criteria: tuple[CriterionInfo, ...]
    entries: tuple[EntryInfo, ...]
    judges: tuple[JudgeInfo, ...]
    asg_stage: np.ndarray
    asg_entry: np.ndarray
    asg_judge: np.ndarray
    asg_sheet: np.ndarray
    asg_counted: np.ndarray
    asg_status: tuple[str | None, ...]
    score_sheet: np.ndarray
    score_criterion: np.ndarray
    score_value: np.ndarray

    @property
    def expected_sheets(self) -> int:
        """Sheets of entries still in the running (not failed)."""
        failed = np.array([e.failed for e in self.entries], dtype=bool)
        return int((~failed[self.asg_entry]).sum()) if self.entries else 0

    @property
    def counted_sheets(self) -> int:
        failed = np.array([e.failed for e in self.entries], dtype=bool)
        if not self.entries:
            return 0
        return int((self.asg_counted & ~failed[self.asg_entry]).sum())


def index_of(ids: np.ndarray, wanted: np.ndarray, what: str) -> np.ndarray:
    """Positions of `wanted` in the sorted array `ids`; KeyError naming `what` if any is absent."""
    pos = np.searchsorted(ids, wanted)
    pos = np.minimum(pos, max(ids.size - 1, 0))
    if wanted.size and (ids.size == 0 or (ids[pos] != wanted).any()):
        raise KeyError(f"unknown {what} id in the inputs")
    return pos


def build(
    category: dict[str, Any],
    stages: list[StageInfo],
    criteria: list[CriterionInfo],
    entries: list[EntryInfo],
    judges: list[JudgeInfo],
    assignments: np.ndarray,
    statuses: list[str | None],
    scores: np.ndarray,
) -> CategoryData:
    """CategoryData from ids: `assignments` rows (stage_id, entry_id, judge_id, sheet_id or 0),
    `statuses` the sheet status per assignment, `scores` rows (sheet_id, criterion_id, value)."""
    stages = sorted(stages, key=lambda s: (s.position, s.id))
    order = {s.id: k for k, s in enumerate(stages)}
    criteria = sorted(criteria, key=lambda c: (order[c.stage_id], c.position, c.id))
    entries = sorted(entries, key=lambda e: e.id)
    judges = sorted(judges, key=lambda j: j.id)
    asg = np.asarray(assignments, dtype=np.int64).reshape(-1, 4)
    stage_ids = np.array([s.id for s in stages], dtype=np.int64)
    stage_pos = np.argsort(stage_ids)
    asg_stage = stage_pos[index_of(stage_ids[stage_pos], asg[:, 0], "stage")]
    entry_ids = np.array([e.id for e in entries], dtype=np.int64)
    judge_ids = np.array([j.id for j in judges], dtype=np.int64)
    counted = np.array([s in COUNTED_STATUSES for s in statuses], dtype=bool)
    sc = np.asarray(scores, dtype=np.float64).reshape(-1, 3)
    crit_ids = np.array([c.id for c in criteria], dtype=np.int64)
    crit_pos = np.argsort(crit_ids)
    score_criterion = crit_pos[index_of(crit_ids[crit_pos], sc[:, 1].astype(np.int64), "criterion")]
    return CategoryData(
        category=category,
        stages=tuple(stages),
        criteria=tuple(criteria),
        entries=tuple(entries),
        judges=tuple(judges),
        asg_stage=asg_stage,
        asg_entry=index_of(entry_ids, asg[:, 1], "entry"),
        asg_judge=index_of(judge_ids, asg[:, 2], "judge"),
        asg_sheet=asg[:, 3].copy(),
        asg_counted=counted & (asg[:, 3] > 0),
        asg_status=tuple(statuses),
        score_sheet=sc[:, 0].astype(np.int64),
        score_criterion=score_criterion,
        score_value=sc[:, 2].copy(),
    )


def to_inputs(data: CategoryData) -> dict[str, Any]:
    """The frozen JSON form: every stage, criterion, entry, judge, assignment and score."""
    stages, criteria, entries, judges = data.stages, data.criteria, data.entries, data.judges
    sheet_of = dict(zip(data.asg_sheet.tolist(), range(data.asg_sheet.size), strict=True))
    score_rows = []
    for sheet, crit, value in zip(
        data.score_sheet.tolist(),
        data.score_criterion.tolist(),
        data.score_value.tolist(),
        strict=True,
    ):
        row = sheet_of[sheet]
        score_rows.append(
            {
                "sheet": sheet,
                "judge": judges[data.asg_judge[row]].id,
                "entry": entries[data.asg_entry[row]].id,
                "criterion": criteria[crit].id,
                "value": value,
            }
        )
    return {
        "category": data.category,
        "stages": [asdict(s) for s in stages],
        "criteria": [asdict(c) for c in criteria],
        "entries": [asdict(e) for e in entries],
        "judges": [asdict(j) for j in judges],
        "assignments": [
            {
                "stage": stages[s].id,
                "entry": entries[e].id,
                "judge": judges[j].id,
                "sheet": sheet or None,
                "status": status,
            }
            for s, e, j, sheet, status in zip(
                data.asg_stage.tolist(),
                data.asg_entry.tolist(),
                data.asg_judge.tolist(),
                data.asg_sheet.tolist(),
                data.asg_status,
                strict=True,
            )
        ],
        "scores": score_rows,
    }


def from_inputs(inputs: dict[str, Any]) -> CategoryData:
    """Rebuild the arrays from the frozen JSON (the inverse of `to_inputs`)."""
    asg = inputs["assignments"]
    return build(
        inputs["category"],
        [StageInfo(**s) for s in inputs["stages"]],
        [CriterionInfo(**c) for c in inputs["criteria"]],
        [EntryInfo(**e) for e in inputs["entries"]],
        [JudgeInfo(**j) for j in inputs["judges"]],
        np.array(
            [(a["stage"], a["entry"], a["judge"], a["sheet"] or 0) for a in asg], dtype=np.int64
        ).reshape(-1, 4),
        [a["status"] for a in asg],
        np.array(
            [(s["sheet"], s["criterion"], s["value"]) for s in inputs["scores"]], dtype=np.float64
        ).reshape(-1, 3),
    )
