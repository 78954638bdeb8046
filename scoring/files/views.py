"""Entry attachments, streamed only to those allowed to see them.

The committee sees every file; a judge sees the files of entries assigned to them; a regional
operator sees the files of its own region's entries. Anyone else logged in gets 404, the same
answer as for a file that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.services.attachments import attachment_for_viewer
from scoring.services.errors import Forbidden, NotFound
from scoring.services.registration import Operator
from scoring.services.registration_documents import attachment_for_operator

bp = Blueprint("files", __name__, url_prefix="/berkas")


@bp.route("/<int:attachment_id>")
@role_required("admin", "committee", "judge", "regional")
def download(attachment_id: int) -> Response:
    try:
        if current_user.role == "regional":
            # A regional operator sees its own region's files only (issue 11).
            attachment, path = attachment_for_operator(attachment_id, Operator.of(current_user))
        else:
            attachment, path = attachment_for_viewer(
                attachment_id, current_user.id, current_user.role
            )
    except (NotFound, Forbidden):
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=False,  # PDF and images open in the browser
        download_name=attachment.original_name,
        conditional=True,
        etag=attachment.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    if attachment.content_type.startswith("image/"):
        # An image opened on its own loads nothing else. (A CSP sandbox would stop Chromium
        # from showing PDFs at all, so PDFs rely on nosniff and their own viewer.)
        response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    else:
        # The administrative check shows PDFs inline in an <object> on our own pages (issue 11).
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
