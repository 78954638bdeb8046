"""Regional registration: windows, required documents, each entry's registration, invitations.

A kabupaten/kota operator (role "regional") registers its region's entries in a category while
the category's window is open (or until the region's extension closes). Times are stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.models.attachment import MAX_ATTACHMENT_BYTES
from scoring.orm import JSONType, TimestampMixin, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from scoring.models.attachment import Attachment
    from scoring.models.entry import Entry
    from scoring.models.event import Category
    from scoring.models.region import Region
    from scoring.models.user import User

# draft -> submitted ("terkirim") -> passed / failed / needs_correction (-> submitted again)
REGISTRATION_STATUSES = ("draft", "submitted", "needs_correction", "passed", "failed")
REVIEW_OUTCOMES = ("pass", "fail", "needs_correction")


class RegistrationWindow(TimestampMixin, db.Model):
    """When operators may register in a category, and how many entries each region may send."""

    __tablename__ = "registration_window"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window_order"),
        CheckConstraint("quota_per_region IS NULL OR quota_per_region > 0", name="quota"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    # None: no limit.
    quota_per_region: Mapped[int | None] = mapped_column(Integer)

    category: Mapped[Category] = relationship()


class RegistrationExtension(db.Model):
    """A later closing time for one region (granted by the committee, audited)."""

    __tablename__ = "registration_extension"
    __table_args__ = (UniqueConstraint("category_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True, nullable=False
    )
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True, nullable=False)
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    region: Mapped[Region] = relationship()


class RequiredDocument(db.Model):
    """A document every registration of the category must carry (e.g. SK pembentukan Poktan)."""

    __tablename__ = "required_document"
    __table_args__ = (
        UniqueConstraint("category_id", "name"),
        CheckConstraint(f"max_bytes > 0 AND max_bytes <= {MAX_ATTACHMENT_BYTES}", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # A subset of ATTACHMENT_TYPES, e.g. ["application/pdf"].
    allowed_types: Mapped[list[str]] = mapped_column(JSONType, nullable=False)
    max_bytes: Mapped[int] = mapped_column(Integer, nullable=False)


class Registration(TimestampMixin, db.Model):
    """The registration state of an entry an operator registered (one per entry)."""

    __tablename__ = "registration"
    __table_args__ = (
        CheckConstraint(enum_check("status", REGISTRATION_STATUSES), name="status"),
        # The region is told why: a fail or a correction request always has a reason.
        CheckConstraint(
            "status NOT IN ('failed', 'needs_correction') OR "
            "(review_reason IS NOT NULL AND length(trim(review_reason)) > 0)",
            name="review_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entry.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    status: Mapped[str] = mapped_column(String(20), default="draft", nullable=False)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # Person entries: who gave consent (the participant or their guardian); when and the notice
    # version are Entry.consent_at / consent_version.
    consent_by: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    review_reason: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[Entry] = relationship()
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])


class RegistrationDocument(db.Model):
    """Which required document an uploaded attachment stands for."""

    __tablename__ = "registration_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True, nullable=False
    )
    required_document_id: Mapped[int] = mapped_column(
        ForeignKey("required_document.id", ondelete="CASCADE"), index=True, nullable=False
    )
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachment.id", ondelete="CASCADE"), unique=True, nullable=False
    )

    attachment: Mapped[Attachment] = relationship()


class OperatorInvitation(db.Model):
    """A link that lets one person create the operator account of a region, until it expires."""

    __tablename__ = "operator_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token in the link; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True, nullable=False)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    region: Mapped[Region] = relationship()
