"""Pass/fail decisions of a pass_fail stage (seleksi administrasi), one per entry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from scoring.models.entry import Entry
    from scoring.models.event import Stage
    from scoring.models.user import User

DECISION_OUTCOMES = ("pass", "fail")


class StageDecision(db.Model):
    __tablename__ = "stage_decision"
    __table_args__ = (
        UniqueConstraint("stage_id", "entry_id"),
        CheckConstraint(enum_check("outcome", DECISION_OUTCOMES), name="outcome"),
        # A failed entry is told why: the reason is part of the record, not optional.
        CheckConstraint(
            "outcome = 'pass' OR (reason IS NOT NULL AND length(trim(reason)) > 0)",
            name="fail_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("stage.id", ondelete="CASCADE"), index=True, nullable=False
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entry.id", ondelete="CASCADE"), index=True, nullable=False
    )
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    stage: Mapped[Stage] = relationship()
    entry: Mapped[Entry] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def passed(self) -> bool:
        return self.outcome == "pass"

    def __repr__(self) -> str:
        return f"<StageDecision stage={self.stage_id} entry={self.entry_id} {self.outcome}>"
