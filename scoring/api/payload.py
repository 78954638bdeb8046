"""The shape of a sheet save (PUT /api/v1/sheets/<id>), checked before any database work."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import lazy_gettext as _l

from scoring.services.sheets import COMMENT_MAX, InvalidSheet, SheetChange

KEYS = {"submission_id", "base_version", "scores", "comments", "submit"}


def _uuid4(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    return str(parsed) if parsed.version == 4 and str(parsed) == value.lower() else None


def _criterion_id(key: str) -> int | None:
    return int(key) if key.isdigit() and len(key) < 10 else None


def parse_change(raw: Any) -> SheetChange:
    """A SheetChange from decoded JSON, or InvalidSheet with one message per wrong field."""
    if not isinstance(raw, dict):
        raise InvalidSheet({"body": _l("Send the values as a JSON object.")})
    fields: dict[str, Any] = {}
    for key in sorted(set(raw) - KEYS):
        fields[str(key)] = _l("Unknown field.")
    submission_id = _uuid4(raw.get("submission_id"))
    if submission_id is None:
        fields["submission_id"] = _l("A submission id (UUID version 4) is required.")
    base_version = raw.get("base_version")
    if isinstance(base_version, bool) or not isinstance(base_version, int) or base_version < 0:
        fields["base_version"] = _l("The version the values were based on is required.")
    submit = raw.get("submit", False)
    if not isinstance(submit, bool):
        fields["submit"] = _l("Must be true or false.")
    scores: dict[int, float | None] = {}
    raw_scores = raw.get("scores", {})
    if not isinstance(raw_scores, dict):
        fields["scores"] = _l("Send the scores as an object of criterion id to value.")
        raw_scores = {}
    for key, value in raw_scores.items():
        criterion_id = _criterion_id(key)
        if criterion_id is None:
            fields[f"scores.{key}"] = _l("This criterion is not part of the sheet.")
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            fields[f"scores.{key}"] = _l("Enter a number.")
        else:
            scores[criterion_id] = value
    comments: dict[int, str] = {}
    raw_comments = raw.get("comments", {})
    if not isinstance(raw_comments, dict):
        fields["comments"] = _l("Send the notes as an object of criterion id to text.")
        raw_comments = {}
    for key, value in raw_comments.items():
        criterion_id = _criterion_id(key)
        if criterion_id is None:
            fields[f"comments.{key}"] = _l("This criterion is not part of the sheet.")
        elif not isinstance(value, str):
            fields[f"comments.{key}"] = _l("A note must be text.")
        elif len(value) > COMMENT_MAX:
            fields[f"comments.{key}"] = _l(
                "The note is too long (at most %(n)s characters).", n=COMMENT_MAX
            )
        else:
            comments[criterion_id] = value
    if fields:
        raise InvalidSheet(fields)
    return SheetChange(
        submission_id=str(submission_id),
        base_version=int(base_version),  # type: ignore[arg-type]
        scores=scores,
        comments=comments,
        submit=bool(submit),
    )
