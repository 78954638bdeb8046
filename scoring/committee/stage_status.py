"""Committee routes: opening and closing a stage for scoring.

Opening scoring again in a category whose results are published is never one click: the
"Open scoring" button then leads to a page that says what is published, and asks for a
confirmation and a reason (the service audits it).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from scoring.auth.decorators import role_required
from scoring.committee.views import COMMITTEE, bp, flash_error, get_or_404
from scoring.forms import JuaraForm
from scoring.models import Stage
from scoring.services import stages as stage_service
from scoring.services.errors import ScoringError
from scoring.services.structure import published_version


class ReopenScoringForm(JuaraForm):
    reason = TextAreaField(
        _l("Why must scoring open again?"),
        validators=[
            DataRequired(_l("Write why scoring must open again.")),
            Length(max=stage_service.REASON_MAX),
        ],
    )
    confirm = BooleanField(
        _l("I understand that the published results stay as announced, and that the review "
           "will show every difference the new scores make."),
        validators=[DataRequired(_l("Tick the confirmation to open scoring again."))],
    )  # fmt: skip
    back = HiddenField()
    submit = SubmitField(_l("Open scoring again"))


def _back(stage: Stage, back: str | None) -> str:
    if back == "stage":
        return url_for(".stage_detail", stage_id=stage.id)
    return url_for(
        ".event_detail", event_id=stage.category.event_id, _anchor=f"c{stage.category_id}"
    )


@bp.route("/tahap/<int:stage_id>/buka-kembali")
@role_required(*COMMITTEE)
def stage_reopen_confirm(stage_id: int) -> str | Response:
    stage = get_or_404(Stage, stage_id)
    version = published_version(stage.category_id)
    if version is None:
        return redirect(_back(stage, request.args.get("back")))
    form = ReopenScoringForm(back=request.args.get("back", ""))
    return render_template(
        "committee/rubrics/reopen_scoring.html",
        stage=stage,
        category=stage.category,
        event=stage.category.event,
        version=version,
        form=form,
    )


@bp.route("/tahap/<int:stage_id>/status", methods=["POST"])
@role_required(*COMMITTEE)
def stage_status(stage_id: int) -> Response:
    stage = get_or_404(Stage, stage_id)
    status = request.form.get("status", "")
    back = request.form.get("back")
    reason = None
    if status == "open" and published_version(stage.category_id) is not None:
        form = ReopenScoringForm()
        if "confirm_page" in request.form and not form.validate_on_submit():
            for errors in form.errors.values():
                for text in errors:
                    flash(str(text), "danger")
        if "confirm_page" not in request.form or form.errors:
            return redirect(url_for(".stage_reopen_confirm", stage_id=stage.id, back=back))
        reason = form.reason.data
    try:
        change = stage_service.change_stage_status(stage.id, status, reason)
    except ScoringError as error:
        flash_error(error)
    else:
        flash(_("The status of the stage has been changed."), "success")
        if change.reopened:
            flash(
                _(
                    "%(n)d sent sheets had no score for a criterion added later and went back "
                    "to their judges: %(sheets)s.",
                    n=len(change.reopened),
                    sheets=", ".join(f"{s.judge_name} ({s.entry_name})" for s in change.reopened),
                ),
                "warning",
            )
        if change.stage.status == "closed":
            from scoring.committee.advancement import apply_after_close

            apply_after_close(change.stage)
    return redirect(_back(stage, back))
