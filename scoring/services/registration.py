"""Regional registration, the operator's side: register entries of one's own region.

An operator (role "regional") is bound to its home region and, optionally, one event. It sees
only its region's registrations: anything else is NotFound, never Forbidden, so ids cannot be
probed. A registration may change while it is a draft and the window is open for the region, or
when the committee sent it back for correction (that reopens it whatever the window). It is
"terkirim" (submitted) only when every required document is there and the operator confirms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Category, Entry, Registration, RegistrationDocument
from scoring.services.attachments import AttachmentInfo, attachments_for_entry
from scoring.services.audit import record
from scoring.services.entries import (
    EntryData,
    InvalidEntry,
    Problem,
    check_entry,
    duplicate_problem,
    ensure_entries_editable,
    existing_keys,
    lock_category,
    name_key,
    new_entry,
    snapshot,
)
from scoring.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from scoring.services.personal import CONSENT_VERSION
from scoring.services.registration_setup import (
    is_open,
    required_documents,
    window_for,
)

EDITABLE = ("draft", "needs_correction")
CONSENT_BY_MAX = 200


@dataclass(frozen=True)
class Operator:
    """Who is registering: plain values taken from the logged-in account."""

    user_id: int
    region_id: int
    event_id: int | None

    @classmethod
    def of(cls, user: Any) -> Operator:
        if user.role != "regional" or user.home_region_id is None:
            raise Forbidden("This account is not a regional operator.")
        return cls(user.id, user.home_region_id, user.operator_event_id)

    def may_use(self, category: Category) -> bool:
        return self.event_id is None or category.event_id == self.event_id


@dataclass
class RegistrationData:
    """What the operator typed; consent fields matter for person entries only."""

    name: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    consent: bool = False
    consent_by: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    requirement_id: int
    name: str
    allowed_types: list[str]
    max_bytes: int
    files: list[AttachmentInfo]

    @property
    def done(self) -> bool:
        return bool(self.files)


def load_registration(op: Operator, registration_id: int, *, lock: bool = False) -> Registration:
    """The operator's own registration, else NotFound (another region's looks like no row)."""
    if lock:
        registration = get_for_update(Registration, registration_id)
    else:
        registration = db.session.get(Registration, registration_id)
    if registration is None or not owns(op, registration):
        raise NotFound("Registration not found.")
    return registration


def owns(op: Operator, registration: Registration) -> bool:
    entry = registration.entry
    return entry.region_id == op.region_id and op.may_use(entry.category)


def is_editable(registration: Registration, now: dt.datetime) -> bool:
    category = registration.entry.category
    if registration.status not in EDITABLE or category.event.status == "published":
        return False
    if registration.status == "needs_correction":
        return True
    return is_open(window_for(category.id), registration.entry.region_id, now)


def ensure_editable(registration: Registration, now: dt.datetime) -> None:
    if registration.status not in EDITABLE:
        raise Conflict("This registration has been sent and can no longer change.")
    if not is_editable(registration, now):
        raise Conflict("Registration for this category is closed for your region.")


def checklist(registration: Registration) -> list[ChecklistItem]:
    """Each required document of the category with the files uploaded for it."""
    files = {info.id: info for info in attachments_for_entry(registration.entry_id)}
    links = db.session.execute(
        select(RegistrationDocument.required_document_id, RegistrationDocument.attachment_id)
        .where(RegistrationDocument.registration_id == registration.id)
        .order_by(RegistrationDocument.attachment_id)
    ).all()
    by_requirement: dict[int, list[AttachmentInfo]] = {}
    for requirement_id, attachment_id in links:
        if attachment_id in files:
            by_requirement.setdefault(requirement_id, []).append(files[attachment_id])
    return [
        ChecklistItem(
            doc.id, doc.name, doc.allowed_types, doc.max_bytes, by_requirement.get(doc.id, [])
        )
        for doc in required_documents(registration.entry.category_id)
    ]


def create_registration(
    op: Operator, category_id: int, data: RegistrationData, now: dt.datetime
) -> int:
    """A draft entry of the operator's region; nothing is stored unless every check passes."""
    with committing():
        category = lock_category(category_id)
        window = window_for(category.id)
        if window is None or not op.may_use(category):
            raise NotFound("Category not found.")
        ensure_entries_editable(category)
        if not is_open(window, op.region_id, now):
            raise Conflict("Registration for this category is closed for your region.")
        quota = window.quota_per_region
        if quota is not None and entries_of_region(category.id, op.region_id) >= quota:
            raise Conflict(
                "Your region has already registered %(n)d entries, the quota of this category.",
                n=quota,
            )
        clean, consent_by = _checked(category, op.region_id, data, None)
        entry, _code = new_entry(category, clean, now)  # the access code is issued later
        db.session.flush()
        registration = Registration(
            entry_id=entry.id,
            status="draft",
            registered_by_id=op.user_id,
            consent_by=consent_by,
        )
        db.session.add(registration)
        db.session.flush()
        record("entry.create", entry, after=snapshot(entry), event_id=category.event_id)
        record(
            "registration.create",
            registration,
            after={"entry_id": entry.id, "region_id": op.region_id, "consent_by": consent_by},
            event_id=category.event_id,
        )
    return registration.id


