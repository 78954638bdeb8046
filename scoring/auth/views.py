"""Login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from scoring.auth.decorators import home_url_for, role_required
from scoring.auth.forms import ChangePasswordForm, LoginForm, LogoutForm, SignOutEverywhereForm
from scoring.auth.throttle import change_throttled, throttled
from scoring.extensions import db
from scoring.models import User
from scoring.models.user import ROLES
from scoring.services.accounts import (
    WrongPassword,
    authenticate,
    change_password,
    end_sessions,
    sign_out_everywhere,
)
from scoring.services.errors import ScoringError

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect a login to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@throttled
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            # Same words whether the email exists or not.
            flash(_("The email or password is wrong."), "danger")
        else:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")) or home_url_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> str | Response:
    form = LogoutForm()
    if request.method == "POST":
        if form.validate_on_submit():
            locale = session.get("locale")
            user_id = current_user.id if current_user.is_authenticated else None
            logout_user()
            session.clear()
            if locale:
                session["locale"] = locale
            if user_id is not None:
                end_sessions(user_id)  # a copy of the cookie must not outlive the logout
            flash(_("You have logged out."), "info")
            return redirect(url_for("auth.login"))
        flash(_("Your session expired. Please try again."), "warning")
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html", form=form)


def start_session(user: User) -> None:
    """A fresh session: nothing from before the login (or the role) carries over."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user)
    session.permanent = True


@bp.route("/kata-sandi", methods=["GET", "POST"])
@role_required(*ROLES)
@change_throttled
def change_own_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = change_password(current_user.id, form.current.data or "", form.new.data or "")
        except WrongPassword as error:
            g.wrong_current_password = True  # counted by the throttle
            form.current.errors = [*form.current.errors, _(error.message, **error.params)]
        except ScoringError as error:
            form.new.errors = [*form.new.errors, _(error.message, **error.params)]
        else:
            start_session(user)  # this device stays in; every other session has ended
            flash(
                _("Your password has been changed. Other devices have been logged out."), "success"
            )
            return redirect(home_url_for(user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/akun")
@role_required("admin")
def accounts() -> str:
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    return render_template("auth/accounts.html", users=users, form=SignOutEverywhereForm())


@bp.route("/akun/<int:user_id>/keluar-semua", methods=["POST"])
@role_required("admin")
def sign_out_user(user_id: int) -> Response:
    if SignOutEverywhereForm().validate_on_submit():
        try:
            user = sign_out_everywhere(user_id)
        except ScoringError as error:
            flash(_(error.message, **error.params), "danger")
        else:
            flash(_("%(name)s has been logged out on every device.", name=user.name), "success")
    return redirect(url_for("auth.accounts"))
