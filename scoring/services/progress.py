"""Read models for the home pages: a judge's worklist and the committee's event overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Entry,
    Event,
    Region,
    Score,
    ScoreSheet,
    Stage,
)

# Sheet state as the judge sees it.
NOT_STARTED, DRAFT, SUBMITTED = "belum", "draf", "terkirim"


@dataclass(frozen=True)
class WorkItem:
    sheet_id: int
    entry_name: str
    region_name: str
    state: str  # NOT_STARTED, DRAFT or SUBMITTED
    scored: int  # criteria with a value


@dataclass
class StageWork:
    stage_id: int
    stage_name: str
    stage_status: str
    category_name: str
    event_name: str
    criteria_count: int
    items: list[WorkItem] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for item in self.items if item.state == SUBMITTED)


def _sheet_state(status: str, scored: int) -> str:
    if status in ("submitted", "locked"):
        return SUBMITTED
    return DRAFT if scored else NOT_STARTED


def judge_worklist(judge_id: int) -> list[StageWork]:
    """The judge's sheets grouped by stage, open stages first, unsent sheets first; one query."""
    # Both counts only over this judge's sheets and stages, not the whole score table.
    mine = select(Assignment.stage_id).where(Assignment.judge_id == judge_id)
    scored = (
        select(Score.sheet_id, func.count(Score.value).label("n"))
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.judge_id == judge_id)
        .group_by(Score.sheet_id)
        .subquery()
    )
    criteria = (
        select(Stage.id.label("stage_id"), func.count().label("n"))
        .join(Stage.criteria)
        .where(Stage.id.in_(mine))
        .group_by(Stage.id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            ScoreSheet.id,
            ScoreSheet.status,
            func.coalesce(scored.c.n, 0),
            Entry.name,
            Region.name,
            Stage.id,
            Stage.name,
            Stage.status,
            Category.name,
            Event.name,
            func.coalesce(criteria.c.n, 0),
        )
        .join(ScoreSheet.assignment)
        .join(Assignment.entry)
        .join(Entry.region)
        .join(Assignment.stage)
        .join(Stage.category)
        .join(Category.event)
        .outerjoin(scored, scored.c.sheet_id == ScoreSheet.id)
        .outerjoin(criteria, criteria.c.stage_id == Stage.id)
        .where(Assignment.judge_id == judge_id, Event.status != "draft")
        .order_by(
            case((Stage.status == "open", 0), else_=1),
            Event.starts_on.desc(),
            Category.position,
            Stage.position,
            Entry.name,
        )
    ).all()
    groups: dict[int, StageWork] = {}
    for (sheet_id, status, n_scored, entry, region, stage_id, stage, stage_status, category,
         event, n_criteria) in rows:  # fmt: skip
        group = groups.get(stage_id)
        if group is None:
            group = groups[stage_id] = StageWork(
                stage_id, stage, stage_status, category, event, n_criteria
            )
        group.items.append(
            WorkItem(sheet_id, entry, region, _sheet_state(status, n_scored), n_scored)
        )
    for group in groups.values():
        # Unsent sheets first, each part still by entry name (the sort is stable).
        group.items.sort(key=lambda item: item.state == SUBMITTED)
    return list(groups.values())


def stage_queue(judge_id: int, stage_id: int) -> list[dict[str, object]]:
    """The judge's sheets of one stage in worklist order, for the sheet's "next participant"."""
    for group in judge_worklist(judge_id):
        if group.stage_id == stage_id:
            return [
                {"id": item.sheet_id, "name": item.entry_name, "sent": item.state == SUBMITTED}
                for item in group.items
            ]
    return []


@dataclass(frozen=True)
class CategoryProgress:
    category_id: int
    name: str
    entries: int
    sheets: int
    submitted: int


@dataclass
class EventOverview:
    event_id: int
    name: str
    slug: str
    status: str
    level: str = ""
    place: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    categories: list[CategoryProgress] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(c.submitted for c in self.categories)

    @property
    def sheets(self) -> int:
        return sum(c.sheets for c in self.categories)


def event_overview() -> list[EventOverview]:
    """Every event with per-category entry and sheet counts (four queries, none per row)."""
    events = db.session.scalars(
        select(Event)
        .options(selectinload(Event.categories))
        .order_by(Event.starts_on.desc().nulls_first(), Event.id.desc())
    ).all()
    entry_counts = dict(
        db.session.execute(
            select(Entry.category_id, func.count()).group_by(Entry.category_id)
        ).all()
    )
    sheet_counts = {
        category_id: (total, done)
        for category_id, total, done in db.session.execute(
            select(
                Stage.category_id,
                func.count(ScoreSheet.id),
                func.count(case((ScoreSheet.status != "draft", 1))),
            )
            .join(Assignment, Assignment.stage_id == Stage.id)
            .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
            .group_by(Stage.category_id)
        ).all()
    }
    overview = []
    for event in events:
        item = EventOverview(
            event.id,
            event.name,
            event.slug,
            event.status,
            event.level,
            event.place,
            event.starts_on,
            event.ends_on,
        )
        for category in event.categories:
            total, done = sheet_counts.get(category.id, (0, 0))
            item.categories.append(
                CategoryProgress(
                    category.id, category.name, entry_counts.get(category.id, 0), total, done
                )
            )
        overview.append(item)
    return overview
