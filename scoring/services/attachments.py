"""Attachments of an entry: PDF, JPEG or PNG up to 10 MB, kept outside static/.

The type is read from the file's first bytes (its "magic number"), not from its name or from
what the browser claims: a program renamed to .pdf is refused, and a PNG named .pdf is stored
and served as the PNG it is (its display name gets the right extension). Files are stored in
UPLOAD_DIR under random names and streamed only to the committee and to judges assigned to the
entry; everyone else gets 404, so they cannot even learn that the file exists.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Assignment, Attachment, Entry
from scoring.models.attachment import ATTACHMENT_KINDS, MAX_ATTACHMENT_BYTES
from scoring.services.audit import record
from scoring.services.entries import ensure_entries_editable
from scoring.services.errors import InvalidInput, NotFound

# (first bytes, content type, extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
EXTENSIONS = {content_type: ext for _magic, content_type, ext in SIGNATURES}
LABEL_MAX = 200
NAME_MAX = 120
_UNSAFE = re.compile(r"[^\w .()\-]+")


@dataclass(frozen=True)
class AttachmentInfo:
    """What a page needs to list an attachment; the file is at url_for("files.download", id)."""

    id: int
    entry_id: int
    kind: str
    label: str
    original_name: str
    content_type: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff_type(head: bytes) -> str | None:
    """The content type the first bytes prove, or None for anything else."""
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def safe_display_name(name: str, content_type: str) -> str:
    """The uploader's file name without folders or odd characters, with the true extension."""
    base = _clean_base(name)
    stem = base.rpartition(".")[0] if "." in base else base
    stem = stem.strip(" ._") or "berkas"
    return stem[:NAME_MAX] + EXTENSIONS[content_type]


def _clean_base(name: str) -> str:
    """The last path component, NFC, without control characters or shell-unfriendly ones."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return " ".join(_UNSAFE.sub("_", base).split())[: NAME_MAX + 10] or "berkas"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def attachments_for_entry(entry_id: int) -> list[AttachmentInfo]:
    """The entry's attachments, oldest first (for the committee and the judge's sheet)."""
    rows = db.session.scalars(
        select(Attachment).where(Attachment.entry_id == entry_id).order_by(Attachment.id)
    )
    return [
        AttachmentInfo(
            a.id, a.entry_id, a.kind, a.label or "", a.original_name, a.content_type, a.size
        )
        for a in rows
    ]


def save_attachment(
    entry_id: int, kind: str, label: str, filename: str, stream: BinaryIO
) -> AttachmentInfo:
    """Check and store one uploaded file; InvalidInput names the file when it is refused."""
    if kind not in ATTACHMENT_KINDS:
        raise InvalidInput("Choose what kind of document this is.")
    label = " ".join((label or "").split())[:LABEL_MAX]
    data = stream.read(MAX_ATTACHMENT_BYTES + 1)
    shown = _clean_base(filename)
    if not data:
        raise InvalidInput("%(name)s is empty.", name=shown)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("%(name)s is larger than 10 MB.", name=shown)
    content_type = sniff_type(data[:16])
    if content_type is None:
        raise InvalidInput("%(name)s is not a PDF, JPEG or PNG file.", name=shown)
    stored_name = secrets.token_hex(16)
    path = upload_dir() / stored_name
    _write_new_file(path, data)
    try:
        entry = get_for_update(Entry, entry_id)
        if entry is None:
            raise NotFound("Entry not found.")
        ensure_entries_editable(entry.category)
        attachment = Attachment(
            entry_id=entry.id,
            kind=kind,
            label=label or None,
            original_name=safe_display_name(filename, content_type),
            stored_name=stored_name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=_actor_id(),
        )
        db.session.add(attachment)
        db.session.flush()
        record(
            "attachment.create",
            attachment,
            after=_picture(attachment),
            event_id=entry.category.event_id,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    return AttachmentInfo(
        attachment.id, entry.id, kind, label, attachment.original_name, content_type, len(data)
    )


def delete_attachment(attachment_id: int) -> int:
    """Remove the record (audited) and then the file; returns the entry's id."""
    with committing():
        attachment = get_for_update(Attachment, attachment_id)
        if attachment is None:
            raise NotFound("Attachment not found.")
        entry = attachment.entry
        ensure_entries_editable(entry.category)
        stored_name, entry_id = attachment.stored_name, entry.id
        record(
            "attachment.delete",
            attachment,
            before=_picture(attachment),
            event_id=entry.category.event_id,
        )
        db.session.delete(attachment)
    remove_stored_files([stored_name])
    return entry_id


def attachment_for_viewer(attachment_id: int, user_id: int, role: str) -> tuple[Attachment, Path]:
    """The attachment and its file if this user may see it, else NotFound (never Forbidden)."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("Attachment not found.")
    if role not in ("admin", "committee"):
        assigned = db.session.scalar(
            select(Assignment.id)
            .where(Assignment.entry_id == attachment.entry_id, Assignment.judge_id == user_id)
            .limit(1)
        )
        if role != "judge" or assigned is None:
            raise NotFound("Attachment not found.")
    path = upload_dir() / attachment.stored_name
    if not path.is_file():
        raise NotFound("Attachment not found.")
    return attachment, path


def remove_stored_files(stored_names: list[str]) -> None:
    """Delete files whose records are gone (after the transaction that removed them)."""
    folder = upload_dir()
    for name in stored_names:
        (folder / name).unlink(missing_ok=True)


def _write_new_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _picture(attachment: Attachment) -> dict[str, object]:
    return {
        "entry_id": attachment.entry_id,
        "kind": attachment.kind,
        "label": attachment.label,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def _actor_id() -> int | None:
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None
