"""Shared fixtures: an app per database backend, a client, a db session, logged-in roles.

Every test that asks for `app` (or anything built on it) runs once on SQLite and, when
PostgreSQL answers on 127.0.0.1:5432, once more on PostgreSQL in a database of its own that
is created for this run (and this xdist worker) and dropped at the end. Tables are emptied
after each test.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from scoring import create_app
from scoring.extensions import db as _db
from tests.support import postgres

BACKENDS = ["sqlite"] + (["postgresql"] if postgres.available() else [])


def make_test_app(database_url: str, **overrides: Any) -> Flask:
    config = {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def worker_tag(request: pytest.FixtureRequest) -> str:
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    return f"{worker}_{os.getpid()}"


@pytest.fixture(scope="session")
def database_urls(
    tmp_path_factory: pytest.TempPathFactory, worker_tag: str
) -> Iterator[dict[str, str]]:
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'juara-test.sqlite3'}"}
    created = []
    if "postgresql" in BACKENDS:
        name = f"juara_test_{worker_tag}"
        urls["postgresql"] = postgres.create_database(name)
        created.append(name)
    yield urls
    for name in created:
        postgres.drop_database(name)


@pytest.fixture(scope="session")
def _apps(database_urls: dict[str, str]) -> Iterator[dict[str, Flask]]:
    apps = {}
    for backend, url in database_urls.items():
        app = make_test_app(url)
        with app.app_context():
            _db.create_all()
        apps[backend] = app
    yield apps
    for app in apps.values():
        with app.app_context():
            _db.engine.dispose()


def _empty_tables(app: Flask) -> None:
    with app.app_context():
        _db.session.remove()
        tables = list(reversed(_db.metadata.sorted_tables))
        with _db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, _apps: dict[str, Flask]) -> Iterator[Flask]:
    """The application on one backend, with empty tables; no app context is pushed."""
    application = _apps[request.param]
    yield application
    _empty_tables(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The SQLAlchemy handle inside a pushed app context."""
    with app.app_context():
        yield _db
        _db.session.rollback()


_counter = itertools.count(1)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    """Create a user (committed) and return it detached with its plain password attached."""
    from scoring.models import User

    def factory(role: str = "judge", password: str = "rahasia-123", **fields: Any) -> Any:
        n = next(_counter)
        with app.app_context():
            user = User(
                email=fields.pop("email", f"{role}{n}@test.juara.id"),
                name=fields.pop("name", f"{role.title()} {n}"),
                role=role,
                **fields,
            )
            user.set_password(password)
            _db.session.add(user)
            _db.session.commit()
            _db.session.refresh(user)
            _db.session.expunge(user)
        user.plain_password = password
        return user

    return factory


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str) -> Any:
    page = client.get("/login")
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def login_as(client: FlaskClient, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Log the test client in as a new user of `role`; returns the user."""

    def do_login(role: str, **fields: Any) -> Any:
        user = make_user(role, **fields)
        response = login(client, user.email, user.plain_password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return do_login


# --- event membership (issue 9) ---------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "strict_membership: committee accounts are members only of the events they are added to",
    )


def _join_every_event(session: Any, _context: Any) -> None:
    """after_flush: every committee account becomes a member of every event (real rows)."""
    from sqlalchemy import exists, insert, literal, select, true

    from scoring.models import Event, EventMember, User
    from scoring.orm import UTCDateTime, utcnow

    if not any(
        isinstance(o, Event) or (isinstance(o, User) and o.role == "committee") for o in session.new
    ):
        return
    pairs = (
        select(Event.id, User.id, literal(utcnow(), UTCDateTime()))
        .join(User, true())  # every event with every committee account
        .where(User.role == "committee")
        .where(~exists().where(EventMember.event_id == Event.id, EventMember.user_id == User.id))
    )
    session.connection().execute(
        insert(EventMember).from_select(["event_id", "user_id", "created_at"], pairs)
    )


@pytest.fixture(autouse=True)
def committee_member_of_every_event(request: pytest.FixtureRequest) -> Iterator[None]:
    """Most tests log in as a committee account and expect to open the events they built, as
    they did before event membership existed: here every committee account joins every event
    as it is written (real EventMember rows, so the central membership check still runs).
    Tests marked `strict_membership` (tests/security/test_membership.py) opt out."""
    if request.node.get_closest_marker("strict_membership"):
        yield
        return
    from sqlalchemy import event as orm_event
    from sqlalchemy.orm import Session

    orm_event.listen(Session, "after_flush", _join_every_event)
    try:
        yield
    finally:
        orm_event.remove(Session, "after_flush", _join_every_event)
