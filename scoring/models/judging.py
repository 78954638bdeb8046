"""Who scores what (Assignment) and what they scored (ScoreSheet, Score)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import JSONType, TimestampMixin, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from scoring.models.entry import Entry
    from scoring.models.event import Criterion, Stage
    from scoring.models.user import User

SHEET_STATUSES = ("draft", "submitted", "locked")


class Assignment(TimestampMixin, db.Model):
    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("stage_id", "entry_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("stage.id", ondelete="CASCADE"), index=True, nullable=False
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entry.id", ondelete="CASCADE"), index=True, nullable=False
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True, nullable=False)

    stage: Mapped[Stage] = relationship()
    entry: Mapped[Entry] = relationship()
    judge: Mapped[User] = relationship()
    sheet: Mapped[ScoreSheet | None] = relationship(
        back_populates="assignment", uselist=False, cascade="all, delete-orphan"
    )


class ScoreSheet(TimestampMixin, db.Model):
    __tablename__ = "score_sheet"
    __table_args__ = (
        CheckConstraint(enum_check("status", SHEET_STATUSES), name="status"),
        CheckConstraint("version >= 0", name="version_nonnegative"),
        CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL", name="submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    status: Mapped[str] = mapped_column(String(20), default="draft", nullable=False)
    # Incremented by every accepted save; clients send it back as base_version.
    version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_submission_id: Mapped[str | None] = mapped_column(String(36))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Why the committee's side sent this sheet back to the judge, for the judge to read:
    # {"missing": [criterion names]} when a criterion was added after the sheet was sent.
    reopen_notice: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    assignment: Mapped[Assignment] = relationship(back_populates="sheet")
    scores: Mapped[list[Score]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", order_by="Score.criterion_id"
    )

    @property
    def is_editable(self) -> bool:
        return self.status == "draft"


class Score(db.Model):
    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheet.id", ondelete="CASCADE"), index=True, nullable=False
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criterion.id", ondelete="CASCADE"), index=True, nullable=False
    )
    # NULL: not scored yet (a comment may exist without a value).
    value: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class SheetSubmission(db.Model):
    """One row per applied save of a sheet: the idempotency log of the sync API.

    A tablet retries a save whose answer it never received with the same `submission_id`; the
    server finds it here and answers with the current state instead of writing again. The body
    digest tells an honest retry (same body) from a reused id with another body (refused).
    """

    __tablename__ = "sheet_submission"
    __table_args__ = (
        CheckConstraint("length(body_sha256) = 64", name="digest_length"),
        CheckConstraint("version >= 0", name="version_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheet.id", ondelete="CASCADE"), index=True, nullable=False
    )
    submission_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    body_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    # The sheet's version right after this submission was applied.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # False when the save changed nothing (same values again): no version bump, no audit row.
    changed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