def update_registration(
    op: Operator, registration_id: int, data: RegistrationData, now: dt.datetime
) -> None:
    with committing():
        registration = load_registration(op, registration_id, lock=True)
        ensure_editable(registration, now)
        entry = registration.entry
        category = entry.category
        clean, consent_by = _checked(category, op.region_id, data, entry)
        before = snapshot(entry) | {"consent_by": registration.consent_by}
        entry.name = clean.name
        entry.contact_name, entry.contact_phone = clean.contact_name, clean.contact_phone
        entry.contact_email = clean.contact_email
        if category.is_person and consent_by:
            registration.consent_by = consent_by
            if not entry.has_consent:
                entry.consent_at, entry.consent_version = now, CONSENT_VERSION
        after = snapshot(entry) | {"consent_by": registration.consent_by}
        if after != before:
            record("entry.update", entry, before=before, after=after, event_id=category.event_id)


def submit_registration(
    op: Operator, registration_id: int, confirmed: bool, now: dt.datetime
) -> None:
    """Send a complete registration to the committee ("terkirim")."""
    with committing():
        registration = load_registration(op, registration_id, lock=True)
        ensure_editable(registration, now)
        missing = [item.name for item in checklist(registration) if not item.done]
        if missing:
            raise InvalidInput(
                "Upload every required document first. Missing: %(names)s.",
                names=", ".join(missing),
            )
        entry = registration.entry
        if entry.category.is_person and not entry.has_consent:
            raise InvalidInput("Record the participant's consent first.")
        if not confirmed:
            raise InvalidInput("Confirm that the data and documents are correct.")
        before = {"status": registration.status}
        registration.status, registration.submitted_at = "submitted", now
        record(
            "registration.submit",
            registration,
            before=before,
            after={"status": "submitted", "entry_id": entry.id},
            event_id=entry.category.event_id,
        )


def entries_of_region(category_id: int, region_id: int) -> int:
    """How many entries the region has in the category (what the quota counts)."""
    return db.session.scalar(
        select(func.count(Entry.id)).where(
            Entry.category_id == category_id, Entry.region_id == region_id
        )
    )


def _checked(
    category: Category, region_id: int, data: RegistrationData, existing: Entry | None
) -> tuple[Any, str | None]:
    """Clean values and who consented; InvalidEntry with every problem (consent first)."""
    entry_data = EntryData(
        name=data.name,
        region_id=region_id,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        contact_email=data.contact_email,
        consent=data.consent,
    )
    clean, problems = check_entry(category, entry_data, existing)
    consent_by = " ".join((data.consent_by or "").split()) or None
    if category.is_person and consent_by is None and (existing is None or not existing.has_consent):
        problems.append(Problem.of("persetujuan_oleh", InvalidInput("Write who gave the consent.")))
    if consent_by and len(consent_by) > CONSENT_BY_MAX:
        problems.append(
            Problem.of(
                "persetujuan_oleh",
                InvalidInput("The name is too long (at most %(n)d characters).", n=CONSENT_BY_MAX),
            )
        )
    if problems or clean is None:
        raise InvalidEntry(problems)
    keys = existing_keys(category.id, exclude_entry_id=existing.id if existing else None)
    duplicate = keys.get((region_id, name_key(clean.name)))
    if duplicate:
        raise InvalidEntry([duplicate_problem(duplicate)])
    return clean, consent_by
