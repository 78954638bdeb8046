"""Files attached to an entry (proposal, photos, reports), stored outside static/."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from scoring.models.entry import Entry
    from scoring.models.user import User

ATTACHMENT_KINDS = ("proposal", "photo", "report", "other")
ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class Attachment(db.Model):
    """One uploaded file. The bytes live in UPLOAD_DIR under `stored_name`, a random name."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(enum_check("kind", ATTACHMENT_KINDS), name="kind"),
        CheckConstraint(enum_check("content_type", ATTACHMENT_TYPES), name="content_type"),
        CheckConstraint(f"size > 0 AND size <= {MAX_ATTACHMENT_BYTES}", name="size"),
        CheckConstraint("length(sha256) = 64", name="digest_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entry.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    label: Mapped[str | None] = mapped_column(String(200))
    # The uploader's file name, cleaned of paths and control characters; only ever displayed.
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    # Decided from the file's first bytes, never from its name or the browser's claim.
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    entry: Mapped[Entry] = relationship()
    uploader: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.kind} {self.content_type}>"
