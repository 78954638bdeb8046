"""Read model of the committee's progress dashboard for the day, in a handful of aggregate queries.

Per judge and stage: assigned / not started / draft / sent and the last activity; per entry and
stage: sheets sent out of expected (or the pass/fail decision); and what still blocks publishing.
A sheet counts as "draft" once it holds at least one value, like the judge's own worklist.
"""

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
    StageDecision,
    User,
)
from scoring.orm import utcnow
from scoring.services.errors import InvalidInput
from scoring.services.structure import category_problems


@dataclass(frozen=True)
class JudgeStage:
    judge_id: int
    judge_name: str
    category_id: int
    category_name: str
    stage_id: int
    stage_name: str
    stage_status: str
    assigned: int
    draft: int
    submitted: int
    last_activity: dt.datetime | None

    @property
    def not_started(self) -> int:
        return self.assigned - self.draft - self.submitted


@dataclass(frozen=True)
class Cell:
    """One entry in one stage: sheets sent of expected, or the pass/fail outcome."""

    submitted: int = 0
    expected: int = 0
    outcome: str | None = None


@dataclass
class JudgeRow:
    """One judge in one category: a cell per stage they are assigned to."""

    judge_id: int
    name: str
    cells: dict[int, JudgeStage] = field(default_factory=dict)

    @property
    def last_activity(self) -> dt.datetime | None:
        times = [c.last_activity for c in self.cells.values() if c.last_activity]
        return max(times) if times else None


@dataclass
class EntryRow:
    entry_id: int
    name: str
    region: str
    cells: dict[int, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class StageInfo:
    stage_id: int
    name: str
    kind: str
    status: str


@dataclass
class CategoryBoard:
    category_id: int
    name: str
    stages: list[StageInfo]
    entries: list[EntryRow] = field(default_factory=list)
    judges: list[JudgeRow] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(c.submitted for row in self.entries for c in row.cells.values())

    @property
    def expected(self) -> int:
        return sum(c.expected for row in self.entries for c in row.cells.values())


@dataclass
class EventProgress:
    event_id: int
    name: str
    status: str
    generated_at: dt.datetime
    judges: list[JudgeStage]
    categories: list[CategoryBoard]
    blockers: list[InvalidInput]

    @property
    def submitted(self) -> int:
        return sum(c.submitted for c in self.categories)

    @property
    def expected(self) -> int:
        return sum(c.expected for c in self.categories)


def _load_event(event_id: int) -> Event | None:
    return db.session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .options(
            selectinload(Event.categories)
            .selectinload(Category.stages)
            .selectinload(Stage.criteria)
        )
    )


def _scored_per_sheet():  # type: ignore[no-untyped-def]
    return (
        select(Score.sheet_id, func.count(Score.value).label("n"))
        .group_by(Score.sheet_id)
        .subquery()
    )


