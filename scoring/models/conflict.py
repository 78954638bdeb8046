"""Conflicts of interest declared by hand (the home-region rule needs no row)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import UTCDateTime, utcnow

if TYPE_CHECKING:
    from scoring.models.entry import Entry
    from scoring.models.user import User


class ConflictOfInterest(db.Model):
    """A judge who must never score an entry, e.g. a relative or a former supervisor."""

    __tablename__ = "conflict_of_interest"
    __table_args__ = (
        UniqueConstraint("judge_id", "entry_id"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entry.id", ondelete="CASCADE"), index=True, nullable=False
    )
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
    declared_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    entry: Mapped[Entry] = relationship()

    def __repr__(self) -> str:
        return f"<ConflictOfInterest judge={self.judge_id} entry={self.entry_id}>"
