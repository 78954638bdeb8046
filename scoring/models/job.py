"""Background jobs the committee starts and watches (e.g. issuing a category's certificates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from scoring.extensions import db
from scoring.orm import JSONType, TimestampMixin, UTCDateTime, enum_check

JOB_KINDS = ("certificates.issue_all",)
JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(TimestampMixin, db.Model):
    """One run of a background task with its progress, for a progress bar and a result file."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(enum_check("kind", JOB_KINDS), name="kind"),
        CheckConstraint(enum_check("status", JOB_STATUSES), name="status"),
        CheckConstraint("total >= 0 AND done >= 0 AND done <= total", name="progress"),
        CheckConstraint("status <> 'failed' OR error IS NOT NULL", name="failed_has_error"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="queued", nullable=False)
    # The event the job works on, so pages can list an event's jobs (not a FK: see AuditEvent).
    event_id: Mapped[int | None] = mapped_column(Integer, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    total: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    done: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # An English msgid the page translates; details go to the log.
    error: Mapped[str | None] = mapped_column(String(300))
    # Stored name of the result file under UPLOAD_DIR/jobs/ (e.g. a ZIP), once done.
    result_name: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0
