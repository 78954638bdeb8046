"""The writes of a sheet save (scoring/services/sheet_save.py), in SQLAlchemy Core.

In the write transaction: a compare-and-set of the sheet (version, draft status, stage open,
the caller's session), one multi-row score upsert, the audit row and the submission row. The
statements are built once with bind parameters: a statement object memoises its cache key, so
executing it again costs no rebuilding of the expression.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, insert, update
from sqlalchemy.engine import Connection

from scoring.models import AuditEvent, Score, ScoreSheet, SheetSubmission, Stage, User
from scoring.orm import utcnow
from scoring.services.sheets import SheetChange
from scoring.services.worklist import SheetView

sheet_t = ScoreSheet.__table__
score_t = Score.__table__


@dataclass(frozen=True)
class Plan:
    """What a save writes, decided before the write lock is taken."""

    view: SheetView  # the sheet as it will be after the write
    base_version: int
    changed: bool
    scores: list[dict[str, Any]]
    audit: dict[str, Any] | None


@functools.cache
def _upsert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(score_t)
    return statement.on_conflict_do_update(
        index_elements=[score_t.c.sheet_id, score_t.c.criterion_id],
        set_={"value": statement.excluded.value, "comment": statement.excluded.comment},
    )


@functools.cache
def _compare_and_set(changed: bool, check_session: bool) -> Any:
    """Built once: a statement object memoises its cache key, so executing it again costs
    no rebuilding of the expression (a third of the save's CPU when built per call)."""
    guards = [
        ScoreSheet.id == bindparam("sheet_id"),
        ScoreSheet.version == bindparam("base_version"),
        ScoreSheet.status == "draft",
        exists().where(Stage.id == bindparam("stage_id"), Stage.status == "open"),
    ]
    if check_session:
        guards.append(
            exists().where(
                User.id == bindparam("judge_id"),
                User.active.is_(True),
                User.session_version == bindparam("session_version"),
            )
        )
    if changed:
        values: dict[str, Any] = {
            "version": bindparam("new_version"),
            "status": bindparam("new_status"),
            "submitted_at": bindparam("new_submitted_at", type_=ScoreSheet.submitted_at.type),
            "last_submission_id": bindparam("new_submission_id"),
        }
    else:  # nothing changes, but the row is still locked and compared
        values = {"updated_at": ScoreSheet.updated_at}
    return update(sheet_t).where(*guards).values(values)


AUDIT_INSERT = insert(AuditEvent.__table__)
SUBMISSION_INSERT = insert(SheetSubmission.__table__)


def apply_plan(
    conn: Connection,
    plan: Plan,
    change: SheetChange,
    digest: str,
    judge_id: int,
    session: int | None,
) -> bool:
    """The writes, in the caller's write transaction; False if the sheet moved since the read."""
    sheet = plan.view
    params: dict[str, Any] = {
        "sheet_id": sheet.id,
        "base_version": plan.base_version,
        "stage_id": sheet.stage_id,
    }
    if session is not None:
        params.update(judge_id=judge_id, session_version=session)
    if plan.changed:
        params.update(
            new_version=sheet.version,
            new_status=sheet.status,
            new_submitted_at=sheet.submitted_at,
            new_submission_id=change.submission_id,
        )
    statement = _compare_and_set(plan.changed, session is not None)
    if conn.execute(statement, params).rowcount != 1:
        return False
    if plan.scores:
        conn.execute(
            _upsert(conn.dialect.name), [{"sheet_id": sheet.id, **row} for row in plan.scores]
        )
    if plan.audit is not None:
        conn.execute(AUDIT_INSERT, plan.audit)
    conn.execute(
        SUBMISSION_INSERT,
        {
            "sheet_id": sheet.id,
            "submission_id": change.submission_id,
            "body_sha256": digest,
            "version": sheet.version,
            "changed": plan.changed,
            "actor_id": judge_id,
            "created_at": utcnow(),
        },
    )
    return True
