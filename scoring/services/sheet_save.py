"""The score save (PUT /api/v1/sheets/<id>) as a lean path in SQLAlchemy Core.

One connection for the whole request. First one joined read without any lock: the sheet with
its assignment, judge, entry, region, stage, category, event, criteria and scores, the earlier
use of this submission id, and the caller's account (active, session version). Everything is
decided on that read (replay, not found, locked, invalid, stale). Only then the write
transaction (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL) and in it a compare-and-set
of the sheet's version, status, stage status and the caller's session, the score upsert, the
audit row and the submission row. So SQLite's single write lock is held for four short
statements, not for the read and the checks.

When the compare-and-set finds the sheet changed since the read (another device saved, the
stage closed, the judge logged out) or the same submission id arrives twice at once, the save
is decided again under the lock (`_locked_save`), exactly as it always was: the answers and
rows of docs/api.md do not depend on which path ran. The writes are in sheet_write.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from scoring.database import IMMEDIATE
from scoring.extensions import db
from scoring.orm import utcnow
from scoring.services.errors import Forbidden
from scoring.services.sheet_read import Snapshot, read_caller, read_sheet
from scoring.services.sheet_write import Plan, apply_plan
from scoring.services.sheets import (
    N_,
    InvalidSheet,
    SaveResult,
    SheetChange,
    SheetLocked,
    StaleSheet,
    SubmissionReused,
    _not_found,
    _validate,
)
from scoring.services.worklist import SheetView

ATTEMPTS = 3  # the compare-and-set under the lock fails only if the stage closes meanwhile


class SessionEnded(Forbidden):
    """The cookie's session was ended (logout, sign-out everywhere, deactivation): 401."""

    status_code = 401


def _check_caller(caller: tuple[str, bool, int] | None, session_version: int | None) -> None:
    if session_version is None:
        return  # a service call (tests, CLI): the caller was checked by whoever called
    if caller is None or not caller[1] or caller[2] != session_version:
        raise SessionEnded(N_("Please log in to open this page."))
    if caller[0] != "judge":
        raise Forbidden(N_("You do not have access to this page."))


def _decide(snap: Snapshot, judge_id: int, change: SheetChange, digest: str) -> Plan | SaveResult:
    """The checks of docs/api.md in their order: a SaveResult for a replay, else a Plan."""
    sheet = snap.view
    if sheet.judge_id != judge_id or snap.event_status == "draft":
        raise _not_found()
    if snap.previous is not None:
        if snap.previous == (sheet.id, digest):
            return SaveResult(sheet, replayed=True, changed=False)
        raise SubmissionReused(
            N_("This submission id was already used for different values. Send the save again.")
        )
    if sheet.status != "draft":
        raise SheetLocked(
            N_("This sheet has already been sent and can no longer be changed."),
            reason=sheet.status,
            sheet=sheet,
        )
    if sheet.stage_status != "open":
        raise SheetLocked(
            N_("Scoring for this stage is not open."), reason="stage_not_open", sheet=sheet
        )
    _validate(change, {c.id: c for c in sheet.criteria})
    if change.base_version != sheet.version:
        raise StaleSheet(
            N_("Another device saved this sheet in the meantime. Choose which values to keep."),
            sheet=sheet,
        )
    return _plan(sheet, change, judge_id)


