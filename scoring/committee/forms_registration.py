"""Forms of the committee's registration pages (windows, documents, operators, the check)."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from scoring.formfields import IndonesianDateTimeField
from scoring.forms import JuaraForm
from scoring.models import Registration, RegistrationExtension, RequiredDocument, User


class WindowForm(JuaraForm):
    opens_at = IndonesianDateTimeField(
        _l("Opens"), validators=[InputRequired(_l("Enter a date and time."))]
    )
    closes_at = IndonesianDateTimeField(
        _l("Closes"), validators=[InputRequired(_l("Enter a date and time."))]
    )
    quota = IntegerField(
        _l("Entries per region (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=100)],
    )
    submit = SubmitField(_l("Save the window"))


class ExtensionForm(JuaraForm):
    model = RegistrationExtension

    region_id = SelectField(_l("Region"), coerce=int, validate_choice=True)
    closes_at = IndonesianDateTimeField(
        _l("New closing time"),
        validators=[InputRequired(_l("Enter a date and time."))],
    )
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(_l("Write why this region gets more time.")), Length(max=500)],
    )
    submit = SubmitField(_l("Extend for this region"))


class RequirementForm(JuaraForm):
    model = RequiredDocument

    name = StringField(
        _l("Required document"),
        validators=[DataRequired(_l("Enter the document's name.")), Length(max=200)],
    )
    types = SelectMultipleField(
        _l("Allowed file types"),
        choices=[
            SelectChoice("application/pdf", "PDF"),
            SelectChoice("image/jpeg", "JPEG"),
            SelectChoice("image/png", "PNG"),
        ],
        default=["application/pdf"],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    max_mb = IntegerField(
        _l("Largest file (MB)"), default=5, validators=[InputRequired(), NumberRange(min=1, max=10)]
    )
    submit = SubmitField(_l("Add"))


class OperatorForm(JuaraForm):
    model = User

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter a valid email.")), Length(max=254)]
    )
    region_id = SelectField(_l("Region"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Create the operator"))


class InviteForm(JuaraForm):
    region_id = SelectField(_l("Region"), coerce=int, validate_choice=True)
    days = IntegerField(
        _l("Valid for (days)"), default=7, validators=[InputRequired(), NumberRange(min=1, max=60)]
    )
    submit = SubmitField(_l("Create an invitation link"))


class ReviewForm(JuaraForm):
    columns: ClassVar[dict[str, Any]] = {"reason": Registration.review_reason}

    outcome = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("pass", _l("Pass")),
            SelectChoice("needs_correction", _l("Needs correction")),
            SelectChoice("fail", _l("Fail")),
        ],
        validators=[InputRequired(_l("Choose pass, fail or needs correction."))],
    )
    reason = TextAreaField(_l("Reason (shown to the region)"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Save the decision"))
