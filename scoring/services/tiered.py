"""Tiered selection: the top entries of a published kabupaten/kota ranking enter the province.

`preview_tier_copy` says what `copy_tier_entries` would do, row by row; the copy then adds the
top N entries of the source category (ranks read from its published snapshot, never
recomputed) to a category of the event one level up, each with `origin_entry_id` pointing back.

Rules:
- The source category's event is published and its latest published snapshot is past its
  embargo (before the announcement the result is not final for anyone else either).
- The target event is one level above (kabupaten/kota → provinsi; provinsi → nasional) and still
  in draft or open; both categories contest the same kind of entry (groups or persons).
- "Top N" is every ranked entry with rank ≤ N, so an entry sharing rank N (juara kembar) comes
  along; the preview says so.
- Idempotent: a source entry already copied into the category (same origin) is skipped, and so
  is one whose name and region the category already has (entered by hand), reported as such.
- Personal data: a person entry keeps its recorded consent (time and notice version) and its
  stored NIK is copied as it is. The BKKBN office that runs both levels is one data controller,
  the purpose (this selection) is the one the participant agreed to, and masking the copy would
  lose data nobody could restore. A person entry without recorded consent is not copied.
- Attachments are copied file by file under new random names, so deleting either entry later
  leaves the other's files intact; a file missing from the disk is skipped and counted.
- Every copied entry gets a new participant access code (shown once) and an audit row; the copy
  as a whole is audited on the target category.
- Only members of the source event (and admins) may copy from it: the view checks it, since the
  copy reads that event's entries with their personal data.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import Attachment, Category, Entry, ResultSnapshot
from scoring.services.access_codes import generate_code, hash_code
from scoring.services.attachments import upload_dir
from scoring.services.audit import record
from scoring.services.entries import CreatedEntry, load_category, lock_category, snapshot
from scoring.services.entry_checks import name_key
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.results import latest_published_snapshot
from scoring.services.structure import ensure_results_unpublished
from scoring.services.tiered_lookup import NEXT_LEVEL

TARGET_STATUSES = ("draft", "open")
MAX_TOP = 50
# Row statuses of the preview.
NEW, COPIED, EXISTS, NO_CONSENT = "new", "copied", "exists", "no_consent"


@dataclass(frozen=True)
class TierRow:
    entry_id: int  # the source entry
    name: str
    region: str
    rank: int
    award: str | None
    total: float
    attachments: int
    status: str  # NEW, COPIED, EXISTS or NO_CONSENT


@dataclass(frozen=True)
class TierPreview:
    source_category_id: int
    target_category_id: int
    top: int
    snapshot_version: int
    rows: list[TierRow]

    @property
    def to_copy(self) -> list[TierRow]:
        return [row for row in self.rows if row.status == NEW]

    @property
    def shared_cutoff(self) -> bool:
        """More rows than N: an entry shares rank N and comes along."""
        return len(self.rows) > self.top


@dataclass
class TierCopyResult:
    created: list[CreatedEntry] = field(default_factory=list)
    skipped: int = 0
    attachments: int = 0
    missing_files: int = 0


def _check(source: Category, target: Category, top: int) -> ResultSnapshot:
    """The source's visible snapshot, or the reason the copy is refused."""
    if top < 1 or top > MAX_TOP:
        raise InvalidInput("Choose how many entries to take: from 1 to %(n)d.", n=MAX_TOP)
    if target.event.level not in NEXT_LEVEL.values():
        raise Conflict(
            "Entries can be taken from a lower level only into a provincial or national event."
        )
    if NEXT_LEVEL.get(source.event.level) != target.event.level:
        raise Conflict(
            "%(source)s is not an event of the level just below %(target)s.",
            source=source.event.name,
            target=target.event.name,
        )
    if target.event.status not in TARGET_STATUSES:
        raise Conflict(
            "Entries can be taken from a lower level only while the event is in draft or open."
        )
    if source.entry_kind != target.entry_kind:
        raise Conflict("The two categories contest different kinds of entries (groups, persons).")
    ensure_results_unpublished(target)
    published = latest_published_snapshot(source.id)
    if source.event.status != "published" or published is None:
        raise Conflict(
            "The results of %(category)s (%(event)s) are not published yet.",
            category=source.name,
            event=source.event.name,
        )
    return published


