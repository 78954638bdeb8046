"""Health checks, request ids and the request log line."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask

from tests.conftest import make_test_app


def test_healthz_answers_without_login(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_checks_redis_when_configured(app: Flask) -> None:
    other = make_test_app(
        app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL="redis://127.0.0.1:6379/0"
    )
    response = other.test_client().get("/readyz")
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_reports_a_stopped_dependency(app: Flask) -> None:
    # Port 9 (discard) has nothing listening here: Redis counts as down.
    other = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL="redis://127.0.0.1:9/0")
    response = other.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "error"},
    }


def test_readyz_reports_an_unreachable_database(tmp_path) -> None:
    other = make_test_app("postgresql+psycopg://nobody@127.0.0.1:9/none")
    response = other.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "error"


def test_request_id_is_returned_or_kept(client: Any) -> None:
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    kept = client.get("/healthz", headers={"X-Request-ID": "venue-tablet-0042"})
    assert kept.headers["X-Request-ID"] == "venue-tablet-0042"
    refused = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert refused.headers["X-Request-ID"] != "<script>"


def test_log_line_has_the_route_template_and_no_personal_data(
    client: Any, login_as: Any, caplog: pytest.LogCaptureFixture
) -> None:
    user = login_as("judge", email="siti.aminah@test.juara.id")
    with caplog.at_level(logging.INFO, logger="juara.request"):
        client.get("/juri/?q=siti.aminah@test.juara.id")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "juara.request"]
    assert lines[-1]["route"] == "/juri/"
    assert lines[-1]["status"] == 200 and lines[-1]["user_id"] == user.id
    assert lines[-1]["duration_ms"] >= 0
    assert "siti" not in caplog.text
