"""Read models of score sheets: one sheet as the judge or the committee sees it.

The weighted total is the same small formula the tablet computes in static/js/judge-sheet.js
(`weightedTotal`), so the number a judge sees while scoring is the number the committee sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from scoring.extensions import db
from scoring.models import (
    Assignment,
    AuditEvent,
    Category,
    Criterion,
    Entry,
    Event,
    Region,
    Score,
    ScoreSheet,
    Stage,
    User,
)


def weighted_total(items: Iterable[tuple[float | None, float, float]]) -> float | None:
    """Percent of the maximum over the scored criteria: Σ wᵢ·(vᵢ/maxᵢ)·100 / Σ wᵢ.

    `items` are (value, weight, max_score); criteria without a value are left out, so a half
    filled sheet shows the level scored so far. None when nothing is scored. Mirrored in JS.
    """
    weighted = weights = 0.0
    for value, weight, high in items:
        if value is None:
            continue
        weighted += weight * (value / high) * 100
        weights += weight
    return weighted / weights if weights else None


@dataclass(frozen=True)
class CriterionView:
    id: int
    position: int
    name: str
    description: str
    weight: float
    min_score: float
    max_score: float
    bands: list[dict[str, Any]]
    value: float | None
    comment: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "name": self.name,
            "description": self.description,
            "weight": self.weight,
            "min": self.min_score,
            "max": self.max_score,
            "bands": self.bands,
            "value": self.value,
            "comment": self.comment or "",
        }


@dataclass(frozen=True)
class SheetView:
    id: int
    version: int
    status: str
    submitted_at: dt.datetime | None
    judge_id: int
    judge_name: str
    entry_id: int
    entry_name: str
    region_name: str
    stage_id: int
    stage_name: str
    stage_status: str
    category_name: str
    event_id: int
    event_name: str
    criteria: list[CriterionView] = field(default_factory=list)
    # Criteria the committee added after this sheet was sent, which sent it back (draft only).
    missing_criteria: tuple[str, ...] = ()

    @property
    def editable(self) -> bool:
        """The judge may still change it: a draft in a stage open for scoring."""
        return self.status == "draft" and self.stage_status == "open"

    @property
    def total(self) -> float | None:
        return weighted_total((c.value, c.weight, c.max_score) for c in self.criteria)

    @property
    def scored(self) -> int:
        return sum(1 for c in self.criteria if c.value is not None)

    @property
    def complete(self) -> bool:
        return self.scored == len(self.criteria)

    def values(self) -> dict[str, float | None]:
        return {str(c.id): c.value for c in self.criteria}

    def comments(self) -> dict[str, str]:
        return {str(c.id): c.comment or "" for c in self.criteria}

    def to_json(self) -> dict[str, Any]:
        """The sheet as GET /api/v1/sheets/<id> returns it (docs/api.md)."""
        return {
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "editable": self.editable,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "entry": {"id": self.entry_id, "name": self.entry_name, "region": self.region_name},
            "stage": {"id": self.stage_id, "name": self.stage_name, "status": self.stage_status},
            "category": self.category_name,
            "event": self.event_name,
            "criteria": [c.to_json() for c in self.criteria],
            "scores": self.values(),
            "comments": self.comments(),
            "total": self.total,
        }


def load_sheet(sheet_id: int, judge_id: int | None = None) -> SheetView | None:
    """The sheet with its rubric and values; None when unknown or (with `judge_id`) not theirs."""
    query = (
        select(ScoreSheet)
        .join(ScoreSheet.assignment)
        .where(ScoreSheet.id == sheet_id)
        .options(
            joinedload(ScoreSheet.assignment).options(
                joinedload(Assignment.entry).joinedload(Entry.region),
                joinedload(Assignment.judge),
                joinedload(Assignment.stage).options(
                    joinedload(Stage.category).joinedload(Category.event),
                    selectinload(Stage.criteria),
                ),
            ),
            selectinload(ScoreSheet.scores),
        )
        .execution_options(populate_existing=True)
    )
    if judge_id is not None:
        # As on the judge's home page: sheets of an event still in draft are not shown yet.
        query = (
            query.join(Assignment.stage)
            .join(Stage.category)
            .join(Category.event)
            .where(Assignment.judge_id == judge_id, Event.status != "draft")
        )
    sheet = db.session.scalars(query).unique().one_or_none()
    return None if sheet is None else view_of(sheet)


def view_of(sheet: ScoreSheet) -> SheetView:
    """Build the read model from a loaded sheet (its relationships are loaded on demand)."""
    assignment = sheet.assignment
    stage = assignment.stage
    by_criterion = {score.criterion_id: score for score in sheet.scores}
    criteria = []
    for criterion in stage.criteria:
        score = by_criterion.get(criterion.id)
        criteria.append(
            CriterionView(
                id=criterion.id,
                position=criterion.position,
                name=criterion.name,
                description=criterion.description,
                weight=criterion.weight,
                min_score=criterion.min_score,
                max_score=criterion.max_score,
                bands=list(criterion.bands or []),
                value=score.value if score else None,
                comment=score.comment if score else None,
            )
        )
    return SheetView(
        id=sheet.id,
        version=sheet.version,
        status=sheet.status,
        submitted_at=sheet.submitted_at,
        judge_id=assignment.judge_id,
        judge_name=assignment.judge.name,
        entry_id=assignment.entry_id,
        entry_name=assignment.entry.name,
        region_name=assignment.entry.region.name,
        stage_id=stage.id,
        stage_name=stage.name,
        stage_status=stage.status,
        category_name=stage.category.name,
        event_id=stage.category.event_id,
        event_name=stage.category.event.name,
        criteria=criteria,
        missing_criteria=tuple((sheet.reopen_notice or {}).get("missing", ()))
        if sheet.status == "draft"
        else (),
    )


@dataclass(frozen=True)
class SheetRef:
    """A judge's sheet as the offline cache needs it: where its page and its JSON live."""

    id: int
    version: int
    status: str
    stage_status: str


