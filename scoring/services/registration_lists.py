"""What a regional operator sees listed: the categories it may register in, its registrations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from scoring.extensions import db
from scoring.models import AuditEvent, Category, Entry, Event, Registration, User
from scoring.services.registration import Operator, entries_of_region
from scoring.services.registration_setup import closes_at_for, is_open, window_for


@dataclass(frozen=True)
class CategorySlot:
    category: Category
    opens_at: dt.datetime
    closes_at: dt.datetime
    open: bool
    used: int
    quota: int | None

    @property
    def full(self) -> bool:
        return self.quota is not None and self.used >= self.quota


def category_slots(op: Operator, now: dt.datetime) -> list[CategorySlot]:
    """Categories with a registration window the operator may use, soonest closing first."""
    rows = db.session.execute(
        select(Category)
        .join(Event, Event.id == Category.event_id)
        .where(Event.status.not_in(("draft", "published")))
        .order_by(Event.id, Category.position)
    ).scalars()
    slots = []
    for category in rows:
        window = window_for(category.id)
        if window is None or not op.may_use(category):
            continue
        slots.append(
            CategorySlot(
                category,
                window.opens_at,
                closes_at_for(window, op.region_id),
                is_open(window, op.region_id, now),
                entries_of_region(category.id, op.region_id),
                window.quota_per_region,
            )
        )
    return slots


def region_registrations(op: Operator) -> list[Registration]:
    query = (
        select(Registration)
        .join(Entry, Entry.id == Registration.entry_id)
        .join(Category, Category.id == Entry.category_id)
        .where(Entry.region_id == op.region_id)
        .options(joinedload(Registration.entry).joinedload(Entry.category))
        .order_by(Category.event_id, Category.position, Entry.name)
    )
    if op.event_id is not None:
        query = query.where(Category.event_id == op.event_id)
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class CommitteeEntry:
    """An entry of the operator's region that the committee added (typed in or imported): it
    uses a slot of the quota, so the operator sees it, read-only, with who added it."""

    entry: Entry
    added_by: str | None
    added_at: dt.datetime | None


def committee_entries(op: Operator, category_ids: list[int]) -> list[CommitteeEntry]:
    """The region's entries without a registration in the given categories, oldest first."""
    if not category_ids:
        return []
    entries = db.session.scalars(
        select(Entry)
        .outerjoin(Registration, Registration.entry_id == Entry.id)
        .where(
            Entry.region_id == op.region_id,
            Entry.category_id.in_(category_ids),
            Registration.id.is_(None),
        )
        .options(joinedload(Entry.category))
        .order_by(Entry.category_id, Entry.created_at, Entry.id)
    ).all()
    if not entries:
        return []
    created = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.occurred_at, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(
            AuditEvent.action == "entry.create",
            AuditEvent.object_type == "Entry",
            AuditEvent.object_id.in_([entry.id for entry in entries]),
        )
    ).all()
    by_entry = {row.object_id: (row.name, row.occurred_at) for row in created}
    return [
        CommitteeEntry(entry, *by_entry.get(entry.id, (None, entry.created_at)))
        for entry in entries
    ]
