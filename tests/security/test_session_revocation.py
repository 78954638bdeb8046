"""Issue 14 item 3: ending a session on the server makes every earlier cookie useless at once.

A copy of the judge's cookie (taken from the tablet before the event) must stop working, for
pages and for the sync API, after a logout, an admin's sign-out-everywhere, a password change
and a deactivation. The tablet's outbox still lands after the judge logs in again.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import ScoreSheet, SheetSubmission
from scoring.services.accounts import change_password, sign_out_everywhere
from scoring.services.judges import set_judge_active
from tests.conftest import csrf_token_from, login
from tests.judge.support import PASSWORD, SheetGraph, api_login, body, build_open_sheet, put


@pytest.fixture
def graph(app: Flask) -> SheetGraph:
    return build_open_sheet(app)


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding the same session cookie (stolen, or copied off the tablet)."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None
    other = app.test_client()
    other.set_cookie(name, cookie.value)
    return other


def logout(client: FlaskClient) -> None:
    token = csrf_token_from(client.get("/juri/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def sign_out_by_admin(app: Flask, graph: SheetGraph, _client: FlaskClient) -> None:
    with app.app_context():
        sign_out_everywhere(graph.judge_id)


def change_own_password(app: Flask, graph: SheetGraph, _client: FlaskClient) -> None:
    with app.app_context():
        change_password(graph.judge_id, PASSWORD, "kata-sandi-baru-77")


def deactivate(app: Flask, graph: SheetGraph, _client: FlaskClient) -> None:
    with app.app_context():
        set_judge_active(graph.judge_id, False)


def log_out(_app: Flask, _graph: SheetGraph, client: FlaskClient) -> None:
    logout(client)


ENDINGS: dict[str, Callable[[Flask, SheetGraph, FlaskClient], None]] = {
    "logout": log_out,
    "sign_out_everywhere": sign_out_by_admin,
    "password_change": change_own_password,
    "deactivation": deactivate,
}


def submissions(app: Flask, sheet_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(SheetSubmission).filter_by(sheet_id=sheet_id)
        )


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_a_copied_cookie_stops_working(
    app: Flask, client: FlaskClient, graph: SheetGraph, ending: str
) -> None:
    token = api_login(client, graph.judge_email)
    thief = copy_of(app, client)
    assert thief.get("/juri/").status_code == 200  # the copy works while the session lives
    assert put(thief, graph.sheet_id, token, body(0, {graph.criteria[0]: 50})).status_code == 200

    ENDINGS[ending](app, graph, client)

    page = thief.get("/juri/")
    assert page.status_code == 302 and "/login" in page.location
    assert thief.get(f"/api/v1/sheets/{graph.sheet_id}").status_code == 401
    refused = put(thief, graph.sheet_id, token, body(1, {graph.criteria[0]: 99}))
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "login_required"
    assert submissions(app, graph.sheet_id) == 1  # nothing was written by the copy
    with app.app_context():
        assert db.session.get(ScoreSheet, graph.sheet_id).version == 1


def test_logout_on_one_device_ends_the_accounts_other_cookies(
    app: Flask, client: FlaskClient, graph: SheetGraph
) -> None:
    """Every earlier cookie of the account, not only the one that logged out."""
    api_login(client, graph.judge_email)
    phone = app.test_client()
    assert login(phone, graph.judge_email, PASSWORD).status_code == 302
    logout(client)
    assert phone.get("/juri/").status_code == 302


def test_after_logout_the_outbox_logs_in_again_and_resends(
    app: Flask, client: FlaskClient, graph: SheetGraph
) -> None:
    """outbox.js: the PUT fails (400/401), GET /api/v1/session says 401, the judge logs in
    again, the page takes a fresh token and sends the same attempt (same submission_id)."""
    token = api_login(client, graph.judge_email)
    attempt = body(0, {graph.criteria[0]: 81})
    assert put(client, graph.sheet_id, token, attempt).status_code == 200  # answer lost
    logout(client)
    assert put(client, graph.sheet_id, token, attempt).status_code in (400, 401)
    assert client.get("/api/v1/session").status_code == 401
    fresh = api_login(client, graph.judge_email)
    resent = put(client, graph.sheet_id, fresh, attempt)
    assert resent.status_code == 200 and resent.get_json()["replayed"] is True
    following = put(client, graph.sheet_id, fresh, body(1, {graph.criteria[0]: 82}))
    assert following.status_code == 200 and following.get_json()["version"] == 2
    assert submissions(app, graph.sheet_id) == 2
