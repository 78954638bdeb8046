"""Issuing certificates: numbers assigned once, for published results and the judges.

Numbers are assigned once, in one transaction that holds the event's CertificateSettings row
locked (get_for_update), so two committee members issuing at once never get the same sequence
number; the database's unique constraints back that up. Certificates are issued only for a
category whose results are published (and not embargoed): winners get the winner piagam,
everyone else ranked in the published result the participant piagam; judges assigned in the
event get the judge appreciation. Revoke and reissue live in scoring.certificates.revisions.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scoring.certificates.context import printed_date
from scoring.certificates.settings import get_settings, require_complete
from scoring.core.numbering import NumberFormatError, format_number
from scoring.database import get_for_update
from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Certificate,
    CertificateSettings,
    Entry,
    Event,
    Region,
    Stage,
    User,
)
from scoring.orm import utcnow
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput, NotFound, ScoringError

PARTICIPANT_AWARD = "Peserta"
JUDGE_AWARD = "Dewan Juri"


def _awards_for(category_id: int) -> list[Any] | None:
    """The published, not embargoed ranking of a category (AwardRow-like rows), else None.

    The one door to the results work (issue 7): `published_awards(category_id)` returns rows
    with entry_id, rank and award ("Juara I" … "Harapan III", or None). Tests replace this
    function; nothing else here knows how results are stored.
    """
    try:
        from scoring.services.results import published_awards
    except ImportError:
        return None
    try:
        rows = list(published_awards(category_id))
    except ScoringError:
        return None
    return rows or None


def new_token() -> str:
    """128 random bits, URL-safe: the certificate's key on the public verify page."""
    return secrets.token_urlsafe(16)


def region_label(region: Region | None) -> str | None:
    """ "Kerinci" (kabupaten) → "Kabupaten Kerinci"; kota names already say "Kota"."""
    if region is None:
        return None
    if region.level == "kabupaten" and not region.name.lower().startswith("kab"):
        return f"Kabupaten {region.name}"
    return region.name


def _number(settings: CertificateSettings, seq: int, on: dt.date, event: Event) -> str:
    try:
        return format_number(settings.number_format, seq, settings.org_code, on, event.slug)
    except NumberFormatError as error:
        raise InvalidInput(
            "The certificate number format is not valid; correct it in the settings."
        ) from error


def _next_seq(event_id: int) -> int:
    last = db.session.scalar(
        select(func.max(Certificate.seq)).where(Certificate.event_id == event_id)
    )
    return (last or 0) + 1


def _locked_settings(event_id: int) -> CertificateSettings:
    """Start the write transaction holding the event's settings row: the numbering lock."""
    settings_id = get_settings(event_id).id
    settings = get_for_update(CertificateSettings, settings_id)
    assert settings is not None
    try:
        require_complete(settings)
    except ScoringError:
        db.session.rollback()
        raise
    return settings


def _add(cert: Certificate, actor_id: int | None) -> None:
    db.session.add(cert)
    db.session.flush()
    record(
        "certificate.issue",
        cert,
        after={"number": cert.number, "kind": cert.kind, "name": cert.name, "award": cert.award},
        event_id=cert.event_id,
        actor_id=actor_id,
    )


def issue_category(category_id: int, actor_id: int | None = None) -> int:
    """Number a certificate for every entry of the published result that has none yet.

    Returns how many were issued now (0 when all had one). Winners are numbered first, in
    rank order. Raises Conflict when the category's results are not published.
    """
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("Category not found.")
    awards = _awards_for(category_id)
    if awards is None:
        raise Conflict(
            "The results of %(category)s are not published yet; certificates can be issued "
            "once they are.",
            category=category.name,
        )
    event_id = category.event_id
    settings = _locked_settings(event_id)
    event = db.session.get(Event, event_id)
    assert event is not None
    category = db.session.get(Category, category_id)
    assert category is not None
    issued = set(
        db.session.scalars(
            select(Certificate.entry_id).where(Certificate.category_id == category_id)
        )
    )
    entries = {
        e.id: e
        for e in db.session.scalars(
            select(Entry)
            .options(selectinload(Entry.region))
            .where(Entry.category_id == category_id)
        )
    }
    on, now, seq, count = printed_date(settings, event), utcnow(), _next_seq(event_id), 0
    for row in sorted(awards, key=lambda r: (r.award is None, r.rank or 10**6, r.entry_id)):
        entry = entries.get(row.entry_id)
        if entry is None or entry.id in issued:
            continue
        issued.add(entry.id)
        _add(
            Certificate(
                event_id=event_id,
                category_id=category_id,
                kind="winner" if row.award else "participant",
                entry_id=entry.id,
                seq=seq,
                number=_number(settings, seq, on, event),
                token=new_token(),
                name=entry.name,
                award=row.award or PARTICIPANT_AWARD,
                region_name=region_label(entry.region),
                category_name=category.name,
                event_name=event.name,
                issued_on=on,
                issued_at=now,
            ),
            actor_id,
        )
        seq, count = seq + 1, count + 1
    db.session.commit()
    return count


def event_judges(event_id: int) -> list[User]:
    """Every judge assigned to any stage of the event, by name."""
    judge_ids = (
        select(Assignment.judge_id)
        .join(Stage, Stage.id == Assignment.stage_id)
        .join(Category, Category.id == Stage.category_id)
        .where(Category.event_id == event_id)
    )
    return list(db.session.scalars(select(User).where(User.id.in_(judge_ids)).order_by(User.name)))


def issue_judges(event_id: int, actor_id: int | None = None) -> int:
    """Number a judge appreciation for every judge of the event who has none yet."""
    if db.session.get(Event, event_id) is None:
        raise NotFound("Event not found.")
    settings = _locked_settings(event_id)
    event = db.session.get(Event, event_id)
    assert event is not None
    issued = set(
        db.session.scalars(
            select(Certificate.judge_id).where(
                Certificate.event_id == event_id, Certificate.kind == "judge"
            )
        )
    )
    on, now, seq, count = printed_date(settings, event), utcnow(), _next_seq(event_id), 0
    for judge in event_judges(event_id):
        if judge.id in issued:
            continue
        _add(
            Certificate(
                event_id=event_id,
                kind="judge",
                judge_id=judge.id,
                seq=seq,
                number=_number(settings, seq, on, event),
                token=new_token(),
                name=judge.name,
                award=JUDGE_AWARD,
                event_name=event.name,
                issued_on=on,
                issued_at=now,
            ),
            actor_id,
        )
        seq, count = seq + 1, count + 1
    db.session.commit()
    return count
