"""Saving, submitting and reopening score sheets: the promise that every score lands once.

`save_sheet` is what PUT /api/v1/sheets/<id> calls (docs/api.md). It recognises a replayed
submission, checks the version the tablet built on, writes the values, bumps the version, logs
the submission and writes one audit row, all in one write transaction guarded by a version
compare-and-set (scoring/services/sheet_save.py). Two devices saving at once therefore can
never both win; the second one sees the first one's version and gets a conflict instead of
silently overwriting it. This module holds the shapes, the errors and the value checks.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.i18n import format_number
from scoring.models import (
    ScoreSheet,
)
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


def save_sheet(
    sheet_id: int, judge_id: int, change: SheetChange, *, session_version: int | None = None
) -> SaveResult:
    """Apply one save (and, with `change.submit`, the submission) of a judge's own sheet.

    With `session_version` (the API) the judge's account must still be active and its sessions
    not ended (logout, sign-out everywhere): checked inside the save itself, else 401.
    The lean path lives in scoring/services/sheet_save.py.
    """
    from scoring.services.sheet_save import save

    return save(sheet_id, judge_id, change, session_version)


def _number(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 2)


def _validate(change: SheetChange, criteria: dict[int, Any]) -> None:
    """Values against the criteria (anything with id, min_score, max_score: a CriterionView)."""
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
