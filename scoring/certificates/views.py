"""Public certificate pages: verify a QR code, download with an access code.

Neither page tells a visitor anything they did not already hold: the verify page shows the
certificate's own fields for a 128-bit token, and the download page answers a wrong code and
a right code without certificates with the same words, so codes cannot be probed for entries.
Both are rate-limited per client address.
"""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    send_file,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from scoring.certificates import queries, storage
from scoring.certificates.forms import AccessCodeForm
from scoring.certificates.revisions import certificate_pdf
from scoring.certificates.revoked import revoked_pdf
from scoring.extensions import db
from scoring.models import Certificate
from scoring.ratelimit import limiter
from scoring.services.errors import NotFound
from scoring.services.membership import can_open_event

bp = Blueprint("certificates", __name__)

SESSION_KEY = "certificate_entry_id"
VERIFY_LIMIT = "30 per minute;300 per hour"
CODE_LIMIT = "10 per minute;40 per hour"
DOWNLOAD_LIMIT = "30 per minute"
REVOKED_PREFIX = "DICABUT-"


@bp.record_once
def _setup(state) -> None:  # type: ignore[no-untyped-def]
    from scoring import jobs

    jobs.init_app(state.app)


@bp.after_request
def _private(response: Response) -> Response:
    # Tokens and codes must not leak through the Referer header, caches or search engines.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.route("/verifikasi/<token>")
@limiter.limit(VERIFY_LIMIT)
def verify(token: str) -> str:
    result = queries.verification(token)
    if result is None:
        abort(404)
    return render_template("certificates/verify.html", cert=result)


def _failed_attempt(response: Response) -> bool:
    # Only a refused code counts towards the limit; a right one redirects to the list.
    return response.status_code != 302


@bp.route("/sertifikat", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"], deduct_when=_failed_attempt)
def download() -> str | Response:
    form = AccessCodeForm()
    not_found = False
    if form.validate_on_submit():
        entry_id = queries.entry_for_code(form.code.data or "")
        if entry_id is not None:
            session[SESSION_KEY] = entry_id
            return redirect(url_for("certificates.download"))
        not_found = True
        form.code.data = ""
    entry_id = session.get(SESSION_KEY)
    downloads = queries.entry_downloads(entry_id) if isinstance(entry_id, int) else []
    return render_template(
        "certificates/download.html", form=form, downloads=downloads, not_found=not_found
    )


@bp.route("/sertifikat/keluar", methods=["POST"])
def forget() -> Response:
    AccessCodeForm().validate_on_submit()  # CSRF only
    session.pop(SESSION_KEY, None)
    return redirect(url_for("certificates.download"))


@bp.route("/sertifikat/saya")
def mine() -> str | Response:
    """A judge's own appreciation certificates."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    return render_template(
        "certificates/mine.html", downloads=queries.judge_downloads(current_user.id)
    )


def _may_download(cert: Certificate) -> bool:
    """The participant (access code) and the judge get their own valid certificate; the
    committee members of the certificate's event (and admins) every one of it, revoked too."""
    if cert.status == "valid":
        if cert.entry_id is not None and session.get(SESSION_KEY) == cert.entry_id:
            return True
        if current_user.is_authenticated and current_user.id == cert.judge_id:
            return True
    return can_open_event(current_user, cert.event_id)


@bp.route("/sertifikat/unduh/<token>")
@limiter.limit(DOWNLOAD_LIMIT)
def download_pdf(token: str) -> Response:
    cert = db.session.scalar(select(Certificate).filter_by(token=token))
    # 404 for someone else's certificate too: nobody learns which tokens exist.
    if cert is None or not _may_download(cert):
        abort(404)
    revoked = cert.status != "valid"
    try:
        # A revoked one goes only to its committee, marked on every page (certificates/revoked).
        pdf = revoked_pdf(cert) if revoked else certificate_pdf(cert.id)
    except NotFound:
        abort(404)
    name = storage.download_name(cert.number, cert.name)
    response = send_file(
        io.BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{REVOKED_PREFIX}{name}" if revoked else name,
        max_age=0,
    )
    response.headers["X-Certificate-Status"] = cert.status
    return response
