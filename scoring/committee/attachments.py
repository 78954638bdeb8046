"""Committee routes: upload and delete an entry's attachments (streaming is in `files`)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.forms_entries import ActionForm, AttachmentForm
from scoring.committee.views import COMMITTEE, bp, error_text, get_or_404, validate_or_flash
from scoring.limits import accepts_files
from scoring.models import Attachment, Entry
from scoring.services.attachments import delete_attachment, save_attachment
from scoring.services.errors import ScoringError


@bp.route("/peserta/<int:entry_id>/berkas", methods=["POST"])
@accepts_files
@role_required(*COMMITTEE)
def attachment_upload(entry_id: int) -> Response:
    entry = get_or_404(Entry, entry_id)
    form = AttachmentForm()
    back = url_for(".entry_edit", entry_id=entry.id, _anchor="berkas")
    if not validate_or_flash(form):
        return redirect(back)
    saved = 0
    kind, label = form.kind.data, form.label.data or ""
    for upload in form.files.data or []:
        try:
            save_attachment(entry.id, kind, label, upload.filename or "", upload.stream)
        except ScoringError as error:
            flash(error_text(error), "danger")
        else:
            saved += 1
    if saved:
        flash(_("%(n)d files have been uploaded.", n=saved), "success")
    return redirect(back)


@bp.route("/berkas/<int:attachment_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def attachment_delete(attachment_id: int) -> Response:
    attachment = get_or_404(Attachment, attachment_id)
    entry_id = attachment.entry_id
    if ActionForm().validate_on_submit():
        try:
            delete_attachment(attachment.id)
        except ScoringError as error:
            flash(error_text(error), "danger")
        else:
            flash(_("The file has been deleted."), "success")
    return redirect(url_for(".entry_edit", entry_id=entry_id, _anchor="berkas"))
