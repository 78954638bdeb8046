"""Administrative regions by their Kemendagri code (15 = Jambi, 15.71 = Kota Jambi)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import enum_check

REGION_LEVELS = ("nasional", "provinsi", "kabupaten", "kota")


class Region(db.Model):
    __tablename__ = "region"
    __table_args__ = (CheckConstraint(enum_check("level", REGION_LEVELS), name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    level: Mapped[str] = mapped_column(String(20), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
