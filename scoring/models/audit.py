"""The append-only audit trail: who did what to which object, with before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from scoring.extensions import db
from scoring.orm import JSONType, UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One row per change. Nothing in the code updates or deletes these rows."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True, nullable=False
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True, nullable=False)
    object_type: Mapped[str] = mapped_column(String(40), nullable=False)
    object_id: Mapped[int | None] = mapped_column(Integer)
    # The event the object belongs to, so the log filters by event cheaply. Not a foreign
    # key on purpose: the trail outlives a deleted event.
    event_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
