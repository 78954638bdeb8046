"""Entries of a category: added, edited and deleted by hand; participant access codes.

The checks live in `scoring.services.entry_checks` (re-exported here for the import and views).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.formatting import mask_nik
from scoring.models import Assignment, Attachment, Category, Entry, Region
from scoring.orm import utcnow
from scoring.services.access_codes import generate_code, hash_code
from scoring.services.audit import record
from scoring.services.conflicts import sheet_started
from scoring.services.entry_checks import (
    CleanEntry,
    EntryData,
    InvalidEntry,
    Problem,
    check_entry,
    duplicate_problem,
    existing_keys,
    name_key,
    normalise_name,
)
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.personal import CONSENT_VERSION
from scoring.services.structure import ensure_results_unpublished

__all__ = [
    "CleanEntry",
    "CreatedEntry",
    "EntryData",
    "InvalidEntry",
    "Problem",
    "check_entry",
    "create_entry",
    "delete_entry",
    "duplicate_problem",
    "existing_keys",
    "name_key",
    "normalise_name",
    "regenerate_access_code",
    "update_entry",
]


@dataclass(frozen=True)
class CreatedEntry:
    entry_id: int
    name: str
    region: str
    code: str


def load_category(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("Category not found.")
    return category


def lock_category(category_id: int) -> Category:
    """Start the write transaction holding the category's row: entries of one category are
    checked for duplicates and added one writer at a time (PostgreSQL row lock, SQLite
    BEGIN IMMEDIATE), so two people importing the same file cannot both succeed."""
    category = get_for_update(Category, category_id)
    if category is None:
        raise NotFound("Category not found.")
    return category


def ensure_entries_editable(category: Category) -> None:
    if category.event.status == "published":
        raise Conflict("The results of this event are published; entries can no longer change.")


def ensure_entries_changeable(category: Category) -> None:
    """Adding, renaming, moving or deleting an entry alters a published ranking: refused until
    the committee withdraws the category's results (with a reason, audited)."""
    ensure_entries_editable(category)
    ensure_results_unpublished(category)


def snapshot(entry: Entry) -> dict[str, Any]:
    """An entry for the audit trail: the NIK masked, never in full."""
    return {
        "name": entry.name,
        "region_id": entry.region_id,
        "contact_name": entry.contact_name,
        "contact_phone": entry.contact_phone,
        "contact_email": entry.contact_email,
        "nik": mask_nik(entry.nik) or None,
        "consent_version": entry.consent_version,
        "consent_at": entry.consent_at.isoformat() if entry.consent_at else None,
    }


def new_entry(category: Category, clean: CleanEntry, now: dt.datetime) -> tuple[Entry, str]:
    """An Entry added to the session with a fresh access code (the caller audits, commits)."""
    code = generate_code()
    entry = Entry(
        category_id=category.id,
        region_id=clean.region_id,
        name=clean.name,
        contact_name=clean.contact_name,
        contact_phone=clean.contact_phone,
        contact_email=clean.contact_email,
        nik=clean.nik if category.is_person else None,
        access_code_hash=hash_code(code),
    )
    if category.is_person:
        entry.consent_at, entry.consent_version = now, CONSENT_VERSION
    db.session.add(entry)
    return entry, code


def create_entry(category_id: int, data: EntryData) -> CreatedEntry:
    """Check, add and commit one entry; returns its access code (shown once, never stored)."""
    with committing():
        category = lock_category(category_id)
        ensure_entries_changeable(category)
        clean = _checked(category, data, None)
        region = db.session.get(Region, clean.region_id)
        entry, code = new_entry(category, clean, utcnow())
        db.session.flush()
        record("entry.create", entry, after=snapshot(entry), event_id=category.event_id)
    return CreatedEntry(entry.id, entry.name, region.name if region else "", code)


