"""JSON API for the judges' tablets (sync of score sheets). See docs/api.md."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from scoring.api.payload import parse_change
from scoring.auth.decorators import role_required
from scoring.extensions import login_manager
from scoring.jsonbody import json_body
from scoring.ratelimit import limiter
from scoring.security import session_identity
from scoring.services.errors import ScoringError
from scoring.services.sheet_save import SessionEnded
from scoring.services.sheets import (
    InvalidSheet,
    SheetError,
    SheetLocked,
    StaleSheet,
    SubmissionReused,
    save_sheet,
)
from scoring.services.worklist import judge_sheet_refs, load_sheet

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Only logged-in judges reach it, and a venue of tablets behind one address must never see 429
# for a save: the general (default and application-wide) limits do not count the API.
limiter.exempt(bp)

ERROR_CODES = {403: "forbidden", 404: "not_found", 409: "conflict", 422: "invalid", 423: "locked"}


@bp.after_request
def _no_store(response: Response) -> Response:
    # Score sheets are personal data: no HTTP cache keeps them (the service worker decides).
    response.headers["Cache-Control"] = "no-store"
    return response


def _error(error: ScoringError) -> tuple[Response, int]:
    body: dict[str, Any] = {
        "error": ERROR_CODES.get(error.status_code, "error"),
        "message": gettext(error.message, **error.params),
    }
    if isinstance(error, InvalidSheet):
        body["fields"] = {key: str(text) for key, text in error.fields.items()}
    if isinstance(error, SheetLocked):
        body["reason"] = error.reason
    if isinstance(error, StaleSheet | SubmissionReused):
        body["reason"] = error.reason
    if isinstance(error, SheetError) and error.sheet is not None:
        body["sheet"] = error.sheet.to_json()
    return jsonify(body), error.status_code


@bp.get("/session")
@role_required("judge")
def session_info() -> Response:
    """A fresh CSRF token for the outbox after a new login (the cached page holds an old one)."""
    return jsonify(csrf_token=generate_csrf(), user_id=current_user.id)


@bp.get("/sheets")
@role_required("judge")
def sheets() -> Response:
    """The judge's sheets, with the addresses the service worker caches for offline use."""
    return jsonify(
        sheets=[
            {
                "id": ref.id,
                "version": ref.version,
                "status": ref.status,
                "stage_status": ref.stage_status,
                "page_url": url_for("judge.sheet", sheet_id=ref.id),
                "api_url": url_for("api.sheet", sheet_id=ref.id),
            }
            for ref in judge_sheet_refs(current_user.id)
        ]
    )


@bp.get("/sheets/<int:sheet_id>")
@role_required("judge")
def sheet(sheet_id: int) -> Response | tuple[Response, int]:
    view = load_sheet(sheet_id, current_user.id)
    if view is None:
        return _not_found()
    return jsonify(view.to_json())


@bp.put("/sheets/<int:sheet_id>")
def put_sheet(sheet_id: int) -> Response | tuple[Response, int]:
    """The hot path (issue 16): the account is not loaded before the save. Its role, active
    flag and session version are checked inside the save's own query (SessionEnded: 401)."""
    identity = session_identity()
    if identity is None:
        return login_manager.unauthorized()
    g.user_id = identity[0]  # for the request log line
    try:
        change = parse_change(json_body())  # size capped, depth checked
        result = save_sheet(sheet_id, identity[0], change, session_version=identity[1])
    except SessionEnded:
        return login_manager.unauthorized()
    except ScoringError as error:
        return _error(error)
    return jsonify(
        version=result.sheet.version,
        status=result.sheet.status,
        replayed=result.replayed,
        changed=result.changed,
        sheet=result.sheet.to_json(),
    )


def _not_found() -> tuple[Response, int]:
    message = gettext("This score sheet does not exist or is not assigned to you.")
    return jsonify(error="not_found", message=message), 404
