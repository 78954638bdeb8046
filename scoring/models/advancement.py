"""Who goes on to the next stage after a stage with "how many advance" (e.g. the top 3).

One row per entry of the stage once it is decided: applied from the stage's ranking ("auto") or
decided by the committee with a reason ("manual"). An entry tied at the cut-off has no row until
the committee decides (scoring/services/advancement.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from scoring.models.entry import Entry
    from scoring.models.event import Stage

ADVANCEMENT_SOURCES = ("auto", "manual")


class StageAdvancement(db.Model):
    __tablename__ = "stage_advancement"
    __table_args__ = (
        UniqueConstraint("stage_id", "entry_id"),
        CheckConstraint(enum_check("source", ADVANCEMENT_SOURCES), name="source"),
        # A decision by hand says why: it overrides the ranking.
        CheckConstraint(
            "source = 'auto' OR (reason IS NOT NULL AND length(trim(reason)) > 0)",
            name="manual_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("stage.id", ondelete="CASCADE"), index=True, nullable=False
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entry.id", ondelete="CASCADE"), index=True, nullable=False
    )
    advances: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # The entry's rank in the ranking up to this stage when the decision was made (None: none).
    rank: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    stage: Mapped[Stage] = relationship()
    entry: Mapped[Entry] = relationship()

    def __repr__(self) -> str:
        state = "advances" if self.advances else "out"
        return f"<StageAdvancement stage={self.stage_id} entry={self.entry_id} {state}>"
