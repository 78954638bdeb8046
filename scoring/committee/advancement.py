"""Committee routes: who advances after a stage with "how many advance" (applied, or by hand)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.views import COMMITTEE, bp, error_text, flash_error, get_or_404
from scoring.models import Stage
from scoring.params import arg_id
from scoring.services import advancement
from scoring.services.errors import ScoringError


@bp.app_template_global("stopped_after")
def _stopped_after(category_id: int) -> dict[int, str]:
    """Entry id -> the stage after which it did not advance (the entries list)."""
    return advancement.not_advancing(category_id)


def flash_applied(result: advancement.Applied) -> None:
    flash(
        _(
            "Who advances has been applied: %(advancing)d advance, %(out)d do not.",
            advancing=result.advancing,
            out=result.out,
        ),
        "success",
    )
    if result.undecided:
        flash(
            _(
                "The committee must decide about %(names)s: they share the last place that "
                "advances, or have no score.",
                names=", ".join(result.undecided),
            ),
            "warning",
        )
    if result.kept_started:
        flash(
            _(
                "Judges have already scored %(names)s in a later stage; those sheets were kept.",
                names=", ".join(result.kept_started),
            ),
            "warning",
        )


def apply_after_close(stage: Stage) -> None:
    """Called when the committee closes a stage: apply "how many advance" if it has one."""
    if not stage.is_scored or not stage.advance_count:
        return
    try:
        flash_applied(advancement.apply_advancement(stage.id))
    except ScoringError as error:
        problems = "; ".join(error_text(p) for p in getattr(error, "problems", ()))
        flash(
            " ".join(filter(None, [error_text(error), problems]))
            + " "
            + _("Open “Who advances” to decide."),
            "warning",
        )


@bp.route("/tahap/<int:stage_id>/lolos")
@role_required(*COMMITTEE)
def stage_advancement(stage_id: int) -> str:
    stage = get_or_404(Stage, stage_id)
    plan = None
    try:
        plan = advancement.plan_advancement(stage.id)
    except ScoringError as error:
        flash_error(error)
    later = [s for s in stage.category.stages if s.position > stage.position]
    return render_template(
        "committee/tiered/advancement.html",
        stage=stage,
        category=stage.category,
        event=stage.category.event,
        plan=plan,
        next_stage=later[0] if later else None,
    )


@bp.route("/tahap/<int:stage_id>/lolos/terapkan", methods=["POST"])
@role_required(*COMMITTEE)
def stage_advancement_apply(stage_id: int) -> Response:
    stage = get_or_404(Stage, stage_id)
    try:
        result = advancement.apply_advancement(
            stage.id, missing_reason=request.form.get("missing_reason", "")
        )
    except ScoringError as error:
        flash_error(error)
    else:
        flash_applied(result)
    return redirect(url_for(".stage_advancement", stage_id=stage.id))


@bp.route("/tahap/<int:stage_id>/lolos/peserta", methods=["POST"])
@role_required(*COMMITTEE)
def stage_advancement_set(stage_id: int) -> Response:
    stage = get_or_404(Stage, stage_id)
    entry_id = arg_id(request.form, "entry_id")
    choice = request.form.get("advances", "")
    if entry_id is None or choice not in ("1", "0"):
        flash(_("Choose whether the entry advances."), "danger")
    else:
        try:
            advancement.set_advancement(
                stage.id, entry_id, choice == "1", request.form.get("reason", "")
            )
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The decision has been saved."), "success")
    return redirect(url_for(".stage_advancement", stage_id=stage.id))
