"""Published results: frozen, reproducible snapshots of a category's ranking.

A ResultSnapshot holds everything needed to recompute the ranking (every counted score, the
rubric, the entries and judges), the method and its options, the code version and the output,
and the SHA-256 of their canonical JSON (scoring/services/snapshots.py). Its content never changes
after it is written; only the status moves from published to withdrawn (with a reason), and a
republication is a new version.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import JSONType, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from scoring.models.event import Category
    from scoring.models.user import User

SNAPSHOT_STATUSES = ("published", "withdrawn")
SNAPSHOT_METHODS = ("raw", "zscore", "rank", "additive")
FLAG_CODES = ("harsh", "lenient", "disagrees", "flat")


class ResultSnapshot(db.Model):
    __tablename__ = "result_snapshot"
    __table_args__ = (
        UniqueConstraint("category_id", "version"),
        CheckConstraint(enum_check("status", SNAPSHOT_STATUSES), name="status"),
        CheckConstraint(enum_check("method", SNAPSHOT_METHODS), name="method"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("length(sha256) = 64", name="digest_length"),
        CheckConstraint("(status = 'withdrawn') = (withdrawn_at IS NOT NULL)", name="withdrawn_at"),
        CheckConstraint(
            "status = 'published'"
            " OR (withdraw_reason IS NOT NULL AND length(trim(withdraw_reason)) > 0)",
            name="withdraw_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="published", nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    options: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    outputs: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    code_version: Mapped[str] = mapped_column(String(80), nullable=False)
    # SHA-256 of the canonical JSON of {code_version, inputs, method, options, outputs}.
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # The public page shows nothing of this snapshot before this moment (the ceremony).
    embargo_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # Why it was published despite blockers (missing sheets, unacknowledged flags); None if none.
    reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    category: Mapped[Category] = relationship()
    publisher: Mapped[User | None] = relationship(foreign_keys=[published_by])

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def visible_at(self, moment: dt.datetime) -> bool:
        """Published and past its embargo at `moment` (aware UTC)."""
        return self.is_published and (self.embargo_until is None or self.embargo_until <= moment)

    def __repr__(self) -> str:
        return f"<ResultSnapshot category={self.category_id} v{self.version} {self.status}>"


class JudgeFlagAcknowledgement(db.Model):
    """The committee has looked at a judge's flag in a category and accepts the scores as given."""

    __tablename__ = "judge_flag_acknowledgement"
    __table_args__ = (
        UniqueConstraint("category_id", "judge_id", "code"),
        CheckConstraint(enum_check("code", FLAG_CODES), name="code"),
        CheckConstraint("length(trim(note)) > 0", name="note_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True, nullable=False
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True, nullable=False)
    code: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<JudgeFlagAcknowledgement {self.category_id} {self.judge_id} {self.code}>"
