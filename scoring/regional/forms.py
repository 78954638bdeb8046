"""Forms of the regional operator's pages (and the invitation page)."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from scoring.committee.forms_entries import ContactFields
from scoring.forms import JuaraForm
from scoring.models import Registration, User
from scoring.services.accounts import MIN_PASSWORD_LENGTH

# Service problem column -> form field, so each message lands beside its field.
FIELD_OF_COLUMN = {
    "nama": "name",
    "nama_kontak": "contact_name",
    "telepon": "contact_phone",
    "email": "contact_email",
    "persetujuan": "consent",
    "persetujuan_oleh": "consent_by",
}


class RegistrationForm(ContactFields):
    columns: ClassVar[dict[str, Any]] = {"consent_by": Registration.consent_by}

    name = StringField(
        _l("Name of the entry"),
        validators=[DataRequired(_l("Enter the entry's name.")), Length(max=200)],
    )
    consent_by = StringField(
        _l("Consent given by (name)"), validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField(_l("Save"))


class DocumentForm(JuaraForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"},
    )
    submit = SubmitField(_l("Upload"))


class SubmitForm(JuaraForm):
    confirm = BooleanField(_l("I confirm that the data and documents are correct and complete"))
    submit = SubmitField(_l("Send to the committee"))


class InvitationForm(JuaraForm):
    model = User

    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)]
    )
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter a valid email.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(min=MIN_PASSWORD_LENGTH, max=200),
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", _l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Create my account"))
