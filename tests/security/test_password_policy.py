"""The password policy, and the places a password is chosen: CLI, account creation, change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scoring.auth.policy import check_password, common_passwords
from scoring.extensions import db
from scoring.models import User
from scoring.ratelimit import limiter
from scoring.services.accounts import add_user, generate_password
from scoring.services.errors import InvalidInput
from tests.conftest import csrf_token_from, login


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("pendek1", "at least 8"),
        ("x" * 201, "at most 200"),
        ("password123", "too common"),
        ("Bismillah1", "too common"),  # case does not matter
        ("rahasia123", "too common"),  # a local favourite
        ("sari.dewi@contoh.id", "email or your name"),
        ("SariDewi", "email or your name"),  # the email's local part
        ("Sari Dewi Lestari", "email or your name"),
        ("kata\x00sandi-panjang", "not allowed"),
    ],
)
def test_refused_passwords(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_password(password, email="sari.dewi@contoh.id", name="Sari Dewi Lestari")
    assert reason in str(raised.value)


@pytest.mark.parametrize("password", ["rahasia-panjang", "kuda-laut-berenang", "Dg7#pq2!zz"])
def test_accepted_passwords(password: str) -> None:
    check_password(password, email="sari.dewi@contoh.id", name="Sari Dewi Lestari")


def test_the_list_is_shipped_and_generated_passwords_pass() -> None:
    assert len(common_passwords()) >= 100 and {"password", "bismillah"} <= common_passwords()
    for _ in range(20):
        check_password(generate_password(), email="juri@test.id", name="Juri")


def test_account_creation_applies_the_policy(app: Flask) -> None:
    with app.app_context():
        with pytest.raises(InvalidInput, match="too common"):
            add_user("baru@test.id", "Baru", "committee", "qwerty123")
        db.session.rollback()
        assert db.session.query(User).count() == 0


def test_create_user_cli_refuses_a_common_password(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "a@test.id", "--name", "A", "--role", "admin"],
        input="password123\npassword123\n",
    )
    assert result.exit_code != 0 and "too common" in result.output


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    limiter.reset()  # user ids repeat from test to test; their throttle counters must not
    yield
    limiter.reset()


def _change(client: FlaskClient, current: str, new: str, confirm: str | None = None) -> Any:
    token = csrf_token_from(client.get("/kata-sandi").get_data(as_text=True))
    data = {"current": current, "new": new, "confirm": confirm or new, "csrf_token": token}
    return client.post("/kata-sandi", data=data)


def test_change_password_checks_and_signs_other_devices_out(
    app: Flask, client: FlaskClient, login_as: Any
) -> None:
    user = login_as("judge")
    other_device = app.test_client()
    assert login(other_device, user.email, user.plain_password).status_code == 302

    wrong = _change(client, "bukan-sandi-ini", "kuda-laut-berenang").get_data(as_text=True)
    assert "Kata sandi saat ini salah." in wrong
    common = _change(client, user.plain_password, "indonesia123").get_data(as_text=True)
    assert "terlalu umum" in common
    mismatch = _change(client, user.plain_password, "kuda-laut-berenang", "kuda-laut-lain")
    assert "tidak sama" in mismatch.get_data(as_text=True)
    assert other_device.get("/juri/").status_code == 200  # nothing changed yet

    done = _change(client, user.plain_password, "kuda-laut-berenang")
    assert done.status_code == 302
    assert client.get("/juri/").status_code == 200  # this device stays in
    assert other_device.get("/juri/").status_code == 302  # the other one is out
    assert login(other_device, user.email, "kuda-laut-berenang").status_code == 302
