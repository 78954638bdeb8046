"""The committee's workspace (laptop first): the blueprint, its home page and shared helpers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, render_template
from flask_babel import gettext
from flask_login import current_user

from scoring.auth.decorators import role_required
from scoring.extensions import db
from scoring.i18n import format_integer, format_number
from scoring.services.errors import ScoringError
from scoring.services.membership import visible_event_ids
from scoring.services.progress import event_overview

bp = Blueprint("committee", __name__, url_prefix="/panitia")

COMMITTEE = ("admin", "committee")


def plain_number(value: Any) -> str:
    """30 -> "30", 12.5 -> "12,5" (Indonesian): weights and scores without trailing zeros."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return format_integer(int(value))
    text = format_number(value, 2)
    return text.rstrip("0") if text[-1] == "0" else text


def error_text(error: ScoringError) -> str:
    """The error's message in the user's language, its numbers formatted the local way."""
    # Floats (weights, scores) read the local way; ints stay ints for the msgids' %(n)d.
    params = {
        key: plain_number(value) if isinstance(value, float) else value
        for key, value in error.params.items()
    }
    if params:
        return gettext(error.message, **params)
    # Without params gettext leaves "%%" as is; msgids write a literal percent sign that way.
    text = gettext(error.message)
    return text.replace("%%", "%")


def flash_error(error: ScoringError) -> None:
    """Flash the error, and each of its problems when it carries a list of them."""
    flash(error_text(error), "danger")
    for problem in getattr(error, "problems", ()):
        if isinstance(problem, ScoringError):
            flash(error_text(problem), "danger")


def validate_or_flash(form: Any) -> bool:
    """Validate a form posted from another page; on failure flash each field's messages there."""
    if form.validate_on_submit():
        return True
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "danger")
    return False


def get_or_404(model: type, ident: int) -> Any:
    row = db.session.get(model, ident)
    if row is None:
        abort(404)
    return row


@bp.app_template_filter("plain_num")
def _plain_num_filter(value: Any) -> str:
    return plain_number(value)


@bp.app_template_global("problem_text")
def _problem_text(error: ScoringError) -> str:
    return error_text(error)


@bp.route("/")
@role_required(*COMMITTEE)
def home() -> str:
    visible = visible_event_ids(current_user)
    events = [e for e in event_overview() if visible is None or e.event_id in visible]
    return render_template("committee/home.html", events=events)
