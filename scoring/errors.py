"""Error pages in the user's language, never a traceback; JSON for the API.

Also the one central guard against NUL characters: PostgreSQL refuses them in text (the
request would end in a 500), so a request carrying one is refused here with a clear 400.
"""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from scoring.extensions import db
from scoring.limits import FieldTooLong

TITLES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have access to this page."),
    404: _l("Page not found."),
    405: _l("This action is not allowed here."),
    413: _l("The file or request is too large."),
    422: _l("Some input is not valid."),
    429: _l("Too many attempts. Please wait a moment."),
    500: _l("Something went wrong on our side."),
}


class NulInInput(BadRequest):
    """A NUL character in a form field, a query parameter, a file name or JSON."""


def _respond(code: int, message: str, detail: str | None = None):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        body = {"error": code, "message": message}
        if detail:
            body["detail"] = detail
        return jsonify(body), code
    return render_template("errors/error.html", code=code, message=message, detail=detail), code


def _wait_message() -> str | None:
    """ "Try again in N minutes" from the limit that was hit, if Flask-Limiter knows it."""
    from scoring.ratelimit import limiter

    current = limiter.current_limit
    if current is None:
        return None
    seconds = max(1, math.ceil(current.reset_at - time.time()))
    if seconds < 60:
        return _("Try again in less than a minute.")
    minutes = math.ceil((seconds - 1) / 60)  # reset_at is rounded up by a second
    if minutes == 1:
        return _("Try again in 1 minute.")
    return _("Try again in %(n)d minutes.", n=minutes)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul() -> None:
    """before_request: refuse NUL in any text the request carries (file contents excluded)."""
    texts = [*request.args.values(), *request.args.keys(), request.path]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        texts += [*request.form.values(), *request.form.keys()]
        texts += [f.filename or "" for f in request.files.values()]
        if request.is_json and _has_nul(request.get_json(silent=True)):
            raise NulInInput()
    if any("\x00" in text for text in texts):
        raise NulInInput()


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        return _respond(
            400, _("The form expired or was sent from elsewhere. Reload the page and try again.")
        )

    @app.errorhandler(NulInInput)
    def nul_error(error: NulInInput):  # type: ignore[no-untyped-def]
        return _respond(
            400,
            str(TITLES[400]),
            _("The input contains a character that is not allowed (NUL). Nothing was saved."),
        )

    @app.errorhandler(FieldTooLong)
    def too_long_error(error: FieldTooLong):  # type: ignore[no-untyped-def]
        limit = int(app.config["FIELD_MAX"])
        detail = _("A field is longer than %(n)d characters. Nothing was saved.", n=limit)
        return _respond(422, str(TITLES[422]), detail)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        detail = _wait_message() if code == 429 else None
        return _respond(code, str(TITLES.get(code, TITLES[500])), detail)

    @app.errorhandler(Exception)
    def server_error(error: Exception):  # type: ignore[no-untyped-def]
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _respond(500, str(TITLES[500]))