def judge_sheet_refs(judge_id: int) -> list[SheetRef]:
    """Every sheet assigned to the judge (one query), for the service worker's cache."""
    rows = db.session.execute(
        select(ScoreSheet.id, ScoreSheet.version, ScoreSheet.status, Stage.status)
        .join(ScoreSheet.assignment)
        .join(Assignment.stage)
        .join(Stage.category)
        .join(Category.event)
        .where(Assignment.judge_id == judge_id, Event.status != "draft")
        .order_by(Stage.status != "open", ScoreSheet.id)
    ).all()
    return [SheetRef(*row) for row in rows]


# ---- the committee's views of sheets --------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    sheet_id: int
    judge_name: str
    entry_name: str
    region_name: str
    status: str
    version: int
    values: dict[int, float | None]
    total: float | None


@dataclass(frozen=True)
class StageSheets:
    stage_id: int
    stage_name: str
    stage_status: str
    category_name: str
    event_id: int
    criteria: list[tuple[int, str, float, float]]  # id, name, weight, max
    rows: list[SheetRow]


def stage_sheets(stage_id: int) -> StageSheets | None:
    """Every sheet of a stage with its values, one row per (entry, judge); two queries."""
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        return None
    criteria = [(c.id, c.name, c.weight, c.max_score) for c in stage.criteria]
    sheets = db.session.execute(
        select(ScoreSheet.id, ScoreSheet.status, ScoreSheet.version, Entry.name)
        .add_columns(Region.name, User.name)
        .join(ScoreSheet.assignment)
        .join(Assignment.entry)
        .join(Entry.region)
        .join(Assignment.judge)
        .where(Assignment.stage_id == stage_id)
        .order_by(Entry.name, User.name)
    ).all()
    values: dict[int, dict[int, float | None]] = {row[0]: {} for row in sheets}
    for sheet_id, criterion_id, value in db.session.execute(
        select(Score.sheet_id, Score.criterion_id, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.stage_id == stage_id)
    ):
        values[sheet_id][criterion_id] = value
    rows = []
    for sheet_id, status, version, entry, region, judge in sheets:
        mine = values[sheet_id]
        total = weighted_total((mine.get(cid), weight, high) for cid, _, weight, high in criteria)
        rows.append(SheetRow(sheet_id, judge, entry, region, status, version, mine, total))
    return StageSheets(
        stage.id,
        stage.name,
        stage.status,
        stage.category.name,
        stage.category.event_id,
        criteria,
        rows,
    )


@dataclass(frozen=True)
class AuditLine:
    occurred_at: dt.datetime
    actor_name: str | None
    action: str
    version: int | None
    # (criterion name or field, before, after)
    changes: list[tuple[str, Any, Any]]
    reason: str | None


def sheet_history(sheet_id: int) -> list[AuditLine]:
    """The sheet's audit rows, oldest first, with criterion names instead of ids."""
    rows = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == "ScoreSheet", AuditEvent.object_id == sheet_id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    names = dict(db.session.execute(select(Criterion.id, Criterion.name)).all())
    lines = []
    for event, actor in rows:
        before, after = event.before or {}, event.after or {}
        changes: list[tuple[str, Any, Any]] = []
        for kind in ("scores", "comments"):
            for key, new in (after.get(kind) or {}).items():
                label = names.get(int(key), key)
                changes.append((f"{kind}:{label}", (before.get(kind) or {}).get(key), new))
        if "status" in after:
            changes.append(("status", before.get("status"), after["status"]))
        lines.append(
            AuditLine(
                event.occurred_at,
                actor,
                event.action,
                after.get("version"),
                changes,
                after.get("reason"),
            )
        )
    return lines
