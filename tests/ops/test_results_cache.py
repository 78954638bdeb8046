"""The cached public results page follows publish, withdraw and publish again, in every worker.

A second app on the same database stands for a second gunicorn worker: it has its own
in-process page cache and learns of changes only through the database (no Redis) or through
the Redis generation counter (JUARA_REDIS_URL).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from sqlalchemy import update

from scoring.extensions import db
from scoring.models import Event
from scoring.results.cache import GENERATION_KEY
from scoring.services.snapshots import publish_results, unpublish_results
from tests.conftest import make_test_app
from tests.results.support import build_category

# A database number of its own, so that other tests using Redis never see these keys.
REDIS_URL = "redis://127.0.0.1:6379/13"
NOT_ANNOUNCED = "belum diumumkan"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["in-process", "redis"])
def workers(request: pytest.FixtureRequest, app: Flask) -> Iterator[tuple[Flask, Flask]]:
    """Two apps ("workers") on the test database, without or with Redis."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if request.param == "in-process":
        yield make_test_app(url), make_test_app(url)
        return
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(GENERATION_KEY)
    yield make_test_app(url, REDIS_URL=REDIS_URL), make_test_app(url, REDIS_URL=REDIS_URL)
    client.delete(GENERATION_KEY)


def _rename_event(app: Flask, name: str) -> None:
    """Change the page behind the cache's back (no snapshot written: no invalidation)."""
    with app.app_context():
        db.session.execute(update(Event).values(name=name))
        db.session.commit()


def test_cached_ranking_follows_unpublish_and_republish(workers: tuple[Flask, Flask]) -> None:
    first, second = workers
    with first.app_context():
        ids = build_category()
        publish_results(ids["category_id"], None, method="raw")
    url = f"/hasil/{ids['slug']}"
    winner = ids["names"]["E1"]
    pages = {app: app.test_client() for app in workers}
    for client in pages.values():
        html = client.get(url).text
        assert winner in html and "Juara I" in html and "(versi 1)" in html

    # Both workers now serve the page from their cache: a rename alone does not show.
    _rename_event(first, "Nama Baru Lomba")
    for client in pages.values():
        assert "Nama Baru Lomba" not in client.get(url).text

    with first.app_context():
        unpublish_results(ids["category_id"], None, "Salah input nilai juri 2")
    for client in pages.values():
        html = client.get(url).text
        assert winner not in html and "Juara I" not in html and NOT_ANNOUNCED in html
        assert "Nama Baru Lomba" in html  # rendered afresh

    with second.app_context():
        publish_results(ids["category_id"], None, method="raw")
    for client in pages.values():
        html = client.get(url).text
        assert winner in html and "(versi 2)" in html and NOT_ANNOUNCED not in html


def test_redis_generation_moves_on_each_publish_and_withdrawal(app: Flask) -> None:
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(GENERATION_KEY)
    worker = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=REDIS_URL)
    try:
        with worker.app_context():
            ids = build_category()
            assert client.get(GENERATION_KEY) is None  # no snapshot written yet
            publish_results(ids["category_id"], None, method="raw")
            assert int(client.get(GENERATION_KEY)) == 1
            unpublish_results(ids["category_id"], None, "Salah input")
            assert int(client.get(GENERATION_KEY)) == 2
    finally:
        client.delete(GENERATION_KEY)


def test_a_page_without_results_is_not_kept(app: Flask) -> None:
    # Its key (no snapshot anywhere) would not change if the event were edited or recreated.
    with app.app_context():
        ids = build_category()
    client = app.test_client()
    assert NOT_ANNOUNCED in client.get(f"/hasil/{ids['slug']}").text
    _rename_event(app, "Nama Baru Lomba")
    assert "Nama Baru Lomba" in client.get(f"/hasil/{ids['slug']}").text
