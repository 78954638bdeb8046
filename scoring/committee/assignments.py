"""Committee routes: who judges which entry in a stage, and conflicts of interest."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.forms_entries import ActionForm
from scoring.committee.forms_panel import AddAssignmentForm, ConflictForm, GenerateForm
from scoring.committee.views import (
    COMMITTEE,
    bp,
    error_text,
    flash_error,
    get_or_404,
    validate_or_flash,
)
from scoring.models import Assignment, ConflictOfInterest, Stage
from scoring.params import to_id
from scoring.services.assignment_board import Board, stage_board
from scoring.services.assignments import (
    AssignmentRefused,
    add_assignment,
    generate_assignments,
    remove_assignment,
)
from scoring.services.conflicts import declare_conflict, withdraw_conflict
from scoring.services.errors import ScoringError


def _forms(board: Board) -> tuple[GenerateForm, AddAssignmentForm, ConflictForm]:
    entries = [(row.entry.id, f"{row.entry.name} · {row.entry.region.name}") for row in board.rows]
    judges = [(j.id, j.name) for j in board.all_judges]
    generate = GenerateForm()
    generate.judge_ids.choices = judges
    generate.entry_ids.choices = entries
    if not generate.is_submitted():
        generate.judge_ids.data = sorted(board.default_judge_ids)
        generate.entry_ids.data = [row.entry.id for row in board.rows]
        generate.k.data = min(3, len(board.default_judge_ids)) or 1
    add = AddAssignmentForm(prefix="add")
    add.entry_id.choices, add.judge_id.choices = entries, judges
    conflict = ConflictForm(prefix="coi")
    conflict.entry_id.choices = entries + [
        (e.id, f"{e.name} · {e.region.name}") for e in board.excluded
    ]
    conflict.judge_id.choices = judges
    return generate, add, conflict


def _page(
    stage_id: int, refusal: AssignmentRefused | None = None, status: int = 200
) -> tuple[str, int]:
    board = stage_board(stage_id)
    generate, add, conflict = _forms(board)
    html = render_template(
        "committee/panel/assignments.html",
        board=board,
        stage=board.stage,
        category=board.stage.category,
        generate_form=generate,
        add_form=add,
        conflict_form=conflict,
        action_form=ActionForm(),
        refusal=refusal,
    )
    return html, status


@bp.route("/tahap/<int:stage_id>/penugasan")
@role_required(*COMMITTEE)
def stage_assignments(stage_id: int) -> tuple[str, int]:
    get_or_404(Stage, stage_id)
    return _page(stage_id)


@bp.route("/tahap/<int:stage_id>/penugasan/buat", methods=["POST"])
@role_required(*COMMITTEE)
def stage_assignments_generate(stage_id: int) -> Response | tuple[str, int]:
    get_or_404(Stage, stage_id)
    board = stage_board(stage_id)
    form, _add, _conflict = _forms(board)
    if not validate_or_flash(form):
        return _page(stage_id, status=422)
    try:
        result = generate_assignments(
            stage_id,
            mode=form.mode.data,
            judge_ids=form.judge_ids.data or [],
            entry_ids=form.entry_ids.data or [],
            k=form.k.data,
            seed=form.seed.data,
        )
    except AssignmentRefused as refusal:
        flash(error_text(refusal), "danger")
        return _page(stage_id, refusal=refusal, status=422)
    except ScoringError as error:
        flash_error(error)
        return _page(stage_id, status=422)
    flash(
        _(
            "%(n)d assignments have been made (random seed %(seed)d).",
            n=result.assignments,
            seed=result.seed,
        ),
        "success",
    )
    return redirect(url_for(".stage_assignments", stage_id=stage_id))


@bp.route("/tahap/<int:stage_id>/penugasan/tambah", methods=["POST"])
@role_required(*COMMITTEE)
def stage_assignment_add(stage_id: int) -> Response:
    get_or_404(Stage, stage_id)
    # Posted by the form under the board and by each "+" button in it (same field names).
    entry_id = _int(request.form.getlist("add-entry_id"))
    judge_id = _int(request.form.getlist("add-judge_id"))
    if ActionForm().validate_on_submit():
        if entry_id is None or judge_id is None:
            flash(_("Choose an entry and a judge."), "danger")
        else:
            try:
                add_assignment(stage_id, entry_id, judge_id)
            except ScoringError as error:
                flash_error(error)
            else:
                flash(_("The judge has been assigned."), "success")
    return redirect(url_for(".stage_assignments", stage_id=stage_id, _anchor="papan"))


def _int(raw: list[str] | None) -> int | None:
    return to_id((raw or [""])[0])


@bp.route("/penugasan/<int:assignment_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def stage_assignment_remove(assignment_id: int) -> Response:
    assignment = get_or_404(Assignment, assignment_id)
    stage_id = assignment.stage_id
    if ActionForm().validate_on_submit():
        try:
            remove_assignment(assignment.id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The assignment has been removed."), "success")
    return redirect(url_for(".stage_assignments", stage_id=stage_id, _anchor="papan"))


@bp.route("/tahap/<int:stage_id>/konflik", methods=["POST"])
@role_required(*COMMITTEE)
def conflict_declare(stage_id: int) -> Response:
    get_or_404(Stage, stage_id)
    board = stage_board(stage_id)
    _generate, _add, form = _forms(board)
    back = url_for(".stage_assignments", stage_id=stage_id, _anchor="konflik")
    if not validate_or_flash(form):
        return redirect(back)
    try:
        declared = declare_conflict(form.entry_id.data, form.judge_id.data, form.reason.data or "")
    except ScoringError as error:
        flash_error(error)
        return redirect(back)
    flash(_("The conflict of interest has been recorded."), "success")
    if declared.kept:
        flash(
            _(
                "The sheets this judge already sent for this entry (%(stages)s) are kept; the "
                "judge will not score it in the later stages.",
                stages=", ".join(declared.kept),
            ),
            "info",
        )
    if declared.removed:
        message = _(
            "The judge's assignment to this entry has been removed. "
            "Check that the entry still has enough judges."
        )
        flash(message, "warning")
    return redirect(back)


@bp.route("/konflik/<int:conflict_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def conflict_withdraw(conflict_id: int) -> Response:
    get_or_404(ConflictOfInterest, conflict_id)
    stage_id = _int(request.form.getlist("stage_id"))
    if ActionForm().validate_on_submit():
        try:
            withdraw_conflict(conflict_id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The conflict of interest has been withdrawn."), "success")
    if stage_id is None:
        return redirect(url_for(".home"))
    return redirect(url_for(".stage_assignments", stage_id=stage_id, _anchor="konflik"))
