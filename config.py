"""Configuration classes; JUARA_* environment variables are read when the app is created.

No secret lives in the repository: Development and Testing generate or use a throwaway key,
Production refuses to start without `JUARA_SECRET_KEY` and a real (non-SQLite) database URL.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class ConfigError(RuntimeError):
    """Raised when the configuration cannot run safely."""


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def _env_bool(name: str) -> bool | None:
    value = _env(name)
    return None if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


# JUARA_* variable -> (config key, converter)
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "JUARA_SECRET_KEY": ("SECRET_KEY", str),
    "JUARA_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "JUARA_REDIS_URL": ("REDIS_URL", str),
    "JUARA_BASE_URL": ("BASE_URL", lambda v: v.rstrip("/")),
    "JUARA_UPLOAD_DIR": ("UPLOAD_DIR", str),
    "JUARA_SQLITE_SYNCHRONOUS": ("SQLITE_SYNCHRONOUS", str.upper),
    "JUARA_SQLITE_BUSY_TIMEOUT_MS": ("SQLITE_BUSY_TIMEOUT_MS", int),
    "JUARA_JOBS": ("JOBS_MODE", str.lower),
    "JUARA_STASH_DIR": ("STASH_DIR", str),
    "JUARA_PROXY_COUNT": ("PROXY_COUNT", int),
    "JUARA_RETENTION_DAYS": ("RETENTION_DAYS", int),
}


def _local_secret_key() -> str:
    """A key generated once per machine and kept in instance/secret_key.

    A laptop at the venue may restart the server during the day; judges must stay logged in
    (their offline outbox syncs with their session), so the key must survive restarts.
    """
    path = INSTANCE_DIR / "secret_key"
    try:
        key = path.read_text().strip()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


class Config:
    """Defaults shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'juara.sqlite3'}"
    # hide_parameters: a failed statement's values (a NIK, a hash) stay out of errors and logs.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {
        "pool_pre_ping": True,
        "hide_parameters": True,
    }
    # Durability of SQLite commits in WAL mode: FULL survives a power cut, NORMAL only a crash.
    SQLITE_SYNCHRONOUS = "FULL"
    SQLITE_BUSY_TIMEOUT_MS = 15000
    REDIS_URL: str | None = None
    BASE_URL = "http://127.0.0.1:5000"
    UPLOAD_DIR = str(INSTANCE_DIR / "uploads")
    # Reverse proxies in front (nginx: 1); their X-Forwarded-* headers are then trusted.
    PROXY_COUNT = 0
    # Days after an event's results are published before `purge-personal-data` erases the
    # person data of its entries (UU PDP: kept no longer than needed).
    RETENTION_DAYS = 365

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    SESSION_COOKIE_NAME = "juara_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A venue LAN often serves plain http on 192.168.x.x; production turns secure cookies on.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    # A judge who scored offline all day must still be logged in when the network returns.
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 3
    # An unchanged session cookie is signed again (its 3 days restarted) at most this often.
    SESSION_REFRESH_AFTER = 60 * 60
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Redirect http to https, HSTS and secure cookies (scoring/headers.py). Off by default: a
    # venue LAN serves plain http on 192.168.x.x; Production turns it on (JUARA_FORCE_HTTPS).
    FORCE_HTTPS = False
    # Failed logins allowed (scoring/auth/throttle.py); successful ones are not counted.
    LOGIN_LIMIT_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_IP = "30 per 15 minutes"

    @classmethod
    def apply_environment(cls, config: dict[str, Any]) -> None:
        """Overlay JUARA_* variables onto `config` (read now, not at import)."""
        for var, (key, convert) in ENVIRONMENT.items():
            value = _env(var)
            if value is not None:
                config[key] = convert(value)
        force_https = _env_bool("JUARA_FORCE_HTTPS")
        if force_https is not None:
            config["FORCE_HTTPS"] = force_https
        if config.get("FORCE_HTTPS"):
            config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = True
        secure = _env_bool("JUARA_SECURE_COOKIES")
        if secure is not None:
            config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = secure
        if not config.get("SECRET_KEY") and cls.ENV_NAME != "production":
            config["SECRET_KEY"] = _local_secret_key()

    @classmethod
    def validate(cls, config: dict[str, Any]) -> None:
        """Refuse settings that cannot run safely; only Production has rules."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-not-secret"  # noqa: S105 - only ever used by the test suite
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLITE_SYNCHRONOUS = "NORMAL"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = True

    @classmethod
    def validate(cls, config: dict[str, Any]) -> None:
        if not config.get("SECRET_KEY"):
            raise ConfigError("JUARA_SECRET_KEY must be set in production.")
        uri = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
        if uri.startswith("sqlite"):
            raise ConfigError(
                "JUARA_DATABASE_URL must point to PostgreSQL in production, not SQLite."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    """The config class named by `name`, else by JUARA_ENV (default development)."""
    key = (name or _env("JUARA_ENV") or "development").lower()
    try:
        return CONFIGS[key]
    except KeyError as exc:
        raise ConfigError(f"Unknown JUARA_ENV {key!r}; use one of {sorted(CONFIGS)}.") from exc
