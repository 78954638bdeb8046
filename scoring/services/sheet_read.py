"""The one read of a sheet save (scoring/services/sheet_save.py), in SQLAlchemy Core.

One statement returns, one row per criterion: the sheet with its assignment, judge, entry,
region, stage, category and event, the criterion and its score, the earlier use of the
submission id (any sheet) and the calling account's role, active flag and session version.
Rows, not ORM objects: building the SheetView from them costs a fraction of a flush-ready
object graph.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.engine import Connection

from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Event,
    Region,
    Score,
    ScoreSheet,
    SheetSubmission,
    Stage,
    User,
)
from scoring.services.worklist import CriterionView, SheetView

caller_t = User.__table__.alias("caller")

COLUMNS = (
    ScoreSheet.id.label("sheet_id"),
    ScoreSheet.status.label("status"),
    ScoreSheet.version.label("version"),
    ScoreSheet.submitted_at.label("submitted_at"),
    Assignment.judge_id.label("judge_id"),
    User.name.label("judge_name"),
    Entry.id.label("entry_id"),
    Entry.name.label("entry_name"),
    Region.name.label("region_name"),
    Stage.id.label("stage_id"),
    Stage.name.label("stage_name"),
    Stage.status.label("stage_status"),
    Category.name.label("category_name"),
    Event.id.label("event_id"),
    Event.name.label("event_name"),
    Event.status.label("event_status"),
    Criterion.id.label("criterion_id"),
    Criterion.position.label("position"),
    Criterion.name.label("criterion_name"),
    Criterion.description.label("description"),
    Criterion.weight.label("weight"),
    Criterion.min_score.label("min_score"),
    Criterion.max_score.label("max_score"),
    Criterion.bands.label("bands"),
    Score.value.label("value"),
    Score.comment.label("comment"),
    SheetSubmission.sheet_id.label("previous_sheet_id"),
    SheetSubmission.body_sha256.label("previous_digest"),
    caller_t.c.role.label("caller_role"),
    caller_t.c.active.label("caller_active"),
    caller_t.c.session_version.label("caller_session"),
)


@dataclass(frozen=True)
class Snapshot:
    view: SheetView
    event_status: str
    previous: tuple[int, str] | None  # (sheet_id, body digest) of this submission id
    caller: tuple[str, bool, int] | None  # role, active, session_version


@functools.cache
def sheet_query(locked: bool) -> Any:
    """The joined read, built once (a statement object memoises its cache key); parameters
    `sheet_id`, `submission_id`, `caller_id`. `locked`: FOR UPDATE of the sheet row
    (PostgreSQL; SQLite ignores it and is locked by BEGIN IMMEDIATE)."""
    query = (
        select(*COLUMNS)
        .select_from(ScoreSheet)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .join(User, User.id == Assignment.judge_id)
        .join(Entry, Entry.id == Assignment.entry_id)
        .join(Region, Region.id == Entry.region_id)
        .join(Stage, Stage.id == Assignment.stage_id)
        .join(Category, Category.id == Stage.category_id)
        .join(Event, Event.id == Category.event_id)
        .outerjoin(Criterion, Criterion.stage_id == Stage.id)
        .outerjoin(Score, and_(Score.sheet_id == ScoreSheet.id, Score.criterion_id == Criterion.id))
        .outerjoin(SheetSubmission, SheetSubmission.submission_id == bindparam("submission_id"))
        .outerjoin(caller_t, caller_t.c.id == bindparam("caller_id"))
        .where(ScoreSheet.id == bindparam("sheet_id"))
        .order_by(Criterion.position)
    )
    return query.with_for_update(of=ScoreSheet.__table__) if locked else query


def read_sheet(
    conn: Connection, sheet_id: int, submission_id: str, caller_id: int, locked: bool
) -> Snapshot | None:
    """The sheet as the save sees it, or None when there is no such sheet."""
    parameters = {"sheet_id": sheet_id, "submission_id": submission_id, "caller_id": caller_id}
    rows = conn.execute(sheet_query(locked), parameters).all()
    if not rows:
        return None
    first = rows[0]
    criteria = [
        CriterionView(
            id=row.criterion_id,
            position=row.position,
            name=row.criterion_name,
            description=row.description,
            weight=row.weight,
            min_score=row.min_score,
            max_score=row.max_score,
            bands=list(row.bands or []),
            value=row.value,
            comment=row.comment,
        )
        for row in rows
        if row.criterion_id is not None
    ]
    view = SheetView(
        id=first.sheet_id,
        version=first.version,
        status=first.status,
        submitted_at=first.submitted_at,
        judge_id=first.judge_id,
        judge_name=first.judge_name,
        entry_id=first.entry_id,
        entry_name=first.entry_name,
        region_name=first.region_name,
        stage_id=first.stage_id,
        stage_name=first.stage_name,
        stage_status=first.stage_status,
        category_name=first.category_name,
        event_id=first.event_id,
        event_name=first.event_name,
        criteria=criteria,
    )
    previous = None
    if first.previous_sheet_id is not None:
        previous = (first.previous_sheet_id, first.previous_digest)
    caller = None
    if first.caller_role is not None:
        caller = (first.caller_role, bool(first.caller_active), first.caller_session)
    return Snapshot(view, first.event_status, previous, caller)


def read_caller(conn: Connection, user_id: int) -> tuple[str, bool, int] | None:
    """The account's role, active flag and session version (only when there is no sheet)."""
    row = conn.execute(
        select(User.role, User.active, User.session_version).where(User.id == user_id)
    ).one_or_none()
    return None if row is None else (row[0], bool(row[1]), row[2])
