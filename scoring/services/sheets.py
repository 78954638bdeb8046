"""Saving, submitting and reopening score sheets: the promise that every score lands once.

`save_sheet` is what PUT /api/v1/sheets/<id> calls (docs/api.md). In one transaction that
holds the sheet's write lock (`get_for_update`: SELECT ... FOR UPDATE on PostgreSQL, BEGIN
IMMEDIATE on SQLite) it recognises a replayed submission, checks the version the tablet built
on, writes the values, bumps the version, logs the submission and writes one audit row. Two
devices saving at once therefore queue on the lock; the second one sees the first one's
version and gets a conflict instead of silently overwriting it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from scoring.database import begin_write, committing, get_for_update
from scoring.extensions import db
from scoring.i18n import format_number
from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Score,
    ScoreSheet,
    SheetSubmission,
    Stage,
)
from scoring.orm import utcnow
from scoring.services import audit
from scoring.services.errors import Conflict, InvalidInput, NotFound, ScoringError, msgid
from scoring.services.worklist import SheetView, view_of, weighted_total

__all__ = [
    "SaveResult",
    "SheetChange",
    "reopen_sheet",
    "save_sheet",
    "weighted_total",
]

COMMENT_MAX = 2000


def N_(message: str) -> str:
    """Mark a msgid for extraction; the view translates it when it answers."""
    return message


@dataclass(frozen=True)
class SheetChange:
    """One save from a tablet, already checked for shape (see scoring/api/payload.py).

    `scores` and `comments` hold the criteria the save sets (None / "" clears them); criteria
    left out keep their value.
    """

    submission_id: str
    base_version: int
    scores: dict[int, float | None] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    submit: bool = False

    def digest(self) -> str:
        """SHA-256 of the canonical body: 80 and 80.0, or reordered keys, are the same body."""
        canonical = {
            "submission_id": self.submission_id,
            "base_version": self.base_version,
            "scores": {str(k): None if v is None else float(v) for k, v in self.scores.items()},
            "comments": {str(k): v for k, v in self.comments.items()},
            "submit": self.submit,
        }
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SaveResult:
    sheet: SheetView
    replayed: bool  # an earlier submission sent again: nothing was written
    changed: bool  # this save changed values or status (and bumped the version)


class SheetError(ScoringError):
    """A refusal that carries the sheet as the server has it, for the tablet to show."""

    def __init__(self, message: str, sheet: SheetView | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.sheet = sheet


class SheetLocked(SheetError):
    status_code = 423

    def __init__(self, message: str, reason: str, sheet: SheetView | None = None) -> None:
        super().__init__(message, sheet)
        self.reason = reason


class StaleSheet(SheetError, Conflict):
    """Another device saved since the version this save was built on."""

    reason = "stale"


class SubmissionReused(Conflict):
    reason = "submission_reused"


class InvalidSheet(InvalidInput):
    """Values that cannot be saved, with one message per field ("scores.12", "comments.3")."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__(msgid("Some values could not be saved. Check the marked fields."))
        self.fields = fields


def _not_found() -> NotFound:
    return NotFound("This score sheet does not exist or is not assigned to you.")


def save_sheet(sheet_id: int, judge_id: int, change: SheetChange) -> SaveResult:
    """Apply one save (and, with `change.submit`, the submission) of a judge's own sheet."""
    try:
        result = _save(sheet_id, judge_id, change)
    except ScoringError:
        db.session.rollback()
        raise
    except IntegrityError as error:
        # Only a submission_id used at the same moment for another sheet gets here.
        db.session.rollback()
        raise SubmissionReused(
            N_("This submission id was already used for different values. Send the save again.")
        ) from error
    except Exception:
        db.session.rollback()
        raise
    return result


def _locked_sheet(sheet_id: int) -> ScoreSheet | None:
    """The sheet, write-locked, with everything a save reads and answers, in two queries.

    The same lock as `get_for_update` (BEGIN IMMEDIATE on SQLite; on PostgreSQL FOR UPDATE of
    the sheet row only, not of the rows joined in). Loading the assignment, stage, event,
    entry and judge here instead of one lazy load each halves the save's round trips.
    """
    begin_write()
    assignment = joinedload(ScoreSheet.assignment, innerjoin=True)
    stage = assignment.joinedload(Assignment.stage, innerjoin=True)
    query = (
        select(ScoreSheet)
        .where(ScoreSheet.id == sheet_id)
        .options(
            assignment.joinedload(Assignment.entry, innerjoin=True).joinedload(Entry.region),
            assignment.joinedload(Assignment.judge, innerjoin=True),
            stage.joinedload(Stage.category, innerjoin=True).joinedload(
                Category.event, innerjoin=True
            ),
            stage.joinedload(Stage.criteria),
            selectinload(ScoreSheet.scores),
        )
        .with_for_update(of=ScoreSheet)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).unique().one_or_none()