def update_entry(entry_id: int, data: EntryData) -> None:
    """Check and save changes to an entry; consent once recorded stays recorded."""
    with committing():
        category_id = db.session.scalar(select(Entry.category_id).where(Entry.id == entry_id))
        if category_id is None:
            raise NotFound("Entry not found.")
        category = lock_category(category_id)
        entry = db.session.get(Entry, entry_id, populate_existing=True)
        if entry is None:
            raise NotFound("Entry not found.")
        ensure_entries_editable(category)
        clean = _checked(category, data, entry)
        if (clean.name, clean.region_id) != (entry.name, entry.region_id):
            ensure_results_unpublished(category)  # the name and region are on the results
        before = snapshot(entry)
        entry.name, entry.region_id = clean.name, clean.region_id
        entry.contact_name, entry.contact_phone = clean.contact_name, clean.contact_phone
        entry.contact_email = clean.contact_email
        if category.is_person:
            entry.nik = clean.nik
            if not entry.has_consent:
                entry.consent_at, entry.consent_version = utcnow(), CONSENT_VERSION
        after = snapshot(entry)
        if after != before:
            record("entry.update", entry, before=before, after=after, event_id=category.event_id)


def _checked(category: Category, data: EntryData, existing: Entry | None) -> CleanEntry:
    """The clean values, or InvalidEntry with every problem (duplicates included)."""
    clean, problems = check_entry(category, data, existing)
    if clean is None:
        raise InvalidEntry(problems)
    if db.session.get(Region, clean.region_id) is None:
        raise InvalidEntry([Problem.of("kode_wilayah", InvalidInput("Choose a region."))])
    keys = existing_keys(category.id, exclude_entry_id=existing.id if existing else None)
    duplicate = keys.get((clean.region_id, name_key(clean.name)))
    if duplicate:
        raise InvalidEntry([duplicate_problem(duplicate)])
    return clean


def regenerate_access_code(entry_id: int) -> CreatedEntry:
    """A new participant code; the old one stops working at once."""
    with committing():
        entry = get_for_update(Entry, entry_id)
        if entry is None:
            raise NotFound("Entry not found.")
        code = generate_code()
        entry.access_code_hash = hash_code(code)
        record(
            "entry.access_code_regenerate",
            entry,
            after={"name": entry.name},
            event_id=entry.category.event_id,
        )
    return CreatedEntry(entry.id, entry.name, entry.region.name, code)


def delete_entry(entry_id: int) -> int:
    """Delete an entry no judge has started scoring, with its files; returns the category id.

    Its assignments, sheets, decisions and conflicts go with it (foreign keys cascade).
    """
    with committing():
        category_id = db.session.scalar(select(Entry.category_id).where(Entry.id == entry_id))
        if category_id is None:
            raise NotFound("Entry not found.")
        category = lock_category(category_id)
        entry = db.session.get(Entry, entry_id, populate_existing=True)
        if entry is None:
            raise NotFound("Entry not found.")
        ensure_entries_changeable(category)
        assignments = db.session.scalars(select(Assignment).filter_by(entry_id=entry.id))
        if any(sheet_started(a) for a in assignments):
            raise Conflict("A judge has already scored this entry, so it cannot be deleted.")
        stored = list(
            db.session.scalars(select(Attachment.stored_name).filter_by(entry_id=entry.id))
        )
        record("entry.delete", entry, before=snapshot(entry), event_id=category.event_id)
        db.session.delete(entry)
    from scoring.services.attachments import remove_stored_files  # attachments imports us

    remove_stored_files(stored)
    return category_id


@dataclass(frozen=True)
class EntryRow:
    entry: Entry
    attachments: int


def list_entries(category_id: int) -> list[EntryRow]:
    """The category's entries by region code and name, with their attachment counts."""
    counts = dict(
        db.session.execute(
            select(Attachment.entry_id, func.count())
            .join(Entry, Entry.id == Attachment.entry_id)
            .where(Entry.category_id == category_id)
            .group_by(Attachment.entry_id)
        ).all()
    )
    entries = db.session.scalars(
        select(Entry)
        .join(Entry.region)
        .where(Entry.category_id == category_id)
        .order_by(Region.code, Entry.name)
    ).all()
    return [EntryRow(entry, counts.get(entry.id, 0)) for entry in entries]


def region_choices() -> list[tuple[int, str]]:
    """Regions an entry can come from (all but the national level), by Kemendagri code."""
    regions = db.session.scalars(
        select(Region).where(Region.level != "nasional").order_by(Region.code)
    ).all()
    return [(region.id, f"{region.code} · {region.name}") for region in regions]


def regions_by_code() -> dict[str, int]:
    return dict(db.session.execute(select(Region.code, Region.id)).all())
