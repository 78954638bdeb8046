"""Entries: a Poktan (group) or a person contesting one category."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from scoring.models.event import Category
    from scoring.models.region import Region


class Entry(TimestampMixin, db.Model):
    __tablename__ = "entry"
    __table_args__ = (
        UniqueConstraint("category_id", "region_id", "name"),
        CheckConstraint("nik IS NULL OR length(nik) = 16", name="nik_length"),
        CheckConstraint(
            "(consent_at IS NULL) = (consent_version IS NULL)", name="consent_complete"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True, nullable=False
    )
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # Person entries only (Duta Orang Tua Hebat). Never shown unmasked; see scoring.formatting.
    nik: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    consent_version: Mapped[str | None] = mapped_column(String(40))
    # SHA-256 of the participant access code; the code itself is shown once and never stored.
    access_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when the person data was erased on request (UU PDP; who and why are in the audit
    # trail): only the name and region remain, and the entry cannot be erased twice.
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Tiered selection: the kabupaten/kota entry this provincial entry came from.
    origin_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("entry.id", ondelete="SET NULL"), index=True
    )

    category: Mapped[Category] = relationship(back_populates="entries")
    region: Mapped[Region] = relationship()
    origin: Mapped[Entry | None] = relationship(remote_side=[id])

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    def __repr__(self) -> str:
        return f"<Entry {self.name}>"
