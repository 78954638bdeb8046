"""Committee routes: the panel of judges (accounts, login sheets, password resets)."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.forms_entries import ActionForm
from scoring.committee.forms_panel import JudgeForm, JudgeImportForm
from scoring.committee.views import COMMITTEE, bp, error_text, flash_error, get_or_404
from scoring.limits import accepts_files
from scoring.models import User
from scoring.services import stash
from scoring.services.entries import region_choices
from scoring.services.errors import ScoringError
from scoring.services.judges import (
    InvalidJudges,
    LoginCard,
    create_judge,
    import_judges,
    judge_template_xlsx,
    list_judges,
    read_judge_rows,
    reset_judge_password,
    set_judge_active,
)

REVEAL_KEY = "reveal_logins"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _judge_form() -> JudgeForm:
    form = JudgeForm(prefix="one")
    form.home_region_id.choices = [(0, _("— none —")), *region_choices()]
    return form


def _page(
    form: JudgeForm | None = None,
    import_form: JudgeImportForm | None = None,
    import_problems: list | None = None,
    status: int = 200,
) -> tuple[str, int]:
    html = render_template(
        "committee/panel/judges.html",
        judges=list_judges(),
        form=form or _judge_form(),
        import_form=import_form or JudgeImportForm(prefix="many"),
        import_problems=import_problems or [],
        action_form=ActionForm(),
    )
    return html, status


@bp.route("/juri")
@role_required(*COMMITTEE)
def judges() -> tuple[str, int]:
    return _page()


@bp.route("/juri/baru", methods=["POST"])
@role_required(*COMMITTEE)
def judge_new() -> Response | tuple[str, int]:
    form = _judge_form()
    if form.validate_on_submit():
        try:
            card = create_judge(
                form.name.data or "", form.email.data or "", form.home_region_id.data or None
            )
        except ScoringError as error:
            form.email.errors = [*form.email.errors, error_text(error)]
        else:
            flash(_("The account of %(name)s has been created.", name=card.name), "success")
            return _reveal([card])
    return _page(form=form, status=422)


@bp.route("/juri/impor", methods=["POST"])
@accepts_files
@role_required(*COMMITTEE)
def judges_import() -> Response | tuple[str, int]:
    form = JudgeImportForm(prefix="many")
    if form.validate_on_submit():
        try:
            cards = import_judges(read_judge_rows(form.file.data.read()))
        except InvalidJudges as error:
            flash(error_text(error), "danger")
            return _page(import_form=form, import_problems=error.problems, status=422)
        except ScoringError as error:
            form.file.errors = [*form.file.errors, error_text(error)]
        else:
            flash(_("%(n)d judge accounts have been created.", n=len(cards)), "success")
            return _reveal(cards)
    return _page(import_form=form, status=422)


@bp.route("/juri/templat.xlsx")
@role_required(*COMMITTEE)
def judges_template() -> Response:
    return send_file(
        io.BytesIO(judge_template_xlsx()),
        mimetype=XLSX,
        as_attachment=True,
        download_name="templat-juri.xlsx",
        max_age=0,
    )


@bp.route("/juri/<int:user_id>/sandi-baru", methods=["POST"])
@role_required(*COMMITTEE)
def judge_reset_password(user_id: int) -> Response:
    get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        try:
            card = reset_judge_password(user_id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("%(name)s has a new password.", name=card.name), "success")
            return _reveal([card])
    return redirect(url_for(".judges"))


@bp.route("/juri/<int:user_id>/aktif", methods=["POST"])
@role_required(*COMMITTEE)
def judge_set_active(user_id: int) -> Response:
    user = get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        active = request.form.get("active") == "1"
        try:
            set_judge_active(user.id, active)
        except ScoringError as error:
            flash_error(error)
        else:
            if active:
                flash(_("%(name)s can log in again.", name=user.name), "success")
            else:
                flash(_("%(name)s can no longer log in.", name=user.name), "success")
    return redirect(url_for(".judges"))


def _reveal(cards: list[LoginCard]) -> Response:
    """Keep the passwords on the server until the login sheet shows them, once."""
    stash.discard("logins", session.pop(REVEAL_KEY, None))
    payload = {
        "cards": [
            {"name": c.name, "email": c.email, "password": c.password, "region": c.region}
            for c in cards
        ]
    }
    session[REVEAL_KEY] = stash.put("logins", payload)
    return redirect(url_for(".judge_login_sheet"))


@bp.route("/juri/lembar-masuk")
@role_required(*COMMITTEE)
def judge_login_sheet() -> Response:
    payload = stash.take("logins", session.pop(REVEAL_KEY, None))
    html = render_template(
        "committee/panel/login_sheet.html",
        cards=payload["cards"] if payload else None,
        login_url=url_for("auth.login", _external=True),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
