"""Issue 16: an unchanged session cookie is not signed again on every request."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from scoring.ratelimit import limiter
from tests.conftest import make_test_app


def _set_cookie(response: Any, name: str) -> bool:
    return any(h.startswith(f"{name}=") for h in response.headers.getlist("Set-Cookie"))


def test_an_unchanged_session_is_not_re_signed(
    app: Flask, client: FlaskClient, login_as: Any
) -> None:
    login_as("judge")
    name = app.config["SESSION_COOKIE_NAME"]
    client.get("/api/v1/session")  # the CSRF token lands in the session once
    assert not _set_cookie(client.get("/api/v1/sheets"), name)
    assert not _set_cookie(client.get("/juri/"), name)
    assert client.get("/juri/").status_code == 200  # still logged in


def test_an_old_cookie_is_re_signed_so_the_lifetime_slides(
    app: Flask, client: FlaskClient, login_as: Any
) -> None:
    login_as("judge")
    name = app.config["SESSION_COOKIE_NAME"]
    client.get("/api/v1/session")
    app.config["SESSION_REFRESH_AFTER"] = 0
    try:
        assert _set_cookie(client.get("/api/v1/sheets"), name)
    finally:
        app.config["SESSION_REFRESH_AFTER"] = 3600


def test_the_api_is_not_counted_by_the_general_limits(app: Flask) -> None:
    limited = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_APPLICATION="2/minute")
    try:
        with limited.test_client() as visitor:
            assert [visitor.get("/api/v1/session").status_code for _ in range(4)] == [401] * 4
            assert 429 in [visitor.get("/login").status_code for _ in range(4)]
    finally:
        limiter.limit_manager.set_application_limits([])
        limiter.reset()
