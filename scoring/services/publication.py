"""Guards around publishing a category's results: what must hold before, what publishing closes.

`publish_results` (scoring/services/snapshots.py) refuses outright, even with an override
reason, while a sent sheet lacks a criterion: such a sheet cannot be totalled, so the ranking
would silently rest on fewer sheets than the berita acara claims. And publishing closes every
stage of the category still open for scoring, so that no judge can send a sheet afterwards and
make the live ranking drift from the announced one.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Stage
from scoring.results.completeness import IncompleteSheet, incomplete_sheets
from scoring.results.inputs import CategoryData
from scoring.services.errors import InvalidInput


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
