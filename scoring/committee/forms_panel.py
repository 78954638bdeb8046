"""Forms of the committee's judge and assignment pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from scoring.forms import JuaraForm
from scoring.models import ConflictOfInterest, User


class JudgeForm(JuaraForm):
    model = User

    name = StringField(
        _l("Full name with titles"),
        validators=[DataRequired(_l("Enter the judge's name.")), Length(max=200)],
    )
    email = EmailField(
        _l("Email (used to log in)"),
        validators=[DataRequired(_l("Enter a valid email address.")), Length(max=254)],
        render_kw={"inputmode": "email", "autocomplete": "off"},
    )
    home_region_id = SelectField(_l("Home region"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Create the account"))


class JudgeImportForm(JuaraForm):
    file = FileField(
        _l("Spreadsheet (XLSX or CSV)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".xlsx,.csv,text/csv"},
    )
    submit = SubmitField(_l("Create the accounts"))


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GenerateForm(JuaraForm):
    mode = RadioField(
        _l("How to assign"),
        choices=[
            ("balanced", _l("Each entry gets a fixed number of judges (balanced)")),
            ("all", _l("Every judge scores every entry")),
        ],
        default="balanced",
    )
    k = IntegerField(
        _l("Judges per entry"),
        default=3,
        validators=[Optional(), NumberRange(min=1, max=50, message=_l("Enter 1 or more."))],
    )
    seed = IntegerField(
        _l("Random seed (optional)"),
        validators=[Optional(), NumberRange(min=0, max=999_999, message=_l("Enter 0 to 999999."))],
    )
    judge_ids = CheckboxListField(_l("Judges"), coerce=int, validate_choice=True)
    entry_ids = CheckboxListField(_l("Entries"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Generate the assignments"))


class AddAssignmentForm(JuaraForm):
    entry_id = SelectField(_l("Entry"), coerce=int, validate_choice=True)
    judge_id = SelectField(_l("Judge"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Assign"))


class ConflictForm(JuaraForm):
    model = ConflictOfInterest

    judge_id = SelectField(_l("Judge"), coerce=int, validate_choice=True)
    entry_id = SelectField(_l("Entry"), coerce=int, validate_choice=True)
    reason = StringField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Write the reason for the conflict of interest.")),
            Length(max=300),
        ],
        render_kw={"placeholder": _l("e.g. family relation, former supervisor")},
    )
    submit = SubmitField(_l("Record the conflict"))
