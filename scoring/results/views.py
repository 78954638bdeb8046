"""Results: the blueprint, and the public ranking page served from published snapshots.

The public page never recomputes: each category's section is rendered from its snapshot's
frozen outputs and kept per (snapshot, language). A snapshot's content never changes, so the
cache needs no invalidation; which snapshot is current (published, past its embargo) is asked of
the database on every request, in one small query without the JSON columns.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template
from markupsafe import Markup
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Category, Event
from scoring.models.results import ResultSnapshot
from scoring.orm import utcnow

bp = Blueprint("results", __name__)

_CACHE_SIZE = 256
_sections: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class PublicCategory:
    id: int
    name: str
    section: Markup | None  # None: nothing announced yet


def _visible_snapshots(category_ids: list[int], now: dt.datetime) -> dict[int, Any]:
    """The newest published snapshot per category whose embargo has passed (id and header)."""
    rows = db.session.execute(
        select(
            ResultSnapshot.id,
            ResultSnapshot.category_id,
            ResultSnapshot.version,
            ResultSnapshot.sha256,
            ResultSnapshot.published_at,
            ResultSnapshot.embargo_until,
        )
        .where(
            ResultSnapshot.category_id.in_(category_ids),
            ResultSnapshot.status == "published",
        )
        .order_by(ResultSnapshot.category_id, ResultSnapshot.version.desc())
    ).all()
    chosen: dict[int, Any] = {}
    for row in rows:
        if row.category_id in chosen:
            continue
        if row.embargo_until is None or row.embargo_until <= now:
            chosen[row.category_id] = row
    return chosen


def _section(header: Any, locale: str) -> Markup:
    # The whole header (id, version, hash, times) is the key: an id alone could come back
    # after a database restore, the hash could not.
    key = (*header, locale)
    with _lock:
        cached = _sections.get(key)
        if cached is not None:
            _sections.move_to_end(key)
            return cached
    outputs = db.session.scalar(
        select(ResultSnapshot.outputs).where(ResultSnapshot.id == header.id)
    )
    rows = [row for row in outputs["rows"] if row["rank"] is not None]
    announced = max(header.published_at, header.embargo_until or header.published_at)
    html = Markup(  # noqa: S704 - the output of an autoescaped template
        render_template(
            "results/_public_category.html",
            winners=[row for row in rows if row["award"]],
            others=[row for row in rows if not row["award"]],
            sha256=header.sha256,
            version=header.version,
            announced=announced,
        )
    )
    with _lock:
        _sections[key] = html
        while len(_sections) > _CACHE_SIZE:
            _sections.popitem(last=False)
    return html


@bp.route("/hasil/<event_slug>")
def public_results(event_slug: str) -> str:
    """Per category: winners first, then every ranked entry; name, region and total only."""
    from flask_babel import get_locale

    event = db.session.scalar(select(Event).where(Event.slug == event_slug))
    if event is None or event.status == "draft":
        abort(404)
    categories = db.session.execute(
        select(Category.id, Category.name)
        .where(Category.event_id == event.id)
        .order_by(Category.position, Category.id)
    ).all()
    visible = _visible_snapshots([c.id for c in categories], utcnow())
    locale = str(get_locale() or "id")
    shown = [
        PublicCategory(
            c.id,
            c.name,
            _section(visible[c.id], locale) if c.id in visible else None,
        )
        for c in categories
    ]
    return render_template("results/public.html", event=event, categories=shown)