def _plan(sheet: SheetView, change: SheetChange, judge_id: int) -> Plan:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    criteria, scores = [], []
    for criterion in sheet.criteria:
        value, comment = criterion.value, criterion.comment
        new_value, new_comment = value, comment
        if criterion.id in change.scores:
            new = change.scores[criterion.id]
            new_value = None if new is None else float(new)
        if criterion.id in change.comments:
            new_comment = change.comments[criterion.id].strip() or None
        key = str(criterion.id)
        if new_value != value:
            before.setdefault("scores", {})[key] = value
            after.setdefault("scores", {})[key] = new_value
        if new_comment != comment:
            before.setdefault("comments", {})[key] = comment
            after.setdefault("comments", {})[key] = new_comment
        if new_value != value or new_comment != comment:
            scores.append(
                {"criterion_id": criterion.id, "value": new_value, "comment": new_comment}
            )
        criteria.append(replace(criterion, value=new_value, comment=new_comment))
    status, submitted_at = sheet.status, sheet.submitted_at
    if change.submit:
        missing = {
            f"scores.{c.id}": _l("Score this criterion before sending the sheet.")
            for c in criteria
            if c.value is None
        }
        if missing:
            raise InvalidSheet(missing)
        before["status"], after["status"] = status, "submitted"
        status, submitted_at = "submitted", utcnow()
    changed = bool(after)
    version = sheet.version
    audit = None
    if changed:
        before["version"] = version
        version += 1
        after["version"] = version
        after["submission_id"] = change.submission_id
        audit = {
            "occurred_at": utcnow(),
            "actor_id": judge_id,
            "action": "sheet.submit" if change.submit else "sheet.save",
            "object_type": "ScoreSheet",
            "object_id": sheet.id,
            "event_id": sheet.event_id,
            "before": before,
            "after": after,
        }
    view = replace(
        sheet, version=version, status=status, submitted_at=submitted_at, criteria=criteria
    )
    return Plan(view, sheet.version, changed, scores, audit)


def save(
    sheet_id: int, judge_id: int, change: SheetChange, session_version: int | None = None
) -> SaveResult:
    """Apply one save; `session_version` (API requests) is checked against the account."""
    digest = change.digest()
    session = db.session()
    if session.in_transaction():  # as begin_write(): what the session read is not kept
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("save_sheet() called with unsaved changes in the session")
        session.rollback()
    with db.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:  # the read needs no transaction: no BEGIN and ROLLBACK round trips
            conn.execution_options(isolation_level="AUTOCOMMIT")
        snap = read_sheet(conn, sheet_id, change.submission_id, judge_id, locked=False)
        conn.rollback()
        if postgres:
            conn.execution_options(isolation_level=conn.default_isolation_level)
        outcome = _outcome(conn, snap, judge_id, change, digest, session_version)
        if isinstance(outcome, SaveResult):
            return outcome
        conn.execution_options(**{IMMEDIATE: True})
        try:
            with conn.begin() as transaction:
                if apply_plan(conn, outcome, change, digest, judge_id, session_version):
                    transaction.commit()
                    return SaveResult(outcome.view, replayed=False, changed=outcome.changed)
                transaction.rollback()
        except IntegrityError:
            pass  # the same submission id at the same moment: decide again under the lock
        return _locked_save(conn, sheet_id, judge_id, change, digest, session_version)


def _outcome(
    conn: Connection,
    snap: Snapshot | None,
    judge_id: int,
    change: SheetChange,
    digest: str,
    session_version: int | None,
) -> Plan | SaveResult:
    if snap is None:
        if session_version is not None:
            _check_caller(read_caller(conn, judge_id), session_version)
        raise _not_found()
    _check_caller(snap.caller, session_version)
    return _decide(snap, judge_id, change, digest)


def _locked_save(
    conn: Connection,
    sheet_id: int,
    judge_id: int,
    change: SheetChange,
    digest: str,
    session_version: int | None,
) -> SaveResult:
    """The save decided and written under the sheet's write lock (the path before issue 16)."""
    for _attempt in range(ATTEMPTS):
        try:
            with conn.begin() as transaction:
                snap = read_sheet(conn, sheet_id, change.submission_id, judge_id, locked=True)
                outcome = _outcome(conn, snap, judge_id, change, digest, session_version)
                if isinstance(outcome, SaveResult):
                    transaction.rollback()
                    return outcome
                if apply_plan(conn, outcome, change, digest, judge_id, session_version):
                    transaction.commit()
                    return SaveResult(outcome.view, replayed=False, changed=outcome.changed)
                transaction.rollback()  # the stage closed or the session ended meanwhile
        except IntegrityError as error:
            # Only a submission_id used at the same moment for another sheet gets here.
            raise SubmissionReused(
                N_("This submission id was already used for different values. Send the save again.")
            ) from error
    raise StaleSheet(
        N_("Another device saved this sheet in the meantime. Choose which values to keep."),
        sheet=None,
    )
