"""Error pages in the user's language, never a traceback; JSON for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from scoring.extensions import db

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


def _respond(code: int, message: str):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        return jsonify(error=code, message=message), code
    return render_template("errors/error.html", code=code, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        return _respond(
            400, _("The form expired or was sent from elsewhere. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        return _respond(code, str(TITLES.get(code, TITLES[500])))

    @app.errorhandler(Exception)
    def server_error(error: Exception):  # type: ignore[no-untyped-def]
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _respond(500, str(TITLES[500]))