def _save(sheet_id: int, judge_id: int, change: SheetChange) -> SaveResult:
    sheet = _locked_sheet(sheet_id)
    if sheet is None or sheet.assignment.judge_id != judge_id:
        raise _not_found()
    stage = sheet.assignment.stage
    if stage.category.event.status == "draft":
        raise _not_found()
    digest = change.digest()
    previous = db.session.execute(
        select(SheetSubmission.sheet_id, SheetSubmission.body_sha256).filter_by(
            submission_id=change.submission_id
        )
    ).one_or_none()
    if previous is not None:
        if previous.sheet_id == sheet.id and previous.body_sha256 == digest:
            view = view_of(sheet)
            db.session.rollback()
            return SaveResult(view, replayed=True, changed=False)
        raise SubmissionReused(
            N_("This submission id was already used for different values. Send the save again.")
        )
    if sheet.status != "draft":
        raise SheetLocked(
            N_("This sheet has already been sent and can no longer be changed."),
            reason=sheet.status,
            sheet=view_of(sheet),
        )
    if stage.status != "open":
        raise SheetLocked(
            N_("Scoring for this stage is not open."), reason="stage_not_open", sheet=view_of(sheet)
        )
    criteria = {criterion.id: criterion for criterion in stage.criteria}
    _validate(change, criteria)
    if change.base_version != sheet.version:
        raise StaleSheet(
            N_("Another device saved this sheet in the meantime. Choose which values to keep."),
            sheet=view_of(sheet),
        )
    before, after = _apply_values(sheet, change)
    if change.submit:
        _require_complete(sheet, criteria)
        before["status"], after["status"] = sheet.status, "submitted"
        sheet.status = "submitted"
        sheet.submitted_at = utcnow()
    changed = bool(after)
    if changed:
        before["version"] = sheet.version
        sheet.version += 1
        sheet.last_submission_id = change.submission_id
        after["version"] = sheet.version
        after["submission_id"] = change.submission_id
        audit.record(
            "sheet.submit" if change.submit else "sheet.save",
            sheet,
            before=before,
            after=after,
            event_id=stage.category.event_id,
            actor_id=judge_id,
        )
    db.session.add(
        SheetSubmission(
            sheet_id=sheet.id,
            submission_id=change.submission_id,
            body_sha256=digest,
            version=sheet.version,
            changed=changed,
            actor_id=judge_id,
        )
    )
    db.session.flush()
    view = view_of(sheet)
    db.session.commit()
    return SaveResult(view, replayed=False, changed=changed)


def _number(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 2)


def _validate(change: SheetChange, criteria: dict[int, Criterion]) -> None:
    fields: dict[str, Any] = {}
    for criterion_id, value in change.scores.items():
        key = f"scores.{criterion_id}"
        criterion = criteria.get(criterion_id)
        if criterion is None:
            fields[key] = _l("This criterion is not part of the sheet.")
        elif value is None:
            continue
        elif not math.isfinite(value):
            fields[key] = _l("Enter a number.")
        elif not criterion.min_score <= value <= criterion.max_score:
            fields[key] = _l(
                "Enter a value from %(min)s to %(max)s.",
                min=_number(criterion.min_score),
                max=_number(criterion.max_score),
            )
        elif abs(round(value, 2) - value) > 1e-9:
            fields[key] = _l("Use at most two decimals.")
    for criterion_id, comment in change.comments.items():
        key = f"comments.{criterion_id}"
        if criterion_id not in criteria:
            fields[key] = _l("This criterion is not part of the sheet.")
        elif len(comment) > COMMENT_MAX:
            fields[key] = _l("The note is too long (at most %(n)s characters).", n=COMMENT_MAX)
    if fields:
        raise InvalidSheet(fields)


def _apply_values(sheet: ScoreSheet, change: SheetChange) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the changed values; return the audit's before and after (changed keys only)."""
    rows = {score.criterion_id: score for score in sheet.scores}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for criterion_id in sorted(set(change.scores) | set(change.comments)):
        row = rows.get(criterion_id)
        value = row.value if row else None
        comment = row.comment if row else None
        if criterion_id in change.scores:
            new = change.scores[criterion_id]
            new_value = None if new is None else float(new)
        else:
            new_value = value
        if criterion_id in change.comments:
            new_comment = change.comments[criterion_id].strip() or None
        else:
            new_comment = comment
        if new_value == value and new_comment == comment:
            continue
        if row is None:
            row = rows[criterion_id] = Score(criterion_id=criterion_id)
            sheet.scores.append(row)
        key = str(criterion_id)
        if new_value != value:
            before.setdefault("scores", {})[key] = value
            after.setdefault("scores", {})[key] = new_value
            row.value = new_value
        if new_comment != comment:
            before.setdefault("comments", {})[key] = comment
            after.setdefault("comments", {})[key] = new_comment
            row.comment = new_comment
    return before, after


def _require_complete(sheet: ScoreSheet, criteria: dict[int, Criterion]) -> None:
    scored = {score.criterion_id for score in sheet.scores if score.value is not None}
    missing = {
        f"scores.{criterion_id}": _l("Score this criterion before sending the sheet.")
        for criterion_id in criteria
        if criterion_id not in scored
    }
    if missing:
        raise InvalidSheet(missing)


def reopen_sheet(sheet_id: int, reason: str, actor_id: int) -> SheetView:
    """The committee sends a submitted sheet back to its judge, with a reason (audited)."""
    reason = (reason or "").strip()
    with committing():
        if not reason:
            raise InvalidInput("Give the reason for reopening this sheet.")
        if len(reason) > COMMENT_MAX:
            raise InvalidInput("The reason is too long (at most %(n)s characters).", n=COMMENT_MAX)
        sheet = get_for_update(ScoreSheet, sheet_id)
        if sheet is None:
            raise NotFound("This score sheet does not exist.")
        if sheet.status != "submitted":
            raise Conflict("Only a sent sheet can be reopened.")
        before = {
            "status": sheet.status,
            "version": sheet.version,
            "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None,
        }
        sheet.status = "draft"
        sheet.submitted_at = None
        # A new version: a tablet still holding the sent sheet learns of the change on sync.
        sheet.version += 1
        audit.record(
            "sheet.reopen",
            sheet,
            before=before,
            after={"status": "draft", "version": sheet.version, "reason": reason},
            event_id=sheet.assignment.stage.category.event_id,
            actor_id=actor_id,
        )
        db.session.flush()
        view = view_of(sheet)
    return view
