"""Committee routes: pass/fail decisions of a pass/fail stage (seleksi administrasi)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.views import COMMITTEE, bp, error_text, flash_error, get_or_404
from scoring.extensions import db
from scoring.models import Entry, Stage
from scoring.services.decisions import DecisionInput, RowProblem, record_decisions, stage_decisions
from scoring.services.errors import ScoringError


@bp.route("/tahap/<int:stage_id>/keputusan", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def stage_decisions_page(stage_id: int) -> str | Response:
    stage = get_or_404(Stage, stage_id)
    if stage.is_scored:
        abort(404)
    entries = db.session.scalars(
        select(Entry)
        .where(Entry.category_id == stage.category_id)
        .options(joinedload(Entry.region))
        .order_by(Entry.name)
    ).all()
    saved = stage_decisions(stage.id)
    values = {
        e.id: (saved[e.id].outcome, saved[e.id].reason or "") if e.id in saved else ("", "")
        for e in entries
    }
    row_errors: dict[int, str] = {}
    if request.method == "POST":
        submitted = [
            DecisionInput(
                e.id,
                request.form.get(f"outcome-{e.id}", ""),
                request.form.get(f"reason-{e.id}", ""),
            )
            for e in entries
        ]
        try:
            changed = record_decisions(stage.id, submitted)
        except ScoringError as error:
            flash_error(error)
            values = {row.entry_id: (row.outcome, row.reason) for row in submitted}
            for problem in getattr(error, "problems", ()):
                if isinstance(problem, RowProblem):
                    row_errors[problem.entry_id] = error_text(problem.error)
        else:
            flash(_("%(n)d decisions saved.", n=changed), "success")
            return redirect(url_for(".stage_decisions_page", stage_id=stage.id))
    counts = {
        "pass": sum(1 for outcome, _r in values.values() if outcome == "pass"),
        "fail": sum(1 for outcome, _r in values.values() if outcome == "fail"),
    }
    return render_template(
        "committee/rubrics/decisions.html",
        stage=stage,
        category=stage.category,
        event=stage.category.event,
        entries=entries,
        values=values,
        row_errors=row_errors,
        counts=counts,
    )
