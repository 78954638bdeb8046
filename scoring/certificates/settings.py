"""Service verbs for an event's certificate settings (title, signer, place, date, images, number).

Changing the settings affects certificates rendered afterwards; PDFs already issued stay as
they were handed out until the committee reissues them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import BinaryIO

from sqlalchemy import select

from scoring.certificates import storage
from scoring.core.numbering import NumberFormatError, validate_pattern
from scoring.database import get_for_update
from scoring.extensions import db
from scoring.models import CertificateSettings, Event
from scoring.services.audit import record
from scoring.services.errors import InvalidInput, NotFound

_ORG_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,39}$")
_FIELDS = (
    "title",
    "signer_name",
    "signer_title",
    "signer_nip",
    "place",
    "issue_date",
    "org_code",
    "number_format",
)


def _on(field: str, error: InvalidInput) -> InvalidInput:
    error.field = field  # type: ignore[attr-defined]  # the form field to show it next to
    return error


def get_settings(event_id: int) -> CertificateSettings:
    """The event's settings, created with sensible defaults (and committed) on first use."""
    settings = db.session.scalar(select(CertificateSettings).filter_by(event_id=event_id))
    if settings is not None:
        return settings
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found.")
    host = event.host_region.name if event.host_region else ""
    signer_title = ""
    if event.level == "provinsi" and host:
        signer_title = f"Kepala Perwakilan BKKBN Provinsi {host}"
    elif event.level == "nasional":
        signer_title = "Kepala BKKBN"
    settings = CertificateSettings(
        event_id=event_id, signer_title=signer_title, place=event.place or host
    )
    db.session.add(settings)
    try:
        db.session.commit()
    except Exception:  # another request created it first
        db.session.rollback()
        settings = db.session.scalar(select(CertificateSettings).filter_by(event_id=event_id))
        if settings is None:
            raise
    return settings


DEMO_SIGNER = ("Dr. Rahmat Hidayatullah, M.Kes.", "197001011995031001")


def seed_demo_settings(event_id: int) -> CertificateSettings:
    """The demo's settings (a made-up signer), so `make run` can issue at once. Idempotent."""
    settings = get_settings(event_id)
    if not settings.signer_name:
        settings.signer_name, settings.signer_nip = DEMO_SIGNER
        settings.org_code = "BKKBN-JMB"
        db.session.commit()
    return settings


def require_complete(settings: CertificateSettings) -> None:
    if not settings.is_complete:
        raise InvalidInput("Fill in the certificate settings (signer and place) first.")


def number_format_error(error: NumberFormatError) -> InvalidInput:
    """The committee's message for a refused number pattern."""
    if error.reason == "unknown_token":
        return _on(
            "number_format",
            InvalidInput(
                "Unknown token %(token)s in the number format. Use {seq}, {seq:03d}, {org}, "
                "{month_roman}, {month}, {year} or {event}.",
                token=error.token,
            ),
        )
    if error.reason == "bad_spec":
        return _on(
            "number_format",
            InvalidInput(
                "%(token)s: only {seq} and {month} take a width, written like {seq:03d}.",
                token=error.token,
            ),
        )
    if error.reason == "missing_seq":
        return _on(
            "number_format",
            InvalidInput(
                "The number format must contain {seq}, so that every certificate gets its own "
                "number."
            ),
        )
    if error.reason == "too_long":
        return _on("number_format", InvalidInput("The number format is too long."))
    return _on(
        "number_format",
        InvalidInput("The number format is not valid: check that every { has its }."),
    )


def _clean(values: dict[str, object]) -> dict[str, object]:
    text = {k: " ".join(str(values.get(k) or "").split()) for k in _FIELDS if k != "issue_date"}
    if not text["title"]:
        raise _on("title", InvalidInput("Enter the certificate title."))
    nip = text["signer_nip"].replace(" ", "")
    if nip and not (nip.isdigit() and len(nip) == 18):
        raise _on("signer_nip", InvalidInput("A NIP has 18 digits."))
    if not _ORG_CODE.match(text["org_code"]):
        raise _on(
            "org_code",
            InvalidInput(
                "Use letters, digits, dots and dashes for the office code, e.g. BKKBN-JMB."
            ),
        )
    try:
        validate_pattern(text["number_format"])
    except NumberFormatError as error:
        raise number_format_error(error) from error
    issue_date = values.get("issue_date")
    if issue_date is not None and not isinstance(issue_date, dt.date):
        raise _on("issue_date", InvalidInput("Enter a valid date."))
    return {**text, "signer_nip": nip or None, "issue_date": issue_date}


def update_settings(
    event_id: int,
    values: dict[str, object],
    *,
    logo: BinaryIO | None = None,
    background: BinaryIO | None = None,
    remove_logo: bool = False,
    remove_background: bool = False,
) -> CertificateSettings:
    """Validate and save the settings; images are converted before the transaction starts."""
    clean = _clean(values)
    settings_id = get_settings(event_id).id
    stored: dict[str, str] = {}
    try:
        if logo is not None:
            stored["logo_name"] = storage.store_image(logo, "logo")
        if background is not None:
            stored["background_name"] = storage.store_image(background, "background")
    except InvalidInput as error:
        for name in stored.values():
            storage.delete_media(name)
        error.field = "logo" if "logo_name" not in stored and logo is not None else "background"  # type: ignore[attr-defined]
        raise
    settings = get_for_update(CertificateSettings, settings_id)
    assert settings is not None
    before = {k: _plain(getattr(settings, k)) for k in (*_FIELDS, "logo_name", "background_name")}
    obsolete = []
    for key, value in clean.items():
        setattr(settings, key, value)
    for key, flag in (("logo_name", remove_logo), ("background_name", remove_background)):
        if key in stored or flag:
            obsolete.append(getattr(settings, key))
            setattr(settings, key, stored.get(key))
    after = {k: _plain(getattr(settings, k)) for k in before}
    record("certificate_settings.update", settings, before=before, after=after, event_id=event_id)
    db.session.commit()
    for name in obsolete:
        storage.delete_media(name)
    return settings


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value
