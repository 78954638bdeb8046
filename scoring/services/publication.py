"""Guards around publishing a category's results: what must hold before, what publishing closes.

`publish_results` (scoring/services/snapshots.py) refuses outright, even with an override
reason, while a sent sheet lacks a criterion: such a sheet cannot be totalled, so the ranking
would silently rest on fewer sheets than the berita acara claims. And publishing closes every
stage of the category still open for scoring, so that no judge can send a sheet afterwards and
make the live ranking drift from the announced one. A stage it closes that has "how many
advance" and a stage after it gets the same step as a stage closed by hand
(scoring/services/advancement.py), before the ranking is frozen: who advances decides who is
still assigned in the later stages.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import Stage
from scoring.results.completeness import IncompleteSheet, incomplete_sheets
from scoring.results.inputs import CategoryData
from scoring.services.advancement import TIED, plan_advancement, store_advancement
from scoring.services.errors import InvalidInput
from scoring.services.structure import Refused


def sheet_list(sheets: list[IncompleteSheet]) -> str:
    """ "Juri 1 (Poktan A), Juri 2 (Poktan A)": who must score again, which entry."""
    return ", ".join(f"{s.judge_name} ({s.entry_name})" for s in sheets)


def incomplete_blockers(data: CategoryData) -> list[InvalidInput]:
    """One message per stage and set of missing criteria, naming every sheet."""
    problems = []
    found = incomplete_sheets(data)
    for (stage_name, missing), group in groupby(found, key=lambda s: (s.stage_name, s.missing)):
        sheets = list(group)
        problems.append(
            InvalidInput(
                "%(stage)s: %(n)d sent score sheets have no score for %(criteria)s and cannot be "
                "counted: %(sheets)s. Open the stage for scoring to send them back to their "
                "judges.",
                stage=stage_name,
                n=len(sheets),
                criteria=", ".join(missing),
                sheets=sheet_list(sheets),
            )
        )
    return problems


def close_open_stages(category_id: int) -> list[dict[str, Any]]:
    """Close the category's stages still open for scoring; what was closed, for the audit."""
    stages = db.session.scalars(
        select(Stage).where(Stage.category_id == category_id, Stage.status == "open")
    ).all()
    for stage in stages:
        stage.status = "closed"
    return [{"id": stage.id, "name": stage.name} for stage in stages]


def advance_before_publishing(
    category_id: int, method: str, override_reason: str | None
) -> list[dict[str, Any]]:
    """Apply "how many advance" of every open stage that has it and a stage after it, and close
    it, as the committee's close would; what was applied, for the publish audit.

    Refused when entries share the last place that advances (the committee decides them by
    hand on "Who advances" first), or when the stage's sheets are missing without the reason
    for publishing anyway (that reason is then the advancement's reason too).
    """
    stages = db.session.scalars(
        select(Stage)
        .where(Stage.category_id == category_id, Stage.status == "open")
        .where(Stage.kind == "scored", Stage.advance_count > 0)
        .order_by(Stage.position)
    ).all()
    last = db.session.scalar(
        select(func.max(Stage.position)).where(Stage.category_id == category_id)
    )
    stages = [stage for stage in stages if stage.position < last]
    reason = " ".join((override_reason or "").split()) or None
    applied = []
    for stage in stages:  # in order: one stage's outcome changes who reached the next
        plan = plan_advancement(stage.id, method)
        problems = []
        tied = [row.name for row in plan.rows if row.ranked == TIED and row.source != "manual"]
        if tied:
            problems.append(
                InvalidInput(
                    "%(stage)s: %(names)s share the last place that advances. Close the stage "
                    "and decide on “Who advances” who goes on before publishing.",
                    stage=stage.name,
                    names=", ".join(tied),
                )
            )
        if plan.missing_sheets and reason is None:
            problems.append(
                InvalidInput(
                    "%(stage)s: %(missing)d of %(expected)d score sheets not sent yet.",
                    stage=stage.name,
                    missing=plan.missing_sheets,
                    expected=plan.expected_sheets,
                )
            )
        if problems:
            raise Refused("The results cannot be published yet.", problems)
        stage.status = "closed"
        done = store_advancement(stage, plan, method, reason if plan.missing_sheets else None)
        applied.append({"id": stage.id, "advancing": done.advancing, "out": done.out})
    return applied
