"""Certificates (piagam penghargaan): per-event settings, numbered certificates, revisions.

A Certificate is one numbered award to one entry (winner or participant) or one judge. Its
number is assigned once and never changes. A reissue (e.g. a corrected name) keeps the number,
gives the certificate a new token and revision, and archives the previous revision as a
CertificateRevision whose token the public verify page then reports as revoked.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.core.numbering import DEFAULT_PATTERN
from scoring.extensions import db
from scoring.orm import TimestampMixin, UTCDateTime, enum_check

if TYPE_CHECKING:
    from scoring.models.event import Category, Event

CERTIFICATE_KINDS = ("winner", "participant", "judge")
CERTIFICATE_STATUSES = ("valid", "revoked")
DEFAULT_TITLE = "PIAGAM PENGHARGAAN"


class CertificateSettings(TimestampMixin, db.Model):
    """What an event prints on its certificates; one row per event."""

    __tablename__ = "certificate_settings"
    __table_args__ = (
        CheckConstraint("signer_nip IS NULL OR length(signer_nip) = 18", name="nip_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    title: Mapped[str] = mapped_column(String(120), default=DEFAULT_TITLE, nullable=False)
    signer_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    signer_title: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    # Nomor Induk Pegawai of a civil servant: 18 digits, optional.
    signer_nip: Mapped[str | None] = mapped_column(String(18))
    place: Mapped[str] = mapped_column(String(120), default="", nullable=False)
    # The date printed on the certificates (None: the last day of the event).
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    org_code: Mapped[str] = mapped_column(String(40), default="BKKBN", nullable=False)
    number_format: Mapped[str] = mapped_column(String(120), default=DEFAULT_PATTERN, nullable=False)
    # Stored names under UPLOAD_DIR/certificates/ of the optimised JPEGs (None: none uploaded).
    logo_name: Mapped[str | None] = mapped_column(String(80))
    background_name: Mapped[str | None] = mapped_column(String(80))

    event: Mapped[Event] = relationship()

    @property
    def is_complete(self) -> bool:
        return bool(self.signer_name.strip() and self.signer_title.strip() and self.place.strip())


class Certificate(TimestampMixin, db.Model):
    """The current revision of one numbered certificate."""

    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("event_id", "seq"),
        UniqueConstraint("event_id", "number"),
        # One certificate per entry, and one appreciation per judge and event.
        UniqueConstraint("entry_id"),
        UniqueConstraint("event_id", "judge_id"),
        CheckConstraint(enum_check("kind", CERTIFICATE_KINDS), name="kind"),
        CheckConstraint(enum_check("status", CERTIFICATE_STATUSES), name="status"),
        CheckConstraint(
            "(kind = 'judge' AND judge_id IS NOT NULL AND entry_id IS NULL"
            " AND category_id IS NULL)"
            " OR (kind <> 'judge' AND entry_id IS NOT NULL AND judge_id IS NULL"
            " AND category_id IS NOT NULL)",
            name="subject",
        ),
        CheckConstraint("(status = 'revoked') = (revoked_at IS NOT NULL)", name="revoked_at"),
        CheckConstraint("seq >= 1", name="seq_positive"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint("(pdf_name IS NULL) = (pdf_sha256 IS NULL)", name="pdf_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True, nullable=False)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"))
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(80), nullable=False)
    # secrets.token_urlsafe(16): 128 random bits, the key of the public verify page.
    token: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="valid", nullable=False)
    # What is printed, frozen at issue (a later change to the entry needs a reissue).
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    award: Mapped[str] = mapped_column(String(60), nullable=False)
    region_name: Mapped[str | None] = mapped_column(String(120))
    category_name: Mapped[str | None] = mapped_column(String(200))
    event_name: Mapped[str] = mapped_column(String(300), nullable=False)
    # The date printed on it (and in its number); issued_at is when the row was written.
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(300))
    # The rendered PDF under UPLOAD_DIR/certificates/pdf/ (None until rendered).
    pdf_name: Mapped[str | None] = mapped_column(String(80))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    event: Mapped[Event] = relationship()
    category: Mapped[Category | None] = relationship()
    revisions: Mapped[list[CertificateRevision]] = relationship(
        back_populates="certificate", order_by="CertificateRevision.revision"
    )

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    def __repr__(self) -> str:
        return f"<Certificate {self.number} r{self.revision} {self.status}>"


class CertificateRevision(db.Model):
    """An earlier revision of a certificate, kept so its QR code still answers "revoked"."""

    __tablename__ = "certificate_revision"
    __table_args__ = (
        UniqueConstraint("certificate_id", "revision"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id"), index=True, nullable=False
    )
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    token: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    award: Mapped[str] = mapped_column(String(60), nullable=False)
    region_name: Mapped[str | None] = mapped_column(String(120))
    category_name: Mapped[str | None] = mapped_column(String(200))
    event_name: Mapped[str] = mapped_column(String(300), nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    revoke_reason: Mapped[str | None] = mapped_column(String(300))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    certificate: Mapped[Certificate] = relationship(back_populates="revisions")
