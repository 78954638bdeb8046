"""Committee routes: regional registration (windows, documents, operators, the admin check)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from scoring.auth.decorators import role_required
from scoring.committee.forms_entries import ActionForm
from scoring.committee.forms_registration import (
    ExtensionForm,
    InviteForm,
    OperatorForm,
    RequirementForm,
    ReviewForm,
    WindowForm,
)
from scoring.committee.views import COMMITTEE, bp, flash_error, get_or_404, validate_or_flash
from scoring.extensions import db
from scoring.models import (
    Category,
    Entry,
    Event,
    Region,
    Registration,
    RegistrationExtension,
    RequiredDocument,
)
from scoring.orm import utcnow
from scoring.params import arg_id
from scoring.services import stash
from scoring.services.errors import ScoringError
from scoring.services.operators import create_invitation, create_operator, list_operators
from scoring.services.registration_review import review_queue, review_registration, status_counts
from scoring.services.registration_setup import (
    add_required_document,
    event_zone,
    extend_for_region,
    parse_local,
    remove_required_document,
    required_documents,
    set_window,
    window_for,
)

REVEAL_KEY = "operator_reveal"


def _regions() -> list[Region]:
    return list(
        db.session.scalars(
            select(Region).where(Region.level.in_(("kabupaten", "kota"))).order_by(Region.code)
        )
    )


def _region_choices(regions: list[Region] | None = None) -> list[SelectChoice]:
    return [SelectChoice(r.id, f"{r.code} · {r.name}") for r in regions or _regions()]


@bp.route("/acara/<int:event_id>/pendaftaran")
@role_required(*COMMITTEE)
def registration_overview(event_id: int) -> str:
    event = get_or_404(Event, event_id)
    zone = event_zone(event)
    regions = _regions()
    choices = _region_choices(regions)
    sections = []
    for category in event.categories:
        window = window_for(category.id)
        window_form = WindowForm(prefix=f"w{category.id}")
        if window is not None and request.method == "GET":
            window_form.opens_at.data = window.opens_at.astimezone(zone).replace(tzinfo=None)
            window_form.closes_at.data = window.closes_at.astimezone(zone).replace(tzinfo=None)
            window_form.quota.data = window.quota_per_region
        extension_form = ExtensionForm(prefix=f"x{category.id}")
        extension_form.region_id.choices = choices
        extensions = db.session.scalars(
            select(RegistrationExtension).filter_by(category_id=category.id)
        ).all()
        sections.append(
            {
                "category": category,
                "window": window,
                "window_form": window_form,
                "documents": required_documents(category.id),
                "requirement_form": RequirementForm(prefix=f"d{category.id}"),
                "extensions": extensions,
                "extension_form": extension_form,
            }
        )
    return render_template(
        "committee/registration/overview.html",
        event=event,
        sections=sections,
        regions=regions,
        counts=status_counts(event.id),
        queued=len(review_queue(event.id)),
    )


@bp.route("/kategori/<int:category_id>/pendaftaran/jadwal", methods=["POST"])
@role_required(*COMMITTEE)
def registration_window_set(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    form = WindowForm(prefix=f"w{category.id}")
    if validate_or_flash(form):
        zone = event_zone(category.event)
        try:
            set_window(
                category.id,
                parse_local(form.opens_at.data, zone),
                parse_local(form.closes_at.data, zone),
                form.quota.data,
            )
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The registration window has been saved."), "success")
    return _back(category)


@bp.route("/kategori/<int:category_id>/pendaftaran/perpanjangan", methods=["POST"])
@role_required(*COMMITTEE)
def registration_extend(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    form = ExtensionForm(prefix=f"x{category.id}")
    form.region_id.choices = _region_choices()
    if validate_or_flash(form):
        try:
            extend_for_region(
                category.id,
                form.region_id.data,
                parse_local(form.closes_at.data, event_zone(category.event)),
                form.reason.data,
                current_user.id,
            )
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The region has more time to register."), "success")
    return _back(category)


@bp.route("/kategori/<int:category_id>/pendaftaran/dokumen", methods=["POST"])
@role_required(*COMMITTEE)
def registration_requirement_add(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    form = RequirementForm(prefix=f"d{category.id}")
    if validate_or_flash(form):
        try:
            add_required_document(category.id, form.name.data, form.types.data, form.max_mb.data)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The document is now required."), "success")
    return _back(category)


@bp.route("/kategori/<int:category_id>/pendaftaran/dokumen/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def registration_requirement_remove(category_id: int) -> Response:
    # The document's id travels in the form: the central membership check knows the category.
    category = get_or_404(Category, category_id)
    document = db.session.get(RequiredDocument, arg_id(request.form, "document_id") or 0)
    if document is None or document.category_id != category.id:
        flash(_("Document not found."), "danger")  # a stale page: say so, lose nothing
    elif ActionForm().validate_on_submit():
        try:
            remove_required_document(document.id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The document is no longer required."), "success")
    return _back(category)


@bp.route("/acara/<int:event_id>/operator", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def registration_operators(event_id: int) -> str | Response:
    event = get_or_404(Event, event_id)
    operator_form, invite_form = OperatorForm(prefix="op"), InviteForm(prefix="inv")
    operator_form.region_id.choices = invite_form.region_id.choices = _region_choices()
    action = request.form.get("action")
    if request.method == "POST":
        try:
            if action == "create" and operator_form.validate_on_submit():
                login = create_operator(
                    operator_form.name.data,
                    operator_form.email.data,
                    operator_form.region_id.data,
                    event.id,
                )
                return _reveal(event, {"login": login.__dict__})
            if action == "invite" and invite_form.validate_on_submit():
                token = create_invitation(
                    invite_form.region_id.data,
                    event.id,
                    invite_form.days.data,
                    current_user.id,
                    utcnow(),
                )
                link = url_for("regional.invitation", token=token, _external=True)
                region = db.session.get(Region, invite_form.region_id.data)
                return _reveal(event, {"link": link, "region": region.name if region else ""})
        except ScoringError as error:
            flash_error(error)
    reveal = stash.take("operator_login", session.pop(REVEAL_KEY, None))
    return render_template(
        "committee/registration/operators.html",
        event=event,
        operators=list_operators(event.id),
        operator_form=operator_form,
        invite_form=invite_form,
        reveal=reveal,
    )


@bp.route("/acara/<int:event_id>/seleksi-administrasi")
@role_required(*COMMITTEE)
def registration_queue(event_id: int) -> str:
    event = get_or_404(Event, event_id)
    return render_template(
        "committee/registration/queue.html",
        event=event,
        items=review_queue(event.id),
        form=ReviewForm(),
    )


@bp.route("/peserta/<int:entry_id>/seleksi-administrasi", methods=["POST"])
@role_required(*COMMITTEE)
def registration_review(entry_id: int) -> Response:
    entry = get_or_404(Entry, entry_id)
    registration = db.session.scalar(select(Registration).filter_by(entry_id=entry.id))
    if registration is None:
        abort(404)
    form = ReviewForm()
    if validate_or_flash(form):
        try:
            result = review_registration(
                registration.id,
                form.outcome.data,
                form.reason.data or "",
                current_user.id,
                utcnow(),
            )
        except ScoringError as error:
            flash_error(error)
        else:
            messages = {
                "passed": _("Passed; the entry was given %(n)d judges.", n=result.assigned),
                "failed": _("Marked as not passing."),
                "needs_correction": _("Sent back to the region for correction."),
            }
            flash(messages[result.status], "success")
    return redirect(url_for(".registration_queue", event_id=entry.category.event_id))


def _back(category: Category) -> Response:
    return redirect(
        url_for(".registration_overview", event_id=category.event_id, _anchor=f"c{category.id}")
    )


def _reveal(event: Event, payload: dict[str, object]) -> Response:
    """Keep the password or link on the server until the next page shows it, once."""
    stash.discard("operator_login", session.pop(REVEAL_KEY, None))
    session[REVEAL_KEY] = stash.put("operator_login", payload)
    return redirect(url_for(".registration_operators", event_id=event.id))
