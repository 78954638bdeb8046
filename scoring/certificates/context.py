"""What a certificate template receives: a flat dict of strings, built from the database rows.

The renderer refuses anything else (see render.check_primitives), so no ORM object, lazy
relationship or callable ever reaches the template.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app

from scoring.certificates.render import media_url
from scoring.i18n import format_date_long
from scoring.models import Certificate, CertificateSettings, Event

SAMPLE_TOKEN = "contoh-belum-diterbitkan"  # noqa: S105 - not a secret: the preview's fake token


def verify_url(token: str) -> str:
    """The public address encoded in the QR code: JUARA_BASE_URL/verifikasi/<token>."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/verifikasi/{token}"


def printed_date(settings: CertificateSettings, event: Event) -> dt.date:
    """The date on the certificates: as set, else the last day of the event, else today (WIB)."""
    if settings.issue_date:
        return settings.issue_date
    if event.ends_on:
        return event.ends_on
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()


def settings_context(settings: CertificateSettings, on: dt.date) -> dict[str, Any]:
    return {
        "title": settings.title,
        "place": settings.place,
        "date_text": format_date_long(on, locale="id"),
        "signer_title": settings.signer_title,
        "signer_name": settings.signer_name,
        "signer_nip": settings.signer_nip or "",
        "logo_url": media_url(settings.logo_name),
        "background_url": media_url(settings.background_name),
    }


def certificate_context(cert: Certificate, settings: CertificateSettings) -> dict[str, Any]:
    """The template values of one certificate (its current revision)."""
    return {
        "kind": cert.kind,
        "number": cert.number,
        "name": cert.name,
        "award": cert.award,
        "region_name": cert.region_name or "",
        "category_name": cert.category_name or "",
        "event_name": cert.event_name,
        "verify_url": verify_url(cert.token),
        **settings_context(settings, cert.issued_on),
    }


SAMPLES = {
    "winner": ("BKB Tunas Harapan Kelurahan Talang Banjar", "Juara I", "Kota Jambi"),
    "participant": ("BKB Melati Desa Semurup", "Peserta", "Kabupaten Kerinci"),
    "judge": ("Dr. Hendra Saputra, M.Kes.", "Dewan Juri", ""),
}


def sample_context(
    kind: str, settings: CertificateSettings, event: Event, category_name: str
) -> dict[str, Any]:
    """A preview with made-up names, so the committee can check the layout before issuing."""
    name, award, region = SAMPLES[kind]
    on = printed_date(settings, event)
    from scoring.core.numbering import NumberFormatError, format_number

    try:
        number = format_number(settings.number_format, 1, settings.org_code, on, event.slug)
    except NumberFormatError:
        number = "001"
    return {
        "kind": kind,
        "number": number,
        "name": name,
        "award": award,
        "region_name": region,
        "category_name": "" if kind == "judge" else category_name,
        "event_name": event.name,
        "verify_url": verify_url(SAMPLE_TOKEN),
        **settings_context(settings, on),
    }
