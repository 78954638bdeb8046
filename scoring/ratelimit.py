"""Rate limits for public pages that must not be hammered (certificate verify and download).

Counters live in memory (per process) by default and in Redis when JUARA_REDIS_URL is set, so
that several gunicorn workers share them. Behind a reverse proxy, run the app with
werkzeug's ProxyFix so the client's address, not the proxy's, is what gets counted.
A breach answers 429, rendered in the user's language by scoring.errors.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, key_prefix="juara", default_limits=[])


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Counting must not take the site down when Redis hiccups: fall back to memory.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
