"""Committee pages for certificates: settings, issue all (with progress), revoke, reissue."""

from __future__ import annotations

import io
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from scoring.auth.decorators import role_required
from scoring.certificates import queries, storage
from scoring.certificates.base_url import BaseUrlWarning, loopback_warning
from scoring.certificates.bulk import start_issue_all
from scoring.certificates.context import SAMPLES, sample_context
from scoring.certificates.forms import ActionForm, RevokeForm, SettingsForm
from scoring.certificates.render import render_pdf
from scoring.certificates.revisions import reissue_certificate, revoke_certificate
from scoring.certificates.settings import get_settings, update_settings
from scoring.certificates.views import bp
from scoring.committee.views import validate_or_flash
from scoring.extensions import db
from scoring.limits import accepts_files
from scoring.models import Certificate, Event, Job
from scoring.params import arg_id
from scoring.services.errors import ScoringError
from scoring.services.membership import visible_event_ids

COMMITTEE = ("admin", "committee")
PREFIX = "/panitia/sertifikat"


def error_text(error: ScoringError) -> str:
    return gettext(error.message, **error.params)


def _event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


@bp.route(f"{PREFIX}/")
@role_required(*COMMITTEE)
def events() -> str:
    query = select(Event).order_by(Event.starts_on.desc(), Event.id)
    visible = visible_event_ids(current_user)
    if visible is not None:
        query = query.where(Event.id.in_(visible))
    rows = db.session.scalars(query).all()
    return render_template("certificates/events.html", events=rows)


def _base_url_warning() -> BaseUrlWarning | None:
    return loopback_warning(current_app.config["BASE_URL"], request.url_root)


@bp.route(f"{PREFIX}/<int:event_id>")
@role_required(*COMMITTEE)
def event(event_id: int) -> str:
    overview = queries.event_certificates(event_id)
    if overview is None:
        abort(404)
    return render_template(
        "certificates/event.html",
        base_url_warning=_base_url_warning(),
        overview=overview,
        settings=get_settings(event_id),
        certificates=queries.event_certificate_list(event_id),
        action_form=ActionForm(),
        revoke_form=RevokeForm(),
    )


@bp.route(f"{PREFIX}/<int:event_id>/pengaturan", methods=["GET", "POST"])
@accepts_files
@role_required(*COMMITTEE)
def settings(event_id: int) -> str | Response:
    event = _event_or_404(event_id)
    current = get_settings(event_id)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        values: dict[str, Any] = {name: getattr(form, name).data for name in _SETTINGS_FIELDS}
        try:
            update_settings(
                event_id,
                values,
                logo=form.logo.data.stream if form.logo.data else None,
                background=form.background.data.stream if form.background.data else None,
                remove_logo=form.remove_logo.data,
                remove_background=form.remove_background.data,
            )
        except ScoringError as error:
            field = getattr(form, getattr(error, "field", ""), None)
            if field is not None:
                field.errors = [*field.errors, error_text(error)]
            else:
                flash(error_text(error), "danger")
        else:
            flash(gettext("The certificate settings have been saved."), "success")
            return redirect(url_for("certificates.event", event_id=event_id))
    return render_template(
        "certificates/settings.html",
        event=event,
        form=form,
        settings=current,
        kinds=SAMPLES,
        base_url_warning=_base_url_warning(),
    )


_SETTINGS_FIELDS = (
    "title",
    "signer_name",
    "signer_title",
    "signer_nip",
    "place",
    "issue_date",
    "org_code",
    "number_format",
)


@bp.route(f"{PREFIX}/<int:event_id>/contoh/<kind>.pdf")
@role_required(*COMMITTEE)
def preview(event_id: int, kind: str) -> Response:
    event = _event_or_404(event_id)
    if kind not in SAMPLES:
        abort(404)
    category = event.categories[0].name if event.categories else ""
    context = sample_context(kind, get_settings(event_id), event, category)
    pdf = render_pdf(context, storage.media_dir())
    return send_file(
        io.BytesIO(pdf), mimetype="application/pdf", download_name=f"contoh-{kind}.pdf", max_age=0
    )


