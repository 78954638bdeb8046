"""Committee routes: events, their status workflow, and categories."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from scoring.auth.decorators import role_required
from scoring.committee.forms import CategoryForm, CopyEventForm, EventForm
from scoring.committee.views import COMMITTEE, bp, flash_error, get_or_404
from scoring.extensions import db
from scoring.models import Assignment, Category, Entry, Event, Region, StageDecision
from scoring.models.event import EVENT_STATUSES
from scoring.services import categories as category_service
from scoring.services import events as event_service
from scoring.services.errors import ScoringError
from scoring.services.stages import set_stage_weights
from scoring.services.structure import category_problems, rubric_locked


def _region_choices() -> list[SelectChoice]:
    regions = db.session.scalars(select(Region).order_by(Region.code)).all()
    return [SelectChoice("", _("— none —"))] + [
        SelectChoice(str(r.id), f"{r.code} {r.name}") for r in regions
    ]


def _region_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _event_fields(form: EventForm) -> dict:
    return {
        "name": form.name.data or "",
        "slug": form.slug.data,
        "level": form.level.data,
        "host_region_id": _region_id(form.host_region_id.data),
        "place": form.place.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
    }


@bp.route("/acara/baru", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def new_event() -> str | Response:
    form = EventForm()
    form.host_region_id.choices = _region_choices()
    if form.validate_on_submit():
        try:
            event = event_service.create_event(**_event_fields(form), created_by=current_user.id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The event has been created."), "success")
            return redirect(url_for(".event_detail", event_id=event.id))
    return render_template("committee/events/form.html", form=form, event=None)


@bp.route("/acara/<int:event_id>")
@role_required(*COMMITTEE)
def event_detail(event_id: int) -> str:
    event = get_or_404(Event, event_id)
    entry_counts = dict(
        db.session.execute(
            select(Entry.category_id, func.count())
            .join(Category, Category.id == Entry.category_id)
            .where(Category.event_id == event.id)
            .group_by(Entry.category_id)
        ).all()
    )
    stage_ids = [s.id for c in event.categories for s in c.stages]
    # Stages judges or decisions already use cannot be deleted: no button for them.
    in_use = set(
        db.session.scalars(select(Assignment.stage_id).where(Assignment.stage_id.in_(stage_ids)))
    ) | set(
        db.session.scalars(
            select(StageDecision.stage_id).where(StageDecision.stage_id.in_(stage_ids))
        )
    )
    forward = event_service.FORWARD.get(event.status)
    return render_template(
        "committee/events/detail.html",
        event=event,
        statuses=EVENT_STATUSES,
        forward=forward,
        backward=event_service.BACKWARD.get(event.status),
        forward_problems=event_service.transition_problems(event, forward) if forward else [],
        problems={c.id: category_problems(c) for c in event.categories},
        locked={s.id: rubric_locked(s) for c in event.categories for s in c.stages},
        entry_counts=entry_counts,
        in_use=in_use,
    )


@bp.route("/acara/<int:event_id>/ubah", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def edit_event(event_id: int) -> str | Response:
    event = get_or_404(Event, event_id)
    form = EventForm(obj=event if request.method == "GET" else None)
    form.host_region_id.choices = _region_choices()
    if request.method == "GET":
        form.host_region_id.data = str(event.host_region_id or "")
    if form.validate_on_submit():
        try:
            event_service.update_event(event.id, **_event_fields(form))
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The event has been saved."), "success")
            return redirect(url_for(".event_detail", event_id=event.id))
    return render_template("committee/events/form.html", form=form, event=event)


@bp.route("/acara/<int:event_id>/salin", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def copy_event(event_id: int) -> str | Response:
    source = get_or_404(Event, event_id)
    form = CopyEventForm()
    if request.method == "GET":
        form.name.data = event_service.suggested_copy_name(source.name)
    if form.validate_on_submit():
        try:
            event = event_service.copy_event(
                source.id,
                name=form.name.data or "",
                slug=form.slug.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                created_by=current_user.id,
            )
        except ScoringError as error:
            flash_error(error)
        else:
            flash(
                _("The categories, stages and rubrics have been copied into a new draft event."),
                "success",
            )
            return redirect(url_for(".event_detail", event_id=event.id))
    return render_template("committee/events/copy.html", form=form, source=source)


@bp.route("/acara/<int:event_id>/status", methods=["POST"])
@role_required(*COMMITTEE)
def event_status(event_id: int) -> Response:
    event = get_or_404(Event, event_id)
    try:
        event_service.change_event_status(event.id, request.form.get("status", ""))
    except ScoringError as error:
        flash_error(error)
    else:
        flash(_("The status of the event has been changed."), "success")
    return redirect(url_for(".event_detail", event_id=event_id))


@bp.route("/acara/<int:event_id>/kategori/baru", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def new_category(event_id: int) -> str | Response:
    event = get_or_404(Event, event_id)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = category_service.create_category(
                event.id, form.name.data or "", form.kind.data or "", form.entry_kind.data
            )
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The category has been added. Now add its stages."), "success")
            return redirect(url_for(".event_detail", event_id=event.id, _anchor=f"c{category.id}"))
    return render_template(
        "committee/events/category_form.html",
        form=form,
        event=event,
        category=None,
        suggestions=category_service.KIND_SUGGESTIONS,
    )


@bp.route("/kategori/<int:category_id>/ubah", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def edit_category(category_id: int) -> str | Response:
    category = get_or_404(Category, category_id)
    form = CategoryForm(obj=category if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            category_service.update_category(
                category.id, form.name.data or "", form.kind.data or "", form.entry_kind.data
            )
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The category has been saved."), "success")
            return redirect(
                url_for(".event_detail", event_id=category.event_id, _anchor=f"c{category.id}")
            )
    return render_template(
        "committee/events/category_form.html",
        form=form,
        event=category.event,
        category=category,
        suggestions=category_service.KIND_SUGGESTIONS,
    )


@bp.route("/kategori/<int:category_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def delete_category(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    event_id = category.event_id
    try:
        category_service.delete_category(category.id)
    except ScoringError as error:
        flash_error(error)
    else:
        flash(_("The category has been deleted."), "success")
    return redirect(url_for(".event_detail", event_id=event_id))


@bp.route("/kategori/<int:category_id>/bobot", methods=["POST"])
@role_required(*COMMITTEE)
def stage_weights(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    event_id = category.event_id
    weights: dict[int, float] = {}
    try:
        for stage in category.stages:
            if stage.is_scored:
                raw = request.form.get(f"weight-{stage.id}", "").strip().replace(",", ".")
                weights[stage.id] = float(raw) if raw else float("nan")
    except ValueError:
        flash(_("Enter a number, e.g. 30 or 12,5."), "danger")
    else:
        try:
            set_stage_weights(category.id, weights)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The stage weights have been saved."), "success")
    return redirect(url_for(".event_detail", event_id=event_id, _anchor=f"c{category_id}"))
