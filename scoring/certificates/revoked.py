"""The PDF of a revoked certificate, as its event's committee may still download it.

It is the certificate rendered again with a mark no reader can miss: a red banner across the
top ("DICABUT", the date and the reason) and a large diagonal "DICABUT" over every page. The
stored file of the valid revision is never served for a revoked certificate. The wording is
Indonesian whatever the interface language, like the certificate itself.
"""

from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import select

from scoring.certificates import storage
from scoring.certificates.context import certificate_context
from scoring.certificates.render import get_renderer
from scoring.extensions import db
from scoring.i18n import format_date_long
from scoring.models import Certificate, CertificateSettings
from scoring.services.errors import NotFound

MARK = "DICABUT"
# Printed over the certificate's own layout; positioned against the page, above everything.
MARK_CSS = """
.revoked-banner {
  position: fixed; left: 0; right: 0; top: 0; z-index: 1000;
  padding: 2.5mm 10mm; background: #b00020; color: #fff;
  font-family: "DejaVu Sans", sans-serif; font-size: 11pt; text-align: center;
}
.revoked-banner strong { font-size: 14pt; }
.revoked-watermark {
  position: fixed; left: 0; right: 0; top: 80mm; z-index: 999;
  text-align: center; font-family: "DejaVu Sans", sans-serif; font-weight: bold;
  font-size: 120pt; color: rgba(176, 0, 32, 0.28);
  transform: rotate(-18deg);
}
"""
_BODY_OPEN = re.compile(r"<body[^>]*>")


def revoked_pdf(cert: Certificate) -> bytes:
    """The certificate's current revision, marked as revoked on every page."""
    settings = db.session.scalar(select(CertificateSettings).filter_by(event_id=cert.event_id))
    if settings is None:
        raise NotFound("Certificate not found.")
    renderer = get_renderer(storage.media_dir())
    source = renderer.html(certificate_context(cert, settings))
    match = _BODY_OPEN.search(source)
    if match is None:  # every certificate template has a body; refuse rather than hand it out
        raise NotFound("Certificate not found.")
    marked = source[: match.end()] + _mark(cert) + source[match.end() :]
    return renderer.render_source(marked, MARK_CSS)


def _mark(cert: Certificate) -> str:
    when = format_date_long(cert.revoked_at, locale="id") if cert.revoked_at else ""
    on = f" pada {when}" if when else ""
    reason = f" Alasan: {cert.revoke_reason}." if cert.revoke_reason else ""
    text = f"· Piagam nomor {cert.number} telah dicabut{on} dan tidak berlaku.{reason}"
    # Names and reasons are escaped: the mark is printed, never parsed.
    return (
        f'<div class="revoked-banner"><strong>{MARK}</strong> {escape(text)}</div>'
        f'<div class="revoked-watermark">{MARK}</div>'
    )
