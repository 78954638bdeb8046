"""Revoking and reissuing certificates, and the PDF of one certificate's current revision.

A reissue keeps the number and archives the previous revision (its token, what it printed) as
a CertificateRevision, so an old QR code keeps answering "revoked". The number itself is never
freed: a revoked certificate's number is not given to anyone else.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select, update

from scoring.certificates import storage
from scoring.certificates.context import certificate_context
from scoring.certificates.render import render_pdf
from scoring.database import begin_write, get_for_update
from scoring.extensions import db
from scoring.models import (
    Category,
    Certificate,
    CertificateRevision,
    CertificateSettings,
    Entry,
    Event,
    User,
)
from scoring.orm import utcnow
from scoring.services import certificates as issuing
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput, NotFound


def revoke_certificate(certificate_id: int, reason: str, actor_id: int | None = None) -> None:
    """Mark a certificate revoked: its QR code then answers "revoked"; the number stays used."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("Enter the reason for revoking the certificate.")
    if len(reason) > 300:
        raise InvalidInput("The reason is too long (at most %(n)d characters).", n=300)
    cert = get_for_update(Certificate, certificate_id)
    if cert is None:
        db.session.rollback()
        raise NotFound("Certificate not found.")
    if cert.status == "revoked":
        db.session.rollback()
        raise Conflict("This certificate has already been revoked.")
    cert.status, cert.revoked_at, cert.revoke_reason = "revoked", utcnow(), reason
    record(
        "certificate.revoke",
        cert,
        after={"number": cert.number, "revision": cert.revision, "reason": reason},
        event_id=cert.event_id,
        actor_id=actor_id,
    )
    db.session.commit()


def _current_subject(cert: Certificate) -> dict[str, Any]:
    """Name, region, award ... as they are now, for a reissue."""
    event = db.session.get(Event, cert.event_id)
    assert event is not None
    if cert.kind == "judge":
        judge = db.session.get(User, cert.judge_id)
        return {"name": judge.name if judge else cert.name, "event_name": event.name}
    entry = db.session.get(Entry, cert.entry_id)
    category = db.session.get(Category, cert.category_id)
    assert entry is not None and category is not None
    fields: dict[str, Any] = {
        "name": entry.name,
        "region_name": issuing.region_label(entry.region),
        "category_name": category.name,
        "event_name": event.name,
    }
    awards = issuing._awards_for(category.id)
    row = next((r for r in awards or () if r.entry_id == entry.id), None)
    if row is not None:
        fields["kind"] = "winner" if row.award else "participant"
        fields["award"] = row.award or issuing.PARTICIPANT_AWARD
    return fields


def reissue_certificate(certificate_id: int, actor_id: int | None = None) -> Certificate:
    """A new revision under the same number, with today's data and a new token.

    The previous revision is archived as revoked (its QR code then says so) and its PDF deleted;
    the new PDF is rendered at once.
    """
    subject = None
    cert = db.session.get(Certificate, certificate_id)
    if cert is not None:
        subject = _current_subject(cert)  # reads only; the results adapter may query a lot
    cert = get_for_update(Certificate, certificate_id)
    if cert is None or subject is None:
        db.session.rollback()
        raise NotFound("Certificate not found.")
    settings = db.session.scalar(select(CertificateSettings).filter_by(event_id=cert.event_id))
    if settings is None or not settings.is_complete:
        db.session.rollback()
        raise InvalidInput("Fill in the certificate settings (signer and place) first.")
    now, old_pdf = utcnow(), cert.pdf_name
    db.session.add(
        CertificateRevision(
            certificate_id=cert.id,
            revision=cert.revision,
            token=cert.token,
            name=cert.name,
            award=cert.award,
            region_name=cert.region_name,
            category_name=cert.category_name,
            event_name=cert.event_name,
            issued_on=cert.issued_on,
            issued_at=cert.issued_at,
            revoked_at=cert.revoked_at or now,
            revoke_reason=cert.revoke_reason,
            pdf_sha256=cert.pdf_sha256,
        )
    )
    before = {"revision": cert.revision, "name": cert.name, "award": cert.award}
    for key, value in subject.items():
        setattr(cert, key, value)
    cert.token, cert.revision, cert.status = issuing.new_token(), cert.revision + 1, "valid"
    cert.issued_at, cert.revoked_at, cert.revoke_reason = now, None, None
    cert.pdf_name = cert.pdf_sha256 = None
    record(
        "certificate.reissue",
        cert,
        before=before,
        after={"revision": cert.revision, "name": cert.name, "award": cert.award},
        event_id=cert.event_id,
        actor_id=actor_id,
    )
    db.session.commit()
    storage.delete_pdf(old_pdf)
    certificate_pdf(cert.id)
    return cert


def certificate_pdf(certificate_id: int) -> bytes:
    """The PDF of a certificate's current revision: the stored file, else rendered now."""
    cert = db.session.get(Certificate, certificate_id)
    if cert is None:
        raise NotFound("Certificate not found.")
    stored = storage.read_pdf(cert.pdf_name, cert.pdf_sha256)
    if stored is not None:
        return stored
    settings = db.session.scalar(select(CertificateSettings).filter_by(event_id=cert.event_id))
    if settings is None:
        raise NotFound("Certificate not found.")
    token = cert.token
    pdf = render_pdf(certificate_context(cert, settings), storage.media_dir())
    name, sha256 = storage.store_pdf(token, pdf)
    begin_write()
    # Compare-and-set on the token: a reissue meanwhile must not get this revision's file.
    db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate_id, Certificate.token == token)
        .values(pdf_name=name, pdf_sha256=sha256)
    )
    db.session.commit()
    current_app.logger.info("certificate %s rendered on demand", certificate_id)
    return pdf
