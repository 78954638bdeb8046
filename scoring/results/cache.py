"""The public results page, kept rendered per (event, language) until the results change.

Announcement day sends everyone to /hasil/<event> at once, so the page's content (everything
inside the page shell: title, categories, rankings) is rendered once per worker and reused. An
entry is reused only while the *generation* it was rendered under is current:

- with Redis (JUARA_REDIS_URL) the generation is a counter in Redis, incremented after every
  commit that wrote a ResultSnapshot (publish, withdraw, publish again), so every worker sees the
  change at its next request: one small GET per page view instead of three queries;
- without Redis it is a fingerprint of the result_snapshot table (count, last id, last publish
  and withdrawal times) read in one small query, so several processes on one SQLite file agree
  without talking to each other. A Redis that stops answering falls back to this as well.

The generation is read before the page is built, so a page built while results change is stored
under the old generation and never served again. Entries also expire at the next embargo end
of the event and after TTL seconds (an event or category renamed shows within that time).
The view keeps only pages of events with published results (scoring/results/views.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context
from markupsafe import Markup
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from scoring.extensions import db
from scoring.models.results import ResultSnapshot

TTL = dt.timedelta(seconds=60)
SIZE = 256
GENERATION_KEY = "juara:results:generation"
_CHANGED = "juara_results_changed"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedPage:
    title: str
    body: Markup
    expires_at: dt.datetime


class PageCache:
    """Rendered pages of one app, keyed by (generation, slug, locale); thread-safe LRU."""

    def __init__(self, redis_url: str | None) -> None:
        self.redis_url = redis_url
        self._redis: Any = None
        self._pages: OrderedDict[Hashable, CachedPage] = OrderedDict()
        self._lock = threading.Lock()

    def generation(self) -> Hashable:
        """What the results look like now, in one round trip (Redis, else the database)."""
        if self.redis_url:
            import redis

            try:
                return ("redis", int(self._client().get(GENERATION_KEY) or 0))
            except redis.RedisError:
                log.warning("results cache: Redis did not answer, using the database")
        row = db.session.execute(
            select(
                func.count(ResultSnapshot.id),
                func.max(ResultSnapshot.id),
                func.max(ResultSnapshot.published_at),
                func.max(ResultSnapshot.withdrawn_at),
            )
        ).one()
        return ("db", *row)

    def get(self, key: Hashable, now: dt.datetime) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.expires_at <= now:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: CachedPage) -> None:
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > SIZE:
                self._pages.popitem(last=False)

    def invalidate(self) -> None:
        """Results changed: drop this worker's pages and tell the others (through Redis)."""
        with self._lock:
            self._pages.clear()
        if self.redis_url:
            import redis

            try:
                self._client().incr(GENERATION_KEY)
            except redis.RedisError:
                # The others still see the change through the database fingerprint, once
                # their own Redis reads fail too, or at the latest after TTL.
                log.exception("results cache: could not tell the other workers through Redis")

    def _client(self) -> Any:
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(
                self.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
        return self._redis


def page_cache(app: Flask | None = None) -> PageCache:
    app = app or current_app
    return app.extensions["juara_results_cache"]


def init_app(app: Flask) -> None:
    app.extensions["juara_results_cache"] = PageCache(app.config.get("REDIS_URL"))
    _listen_once()


_listening = False


def _listen_once() -> None:
    """Invalidate after any commit that wrote a snapshot, whichever service or CLI did it."""
    global _listening
    if _listening:
        return
    _listening = True

    @event.listens_for(Session, "after_flush")
    def _note(session: Session, _context: Any) -> None:
        touched = (*session.new, *session.dirty, *session.deleted)
        if any(isinstance(obj, ResultSnapshot) for obj in touched):
            session.info[_CHANGED] = True

    @event.listens_for(Session, "after_commit")
    def _invalidate(session: Session) -> None:
        if session.info.pop(_CHANGED, False) and has_app_context():
            cache = current_app.extensions.get("juara_results_cache")
            if cache is not None:
                cache.invalidate()

    @event.listens_for(Session, "after_soft_rollback")
    def _forget(session: Session, _previous: Any) -> None:
        session.info.pop(_CHANGED, None)
