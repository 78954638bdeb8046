"""Error pages: Indonesian, the status code, never a traceback; JSON under /api/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scoring.extensions import db
from tests.conftest import make_test_app


@pytest.fixture
def failing_app(tmp_path: Path) -> Flask:
    app = make_test_app(f"sqlite:///{tmp_path / 'e.sqlite3'}", PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        db.create_all()

    @app.get("/meledak")
    def explode() -> str:
        raise RuntimeError("secret detail: password=hunter2")

    @app.get("/api/v1/meledak")
    def explode_api() -> str:
        raise RuntimeError("secret detail: password=hunter2")

    return app


CASES = [
    # (who, method, path, status, Indonesian text)
    ("anonymous", "POST", "/login", 400, "Formulir kedaluwarsa"),  # no CSRF token
    ("judge", "GET", "/panitia/", 403, "Anda tidak memiliki akses ke halaman ini."),
    ("anonymous", "GET", "/tidak-ada", 404, "Halaman tidak ditemukan."),
    ("anonymous", "GET", "/bahasa", 405, "Tindakan ini tidak diizinkan di sini."),
]


@pytest.mark.parametrize(("who", "method", "path", "status", "text"), CASES)
def test_error_pages_are_indonesian(
    client: FlaskClient, login_as: Any, who: str, method: str, path: str, status: int, text: str
) -> None:
    if who != "anonymous":
        login_as(who)
    response = client.open(path, method=method)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert text in html and f">{status}<" in html and 'lang="id"' in html
    assert "Traceback" not in html


def test_500_is_a_page_without_the_traceback(failing_app: Flask, caplog: Any) -> None:
    client = failing_app.test_client()
    response = client.get("/meledak")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Terjadi kesalahan pada sistem kami." in html
    assert "Traceback" not in html and "hunter2" not in html and "RuntimeError" not in html
    api = client.get("/api/v1/meledak")
    assert api.status_code == 500 and api.get_json()["error"] == 500
    assert "hunter2" not in api.get_data(as_text=True)


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.get_json() == {"error": 404, "message": "Halaman tidak ditemukan."}
