"""Documents of a registration: uploaded against one required document, checked by its rules.

The file goes through `save_attachment` (type by content, 10 MB cap, random name outside
static/), after this module's stricter check: the types and the size the requirement allows.
A regional operator may download only its own region's files (`attachment_for_operator`).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from scoring.database import committing
from scoring.extensions import db
from scoring.models import Attachment, Registration, RegistrationDocument, RequiredDocument
from scoring.services.attachments import (
    delete_attachment,
    save_attachment,
    sniff_type,
    upload_dir,
)
from scoring.services.audit import record
from scoring.services.errors import InvalidInput, NotFound
from scoring.services.registration import Operator, ensure_editable, load_registration, owns

TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def type_names(types: list[str]) -> str:
    return ", ".join(TYPE_NAMES.get(t, t) for t in types)


def add_document(
    op: Operator,
    registration_id: int,
    requirement_id: int,
    filename: str,
    stream: BinaryIO,
    now: dt.datetime,
) -> int:
    """Store one file for a required document; returns the attachment's id."""
    registration = load_registration(op, registration_id)
    ensure_editable(registration, now)
    requirement = db.session.get(RequiredDocument, requirement_id)
    if requirement is None or requirement.category_id != registration.entry.category_id:
        raise NotFound("Document not found.")
    data = stream.read(requirement.max_bytes + 1)
    shown = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:120] or "berkas"
    if len(data) > requirement.max_bytes:
        raise InvalidInput(
            "%(name)s is larger than %(n)d MB.",
            name=shown,
            n=requirement.max_bytes // (1024 * 1024),
        )
    content_type = sniff_type(data[:16])
    if data and content_type not in requirement.allowed_types:
        raise InvalidInput(
            "%(name)s must be one of: %(types)s.",
            name=shown,
            types=type_names(requirement.allowed_types),
        )
    only_images = all(t.startswith("image/") for t in requirement.allowed_types)
    info = save_attachment(
        registration.entry_id,
        "photo" if only_images else "other",
        requirement.name,
        filename,
        io.BytesIO(data),
    )
    try:
        with committing():
            registration = load_registration(op, registration_id, lock=True)
            ensure_editable(registration, now)  # the window may have closed meanwhile
            link = RegistrationDocument(
                registration_id=registration.id,
                required_document_id=requirement.id,
                attachment_id=info.id,
            )
            db.session.add(link)
            db.session.flush()
            record(
                "registration.document_add",
                link,
                after={"requirement": requirement.name, "attachment_id": info.id},
                event_id=registration.entry.category.event_id,
            )
    except Exception:
        delete_attachment(info.id)
        raise
    return info.id


def remove_document(op: Operator, attachment_id: int, now: dt.datetime) -> int:
    """Delete one of the registration's files; returns the registration's id."""
    registration_id = db.session.scalar(
        select(RegistrationDocument.registration_id).where(
            RegistrationDocument.attachment_id == attachment_id
        )
    )
    if registration_id is None:
        raise NotFound("Attachment not found.")
    registration = load_registration(op, registration_id)
    ensure_editable(registration, now)
    delete_attachment(attachment_id)  # audited there; the link goes by the foreign key
    return registration_id


def attachment_for_operator(attachment_id: int, op: Operator) -> tuple[Attachment, Path]:
    """A file of an entry the operator's region registered, else NotFound (the same answer as
    no file). Entries the committee typed in itself have no Registration: not the operator's."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.entry.region_id != op.region_id:
        raise NotFound("Attachment not found.")
    registered = select(Registration.id).where(Registration.entry_id == attachment.entry_id)
    if db.session.scalar(registered) is None:
        raise NotFound("Attachment not found.")
    if op.event_id is not None and attachment.entry.category.event_id != op.event_id:
        raise NotFound("Attachment not found.")
    path = upload_dir() / attachment.stored_name
    if not path.is_file():
        raise NotFound("Attachment not found.")
    return attachment, path


__all__ = ["add_document", "attachment_for_operator", "owns", "remove_document", "type_names"]