def _judge_rows(event_id: int) -> list[JudgeStage]:
    scored = _scored_per_sheet()
    sent = ScoreSheet.status.is_not(None) & (ScoreSheet.status != "draft")
    started = (ScoreSheet.status == "draft") & (func.coalesce(scored.c.n, 0) > 0)
    touched = (ScoreSheet.version > 0) | sent
    rows = db.session.execute(
        select(
            User.id,
            User.name,
            Category.id,
            Category.name,
            Stage.id,
            Stage.name,
            Stage.status,
            func.count(Assignment.id),
            func.count(case((started, 1))),
            func.count(case((sent, 1))),
            func.max(case((touched, ScoreSheet.updated_at))),
        )
        .select_from(Assignment)
        .join(Stage, Stage.id == Assignment.stage_id)
        .join(Category, Category.id == Stage.category_id)
        .join(User, User.id == Assignment.judge_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .outerjoin(scored, scored.c.sheet_id == ScoreSheet.id)
        .where(Category.event_id == event_id)
        .group_by(User.id, User.name, Category.id, Category.name, Category.position)
        .group_by(Stage.id, Stage.name, Stage.status, Stage.position)
        .order_by(User.name, User.id, Category.position, Stage.position)
    ).all()
    return [JudgeStage(*row) for row in rows]


def _entry_cells(event_id: int) -> dict[tuple[int, int], Cell]:
    sent = ScoreSheet.status.is_not(None) & (ScoreSheet.status != "draft")
    rows = db.session.execute(
        select(
            Assignment.entry_id,
            Assignment.stage_id,
            func.count(case((sent, 1))),
            func.count(Assignment.id),
        )
        .join(Stage, Stage.id == Assignment.stage_id)
        .join(Category, Category.id == Stage.category_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Category.event_id == event_id)
        .group_by(Assignment.entry_id, Assignment.stage_id)
    ).all()
    cells = {(entry_id, stage_id): Cell(done, total) for entry_id, stage_id, done, total in rows}
    decisions = db.session.execute(
        select(StageDecision.entry_id, StageDecision.stage_id, StageDecision.outcome)
        .join(Stage, Stage.id == StageDecision.stage_id)
        .join(Category, Category.id == Stage.category_id)
        .where(Category.event_id == event_id)
    ).all()
    for entry_id, stage_id, outcome in decisions:
        cells[(entry_id, stage_id)] = Cell(outcome=outcome)
    return cells


def _entries(event_id: int) -> list[tuple[int, int, str, str]]:
    return list(
        db.session.execute(
            select(Entry.id, Entry.category_id, Entry.name, Region.name)
            .join(Region, Region.id == Entry.region_id)
            .join(Category, Category.id == Entry.category_id)
            .where(Category.event_id == event_id)
            .order_by(Entry.name)
        ).all()
    )


def event_progress(event_id: int) -> EventProgress | None:
    """The whole dashboard of one event, or None when it does not exist."""
    event = _load_event(event_id)
    if event is None:
        return None
    cells = _entry_cells(event.id)
    boards = {
        category.id: CategoryBoard(
            category.id,
            category.name,
            [StageInfo(s.id, s.name, s.kind, s.status) for s in category.stages],
        )
        for category in event.categories
    }
    for entry_id, category_id, name, region in _entries(event.id):
        board = boards[category_id]
        row = EntryRow(entry_id, name, region)
        for stage in board.stages:
            row.cells[stage.stage_id] = cells.get((entry_id, stage.stage_id), Cell())
        board.entries.append(row)
    judges = _judge_rows(event.id)
    for cell in judges:
        rows = boards[cell.category_id].judges
        if not rows or rows[-1].judge_id != cell.judge_id:
            rows.append(JudgeRow(cell.judge_id, cell.judge_name))
        rows[-1].cells[cell.stage_id] = cell
    return EventProgress(
        event_id=event.id,
        name=event.name,
        status=event.status,
        generated_at=utcnow(),
        judges=judges,
        categories=list(boards.values()),
        blockers=_blockers(event, list(boards.values())),
    )


def _blockers(event: Event, boards: list[CategoryBoard]) -> list[InvalidInput]:
    by_id = {category.id: category for category in event.categories}
    blockers: list[InvalidInput] = []
    if not boards:
        return [InvalidInput("The event has no categories yet.")]
    for board in boards:
        category = by_id[board.category_id]
        blockers.extend(category_problems(category))
        if not board.entries:
            blockers.append(InvalidInput("%(category)s has no entries yet.", category=board.name))
            continue
        for stage in board.stages:
            column = [row.cells[stage.stage_id] for row in board.entries]
            where = {"category": board.name, "stage": stage.name}
            if stage.kind == "pass_fail":
                undecided = sum(1 for cell in column if cell.outcome is None)
                if undecided:
                    blockers.append(
                        InvalidInput(
                            "%(category)s · %(stage)s: %(n)d entries have no pass/fail "
                            "decision yet.",
                            n=undecided,
                            **where,
                        )
                    )
                continue
            expected = sum(cell.expected for cell in column)
            missing = expected - sum(cell.submitted for cell in column)
            if expected == 0:
                blockers.append(
                    InvalidInput("%(category)s · %(stage)s: no judges assigned yet.", **where)
                )
            elif missing:
                blockers.append(
                    InvalidInput(
                        "%(category)s · %(stage)s: %(missing)d of %(expected)d score sheets "
                        "not sent yet.",
                        missing=missing,
                        expected=expected,
                        **where,
                    )
                )
            if stage.status == "open":
                blockers.append(
                    InvalidInput("%(category)s · %(stage)s is still open for scoring.", **where)
                )
    return blockers


def publish_blockers(event_id: int) -> list[InvalidInput]:
    """What must be done before the results of the event can be published (empty: nothing)."""
    progress = event_progress(event_id)
    return [] if progress is None else progress.blockers
