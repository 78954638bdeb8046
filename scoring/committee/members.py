"""Committee routes: the members of an event (who of the committee may open it)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from scoring.auth.decorators import role_required
from scoring.committee.views import COMMITTEE, bp, flash_error
from scoring.forms import JuaraForm
from scoring.models import EventMember, User
from scoring.services import membership
from scoring.services.errors import ScoringError


class MemberForm(JuaraForm):
    model = User

    email = EmailField(
        _l("Email of a committee account"), validators=[DataRequired(), Length(max=254)]
    )


@bp.app_template_global("event_members")
def _event_members(event_id: int) -> list[EventMember]:
    return membership.event_members(event_id)


@bp.app_template_global("member_form")
def _member_form() -> MemberForm:
    return MemberForm(formdata=None)


@bp.route("/acara/<int:event_id>/anggota", methods=["POST"])
@role_required(*COMMITTEE)
def add_member(event_id: int) -> Response:
    form = MemberForm()
    if form.validate_on_submit():
        try:
            member = membership.add_member(event_id, form.email.data or "", current_user.id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("%(name)s can now open this event.", name=member.user.name), "success")
    else:
        flash(_("Enter the email of a committee account."), "danger")
    return redirect(url_for(".event_detail", event_id=event_id, _anchor="anggota"))


@bp.route("/acara/<int:event_id>/anggota/<int:user_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def remove_member(event_id: int, user_id: int) -> Response:
    if JuaraForm().validate_on_submit():
        try:
            name = membership.remove_member(event_id, user_id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("%(name)s can no longer open this event.", name=name), "success")
    if user_id == current_user.id and current_user.role != "admin":
        return redirect(url_for(".home"))
    return redirect(url_for(".event_detail", event_id=event_id, _anchor="anggota"))
