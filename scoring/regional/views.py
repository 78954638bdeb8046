"""The regional operator's pages (/wilayah): register entries, upload documents, send them."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.auth.views import start_session
from scoring.committee.views import error_text, flash_error, validate_or_flash
from scoring.extensions import db
from scoring.limits import accepts_files
from scoring.models import Category, Event, Registration
from scoring.orm import utcnow
from scoring.regional.forms import (
    FIELD_OF_COLUMN,
    DocumentForm,
    InvitationForm,
    RegistrationForm,
    SubmitForm,
)
from scoring.services.entries import InvalidEntry
from scoring.services.errors import NotFound, ScoringError
from scoring.services.operators import accept_invitation, invitation_for
from scoring.services.personal import CONSENT_VERSION
from scoring.services.registration import (
    Operator,
    RegistrationData,
    checklist,
    create_registration,
    is_editable,
    load_registration,
    submit_registration,
    update_registration,
)
from scoring.services.registration_documents import add_document, remove_document, type_names
from scoring.services.registration_lists import (
    category_slots,
    committee_entries,
    region_registrations,
)
from scoring.services.registration_setup import (
    closes_at_for,
    event_zone,
    format_in_zone,
    window_for,
)

bp = Blueprint("regional", __name__, url_prefix="/wilayah")


@bp.app_template_filter("event_time")
def _event_time(value: dt.datetime | None, event: Event) -> str:
    """A UTC time shown in the zone of the event's host region (WIB/WITA/WIT)."""
    return format_in_zone(value, event_zone(event))


@bp.app_template_filter("type_names")
def _type_names(types: list[str]) -> str:
    return type_names(types)


def _operator() -> Operator:
    try:
        return Operator.of(current_user)
    except ScoringError:
        abort(403)


@bp.route("/")
@role_required("regional")
def home() -> str:
    op = _operator()
    slots = category_slots(op, utcnow())
    return render_template(
        "regional/home.html",
        slots=slots,
        registrations=region_registrations(op),
        committee_entries=committee_entries(op, [slot.category.id for slot in slots]),
        region=current_user.home_region,
    )


@bp.route("/kategori/<int:category_id>/daftar", methods=["GET", "POST"])
@role_required("regional")
def register(category_id: int) -> str | Response:
    op = _operator()
    category = db.session.get(Category, category_id)
    window = window_for(category_id) if category else None
    if category is None or window is None or not op.may_use(category):
        abort(404)
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registration_id = create_registration(op, category.id, _data(form), utcnow())
        except ScoringError as error:
            _show(error, form)
        else:
            flash(_("The entry has been saved as a draft. Now upload its documents."), "success")
            return redirect(url_for(".registration", registration_id=registration_id))
    return render_template(
        "regional/register.html",
        form=form,
        category=category,
        closes_at=closes_at_for(window, op.region_id),
        consent_version=CONSENT_VERSION,
    )


@bp.route("/pendaftaran/<int:registration_id>", methods=["GET", "POST"])
@role_required("regional")
def registration(registration_id: int) -> str | Response:
    op = _operator()
    registration = _own_or_404(op, registration_id)
    entry = registration.entry
    form = RegistrationForm(obj=entry)
    if form.validate_on_submit():
        try:
            update_registration(op, registration.id, _data(form), utcnow())
        except ScoringError as error:
            _show(error, form)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".registration", registration_id=registration.id))
    window = window_for(entry.category_id)
    return render_template(
        "regional/registration.html",
        registration=registration,
        entry=entry,
        category=entry.category,
        form=form,
        items=checklist(registration),
        editable=is_editable(registration, utcnow()),
        closes_at=closes_at_for(window, op.region_id) if window else None,
        document_form=DocumentForm(),
        submit_form=SubmitForm(),
        consent_version=CONSENT_VERSION,
    )


@bp.route("/pendaftaran/<int:registration_id>/dokumen/<int:requirement_id>", methods=["POST"])
@accepts_files
@role_required("regional")
def upload(registration_id: int, requirement_id: int) -> Response:
    op = _operator()
    registration = _own_or_404(op, registration_id)
    form = DocumentForm()
    back = url_for(".registration", registration_id=registration.id, _anchor="dokumen")
    if not validate_or_flash(form):
        return redirect(back)
    upload = form.file.data
    try:
        add_document(
            op, registration.id, requirement_id, upload.filename or "", upload.stream, utcnow()
        )
    except NotFound:
        abort(404)
    except ScoringError as error:
        flash_error(error)
    else:
        flash(_("The file has been uploaded."), "success")
    return redirect(back)


@bp.route("/berkas/<int:attachment_id>/hapus", methods=["POST"])
@role_required("regional")
def delete_document(attachment_id: int) -> Response:
    op = _operator()
    if not SubmitForm().validate_on_submit():
        abort(400)
    try:
        registration_id = remove_document(op, attachment_id, utcnow())
    except NotFound:
        abort(404)
    except ScoringError as error:
        flash_error(error)
        return redirect(url_for(".home"))
    flash(_("The file has been deleted."), "success")
    return redirect(url_for(".registration", registration_id=registration_id, _anchor="dokumen"))


@bp.route("/pendaftaran/<int:registration_id>/kirim", methods=["POST"])
@role_required("regional")
def send(registration_id: int) -> Response:
    op = _operator()
    registration = _own_or_404(op, registration_id)
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            submit_registration(op, registration.id, bool(form.confirm.data), utcnow())
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The registration has been sent to the committee."), "success")
    return redirect(url_for(".registration", registration_id=registration.id))


@bp.route("/undangan/<token>", methods=["GET", "POST"])
def invitation(token: str) -> str | Response:
    """Anyone holding a valid link may create the region's operator account (once)."""
    try:
        invite = invitation_for(token, utcnow())
    except NotFound:
        abort(404)
    if current_user.is_authenticated:
        flash(_("Log out first to create another account with this link."), "warning")
        return redirect(url_for("public.index"))
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            user = accept_invitation(
                token, form.name.data, form.email.data, form.password.data, utcnow()
            )
        except NotFound:
            abort(404)
        except ScoringError as error:
            flash_error(error)
        else:
            start_session(user)
            flash(_("Your account has been created."), "success")
            return redirect(url_for(".home"))
    return render_template("regional/invitation.html", form=form, invite=invite)


def _own_or_404(op: Operator, registration_id: int) -> Registration:
    try:
        return load_registration(op, registration_id)
    except NotFound:
        abort(404)


def _data(form: RegistrationForm) -> RegistrationData:
    return RegistrationData(
        name=form.name.data or "",
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        contact_email=form.contact_email.data or "",
        consent=bool(form.consent.data),
        consent_by=form.consent_by.data or "",
    )


def _show(error: ScoringError, form: RegistrationForm) -> None:
    """Field problems beside their fields; anything else as a message at the top."""
    if isinstance(error, InvalidEntry):
        flash(error_text(error), "danger")
        for problem in error.problems:
            field = getattr(form, FIELD_OF_COLUMN.get(problem.column, ""), None)
            text = _(problem.message, **problem.params) if problem.params else _(problem.message)
            if field is not None:
                field.errors = [*field.errors, text]
            else:
                flash(text, "danger")
    else:
        flash_error(error)
