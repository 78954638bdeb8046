"""Writing the audit trail. Every service that changes state calls `record` in its transaction."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from scoring.extensions import db
from scoring.models import AuditEvent


def record(
    action: str,
    obj: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    event_id: int | None = None,
    actor_id: int | None = None,
) -> AuditEvent:
    """Add an AuditEvent for `obj` to the current session (the caller commits).

    The actor defaults to the logged-in user (None for the CLI and background jobs).
    """
    if actor_id is None and current_user and getattr(current_user, "is_authenticated", False):
        actor_id = current_user.id
    row = AuditEvent(
        action=action,
        object_type=type(obj).__name__ if obj is not None else "none",
        object_id=getattr(obj, "id", None),
        event_id=event_id,
        actor_id=actor_id,
        before=before,
        after=after,
    )
    db.session.add(row)
    return row
