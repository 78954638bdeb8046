"""CSRF: every state-changing route refuses a request without a token, before the view runs.

Generated from `app.url_map`: each POST/PUT/PATCH/DELETE route is sent, as a role the
authorisation matrix lets in (so a refusal cannot come from the access check), once with no
token and once with a forged one. Both must answer 400 with the "form expired" message.
"""

from __future__ import annotations

import pytest
from flask import Flask

from scoring.extensions import db
from tests.security.probe import OK, STATE_CHANGING, build_url, dry_run, routes, send
from tests.security.test_matrix import MATRIX
from tests.security.world import ROLES, build_world

# from "The form expired or was sent from elsewhere. Reload the page and try again."
FORM_EXPIRED_ID = "Muat ulang halaman"


def _allowed_role(endpoint: str, method: str) -> str:
    row = MATRIX.get(f"{endpoint} {method}", MATRIX.get(endpoint))
    if row is None or OK not in row:
        return "admin"
    return ROLES[row.index(OK)]


def test_every_state_changing_route_needs_a_csrf_token(
    app: Flask, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        world = build_world(app.config["UPLOAD_DIR"])
    client = app.test_client()
    changing = [r for r in routes(app) if r.method in STATE_CHANGING]
    assert len(changing) > 40  # the walk really covers the app's forms and API
    accepted = []
    with dry_run(app, monkeypatch):
        for route in changing:
            try:
                url = build_url(app, route, world.url_params(route.endpoint))
            except KeyError as error:  # a new URL parameter: add its id to world.py
                accepted.append(str(error))
                continue
            role = _allowed_role(route.endpoint, route.method)
            for token in (None, "forged-token"):
                world.enter(client, role)
                headers = {"X-CSRFToken": token} if token else {}
                response = send(client, route, url, headers=headers)
                body = response.get_data(as_text=True)
                if response.status_code != 400 or FORM_EXPIRED_ID not in body:
                    accepted.append(
                        f"{route.method} {route.endpoint} as {role}, token={token!r}: "
                        f"{response.status_code}"
                    )
    with app.app_context():
        db.session.remove()
    assert accepted == [], "\n".join(["", *accepted])
