"""Events: create, edit, copy from a previous year, and the status workflow with its guards.

draft → open → scoring → review → published, one step at a time; a step back is allowed
(e.g. review → scoring to reopen) except out of `published`, which belongs to the results.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import select

from scoring.database import begin_write, committing, get_for_update
from scoring.extensions import db
from scoring.models import Category, Criterion, Event, Region, Stage
from scoring.models.event import EVENT_LEVELS, EVENT_STATUSES
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput, ScoringError
from scoring.services.membership import add_creator
from scoring.services.structure import (
    Refused,
    ensure_not_published,
    event_problems,
    require,
    snapshot,
)

EVENT_FIELDS = ("name", "slug", "level", "host_region_id", "place", "starts_on", "ends_on")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80

FORWARD = {"draft": "open", "open": "scoring", "scoring": "review", "review": "published"}
BACKWARD = {"open": "draft", "scoring": "open", "review": "scoring"}


def slugify(text: str) -> str:
    """ "Lomba BKB Tahun 2026" -> "lomba-bkb-tahun-2026"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "acara"


def _free_slug(base: str, exclude_id: int | None = None) -> str:
    """`base`, or `base-2`, `base-3`... the first one no other event uses."""
    candidate, n = base, 1
    while True:
        taken = db.session.scalar(select(Event.id).where(Event.slug == candidate))
        if taken is None or taken == exclude_id:
            return candidate
        n += 1
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix


def _clean_fields(
    *,
    name: str,
    slug: str | None,
    level: str,
    host_region_id: int | None,
    place: str | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    event_id: int | None = None,
) -> dict[str, object]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Enter the name of the event.")
    if len(name) > 300:
        raise InvalidInput("The name is too long (at most %(n)d characters).", n=300)
    if level not in EVENT_LEVELS:
        raise InvalidInput("Choose the level of the event.")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput("The end date is before the start date.")
    if host_region_id is not None and db.session.get(Region, host_region_id) is None:
        raise InvalidInput("Choose a region from the list.")
    slug = (slug or "").strip().lower()
    if slug:
        if len(slug) > SLUG_MAX or not SLUG_RE.match(slug):
            raise InvalidInput(
                "The short name may contain only lowercase letters, digits and dashes "
                "(e.g. jambi-2026)."
            )
        taken = db.session.scalar(select(Event.id).where(Event.slug == slug))
        if taken is not None and taken != event_id:
            raise InvalidInput("Another event already uses the short name %(slug)s.", slug=slug)
    else:
        slug = _free_slug(slugify(name), exclude_id=event_id)
    return {
        "name": name,
        "slug": slug,
        "level": level,
        "host_region_id": host_region_id,
        "place": (place or "").strip() or None,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


def create_event(
    name: str,
    level: str,
    *,
    slug: str | None = None,
    host_region_id: int | None = None,
    place: str | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    created_by: int | None = None,
) -> Event:
    """A new event in status draft; an empty `slug` is derived from the name.

    A committee account `created_by` becomes the event's first member.
    """
    with committing():
        begin_write()
        fields = _clean_fields(
            name=name,
            slug=slug,
            level=level,
            host_region_id=host_region_id,
            place=place,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        event = Event(status="draft", **fields)
        db.session.add(event)
        db.session.flush()
        add_creator(event, created_by)
        record("event.create", event, after=snapshot(event, EVENT_FIELDS), event_id=event.id)
    return event


def update_event(
    event_id: int,
    *,
    name: str,
    level: str,
    slug: str | None = None,
    host_region_id: int | None = None,
    place: str | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Event:
    with committing():
        event = require(get_for_update(Event, event_id))
        ensure_not_published(event)
        fields = _clean_fields(
            name=name,
            slug=slug,
            level=level,
            host_region_id=host_region_id,
            place=place,
            starts_on=starts_on,
            ends_on=ends_on,
            event_id=event.id,
        )
        before = snapshot(event, EVENT_FIELDS)
        for key, value in fields.items():
            setattr(event, key, value)
        after = snapshot(event, EVENT_FIELDS)
        if after != before:
            record("event.update", event, before=before, after=after, event_id=event.id)
    return event


def copy_event(
    source_id: int,
    *,
    name: str,
    slug: str | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    created_by: int | None = None,
) -> Event:
    """A new draft event with the source's categories, stages and rubrics (and `created_by`,
    a committee account, as its first member).

    Entries, assignments, scores and decisions stay behind: they belong to one year's contest.
    """
    with committing():
        source = require(get_for_update(Event, source_id))
        fields = _clean_fields(
            name=name,
            slug=slug,
            level=source.level,
            host_region_id=source.host_region_id,
            place=source.place,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        event = Event(status="draft", **fields)
        db.session.add(event)
        for category in source.categories:
            event.categories.append(_copy_category(category))
        db.session.flush()
        add_creator(event, created_by)
        record(
            "event.copy",
            event,
            before={"source_event_id": source.id, "source_slug": source.slug},
            after=snapshot(event, EVENT_FIELDS)
            | {"categories": [c.name for c in event.categories]},
            event_id=event.id,
        )
    return event


def _copy_category(category: Category) -> Category:
    copy = Category(
        position=category.position,
        name=category.name,
        kind=category.kind,
        entry_kind=category.entry_kind,
    )
    for stage in category.stages:
        new_stage = Stage(
            position=stage.position,
            name=stage.name,
            kind=stage.kind,
            weight=stage.weight,
            advance_count=stage.advance_count,
            status="pending",
        )
        for criterion in stage.criteria:
            new_stage.criteria.append(
                Criterion(
                    position=criterion.position,
                    name=criterion.name,
                    description=criterion.description,
                    weight=criterion.weight,
                    min_score=criterion.min_score,
                    max_score=criterion.max_score,
                    bands=[dict(band) for band in criterion.bands],
                    tiebreak_order=criterion.tiebreak_order,
                )
            )
        copy.stages.append(new_stage)
    return copy


def suggested_copy_name(name: str) -> str:
    """The name with its year moved on by one: "... Tahun 2025" -> "... Tahun 2026"."""
    return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + 1), name)


def transition_problems(event: Event, target: str) -> list[ScoringError]:
    """Why `event` may not move to `target` now (empty: it may)."""
    from scoring.services.dashboard import publish_blockers

    if target not in EVENT_STATUSES:
        return [InvalidInput("Unknown status.")]
    if target not in (FORWARD.get(event.status), BACKWARD.get(event.status)):
        return [Conflict("The event cannot move from this status to that one.")]
    if target == "scoring":
        return list(event_problems(event))
    if target in ("open", "review"):
        still_open = [
            f"{category.name} · {stage.name}"
            for category in event.categories
            for stage in category.stages
            if stage.status == "open"
        ]
        if still_open:
            return [
                Conflict(
                    "Close the stages still open for scoring first: %(stages)s.",
                    stages=", ".join(still_open),
                )
            ]
    if target == "published":
        return list(publish_blockers(event.id))
    return []


def change_event_status(event_id: int, target: str) -> Event:
    """Move the event one step along the workflow, or refuse with every reason why not."""
    with committing():
        event = require(get_for_update(Event, event_id))
        problems = transition_problems(event, target)
        if problems:
            raise Refused("The status cannot change yet.", problems)
        before = event.status
        event.status = target
        record(
            "event.status",
            event,
            before={"status": before},
            after={"status": target},
            event_id=event.id,
        )
    return event
