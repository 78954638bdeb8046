"""Login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from scoring.auth.decorators import home_url_for
from scoring.auth.forms import LoginForm, LogoutForm
from scoring.services.accounts import authenticate

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
            locale = session.get("locale")
            session.clear()  # a fresh session: nothing from before the login carries over
            if locale:
                session["locale"] = locale
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")) or home_url_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> str | Response:
    form = LogoutForm()
    if request.method == "POST":
        if form.validate_on_submit():
            locale = session.get("locale")
            logout_user()
            session.clear()
            if locale:
                session["locale"] = locale
            flash(_("You have logged out."), "info")
            return redirect(url_for("auth.login"))
        flash(_("Your session expired. Please try again."), "warning")
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html", form=form)
