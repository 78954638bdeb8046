"""Committee routes for personal data (UU PDP): export an entry's person data, erase it."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from scoring.auth.decorators import role_required
from scoring.committee.views import COMMITTEE, bp, flash_error, get_or_404
from scoring.forms import JuaraForm
from scoring.models import Entry
from scoring.services import privacy
from scoring.services.errors import ScoringError


class EraseForm(JuaraForm):
    kind = RadioField(
        _l("Why"),
        choices=[
            ("request", _l("The person asked for their data to be erased")),
            ("withdrawal", _l("The person withdrew their consent")),
        ],
        default="request",
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Details (who asked, when, how)"),
        validators=[DataRequired(), Length(max=privacy.REASON_MAX)],
    )


@bp.route("/peserta/<int:entry_id>/data-pribadi.json", methods=["POST"])
@role_required(*COMMITTEE)
def personal_export(entry_id: int) -> Response:
    """The entry's person data as a JSON download (a POST: every export is audited)."""
    get_or_404(Entry, entry_id)
    if not JuaraForm().validate_on_submit():
        flash(_("The form expired or was sent from elsewhere. Reload the page and try again."))
        return redirect(url_for(".entry_edit", entry_id=entry_id))
    data = privacy.export_personal_data(entry_id)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="data-pribadi-peserta-{entry_id}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/peserta/<int:entry_id>/hapus-data-pribadi", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def personal_erase(entry_id: int) -> str | Response:
    entry = get_or_404(Entry, entry_id)
    form = EraseForm()
    if entry.erased_at is None and form.validate_on_submit():
        try:
            done = privacy.erase_personal_data(
                entry.id, form.reason.data or "", kind=form.kind.data, actor_id=current_user.id
            )
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The person data of %(name)s has been erased.", name=done.name), "success")
            return redirect(url_for(".entry_edit", entry_id=entry.id))
    return render_template(
        "committee/privacy/erase.html",
        entry=entry,
        category=entry.category,
        form=form,
        data=privacy.personal_data(entry.id),
    )
