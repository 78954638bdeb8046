"""Categories of an event: what is contested (Poktan BKB, PIK-R, Duta Orang Tua Hebat, ...)."""

from __future__ import annotations

from sqlalchemy import exists, func, select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Category, Entry, Event
from scoring.models.event import ENTRY_KINDS
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.structure import ensure_not_published, require, snapshot

CATEGORY_FIELDS = ("name", "kind", "entry_kind", "position")

# Offered as suggestions; the kind stays free text because committees name things their way.
KIND_SUGGESTIONS = (
    "Poktan BKB",
    "Poktan BKR",
    "Poktan BKL",
    "PIK-R",
    "UPPKA",
    "PPKS",
    "Duta Orang Tua Hebat",
    "Kader",
    "TPK",
)


def _has_entries(category_id: int) -> bool:
    return bool(
        db.session.scalar(select(exists(select(Entry.id).where(Entry.category_id == category_id))))
    )


def _clean(event: Event, name: str, kind: str, entry_kind: str, category_id: int | None) -> dict:
    name, kind = (name or "").strip(), (kind or "").strip()
    if not name:
        raise InvalidInput("Enter the name of the category.")
    if len(name) > 200:
        raise InvalidInput("The name is too long (at most %(n)d characters).", n=200)
    if not kind:
        raise InvalidInput("Enter what is contested, e.g. Poktan BKB.")
    if len(kind) > 80:
        raise InvalidInput("The kind is too long (at most %(n)d characters).", n=80)
    if entry_kind not in ENTRY_KINDS:
        raise InvalidInput("Choose whether groups or persons take part.")
    for other in event.categories:
        if other.id != category_id and other.name.casefold() == name.casefold():
            raise InvalidInput("This event already has a category named %(name)s.", name=name)
    return {"name": name, "kind": kind, "entry_kind": entry_kind}


def create_category(event_id: int, name: str, kind: str, entry_kind: str = "group") -> Category:
    with committing():
        event = require(get_for_update(Event, event_id))
        ensure_not_published(event)
        fields = _clean(event, name, kind, entry_kind, None)
        last = db.session.scalar(
            select(func.max(Category.position)).where(Category.event_id == event.id)
        )
        category = Category(event=event, position=(last or 0) + 1, **fields)
        db.session.add(category)
        db.session.flush()
        record(
            "category.create",
            category,
            after=snapshot(category, CATEGORY_FIELDS),
            event_id=event.id,
        )
    return category


def update_category(category_id: int, name: str, kind: str, entry_kind: str) -> Category:
    with committing():
        category = require(get_for_update(Category, category_id))
        ensure_not_published(category.event)
        fields = _clean(category.event, name, kind, entry_kind, category.id)
        if fields["entry_kind"] != category.entry_kind and _has_entries(category.id):
            raise Conflict(
                "This category already has entries, so groups and persons cannot be swapped."
            )
        before = snapshot(category, CATEGORY_FIELDS)
        for key, value in fields.items():
            setattr(category, key, value)
        after = snapshot(category, CATEGORY_FIELDS)
        if after != before:
            record(
                "category.update", category, before=before, after=after, event_id=category.event_id
            )
    return category


def delete_category(category_id: int) -> int:
    """Delete an empty category with its stages and rubrics; returns its event id."""
    with committing():
        category = require(get_for_update(Category, category_id))
        ensure_not_published(category.event)
        if _has_entries(category.id):
            raise Conflict(
                "%(name)s already has entries, so it cannot be deleted.", name=category.name
            )
        event_id = category.event_id
        record(
            "category.delete",
            category,
            before=snapshot(category, CATEGORY_FIELDS)
            | {"stages": [stage.name for stage in category.stages]},
            event_id=event_id,
        )
        db.session.delete(category)
    return event_id
