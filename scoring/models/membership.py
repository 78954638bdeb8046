"""Event membership: which committee accounts work on which event (admins see every event)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import UTCDateTime, utcnow

if TYPE_CHECKING:
    from scoring.models.event import Event
    from scoring.models.user import User


class EventMember(db.Model):
    """A committee account allowed to open and change one event."""

    __tablename__ = "event_member"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    added_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    adder: Mapped[User | None] = relationship(foreign_keys=[added_by])

    def __repr__(self) -> str:
        return f"<EventMember event={self.event_id} user={self.user_id}>"