def preview_tier_copy(source_category_id: int, target_category_id: int, top: int) -> TierPreview:
    """What the copy would do, per source entry of rank ≤ top (refusals raised as errors)."""
    source, target = load_category(source_category_id), load_category(target_category_id)
    published = _check(source, target, top)
    ranked = [
        row for row in published.outputs["rows"] if row["rank"] is not None and row["rank"] <= top
    ]
    ids = [row["entry_id"] for row in ranked]
    entries = {e.id: e for e in db.session.scalars(select(Entry).where(Entry.id.in_(ids)))}
    files = dict(
        db.session.execute(
            select(Attachment.entry_id, func.count())
            .where(Attachment.entry_id.in_(ids))
            .group_by(Attachment.entry_id)
        ).all()
    )
    copied = set(
        db.session.scalars(
            select(Entry.origin_entry_id).where(
                Entry.category_id == target.id, Entry.origin_entry_id.in_(ids)
            )
        )
    )
    keys = {
        (region_id, name_key(name))
        for region_id, name in db.session.execute(
            select(Entry.region_id, Entry.name).where(Entry.category_id == target.id)
        )
    }
    rows = []
    for row in ranked:
        entry = entries.get(row["entry_id"])
        if entry is None:  # deleted since publication: nothing left to copy
            continue
        if entry.id in copied:
            status = COPIED
        elif (entry.region_id, name_key(entry.name)) in keys:
            status = EXISTS
        elif target.is_person and not entry.has_consent:
            status = NO_CONSENT
        else:
            status = NEW
        rows.append(
            TierRow(
                entry_id=entry.id,
                name=entry.name,
                region=entry.region.name,
                rank=int(row["rank"]),
                award=row["award"],
                total=float(row["total"]),
                attachments=files.get(entry.id, 0),
                status=status,
            )
        )
    return TierPreview(source.id, target.id, top, published.version, rows)


def copy_tier_entries(source_category_id: int, target_category_id: int, top: int) -> TierCopyResult:
    """Copy the preview's new rows into the target category and commit (see the module doc)."""
    written: list[Path] = []
    try:
        target = lock_category(target_category_id)
        preview = preview_tier_copy(source_category_id, target.id, top)
        result = TierCopyResult(skipped=len(preview.rows) - len(preview.to_copy))
        for row in preview.to_copy:
            origin = db.session.get(Entry, row.entry_id)
            if origin is None:  # the preview read it in this very transaction
                continue
            code = generate_code()
            entry = Entry(
                category_id=target.id,
                region_id=origin.region_id,
                name=origin.name,
                contact_name=origin.contact_name,
                contact_phone=origin.contact_phone,
                contact_email=origin.contact_email,
                nik=origin.nik if target.is_person else None,
                consent_at=origin.consent_at if target.is_person else None,
                consent_version=origin.consent_version if target.is_person else None,
                access_code_hash=hash_code(code),
                origin_entry_id=origin.id,
            )
            db.session.add(entry)
            db.session.flush()
            copied, missing = _copy_files(origin, entry, written)
            result.attachments += copied
            result.missing_files += missing
            record(
                "entry.tier_copy",
                entry,
                after=snapshot(entry)
                | {
                    "origin_entry_id": origin.id,
                    "origin_rank": row.rank,
                    "origin_award": row.award,
                    "attachments": copied,
                },
                event_id=target.event_id,
            )
            result.created.append(CreatedEntry(entry.id, entry.name, row.region, code))
        record(
            "category.tier_copy",
            target,
            after={
                "source_category_id": source_category_id,
                "snapshot_version": preview.snapshot_version,
                "top": top,
                "created": [c.entry_id for c in result.created],
                "skipped": result.skipped,
                "attachments": result.attachments,
                "missing_files": result.missing_files,
            },
            event_id=target.event_id,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return result


def _copy_files(origin: Entry, entry: Entry, written: list[Path]) -> tuple[int, int]:
    """Copy the origin's attachments to `entry` under new stored names; (copied, missing)."""
    folder = upload_dir()
    copied = missing = 0
    for source in db.session.scalars(
        select(Attachment).where(Attachment.entry_id == origin.id).order_by(Attachment.id)
    ):
        path = folder / source.stored_name
        if not path.is_file():
            missing += 1
            continue
        stored_name = secrets.token_hex(16)
        shutil.copyfile(path, folder / stored_name)
        written.append(folder / stored_name)
        db.session.add(
            Attachment(
                entry_id=entry.id,
                kind=source.kind,
                label=source.label,
                original_name=source.original_name,
                stored_name=stored_name,
                content_type=source.content_type,
                size=source.size,
                sha256=source.sha256,
                uploaded_by=source.uploaded_by,
            )
        )
        copied += 1
    return copied, missing
