"""An event (one selection) with its categories, stages and rubric criteria."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.extensions import db
from scoring.orm import JSONType, TimestampMixin, UTCDateTime, enum_check

if TYPE_CHECKING:
    from scoring.models.entry import Entry
    from scoring.models.region import Region

EVENT_LEVELS = ("kabupaten", "provinsi", "nasional")
EVENT_STATUSES = ("draft", "open", "scoring", "review", "published")
ENTRY_KINDS = ("group", "person")
STAGE_KINDS = ("scored", "pass_fail")
STAGE_STATUSES = ("pending", "open", "closed")

# A band's descriptor (its "label") is shown in full on the judge's sheet; the rubric builder
# states this limit and never cuts a longer text silently (the bands are a JSON column).
BAND_LABEL_MAX = 300

# The usual 1-100 bands (DOMAIN.md); a criterion may carry its own.
DEFAULT_BANDS: list[dict[str, Any]] = [
    {"min": 1, "max": 59, "label": "Kurang"},
    {"min": 60, "max": 74, "label": "Cukup"},
    {"min": 75, "max": 89, "label": "Baik"},
    {"min": 90, "max": 100, "label": "Sangat baik"},
]


class Event(TimestampMixin, db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint(enum_check("level", EVENT_LEVELS), name="level"),
        CheckConstraint(enum_check("status", EVENT_STATUSES), name="status"),
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    level: Mapped[str] = mapped_column(String(20), nullable=False)
    host_region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    place: Mapped[str | None] = mapped_column(String(120))
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft", nullable=False)

    host_region: Mapped[Region | None] = relationship()
    categories: Mapped[list[Category]] = relationship(
        back_populates="event", order_by="Category.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug} {self.status}>"


class Category(TimestampMixin, db.Model):
    __tablename__ = "category"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        CheckConstraint(enum_check("entry_kind", ENTRY_KINDS), name="entry_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # What is contested, e.g. "Poktan BKB", "PIK-R", "Duta Orang Tua Hebat".
    kind: Mapped[str] = mapped_column(String(80), nullable=False)
    entry_kind: Mapped[str] = mapped_column(String(10), default="group", nullable=False)

    event: Mapped[Event] = relationship(back_populates="categories")
    stages: Mapped[list[Stage]] = relationship(
        back_populates="category", order_by="Stage.position", cascade="all, delete-orphan"
    )
    entries: Mapped[list[Entry]] = relationship(
        back_populates="category", order_by="Entry.name", cascade="all, delete-orphan"
    )

    @property
    def is_person(self) -> bool:
        return self.entry_kind == "person"

    def __repr__(self) -> str:
        return f"<Category {self.name}>"


class Stage(TimestampMixin, db.Model):
    __tablename__ = "stage"
    __table_args__ = (
        UniqueConstraint("category_id", "position"),
        CheckConstraint(enum_check("kind", STAGE_KINDS), name="kind"),
        CheckConstraint(enum_check("status", STAGE_STATUSES), name="status"),
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight_percent"),
        CheckConstraint("kind = 'scored' OR weight = 0", name="pass_fail_unweighted"),
        CheckConstraint("advance_count IS NULL OR advance_count > 0", name="advance_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), default="scored", nullable=False)
    # Percent of the final total; scored stages of a category must add up to 100.
    weight: Mapped[float] = mapped_column(Float, default=0, nullable=False)
    # How many entries go on to the next stage (None: all of them).
    advance_count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="pending", nullable=False)
    # Set when the committee reopens a rubric that submitted sheets had locked (audited with a
    # reason); cleared when the stage is opened for scoring again.
    rubric_reopened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    category: Mapped[Category] = relationship(back_populates="stages")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="stage", order_by="Criterion.position", cascade="all, delete-orphan"
    )

    @property
    def is_scored(self) -> bool:
        return self.kind == "scored"

    def __repr__(self) -> str:
        return f"<Stage {self.position} {self.name}>"


class Criterion(TimestampMixin, db.Model):
    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("stage_id", "position"),
        UniqueConstraint("stage_id", "tiebreak_order"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("min_score < max_score", name="range"),
        CheckConstraint("tiebreak_order IS NULL OR tiebreak_order > 0", name="tiebreak_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("stage.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    weight: Mapped[float] = mapped_column(Float, nullable=False)
    min_score: Mapped[float] = mapped_column(Float, default=1, nullable=False)
    max_score: Mapped[float] = mapped_column(Float, default=100, nullable=False)
    # [{"min": 1, "max": 59, "label": "Kurang"}, ...], ascending.
    bands: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list, nullable=False)
    # 1 = first criterion to break a tie on the total; None = not used for ties.
    tiebreak_order: Mapped[int | None] = mapped_column(Integer)

    stage: Mapped[Stage] = relationship(back_populates="criteria")

    def __repr__(self) -> str:
        return f"<Criterion {self.position} {self.name}>"
