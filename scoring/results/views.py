"""Results: the blueprint, and the public ranking page served from published snapshots.

The public page never recomputes: each category's section is rendered from its snapshot's
frozen outputs and kept per (snapshot, language). On top of that the whole page content is kept
per (event, language) until the results change (scoring/results/cache.py): a page view then
costs one Redis GET, or without Redis one small query, instead of three queries and a render.
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
from scoring.results.breakdown import row_breakdown
from scoring.results.cache import TTL, CachedPage, page_cache
from scoring.results.explain import stage_rule

bp = Blueprint("results", __name__)


@bp.record_once
def _setup(state) -> None:  # type: ignore[no-untyped-def]
    from scoring.results import cache

    cache.init_app(state.app)


_CACHE_SIZE = 256
_sections: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class PublicCategory:
    id: int
    name: str
    section: Markup | None  # None: nothing announced yet


def _visible_snapshots(
    category_ids: list[int], now: dt.datetime
) -> tuple[dict[int, Any], dt.datetime | None]:
    """The newest published snapshot per category whose embargo has passed (id and header),
    and the earliest embargo still running (the page changes then)."""
    rows = db.session.execute(
        select(
            ResultSnapshot.id,
            ResultSnapshot.category_id,
            ResultSnapshot.version,
            ResultSnapshot.sha256,
            ResultSnapshot.published_at,
            ResultSnapshot.embargo_until,
            ResultSnapshot.reason,
        )
        .where(
            ResultSnapshot.category_id.in_(category_ids),
            ResultSnapshot.status == "published",
        )
        .order_by(ResultSnapshot.category_id, ResultSnapshot.version.desc())
    ).all()
    chosen: dict[int, Any] = {}
    pending = [row.embargo_until for row in rows if row.embargo_until and row.embargo_until > now]
    for row in rows:
        if row.category_id in chosen:
            continue
        if row.embargo_until is None or row.embargo_until <= now:
            chosen[row.category_id] = row
    return chosen, min(pending, default=None)


def _section(header: Any, locale: str) -> Markup:
    # The whole header (id, version, hash, times) is the key: an id alone could come back
    # after a database restore, the hash could not.
    key = (*header, locale)
    with _lock:
        cached = _sections.get(key)
        if cached is not None:
            _sections.move_to_end(key)
            return cached
    outputs, options = db.session.execute(
        select(ResultSnapshot.outputs, ResultSnapshot.options).where(ResultSnapshot.id == header.id)
    ).one()
    decimals = int((options or {}).get("decimals", 2))
    stages = outputs.get("stages", [])
    rows = [
        {**row, "split": row_breakdown(row, stages, decimals)}
        for row in outputs["rows"]
        if row["rank"] is not None
    ]
    announced = max(header.published_at, header.embargo_until or header.published_at)
    html = Markup(  # noqa: S704 - the output of an autoescaped template
        render_template(
            "results/_public_category.html",
            winners=[row for row in rows if row["award"]],
            others=[row for row in rows if not row["award"]],
            staged=len(stages) > 1,
            rule=stage_rule(stages, decimals),
            sha256=header.sha256,
            version=header.version,
            announced=announced,
            override_reason=header.reason,
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

    locale = str(get_locale() or "id")
    now = utcnow()
    pages = page_cache()
    key = (pages.generation(), event_slug, locale)
    page = pages.get(key, now)
    if page is None:
        page, announced = _render_page(event_slug, locale, now)
        # Only pages with results are kept: the others are cheap, and their key (no snapshot
        # anywhere) would not change when the event itself is edited or recreated.
        if announced:
            pages.put(key, page)
    return render_template("results/public.html", page=page)


def _render_page(event_slug: str, locale: str, now: dt.datetime) -> tuple[CachedPage, bool]:
    """The page content, and whether any result of the event is published (shown or not)."""
    event = db.session.scalar(select(Event).where(Event.slug == event_slug))
    if event is None or event.status == "draft":
        abort(404)
    categories = db.session.execute(
        select(Category.id, Category.name)
        .where(Category.event_id == event.id)
        .order_by(Category.position, Category.id)
    ).all()
    visible, next_embargo = _visible_snapshots([c.id for c in categories], now)
    shown = [
        PublicCategory(
            c.id,
            c.name,
            _section(visible[c.id], locale) if c.id in visible else None,
        )
        for c in categories
    ]
    body = Markup(  # noqa: S704 - the output of an autoescaped template
        render_template("results/_public_page.html", event=event, categories=shown)
    )
    expires_at = min(now + TTL, next_embargo or now + TTL)
    announced = bool(visible) or next_embargo is not None
    return CachedPage(title=event.name, body=body, expires_at=expires_at), announced
