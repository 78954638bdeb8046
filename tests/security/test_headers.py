"""Security headers on every kind of response, no inline script, HTTPS switched by config."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config import ProductionConfig
from scoring.extensions import db
from scoring.headers import CONTENT_SECURITY_POLICY
from tests.conftest import csrf_token_from, make_test_app

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.mark.parametrize(
    "path", ["/", "/login", "/hasil/tidak-ada", "/api/v1/session", "/static/css/app.css"]
)
def test_every_response_carries_the_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "'unsafe-eval'" not in csp
    for name, value in EXPECTED.items():
        assert response.headers[name] == value
    assert "Strict-Transport-Security" not in response.headers  # plain http by default


def test_a_view_keeps_its_own_stricter_header(client: FlaskClient) -> None:
    response = client.get("/sertifikat")
    assert response.headers["Referrer-Policy"] == "no-referrer"  # codes must not leak
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_inline_script_or_handlers() -> None:
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, re.compile(r"javascript:", re.I)):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_our_scripts_do_not_need_eval() -> None:
    for path in (ROOT / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function\(", text), path.name


@pytest.fixture
def https_app(tmp_path: Path) -> Flask:
    app = make_test_app(f"sqlite:///{tmp_path / 'https.sqlite3'}", FORCE_HTTPS=True)
    app.config["SESSION_COOKIE_SECURE"] = True
    with app.app_context():
        db.create_all()
    return app


def test_force_https_redirects_and_sets_hsts(https_app: Flask) -> None:
    client = https_app.test_client()
    response = client.get("/login?next=/juri/")
    assert response.status_code == 301
    assert response.location == "https://localhost/login?next=/juri/"
    assert client.post("/login").status_code == 308  # keeps the method
    assert client.get("/healthz").status_code == 200  # probes stay on plain http
    secure = client.get("/login", base_url="https://localhost")
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    token = csrf_token_from(secure.get_data(as_text=True))
    assert token
    cookie = secure.headers["Set-Cookie"]
    assert "juara_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_plain_http_on_the_venue_lan_by_default(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert "Secure" not in response.headers["Set-Cookie"]


def test_production_forces_https_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    config: dict[str, object] = {"SECRET_KEY": "x" * 40}
    monkeypatch.delenv("JUARA_FORCE_HTTPS", raising=False)
    monkeypatch.delenv("JUARA_SECURE_COOKIES", raising=False)
    config.update({k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()})
    ProductionConfig.apply_environment(config)
    assert config["FORCE_HTTPS"] is True and config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("JUARA_FORCE_HTTPS", "0")
    config["FORCE_HTTPS"] = ProductionConfig.FORCE_HTTPS
    ProductionConfig.apply_environment(config)
    assert config["FORCE_HTTPS"] is False
