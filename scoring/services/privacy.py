"""Personal data under UU PDP no. 27/2022: the privacy notice, export, erasure and retention.

- The privacy notice is versioned; `Entry.consent_version` names the version a participant
  agreed to, and /privasi/<version> shows that text.
- Export: an entry's person data as JSON for the committee to hand over on request (audited).
- Erasure (on request, on withdrawal of consent, or when the retention period has passed): the
  contact fields, the NIK, the consent record and the access code are emptied and the files
  deleted from storage; the name and region stay, because published results and certificates
  show them. Audited with who and why; an erased entry cannot be erased again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.formatting import mask_nik
from scoring.models import Attachment, Category, Certificate, Entry, Event, ResultSnapshot
from scoring.orm import utcnow
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.personal import CONSENT_VERSION

# Every version of the notice ever agreed to, with the day it took effect. A new version gets
# a new entry here, a new template under templates/public/privacy/, and CONSENT_VERSION.
NOTICES: dict[str, dt.date] = {"2025-1": dt.date(2025, 5, 1)}
ERASE_KINDS = ("request", "withdrawal", "retention")
PERSON_FIELDS = ("contact_name", "contact_phone", "contact_email", "nik")
REASON_MAX = 500


def notice(version: str | None = None) -> tuple[str, dt.date] | None:
    """(version, effective date) of the notice `version` (default: the current one)."""
    version = version or CONSENT_VERSION
    return (version, NOTICES[version]) if version in NOTICES else None


def _entry(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        raise NotFound("Entry not found.")
    return entry


def personal_data(entry_id: int) -> dict[str, Any]:
    """What Juara holds about an entry's person(s), as plain JSON-ready values.

    The NIK is given masked, as everywhere; its full value never leaves the database.
    """
    entry = _entry(entry_id)
    category = entry.category
    files = db.session.scalars(
        select(Attachment).where(Attachment.entry_id == entry.id).order_by(Attachment.id)
    ).all()
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.entry_id == entry.id)
    ).all()
    return {
        "entry_id": entry.id,
        "name": entry.name,
        "region": {"code": entry.region.code, "name": entry.region.name},
        "category": category.name,
        "event": {"name": category.event.name, "slug": category.event.slug},
        "contact_name": entry.contact_name,
        "contact_phone": entry.contact_phone,
        "contact_email": entry.contact_email,
        "nik_masked": mask_nik(entry.nik) or None,
        "consent": {
            "at": entry.consent_at.isoformat() if entry.consent_at else None,
            "notice_version": entry.consent_version,
        },
        "access_code": "stored only as a one-way hash" if entry.access_code_hash else None,
        "attachments": [
            {
                "kind": f.kind,
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "uploaded_at": f.created_at.isoformat(),
            }
            for f in files
        ],
        "certificates": [
            {"number": c.number, "award": c.award, "status": c.status} for c in certificates
        ],
        "erased_at": entry.erased_at.isoformat() if entry.erased_at else None,
        "exported_at": utcnow().isoformat(),
    }


def export_personal_data(entry_id: int) -> dict[str, Any]:
    """The export of `personal_data`, written to the audit trail (who exported what, when)."""
    with committing():
        data = personal_data(entry_id)
        entry = _entry(entry_id)
        record(
            "entry.personal_export",
            entry,
            after={"fields": sorted(k for k, v in data.items() if v)},
            event_id=entry.category.event_id,
        )
    return data


@dataclass(frozen=True)
class Erasure:
    entry_id: int
    name: str
    fields: list[str]
    files: int


def erase_personal_data(
    entry_id: int, reason: str, *, kind: str = "request", actor_id: int | None = None
) -> Erasure:
    """Erase the entry's person data (see the module's docstring); the files go last."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Give the reason for the erasure (e.g. the participant's request).")
    if len(reason) > REASON_MAX:
        raise InvalidInput("The reason is too long (at most %(n)d characters).", n=REASON_MAX)
    if kind not in ERASE_KINDS:
        raise InvalidInput("Choose why the data is erased.")
    with committing():
        entry = get_for_update(Entry, entry_id)
        if entry is None:
            raise NotFound("Entry not found.")
        if entry.erased_at is not None:
            raise Conflict("The person data of this entry has already been erased.")
        fields = [name for name in PERSON_FIELDS if getattr(entry, name)]
        fields += ["consent"] if entry.consent_at else []
        fields += ["access_code"] if entry.access_code_hash else []
        for name in PERSON_FIELDS:
            setattr(entry, name, None)
        entry.consent_at = entry.consent_version = None
        entry.access_code_hash = None
        entry.erased_at = utcnow()
        files = db.session.scalars(select(Attachment).where(Attachment.entry_id == entry.id)).all()
        stored = [f.stored_name for f in files]
        for f in files:
            db.session.delete(f)
        # The trail says who, when, why and which kinds of data: never the values themselves.
        record(
            "entry.erase",
            entry,
            after={"kind": kind, "reason": reason, "fields": fields, "files": len(stored)},
            event_id=entry.category.event_id,
            actor_id=actor_id,
        )
        result = Erasure(entry.id, entry.name, fields, len(stored))
    from scoring.services.attachments import remove_stored_files  # attachments imports entries

    remove_stored_files(stored)
    return result


def entries_past_retention(days: int, now: dt.datetime | None = None) -> list[int]:
    """Entries not yet erased whose event was published more than `days` days ago.

    An event's publication time is its latest published snapshot (or, without one, the last
    change of the event row, which the move to "published" made).
    """
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    last_snapshot = (
        select(Category.event_id, func.max(ResultSnapshot.published_at).label("at"))
        .join(ResultSnapshot, ResultSnapshot.category_id == Category.id)
        .where(ResultSnapshot.status == "published")
        .group_by(Category.event_id)
        .subquery()
    )
    published_at = func.coalesce(last_snapshot.c.at, Event.updated_at)
    return list(
        db.session.scalars(
            select(Entry.id)
            .join(Category, Category.id == Entry.category_id)
            .join(Event, Event.id == Category.event_id)
            .outerjoin(last_snapshot, last_snapshot.c.event_id == Event.id)
            .where(Event.status == "published", Entry.erased_at.is_(None))
            .where(published_at < cutoff)
            .order_by(Entry.id)
        )
    )


def purge_personal_data(days: int, *, dry_run: bool = False) -> list[int]:
    """Erase (or with `dry_run` only list) the entries past the retention period."""
    ids = entries_past_retention(days)
    if not dry_run:
        for entry_id in ids:
            erase_personal_data(
                entry_id, f"Retention period of {days} days has passed.", kind="retention"
            )
    return ids