@bp.route(f"{PREFIX}/<int:event_id>/terbitkan", methods=["POST"])
@role_required(*COMMITTEE)
def issue_all(event_id: int) -> Response:
    _event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    category_id = arg_id(request.form, "category_id")
    try:
        job = start_issue_all(event_id, category_id, current_user.id)
    except ScoringError as error:
        flash(error_text(error), "danger")
        return redirect(url_for("certificates.event", event_id=event_id))
    return redirect(url_for("certificates.job", job_id=job.id))


def _job_or_404(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or job.kind != "certificates.issue_all":
        abort(404)
    return job


def job_state(job: Job) -> dict[str, Any]:
    """The JSON the progress bar polls (static/js/certificates.js)."""
    error = None
    if job.error:
        error = gettext(job.error, **(job.params.get("error_params") or {}))
    return {
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": _job_message(job),
        "error": error,
        "download_url": url_for("certificates.job_zip", job_id=job.id) if job.result_name else None,
    }


def _job_message(job: Job) -> str:
    if job.status == "queued":
        return gettext("Waiting to start…")
    if job.status == "failed":
        return gettext("Stopped.")
    if job.status == "done":
        return gettext("Done: %(n)d certificates rendered.", n=job.total)
    if not job.total:
        return gettext("Numbering the certificates…")
    return gettext("%(done)d of %(total)d certificates rendered", done=job.done, total=job.total)


@bp.route(f"{PREFIX}/tugas/<int:job_id>")
@role_required(*COMMITTEE)
def job(job_id: int) -> str:
    job = _job_or_404(job_id)
    from scoring import jobs

    jobs.ensure_worker_thread()
    return render_template(
        "certificates/job.html",
        job=job,
        state=job_state(job),
        event=db.session.get(Event, job.event_id),
    )


@bp.route(f"{PREFIX}/tugas/<int:job_id>.json")
@role_required(*COMMITTEE)
def job_json(job_id: int) -> Response:
    from scoring import jobs

    jobs.ensure_worker_thread()
    return jsonify(job_state(_job_or_404(job_id)))


@bp.route(f"{PREFIX}/tugas/<int:job_id>/zip")
@role_required(*COMMITTEE)
def job_zip(job_id: int) -> Response:
    job = _job_or_404(job_id)
    path = storage.job_file(job.result_name) if job.result_name else None
    if path is None:
        abort(404)
    return send_file(
        path, mimetype="application/zip", as_attachment=True, download_name=f"piagam-{job.id}.zip"
    )


def _certificate_or_404(certificate_id: int) -> Certificate:
    cert = db.session.get(Certificate, certificate_id)
    if cert is None:
        abort(404)
    return cert


@bp.route(f"{PREFIX}/piagam/<int:certificate_id>/cabut", methods=["POST"])
@role_required(*COMMITTEE)
def revoke(certificate_id: int) -> Response:
    cert = _certificate_or_404(certificate_id)
    event_id, number = cert.event_id, cert.number
    form = RevokeForm()
    if not validate_or_flash(form):
        return redirect(url_for("certificates.event", event_id=event_id))
    try:
        revoke_certificate(certificate_id, form.reason.data or "", current_user.id)
    except ScoringError as error:
        flash(error_text(error), "danger")
    else:
        flash(gettext("Certificate %(number)s has been revoked.", number=number), "success")
    return redirect(url_for("certificates.event", event_id=event_id))


@bp.route(f"{PREFIX}/piagam/<int:certificate_id>/terbitkan-ulang", methods=["POST"])
@role_required(*COMMITTEE)
def reissue(certificate_id: int) -> Response:
    event_id = _certificate_or_404(certificate_id).event_id
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        cert = reissue_certificate(certificate_id, current_user.id)
    except ScoringError as error:
        flash(error_text(error), "danger")
    else:
        flash(
            gettext(
                "Certificate %(number)s has been reissued as revision %(revision)d.",
                number=cert.number,
                revision=cert.revision,
            ),
            "success",
        )
    return redirect(url_for("certificates.event", event_id=event_id))
