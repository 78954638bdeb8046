"""Committee routes: the progress dashboard for the day, refreshed by htmx polling."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, select
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.views import COMMITTEE, bp
from scoring.extensions import db
from scoring.models import Event
from scoring.services.dashboard import event_progress
from scoring.services.membership import visible_event_ids

REFRESH_SECONDS = 15


def _large() -> bool:
    return request.args.get("besar") == "1"


@bp.route("/kemajuan")
@role_required(*COMMITTEE)
def progress_latest() -> Response:
    """The dashboard of the event being scored now (the menu's shortcut for the day)."""
    visible = visible_event_ids(current_user)
    query = select(Event.id) if visible is None else select(Event.id).where(Event.id.in_(visible))
    event_id = db.session.scalar(
        query.order_by(
            case((Event.status == "scoring", 0), (Event.status == "review", 1), else_=2),
            Event.starts_on.desc(),
            Event.id.desc(),
        ).limit(1)
    )
    if event_id is None:
        flash(_("There are no events yet."), "info")
        return redirect(url_for(".home"))
    return redirect(url_for(".progress", event_id=event_id))


@bp.route("/acara/<int:event_id>/kemajuan")
@role_required(*COMMITTEE)
def progress(event_id: int) -> str:
    board = event_progress(event_id)
    if board is None:
        abort(404)
    return render_template(
        "committee/dashboard/page.html", board=board, large=_large(), refresh=REFRESH_SECONDS
    )


@bp.route("/acara/<int:event_id>/kemajuan/langsung")
@role_required(*COMMITTEE)
def progress_live(event_id: int) -> str:
    """The part of the dashboard htmx swaps in every REFRESH_SECONDS."""
    board = event_progress(event_id)
    if board is None:
        abort(404)
    return render_template("committee/dashboard/_board.html", board=board, large=_large())
