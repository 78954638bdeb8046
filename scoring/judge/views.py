"""The judge's pages (tablet first), and the service worker that keeps them usable offline."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.services.attachments import attachments_for_entry
from scoring.services.progress import judge_worklist, stage_queue
from scoring.services.worklist import load_sheet

bp = Blueprint("judge", __name__, url_prefix="/juri")


@bp.route("/")
@role_required("judge")
def home() -> str:
    return render_template("judge/home.html", worklist=judge_worklist(current_user.id))


@bp.route("/lembar/<int:sheet_id>")
@role_required("judge")
def sheet(sheet_id: int) -> str:
    view = load_sheet(sheet_id, current_user.id)
    if view is None:
        abort(404)
    return render_template(
        "judge/sheet.html",
        sheet=view,
        attachments=attachments_for_entry(view.entry_id),
        queue=[
            dict(item, url=url_for("judge.sheet", sheet_id=item["id"]))
            for item in stage_queue(current_user.id, view.stage_id)
        ],
    )


@bp.route("/sw.js")
def service_worker() -> Response:
    """Served under /juri/ so that its scope covers the judge's pages (and nothing else)."""
    path = Path(current_app.static_folder or "static") / "js" / "judge-sw.js"
    response = send_file(path, mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/juri/"
    response.headers["Cache-Control"] = "no-cache"
    return response
