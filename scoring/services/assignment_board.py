"""The read model of a stage's assignment page: entries × judges with every cell's state."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, or_, select

from scoring.core.assignments import connected_groups
from scoring.extensions import db
from scoring.models import Assignment, ConflictOfInterest, Entry, Score, ScoreSheet, Stage, User
from scoring.services.assignments import (
    active_judges,
    default_judge_ids,
    eligible_entries,
    load_stage,
)
from scoring.services.conflicts import conflict_reason, declared_conflicts

# Cell states
ASSIGNED, HOME, DECLARED, FREE = "assigned", "home", "declared", "free"


@dataclass(frozen=True)
class Cell:
    state: str
    assignment_id: int | None = None
    sheet_status: str | None = None  # draft, submitted, locked
    started: bool = False  # a score or comment exists, so the assignment cannot be removed


@dataclass
class BoardRow:
    entry: Entry
    cells: list[Cell]

    @property
    def assigned(self) -> int:
        return sum(1 for cell in self.cells if cell.state == ASSIGNED)


@dataclass
class Board:
    stage: Stage
    judges: list[User]
    rows: list[BoardRow]
    all_judges: list[User]
    default_judge_ids: set[int]
    excluded: list[Entry]
    conflicts: list[ConflictOfInterest] = field(default_factory=list)
    groups: int = 0  # connected groups of the current design (1 = comparable)

    @property
    def loads(self) -> list[int]:
        return [
            sum(1 for row in self.rows if row.cells[j].state == ASSIGNED)
            for j in range(len(self.judges))
        ]

    @property
    def total(self) -> int:
        return sum(row.assigned for row in self.rows)

    @property
    def unassigned_entries(self) -> list[Entry]:
        return [row.entry for row in self.rows if row.assigned == 0]


def stage_board(stage_id: int) -> Board:
    """Everything the assignment page shows, in a handful of queries."""
    stage = load_stage(stage_id)
    entries = eligible_entries(stage)
    entry_ids = {e.id for e in entries}
    excluded = [e for e in stage.category.entries if e.id not in entry_ids]
    started = (
        select(Score.sheet_id)
        .where(or_(Score.value.is_not(None), Score.comment.is_not(None)))
        .group_by(Score.sheet_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Assignment.id,
            Assignment.entry_id,
            Assignment.judge_id,
            ScoreSheet.status,
            func.count(started.c.sheet_id),
        )
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .outerjoin(started, started.c.sheet_id == ScoreSheet.id)
        .where(Assignment.stage_id == stage.id)
        .group_by(Assignment.id, Assignment.entry_id, Assignment.judge_id, ScoreSheet.status)
    ).all()
    assigned = {(e, j): (a, status, n > 0) for a, e, j, status, n in rows}
    all_judges = active_judges()
    defaults = default_judge_ids(stage)
    shown_ids = {j for _e, j in assigned} | (defaults if not assigned else set())
    judges = [j for j in all_judges if j.id in shown_ids]
    judges += [
        u
        for u in db.session.scalars(
            select(User).where(User.id.in_(shown_ids - {j.id for j in judges}))
        )
    ]  # deactivated judges who still hold assignments
    declared = declared_conflicts(list(entry_ids))
    board_rows = []
    for entry in entries:
        cells = []
        for judge in judges:
            hit = assigned.get((entry.id, judge.id))
            if hit is not None:
                assignment_id, status, is_started = hit
                cells.append(Cell(ASSIGNED, assignment_id, status, is_started or status != "draft"))
            else:
                reason = conflict_reason(entry, judge, declared)
                cells.append(Cell({"home": HOME, "declared": DECLARED}.get(reason or "", FREE)))
        board_rows.append(BoardRow(entry, cells))
    conflicts = list(
        db.session.scalars(
            select(ConflictOfInterest)
            .join(Entry, Entry.id == ConflictOfInterest.entry_id)
            .where(Entry.category_id == stage.category_id)
            .order_by(ConflictOfInterest.created_at)
        )
    )
    # Comparability of what is assigned so far; entries without a judge are listed apart.
    assigned_rows = [[c.state == ASSIGNED for c in r.cells] for r in board_rows if r.assigned]
    # No judge at all (none the account may assign yet): nothing is connected, and numpy
    # cannot reshape an empty list into (-1, 0).
    matrix = np.array(assigned_rows, dtype=bool).reshape(len(assigned_rows), len(judges))
    groups = len(connected_groups(matrix)) if matrix.size else 0
    return Board(stage, judges, board_rows, all_judges, defaults, excluded, conflicts, groups)
