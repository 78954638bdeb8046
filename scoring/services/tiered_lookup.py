"""Looking around a tiered selection: which rankings a category may take entries from, and
where a taken entry came from (for the committee's entry pages)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Category, Entry, Event, ResultSnapshot
from scoring.services.entries import load_category
from scoring.services.results import latest_published_snapshot

NEXT_LEVEL = {"kabupaten": "provinsi", "provinsi": "nasional"}


@dataclass(frozen=True)
class SourceChoice:
    category_id: int
    event_id: int
    label: str  # "Event · Category"


def _level_below(level: str) -> str | None:
    return next((low for low, high in NEXT_LEVEL.items() if high == level), None)


def source_event_id(category_id: int) -> int | None:
    return db.session.scalar(select(Category.event_id).where(Category.id == category_id))


def source_choices(target_category_id: int) -> list[SourceChoice]:
    """Categories a target category may take entries from: one level below, published, visible
    results, same kind of entry. (Views narrow them to the events the user may open.)"""
    target = load_category(target_category_id)
    below = _level_below(target.event.level)
    if below is None:
        return []
    rows = db.session.execute(
        select(Category.id, Event.id, Event.name, Category.name)
        .join(Event, Event.id == Category.event_id)
        .where(
            Event.level == below,
            Event.status == "published",
            Category.entry_kind == target.entry_kind,
            Category.id.in_(
                select(ResultSnapshot.category_id).where(ResultSnapshot.status == "published")
            ),
        )
        .order_by(Event.name, Category.position)
    ).all()
    return [
        SourceChoice(cid, event_id, f"{event} · {name}")
        for cid, event_id, event, name in rows
        if latest_published_snapshot(cid) is not None
    ]


@dataclass(frozen=True)
class Origin:
    event: str
    category: str
    rank: int | None
    award: str | None


def entry_origin(entry: Entry, cache: dict[int, dict[int, dict]] | None = None) -> Origin | None:
    """Where a copied entry came from, with its rank there (from the latest published snapshot
    of the origin's category; None rank when that snapshot is gone). `cache` keeps each
    category's ranked rows for a page that lists many entries."""
    origin = entry.origin
    if origin is None:
        return None
    cache = {} if cache is None else cache
    if origin.category_id not in cache:
        published = latest_published_snapshot(origin.category_id, public=False)
        rows = published.outputs["rows"] if published else []
        cache[origin.category_id] = {row["entry_id"]: row for row in rows}
    found = cache[origin.category_id].get(origin.id)
    return Origin(
        event=origin.category.event.name,
        category=origin.category.name,
        rank=found["rank"] if found else None,
        award=found["award"] if found else None,
    )
