"""Committee routes: stages of a category and the rubric builder, with the judge's-eye preview."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.forms import BAND_ROWS, CriterionForm, ReopenRubricForm, StageForm
from scoring.committee.views import COMMITTEE, bp, flash_error, get_or_404
from scoring.models import Category, Criterion, Stage
from scoring.services import rubrics as rubric_service
from scoring.services import stages as stage_service
from scoring.services.errors import ScoringError
from scoring.services.structure import category_problems, rubric_locked, scoring_started


def _stage_fields(form: StageForm) -> dict[str, Any]:
    return {
        "name": form.name.data or "",
        "kind": form.kind.data,
        "weight": form.weight.data,
        "advance_count": form.advance_count.data,
    }


def _criterion_fields(form: CriterionForm) -> dict[str, Any]:
    return {
        "name": form.name.data or "",
        "description": form.description.data or "",
        "weight": form.weight.data,
        "min_score": form.min_score.data,
        "max_score": form.max_score.data,
        "bands": form.band_data(),
        "tiebreak_order": form.tiebreak_order.data,
    }


def _event_anchor(item: Stage | Category) -> str:
    category = item if isinstance(item, Category) else item.category
    return url_for(".event_detail", event_id=category.event_id, _anchor=f"c{category.id}")


@bp.route("/kategori/<int:category_id>/tahap/baru", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def new_stage(category_id: int) -> str | Response:
    category = get_or_404(Category, category_id)
    form = StageForm()
    if form.validate_on_submit():
        try:
            stage = stage_service.create_stage(category.id, **_stage_fields(form))
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The stage has been added."), "success")
            if stage.is_scored:
                return redirect(url_for(".stage_detail", stage_id=stage.id))
            return redirect(_event_anchor(category))
    return render_template(
        "committee/rubrics/stage_form.html", form=form, category=category, stage=None
    )


@bp.route("/tahap/<int:stage_id>/ubah", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def edit_stage(stage_id: int) -> str | Response:
    stage = get_or_404(Stage, stage_id)
    form = StageForm(obj=stage if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            stage_service.update_stage(stage.id, **_stage_fields(form))
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The stage has been saved."), "success")
            return redirect(_event_anchor(stage))
    return render_template(
        "committee/rubrics/stage_form.html", form=form, category=stage.category, stage=stage
    )


@bp.route("/tahap/<int:stage_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def delete_stage(stage_id: int) -> Response:
    stage = get_or_404(Stage, stage_id)
    target = _event_anchor(stage)
    try:
        stage_service.delete_stage(stage.id)
    except ScoringError as error:
        flash_error(error)
    else:
        flash(_("The stage has been deleted."), "success")
    return redirect(target)


@bp.route("/tahap/<int:stage_id>/geser", methods=["POST"])
@role_required(*COMMITTEE)
def move_stage(stage_id: int) -> Response:
    stage = get_or_404(Stage, stage_id)
    try:
        stage_service.move_stage(stage.id, request.form.get("direction", ""))
    except ScoringError as error:
        flash_error(error)
    return redirect(_event_anchor(stage))


@bp.route("/tahap/<int:stage_id>", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def stage_detail(stage_id: int) -> str | Response:
    """The rubric builder: the criteria of a scored stage, and a form to add one."""
    stage = get_or_404(Stage, stage_id)
    form = CriterionForm()
    if request.method == "GET":
        form.fill_bands(rubric_service.default_bands(1, 100))
    elif form.validate_on_submit():
        try:
            rubric_service.add_criterion(stage.id, **_criterion_fields(form))
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The criterion has been added."), "success")
            return redirect(url_for(".stage_detail", stage_id=stage.id, _anchor="criteria"))
    return _render_builder(stage, form)


def _render_builder(stage: Stage, form: CriterionForm, editing: Criterion | None = None) -> str:
    total = sum(c.weight for c in stage.criteria)
    return render_template(
        "committee/rubrics/stage.html",
        stage=stage,
        category=stage.category,
        event=stage.category.event,
        form=form,
        editing=editing,
        weight_total=total,
        locked=rubric_locked(stage),
        started=scoring_started(stage.id),
        problems=category_problems(stage.category),
        reopen_form=ReopenRubricForm(),
        band_rows=BAND_ROWS,
    )


@bp.route("/kriteria/<int:criterion_id>/ubah", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def edit_criterion(criterion_id: int) -> str | Response:
    criterion = get_or_404(Criterion, criterion_id)
    form = CriterionForm(obj=criterion if request.method == "GET" else None)
    if request.method == "GET":
        form.standard_bands.data = criterion.bands == rubric_service.default_bands(
            criterion.min_score, criterion.max_score
        )
        form.fill_bands(criterion.bands)
    elif form.validate_on_submit():
        try:
            rubric_service.update_criterion(criterion.id, **_criterion_fields(form))
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The criterion has been saved."), "success")
            return redirect(
                url_for(".stage_detail", stage_id=criterion.stage_id, _anchor=f"k{criterion.id}")
            )
    return _render_builder(criterion.stage, form, editing=criterion)


@bp.route("/kriteria/<int:criterion_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def delete_criterion(criterion_id: int) -> Response:
    criterion = get_or_404(Criterion, criterion_id)
    stage_id = criterion.stage_id
    try:
        rubric_service.delete_criterion(criterion.id)
    except ScoringError as error:
        flash_error(error)
    else:
        flash(_("The criterion has been deleted."), "success")
    return redirect(url_for(".stage_detail", stage_id=stage_id, _anchor="criteria"))


@bp.route("/kriteria/<int:criterion_id>/geser", methods=["POST"])
@role_required(*COMMITTEE)
def move_criterion(criterion_id: int) -> Response:
    criterion = get_or_404(Criterion, criterion_id)
    try:
        rubric_service.move_criterion(criterion.id, request.form.get("direction", ""))
    except ScoringError as error:
        flash_error(error)
    return redirect(
        url_for(".stage_detail", stage_id=criterion.stage_id, _anchor=f"k{criterion.id}")
    )


@bp.route("/tahap/<int:stage_id>/buka-rubrik", methods=["POST"])
@role_required(*COMMITTEE)
def reopen_rubric(stage_id: int) -> Response:
    stage = get_or_404(Stage, stage_id)
    form = ReopenRubricForm()
    if not form.validate_on_submit():
        flash(_("Write why the rubric must change."), "danger")
    else:
        try:
            rubric_service.reopen_rubric(stage.id, form.reason.data or "")
        except ScoringError as error:
            flash_error(error)
        else:
            flash(
                _("The rubric is open for corrections. Opening the stage again locks it."),
                "warning",
            )
    return redirect(url_for(".stage_detail", stage_id=stage.id))


@bp.route("/tahap/<int:stage_id>/pratinjau")
@role_required(*COMMITTEE)
def rubric_preview(stage_id: int) -> str:
    stage = get_or_404(Stage, stage_id)
    total = sum(c.weight for c in stage.criteria)
    return render_template(
        "committee/rubrics/preview.html",
        stage=stage,
        category=stage.category,
        event=stage.category.event,
        weight_total=total,
    )
