"""Read models of the certificate pages: what the public, participants and committee see.

The public ones (Verification, Download) carry only what may be shown to anyone holding the
QR code or access code: number, name, region, award, category, event, date. No NIK, phone,
email or contact name ever enters them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import Category, Certificate, CertificateRevision, Entry, Event, Job
from scoring.services.access_codes import hash_code, normalise_code


@dataclass(frozen=True)
class Verification:
    valid: bool
    number: str
    name: str
    region_name: str | None
    award: str
    category_name: str | None
    event_name: str
    issued_on: dt.date


def verification(token: str) -> Verification | None:
    """What the verify page shows for a QR token, or None for an unknown token."""
    if not token or len(token) > 64:
        return None
    cert = db.session.scalar(select(Certificate).filter_by(token=token))
    if cert is not None:
        return Verification(
            cert.status == "valid", cert.number, cert.name, cert.region_name, cert.award,
            cert.category_name, cert.event_name, cert.issued_on,
        )  # fmt: skip
    old = db.session.scalar(select(CertificateRevision).filter_by(token=token))
    if old is None:
        return None
    return Verification(
        False, old.certificate.number, old.name, old.region_name, old.award,
        old.category_name, old.event_name, old.issued_on,
    )  # fmt: skip


@dataclass(frozen=True)
class Download:
    token: str
    number: str
    name: str
    award: str
    category_name: str | None
    event_name: str


def _downloads(where: object) -> list[Download]:
    rows = db.session.scalars(
        select(Certificate).where(where, Certificate.status == "valid").order_by(Certificate.seq)
    )
    return [
        Download(c.token, c.number, c.name, c.award, c.category_name, c.event_name) for c in rows
    ]


def entry_for_code(code: str) -> int | None:
    """The id of the entry whose access code this is, if that entry has valid certificates.

    None for a wrong code and for a right code without certificates alike, so the page cannot
    tell anyone whether an entry exists.
    """
    digest = hash_code(code) if len(normalise_code(code)) <= 40 else hash_code("")
    entry_id = db.session.scalar(select(Entry.id).where(Entry.access_code_hash == digest))
    # The same two queries either way, so the answer's timing does not tell either.
    has_any = db.session.scalar(
        select(func.count(Certificate.id)).where(
            Certificate.entry_id == (entry_id if entry_id is not None else -1),
            Certificate.status == "valid",
        )
    )
    return entry_id if has_any else None


def entry_downloads(entry_id: int) -> list[Download]:
    return _downloads(Certificate.entry_id == entry_id)


def judge_downloads(judge_id: int) -> list[Download]:
    return _downloads(Certificate.judge_id == judge_id)


@dataclass(frozen=True)
class CategoryRow:
    category_id: int
    name: str
    entries: int
    published: bool
    valid: int
    revoked: int
    job_id: int | None  # the latest issue-all job


@dataclass(frozen=True)
class EventCertificates:
    event_id: int
    slug: str
    name: str
    categories: list[CategoryRow]
    judges: int
    judge_valid: int
    judge_job_id: int | None


def _counts(event_id: int) -> dict[tuple[int | None, str], int]:
    rows = db.session.execute(
        select(Certificate.category_id, Certificate.status, func.count())
        .where(Certificate.event_id == event_id)
        .group_by(Certificate.category_id, Certificate.status)
    ).all()
    return {(category_id, status): n for category_id, status, n in rows}


def _latest_jobs(event_id: int) -> dict[int | None, int]:
    latest: dict[int | None, int] = {}
    for job in db.session.scalars(
        select(Job)
        .where(Job.event_id == event_id, Job.kind == "certificates.issue_all")
        .order_by(Job.id)
    ):
        latest[job.params.get("category_id")] = job.id
    return latest


def event_certificates(event_id: int) -> EventCertificates | None:
    """The committee's overview: per category, is it published, how many issued, last job."""
    from scoring.services.certificates import _awards_for, event_judges

    event = db.session.get(Event, event_id)
    if event is None:
        return None
    counts, jobs = _counts(event_id), _latest_jobs(event_id)
    entries = dict(
        db.session.execute(
            select(Entry.category_id, func.count())
            .join(Category, Category.id == Entry.category_id)
            .where(Category.event_id == event_id)
            .group_by(Entry.category_id)
        ).all()
    )
    categories = [
        CategoryRow(
            c.id,
            c.name,
            entries.get(c.id, 0),
            _awards_for(c.id) is not None,
            counts.get((c.id, "valid"), 0),
            counts.get((c.id, "revoked"), 0),
            jobs.get(c.id),
        )
        for c in event.categories
    ]
    return EventCertificates(
        event.id, event.slug, event.name, categories, len(event_judges(event_id)),
        counts.get((None, "valid"), 0), jobs.get(None),
    )  # fmt: skip


def event_certificate_list(event_id: int) -> list[Certificate]:
    """Every certificate of the event for the committee's table, in number order."""
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.event_id == event_id).order_by(Certificate.seq)
        )
    )
