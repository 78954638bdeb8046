"""The demo's regional registration (issue 11): the 2026 selection taking registrations.

`jambi-2026` is open for registration for a month from the first seed (times in WIB), with two
operators: Kota Jambi (nothing registered yet, ready for the walkthrough) and Kerinci (a
half-finished registration: the entry and one of its two documents). Idempotent like the rest
of `seed-demo`: what exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from scoring.extensions import db
from scoring.models import (
    Attachment,
    Category,
    Criterion,
    Entry,
    Event,
    EventMember,
    Region,
    Registration,
    RegistrationDocument,
    RegistrationWindow,
    RequiredDocument,
    Stage,
    User,
)
from scoring.models.event import DEFAULT_BANDS
from scoring.services.access_codes import generate_code, hash_code
from scoring.services.attachments import upload_dir

EVENT_SLUG = "jambi-2026"
EVENT_NAME = "Pemilihan Poktan BKR dan Duta Orang Tua Hebat Tingkat Provinsi Jambi Tahun 2026"
PASSWORD = "demo-operator"  # noqa: S105 - the published demo password
OPERATORS = [
    ("operator.kotajambi@demo.juara.id", "Operator DPPKB Kota Jambi", "15.71"),
    ("operator.kerinci@demo.juara.id", "Operator DPPKB Kabupaten Kerinci", "15.01"),
]
PDF = "application/pdf"
IMAGES = ["image/jpeg", "image/png"]
MB = 1024 * 1024
# (name, kind, entry kind, required documents [(name, types)], criteria [(name, weight)])
CATEGORIES: list[tuple[str, str, str, list[tuple[str, list[str]]], list[tuple[str, float]]]] = [
    (
        "Poktan BKR Terbaik",
        "Poktan BKR",
        "group",
        [("SK pembentukan Poktan", [PDF]), ("Foto kegiatan", IMAGES)],
        [
            ("Kelembagaan", 20),
            ("Pelaksanaan kegiatan", 30),
            ("Cakupan sasaran", 20),
            ("Inovasi", 20),
            ("Pencatatan dan pelaporan", 10),
        ],
    ),
    (
        "Duta Orang Tua Hebat",
        "Duta Orang Tua Hebat",
        "person",
        [("Surat pernyataan persetujuan data", [PDF, *IMAGES]), ("Foto kegiatan", IMAGES)],
        [
            ("Pengetahuan pengasuhan", 25),
            ("Praktik pengasuhan", 30),
            ("Keaktifan di BKB", 15),
            ("Keteladanan", 20),
            ("Komunikasi", 10),
        ],
    ),
]
# The smallest valid PDF a viewer opens: the Kerinci draft's uploaded SK.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_demo_registration(report: Any, committee: User, now: dt.datetime | None = None) -> None:
    """Add whatever of the registration demo is missing (the caller commits)."""
    from scoring.services.demo import _get_or_create  # demo imports this module lazily

    now = now or dt.datetime.now(dt.UTC)
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    event = _get_or_create(
        report,
        Event,
        {"slug": EVENT_SLUG},
        name=EVENT_NAME,
        level="provinsi",
        host_region_id=regions["15"].id,
        place="Jambi",
        status="open",
    )
    _get_or_create(
        report, EventMember, {"event_id": event.id, "user_id": committee.id}, added_by=None
    )
    opens, closes = _window_times(now)
    categories = {}
    for position, (name, kind, entry_kind, documents, criteria) in enumerate(CATEGORIES, 1):
        category = _get_or_create(
            report,
            Category,
            {"event_id": event.id, "name": name},
            position=position,
            kind=kind,
            entry_kind=entry_kind,
        )
        categories[name] = category
        _get_or_create(
            report,
            Stage,
            {"category_id": category.id, "position": 1},
            name="Seleksi Administrasi",
            kind="pass_fail",
            weight=0,
            status="open",
        )
        scored = _get_or_create(
            report,
            Stage,
            {"category_id": category.id, "position": 2},
            name="Penilaian Dokumen",
            kind="scored",
            weight=100,
            status="open",
        )
        for order, (criterion, weight) in enumerate(criteria, 1):
            _get_or_create(
                report,
                Criterion,
                {"stage_id": scored.id, "position": order},
                name=criterion,
                weight=weight,
                tiebreak_order=1 if order == 2 else None,
                bands=DEFAULT_BANDS,
            )
        _get_or_create(
            report,
            RegistrationWindow,
            {"category_id": category.id},
            opens_at=opens,
            closes_at=closes,
            quota_per_region=1,
        )
        for order, (document, types) in enumerate(documents, 1):
            _get_or_create(
                report,
                RequiredDocument,
                {"category_id": category.id, "name": document},
                position=order,
                allowed_types=types,
                max_bytes=5 * MB,
            )
    operators = {}
    for email, name, code in OPERATORS:
        user = db.session.scalar(select(User).filter_by(email=email))
        if user is None:
            user = User(
                email=email,
                name=name,
                role="regional",
                home_region_id=regions[code].id,
                operator_event_id=event.id,
            )
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            report.count("User")
        operators[code] = user
    _seed_kerinci_draft(report, categories["Poktan BKR Terbaik"], regions["15.01"], operators)


def _window_times(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From yesterday 08.00 WIB until 23.59 WIB thirty days on."""
    wib = ZoneInfo("Asia/Jakarta")
    today = now.astimezone(wib).date()
    opens = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8, 0), wib)
    closes = dt.datetime.combine(today + dt.timedelta(days=30), dt.time(23, 59), wib)
    return opens.astimezone(dt.UTC), closes.astimezone(dt.UTC)


def _seed_kerinci_draft(
    report: Any, category: Category, region: Region, operators: dict[str, User]
) -> None:
    from scoring.services.demo import _get_or_create

    operator = operators["15.01"]
    entry = db.session.scalar(select(Entry).filter_by(category_id=category.id, region_id=region.id))
    if entry is not None:
        return  # registered before (or by the operator since): leave it as it is
    entry = Entry(
        category_id=category.id,
        region_id=region.id,
        name="BKR Sakinah Desa Siulak",
        contact_name="Ketua Sakinah",
        contact_phone="081266543210",
        access_code_hash=hash_code(generate_code()),
    )
    db.session.add(entry)
    db.session.flush()
    report.count("Entry")
    registration = _get_or_create(
        report, Registration, {"entry_id": entry.id}, status="draft", registered_by_id=operator.id
    )
    requirement = db.session.scalar(
        select(RequiredDocument).filter_by(category_id=category.id, position=1)
    )
    stored_name = secrets.token_hex(16)
    path = upload_dir() / stored_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(DEMO_PDF)
    attachment = Attachment(
        entry_id=entry.id,
        kind="other",
        label=requirement.name,
        original_name="SK Poktan BKR Sakinah.pdf",
        stored_name=stored_name,
        content_type=PDF,
        size=len(DEMO_PDF),
        sha256=hashlib.sha256(DEMO_PDF).hexdigest(),
        uploaded_by=operator.id,
    )
    db.session.add(attachment)
    db.session.flush()
    db.session.add(
        RegistrationDocument(
            registration_id=registration.id,
            required_document_id=requirement.id,
            attachment_id=attachment.id,
        )
    )
    db.session.flush()
