"""The committee's registration settings: windows, per-region extensions, required documents.

Times are stored in UTC and shown in the zone of the event's host region: Indonesia has three
(WIB UTC+7, WITA UTC+8, WIT UTC+9), decided here by the province part of the Kemendagri code.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from sqlalchemy import select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.i18n import _locale_name, zone_abbreviation
from scoring.models import (
    Category,
    Event,
    Region,
    RegistrationExtension,
    RegistrationWindow,
    RequiredDocument,
)
from scoring.models.attachment import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES
from scoring.services.audit import record
from scoring.services.errors import InvalidInput, NotFound

# Province codes (the first two digits) outside WIB.
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "94", "95", "96", "97"}
NAME_MAX = 200
REASON_MAX = 500
MB = 1024 * 1024


def zone_for_region(region: Region | None) -> ZoneInfo:
    """Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT) by the province code."""
    province = (region.code if region else "").split(".")[0]
    if province in WITA_PROVINCES:
        return ZoneInfo("Asia/Makassar")
    if province in WIT_PROVINCES:
        return ZoneInfo("Asia/Jayapura")
    return ZoneInfo("Asia/Jakarta")


def event_zone(event: Event) -> ZoneInfo:
    return zone_for_region(event.host_region)


def format_in_zone(value: dt.datetime | None, zone: ZoneInfo) -> str:
    """ "30 Nov 2026 23.59 WIB": a UTC time in the given Indonesian zone."""
    if value is None:
        return "–"
    local = value.astimezone(zone)
    text = babel_format_datetime(local, format="d MMM y HH.mm", locale=_locale_name(None))
    return f"{text} {zone_abbreviation(zone.key)}"


def parse_local(value: dt.datetime | None, zone: ZoneInfo) -> dt.datetime:
    """A naive datetime typed in a form (local time of `zone`) as an aware UTC datetime."""
    if value is None:
        raise InvalidInput("Enter a date and time.")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt.UTC)


def window_for(category_id: int) -> RegistrationWindow | None:
    return db.session.scalar(
        select(RegistrationWindow).where(RegistrationWindow.category_id == category_id)
    )


def extension_for(category_id: int, region_id: int) -> RegistrationExtension | None:
    return db.session.scalar(
        select(RegistrationExtension).filter_by(category_id=category_id, region_id=region_id)
    )


def closes_at_for(window: RegistrationWindow, region_id: int) -> dt.datetime:
    """When the window closes for this region: its extension when later than the window."""
    extension = extension_for(window.category_id, region_id)
    if extension is not None and extension.closes_at > window.closes_at:
        return extension.closes_at
    return window.closes_at


def is_open(window: RegistrationWindow | None, region_id: int, now: dt.datetime) -> bool:
    return window is not None and window.opens_at <= now < closes_at_for(window, region_id)


def required_documents(category_id: int) -> list[RequiredDocument]:
    return list(
        db.session.scalars(
            select(RequiredDocument)
            .where(RequiredDocument.category_id == category_id)
            .order_by(RequiredDocument.position, RequiredDocument.id)
        )
    )


def set_window(
    category_id: int, opens_at: dt.datetime, closes_at: dt.datetime, quota: int | None
) -> RegistrationWindow:
    """Create or change a category's window (UTC times) and quota per region."""
    if closes_at <= opens_at:
        raise InvalidInput("The registration must close after it opens.")
    if quota is not None and quota < 1:
        raise InvalidInput("The quota must be at least 1 (or empty for no limit).")
    with committing():
        category = _lock_category(category_id)
        window = window_for(category.id)
        before = _window_picture(window) if window else None
        if window is None:
            window = RegistrationWindow(category_id=category.id)
            db.session.add(window)
        window.opens_at, window.closes_at, window.quota_per_region = opens_at, closes_at, quota
        db.session.flush()
        record(
            "registration.window_set",
            window,
            before=before,
            after=_window_picture(window),
            event_id=category.event_id,
        )
    return window


def extend_for_region(
    category_id: int, region_id: int, closes_at: dt.datetime, reason: str, actor_id: int | None
) -> RegistrationExtension:
    """Let one region register until `closes_at` (replaces its earlier extension)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Write why this region gets more time.")
    if len(reason) > REASON_MAX:
        raise InvalidInput("The reason is too long.")
    with committing():
        category = _lock_category(category_id)
        window = window_for(category.id)
        if window is None:
            raise InvalidInput("Set the registration window first.")
        if closes_at <= window.closes_at:
            raise InvalidInput("An extension must close after the window closes.")
        if db.session.get(Region, region_id) is None:
            raise InvalidInput("Choose a region.")
        extension = extension_for(category.id, region_id)
        before = {"closes_at": extension.closes_at.isoformat()} if extension else None
        if extension is None:
            extension = RegistrationExtension(category_id=category.id, region_id=region_id)
            db.session.add(extension)
        extension.closes_at, extension.reason = closes_at, reason
        extension.granted_by_id = actor_id
        db.session.flush()
        record(
            "registration.extend",
            extension,
            before=before,
            after={"region_id": region_id, "closes_at": closes_at.isoformat(), "reason": reason},
            event_id=category.event_id,
        )
    return extension


def add_required_document(
    category_id: int, name: str, allowed_types: list[str], max_mb: int
) -> RequiredDocument:
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise InvalidInput("Enter the document's name (at most %(n)d characters).", n=NAME_MAX)
    types = [t for t in ATTACHMENT_TYPES if t in set(allowed_types)]
    if not types:
        raise InvalidInput("Choose at least one file type.")
    if not 1 <= max_mb <= MAX_ATTACHMENT_BYTES // MB:
        raise InvalidInput("The size limit must be between 1 and %(n)d MB.", n=10)
    with committing():
        category = _lock_category(category_id)
        existing = required_documents(category.id)
        if any(doc.name.casefold() == name.casefold() for doc in existing):
            raise InvalidInput("This category already requires a document of that name.")
        position = max((doc.position for doc in existing), default=0) + 1
        document = RequiredDocument(
            category_id=category.id,
            position=position,
            name=name,
            allowed_types=types,
            max_bytes=max_mb * MB,
        )
        db.session.add(document)
        db.session.flush()
        record(
            "registration.document_require",
            document,
            after={"name": name, "types": types, "max_bytes": document.max_bytes},
            event_id=category.event_id,
        )
    return document


def remove_required_document(document_id: int) -> int:
    """Stop requiring a document (uploaded files stay on their entries); the category id."""
    with committing():
        document = get_for_update(RequiredDocument, document_id)
        if document is None:
            raise NotFound("Document not found.")
        category = db.session.get(Category, document.category_id)
        assert category is not None
        record(
            "registration.document_unrequire",
            document,
            before={"name": document.name, "types": document.allowed_types},
            event_id=category.event_id,
        )
        db.session.delete(document)
    return category.id


def _lock_category(category_id: int) -> Category:
    category = get_for_update(Category, category_id)
    if category is None:
        raise NotFound("Category not found.")
    return category


def _window_picture(window: RegistrationWindow) -> dict[str, object]:
    return {
        "opens_at": window.opens_at.isoformat(),
        "closes_at": window.closes_at.isoformat(),
        "quota_per_region": window.quota_per_region,
    }
