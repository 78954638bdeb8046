from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from scoring.forms import JuaraForm
from scoring.models import User


class LoginForm(JuaraForm):
    model = User

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email.")),
            Email(_l("Enter a valid email.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "username", "autofocus": True, "inputmode": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class LogoutForm(JuaraForm):
    submit = SubmitField(_l("Log out"))


class ChangePasswordForm(JuaraForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password again.")),
            EqualTo("new", _l("The two new passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class SignOutEverywhereForm(JuaraForm):
    submit = SubmitField(_l("Log out everywhere"))
