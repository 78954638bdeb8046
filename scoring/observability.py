"""One structured log line per request, and a request id on every response.

The line carries the method, the route *template* (never the concrete path, which can hold ids
or codes), the status, the duration, the user id and the request id — no personal data.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, Response, g, request
from sqlalchemy import inspect as sa_inspect

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
logger = logging.getLogger("juara.request")


def init_app(app: Flask) -> None:
    if not logger.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else None
        user_id = _user_id(g.get("_login_user")) or g.get("user_id")
        logger.info(
            json.dumps(
                {
                    "method": request.method,
                    "route": request.url_rule.rule if request.url_rule else None,
                    "status": response.status_code,
                    "duration_ms": round(duration_ms, 1) if duration_ms is not None else None,
                    "user_id": user_id,
                    "request_id": request_id,
                },
                separators=(",", ":"),
            )
        )
        return response


def _user_id(user: object) -> int | None:
    """The logged-in user's id without touching its attributes: after a commit they are
    expired, and reading `is_authenticated` would cost one more query per request."""
    state = sa_inspect(user, raiseerr=False) if user is not None else None
    return state.identity[0] if state is not None and state.identity else None
