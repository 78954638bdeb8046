"""Session-based login wiring (Flask-Login)."""

from __future__ import annotations

from flask import Flask, jsonify, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from werkzeug.wrappers import Response

from scoring.extensions import db


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    # "strong" would drop the session when a tablet changes networks (its IP changes).
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):  # type: ignore[no-untyped-def]
        from scoring.models import User

        identity = parse_identity(user_id)
        if identity is None:
            return None
        user = db.session.get(User, identity[0])
        if user is None or not user.active or user.session_version != identity[1]:
            return None  # logged out, signed out everywhere, or deactivated
        return user

    @login_manager.unauthorized_handler
    def unauthorized() -> Response:
        if request.path.startswith("/api/"):
            response = jsonify(error="login_required", message=str(login_manager.login_message))
            response.status_code = 401
            return response
        from flask import flash

        flash(str(login_manager.login_message), login_manager.login_message_category)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def parse_identity(value: object) -> tuple[int, int] | None:
    """(user id, session version) from the session's "id:version", or None."""
    if not isinstance(value, str):
        return None
    raw_id, _, version = value.partition(":")
    if not raw_id.isdigit() or not version.isdigit() or len(raw_id) + len(version) > 30:
        return None
    return int(raw_id), int(version)


def session_identity() -> tuple[int, int] | None:
    """The session's account without loading it: for the sheet save, which checks the account
    (active, session version) inside its own query instead of a SELECT before it."""
    return parse_identity(session.get("_user_id"))
