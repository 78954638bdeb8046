"""Login throttling (per account, per address), session rotation, sign-out everywhere."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.models import AuditEvent, User
from scoring.ratelimit import limiter
from scoring.services.accounts import change_role
from tests.conftest import csrf_token_from, login

WAIT_TITLE = "Terlalu banyak percobaan. Tunggu sebentar."


@pytest.fixture(autouse=True)
def _fresh_limits(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", "3 per minute")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_IP", "5 per minute")
    limiter.reset()
    yield
    limiter.reset()


def _attempt(client: FlaskClient, email: str, password: str, ip: str = "10.0.0.1") -> Any:
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_account_is_throttled_after_failures_with_the_wait_in_indonesian(
    client: FlaskClient, make_user: Any
) -> None:
    user = make_user("judge")
    for _ in range(3):
        assert _attempt(client, user.email, "salah-sekali").status_code == 200
    refused = _attempt(client, user.email, user.plain_password)  # even the right password
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert WAIT_TITLE in html and "Coba lagi dalam 1 menit." in html
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Traceback" not in html
    # the limit is per account: another account behind the same address still logs in
    other = make_user("judge")
    assert _attempt(client, other.email, other.plain_password).status_code == 302


def test_address_is_throttled_across_accounts(client: FlaskClient, make_user: Any) -> None:
    for n in range(5):
        assert _attempt(client, f"orang{n}@test.juara.id", "salah-sekali").status_code == 200
    user = make_user("judge")
    assert _attempt(client, user.email, user.plain_password).status_code == 429
    # another address is not affected
    assert _attempt(client, user.email, user.plain_password, ip="10.0.0.2").status_code == 302


def test_successful_logins_are_not_counted(client: FlaskClient, make_user: Any) -> None:
    user = make_user("judge")
    for _ in range(8):
        assert _attempt(client, user.email, user.plain_password).status_code == 302
        client.delete_cookie("juara_session")


def test_the_limit_lifts_when_the_window_ends(
    app: Flask, client: FlaskClient, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", "2 per 1 second")
    user = make_user("judge")
    for _ in range(2):
        _attempt(client, user.email, "salah-sekali")
    assert _attempt(client, user.email, user.plain_password).status_code == 429
    time.sleep(1.2)
    assert _attempt(client, user.email, user.plain_password).status_code == 302


def test_login_starts_a_fresh_session(client: FlaskClient, make_user: Any) -> None:
    user = make_user("judge")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
        session["locale"] = "en"
    assert login(client, user.email, user.plain_password).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["locale"] == "en"  # the language choice survives
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


def test_role_change_ends_the_accounts_sessions(
    app: Flask, client: FlaskClient, login_as: Any
) -> None:
    user = login_as("committee")
    assert client.get("/panitia/").status_code == 200
    with app.app_context():
        change_role(user.id, "judge")
    response = client.get("/panitia/")
    assert response.status_code == 302 and "/login" in response.location


def test_admin_logs_an_account_out_everywhere(
    app: Flask, make_user: Any, login_as: Any, client: FlaskClient
) -> None:
    judge = make_user("judge")
    tablet = app.test_client()
    assert login(tablet, judge.email, judge.plain_password).status_code == 302
    assert tablet.get("/juri/").status_code == 200
    admin = login_as("admin")
    page = client.get("/akun").get_data(as_text=True)
    assert judge.email in page and "Keluar di semua perangkat" in page
    response = client.post(
        f"/akun/{judge.id}/keluar-semua", data={"csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 302
    assert tablet.get("/juri/").status_code == 302  # back to the login page
    assert login(tablet, judge.email, judge.plain_password).status_code == 302  # password kept
    with app.app_context():
        from scoring.extensions import db

        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "user.sign_out_everywhere")
        )
        assert event is not None and event.actor_id == admin.id
        assert db.session.get(User, judge.id).session_version == judge.session_version + 1


def test_guessing_the_current_password_is_throttled(client: FlaskClient, login_as: Any) -> None:
    user = login_as("judge")
    for _ in range(3):
        page = client.get("/kata-sandi").get_data(as_text=True)
        data = {"current": "tebak-tebakan", "new": "kuda-laut-berenang"}
        data |= {"confirm": "kuda-laut-berenang", "csrf_token": csrf_token_from(page)}
        assert client.post("/kata-sandi", data=data).status_code == 200
    data["current"] = user.plain_password
    assert client.post("/kata-sandi", data=data).status_code == 429
