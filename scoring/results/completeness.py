"""Sent sheets that lack a score for a criterion of their stage (pure: numpy, no database).

A criterion added after the rubric was reopened is missing from every sheet sent before; the
pipeline cannot total such a sheet (`compute` counts it as not scored), so the ranking would
silently rest on fewer sheets than were sent. This finds them, so that the committee can send
them back to their judges and publishing can refuse to go ahead without them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.results.inputs import CategoryData


@dataclass(frozen=True)
class IncompleteSheet:
    sheet_id: int
    stage_id: int
    stage_name: str
    entry_name: str
    judge_name: str
    missing: tuple[str, ...]  # names of the criteria without a score, in rubric order


def incomplete_sheets(data: CategoryData, stage_id: int | None = None) -> list[IncompleteSheet]:
    """Counted (submitted or locked) sheets of entries still in the running that have no score
    for at least one criterion of their stage; only those of `stage_id` when given."""
    failed = np.array([e.failed for e in data.entries], dtype=bool)
    scored: dict[int, set[int]] = {}
    for sheet, crit in zip(data.score_sheet.tolist(), data.score_criterion.tolist(), strict=True):
        scored.setdefault(sheet, set()).add(crit)
    rubric: dict[int, list[int]] = {}
    for k, criterion in enumerate(data.criteria):
        rubric.setdefault(criterion.stage_id, []).append(k)
    found = []
    for row in np.flatnonzero(data.asg_counted & ~failed[data.asg_entry]).tolist():
        stage = data.stages[int(data.asg_stage[row])]
        if stage_id is not None and stage.id != stage_id:
            continue
        sheet = int(data.asg_sheet[row])
        have = scored.get(sheet, set())
        missing = [k for k in rubric.get(stage.id, []) if k not in have]
        if missing:
            found.append(
                IncompleteSheet(
                    sheet_id=sheet,
                    stage_id=stage.id,
                    stage_name=stage.name,
                    entry_name=data.entries[int(data.asg_entry[row])].name,
                    judge_name=data.judges[int(data.asg_judge[row])].name,
                    missing=tuple(data.criteria[k].name for k in missing),
                )
            )
    return sorted(found, key=lambda s: (s.stage_id, s.missing, s.judge_name, s.entry_name))
