"""Committee routes: score sheets as the committee sees them (inspect, audit trail, reopen)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.views import bp
from scoring.services.errors import ScoringError
from scoring.services.sheets import reopen_sheet as reopen_sheet_service
from scoring.services.worklist import load_sheet, sheet_history, stage_sheets


@bp.route("/tahap/<int:stage_id>/lembar")
@role_required("admin", "committee")
def stage_sheets_page(stage_id: int) -> str:
    """Every judge's sheet of a stage with its values: each value appears exactly once."""
    board = stage_sheets(stage_id)
    if board is None:
        abort(404)
    return render_template("committee/sheets/stage.html", board=board)


@bp.route("/lembar/<int:sheet_id>")
@role_required("admin", "committee")
def sheet_detail(sheet_id: int) -> str:
    sheet = load_sheet(sheet_id)
    if sheet is None:
        abort(404)
    return render_template(
        "committee/sheets/detail.html", sheet=sheet, history=sheet_history(sheet_id)
    )


@bp.route("/lembar/<int:sheet_id>/buka-kembali", methods=["POST"])
@role_required("admin", "committee")
def reopen_sheet(sheet_id: int) -> Response | tuple[str, int]:
    reason = request.form.get("reason", "")
    try:
        reopen_sheet_service(sheet_id, reason, current_user.id)
    except ScoringError as error:
        sheet = load_sheet(sheet_id)
        if sheet is None:
            abort(404)
        flash(_(error.message, **error.params), "danger")
        page = render_template(
            "committee/sheets/detail.html",
            sheet=sheet,
            history=sheet_history(sheet_id),
            reason=reason,
        )
        return page, error.status_code
    flash(_("The sheet is open again for its judge."), "success")
    return redirect(url_for("committee.sheet_detail", sheet_id=sheet_id))
