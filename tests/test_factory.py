"""The application factory and configuration."""

from __future__ import annotations

import pytest

from config import ConfigError
from scoring import create_app


def test_testing_config_applies_overrides() -> None:
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["TESTING"] is True
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"
    assert {"public", "auth", "committee", "judge"} <= set(app.blueprints)


def test_production_refuses_missing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUARA_SECRET_KEY", raising=False)
    monkeypatch.setenv("JUARA_DATABASE_URL", "postgresql://juara@127.0.0.1/juara")
    with pytest.raises(ConfigError, match="JUARA_SECRET_KEY"):
        create_app({"ENV_NAME": "production"})


def test_production_refuses_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUARA_SECRET_KEY", "x" * 40)
    monkeypatch.delenv("JUARA_DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="PostgreSQL"):
        create_app({"ENV_NAME": "production"})


def test_production_starts_with_secret_and_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUARA_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("JUARA_DATABASE_URL", "postgresql://juara@127.0.0.1/juara")
    app = create_app({"ENV_NAME": "production"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "x" * 40


def test_environment_is_read_at_creation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUARA_BASE_URL", "https://juara.example.id/")
    monkeypatch.setenv("JUARA_REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app({"ENV_NAME": "testing"})
    assert app.config["BASE_URL"] == "https://juara.example.id"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ConfigError, match="staging"):
        create_app({"ENV_NAME": "staging"})


def test_sqlite_connection_is_configured_for_a_busy_venue(tmp_path) -> None:
    from sqlalchemy import text

    from scoring.extensions import db

    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'v.sqlite3'}"}
    )
    with app.app_context():
        pragma = {
            name: db.session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": app.config["SQLITE_BUSY_TIMEOUT_MS"],
        "synchronous": 1,  # NORMAL in testing; FULL (2) by default
    }


def test_development_key_survives_a_restart(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import config

    monkeypatch.delenv("JUARA_SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
