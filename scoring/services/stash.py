"""Short-lived server-side storage between two requests, keyed by a random token.

Used for an import preview (kept until the committee confirms) and for secrets shown once
(participant access codes, judges' passwords): the browser only ever holds the token, in its
signed session. Files live in STASH_DIR (default instance/stash), readable by the app only, and
are deleted when read with `take` or when older than MAX_AGE.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import current_app

MAX_AGE_SECONDS = 2 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_KIND = re.compile(r"^[a-z_]{1,30}$")


def stash_dir() -> Path:
    configured = current_app.config.get("STASH_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "stash"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def put(kind: str, payload: dict[str, Any]) -> str:
    """Store `payload` (JSON-able) and return its token."""
    if not _KIND.match(kind):
        raise ValueError(f"bad stash kind {kind!r}")
    _purge_old()
    token = secrets.token_urlsafe(32)
    path = _path(kind, token)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    return token


def get(kind: str, token: str | None) -> dict[str, Any] | None:
    """The payload, or None when the token is unknown, malformed or expired."""
    path = _existing(kind, token)
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def take(kind: str, token: str | None) -> dict[str, Any] | None:
    """The payload, deleted from the disk at once (for what may be shown only once)."""
    payload = get(kind, token)
    discard(kind, token)
    return payload


def discard(kind: str, token: str | None) -> None:
    path = _existing(kind, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _path(kind: str, token: str) -> Path:
    return stash_dir() / f"{kind}-{token}.json"


def _existing(kind: str, token: str | None) -> Path | None:
    if not token or not _TOKEN.match(token) or not _KIND.match(kind):
        return None
    path = _path(kind, token)
    try:
        if time.time() - path.stat().st_mtime > MAX_AGE_SECONDS:
            path.unlink(missing_ok=True)
            return None
    except FileNotFoundError:
        return None
    return path


def _purge_old() -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in stash_dir().glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
