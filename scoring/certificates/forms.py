"""Forms of the certificate pages."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from scoring.core.numbering import DEFAULT_PATTERN
from scoring.formfields import IndonesianDateField
from scoring.forms import JuaraForm
from scoring.models import Certificate, CertificateSettings


class AccessCodeForm(JuaraForm):
    code = StringField(
        _l("Access code"),
        validators=[DataRequired(_l("Enter the access code.")), Length(max=40)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "placeholder": "XXXX-XXXX-XXXX",
        },
    )


class SettingsForm(JuaraForm):
    model = CertificateSettings
    # A NIP may be typed with spaces; it is stored as its 18 digits.
    columns: ClassVar[dict[str, Any]] = {"signer_nip": None}

    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter the certificate title.")), Length(max=120)]
    )
    signer_title = TextAreaField(
        _l("Signer's position"),
        validators=[DataRequired(_l("Enter the signer's position.")), Length(max=200)],
        render_kw={"rows": 2},
    )
    signer_name = StringField(
        _l("Signer's name"),
        validators=[DataRequired(_l("Enter the signer's name.")), Length(max=200)],
    )
    signer_nip = StringField(
        _l("Signer's NIP (optional)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    place = StringField(
        _l("Place"), validators=[DataRequired(_l("Enter the place.")), Length(max=120)]
    )
    issue_date = IndonesianDateField(
        _l("Date on the certificates (optional)"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    org_code = StringField(
        _l("Office code"), validators=[DataRequired(_l("Enter the office code.")), Length(max=40)]
    )
    number_format = StringField(
        _l("Number format"),
        default=DEFAULT_PATTERN,
        validators=[DataRequired(_l("Enter the number format.")), Length(max=120)],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    logo = FileField(
        _l("Logo (JPEG or PNG)"),
        validators=[FileAllowed(["jpg", "jpeg", "png"], _l("Upload a JPEG or PNG image."))],
        render_kw={"accept": "image/jpeg,image/png"},
    )
    remove_logo = BooleanField(_l("Remove the logo"))
    background = FileField(
        _l("Background image (JPEG or PNG, A4 landscape)"),
        validators=[FileAllowed(["jpg", "jpeg", "png"], _l("Upload a JPEG or PNG image."))],
        render_kw={"accept": "image/jpeg,image/png"},
    )
    remove_background = BooleanField(_l("Remove the background image"))


class RevokeForm(JuaraForm):
    columns: ClassVar[dict[str, Any]] = {"reason": Certificate.revoke_reason}

    reason = StringField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Enter the reason for revoking the certificate.")),
            Length(max=300),
        ],
    )


class ActionForm(JuaraForm):
    """A button that only needs the CSRF token (issue all, reissue)."""
