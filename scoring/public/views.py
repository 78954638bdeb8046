"""Pages for everyone: the landing page and the language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from scoring.auth.decorators import home_url_for
from scoring.auth.views import _safe_next
from scoring.extensions import db

bp = Blueprint("public", __name__)


@bp.route("/")
def index() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    from scoring.services.results import events_with_published_results

    return render_template("public/index.html", published=events_with_published_results())


@bp.route("/bahasa", methods=["POST"])
def set_language() -> Response:
    """Switch the interface language; remembered in the session and on the account."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated and current_user.locale != locale:
            current_user.locale = locale
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("public.index"))


@bp.route("/privasi")
@bp.route("/privasi/<version>")
def privacy(version: str | None = None) -> str:
    """The privacy notice (UU PDP), current or the `version` a participant agreed to."""
    from scoring.services.privacy import notice

    found = notice(version)
    if found is None:
        abort(404)
    return render_template(
        "public/privacy.html", version=found[0], effective=found[1], current=notice()[0]
    )
