"""Forms of the committee's event and rubric pages (entries and judges have their own)."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import FloatField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from scoring.formfields import IndonesianDateField
from scoring.forms import JuaraForm, JuaraSubform
from scoring.models import Category, Criterion, Event, Stage
from scoring.models.event import BAND_LABEL_MAX

BAND_ROWS = 6


class NumberField(FloatField):
    """A number typed the Indonesian way (12,5) or the English way (12.5)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = {"inputmode": "decimal", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        text = str(valuelist[0]).strip().replace(" ", "")
        try:
            self.data = float(text.replace(",", "."))
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a number, e.g. 30 or 12,5.")) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        if float(self.data).is_integer():
            return str(int(self.data))
        text = f"{self.data:g}"
        return text.replace(".", ",") if str(get_locale() or "id") == "id" else text


class EventForm(JuaraForm):
    model = Event

    name = StringField(
        _l("Name of the event"),
        validators=[DataRequired(_l("Enter the name of the event.")), Length(max=300)],
    )
    slug = StringField(
        _l("Short name (optional)"),
        validators=[Optional(), Length(max=80)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    level = SelectField(
        _l("Level"),
        choices=[
            SelectChoice("kabupaten", _l("Kabupaten/kota")),
            SelectChoice("provinsi", _l("Province")),
            SelectChoice("nasional", _l("National")),
        ],
        default="provinsi",
    )
    host_region_id = SelectField(_l("Host region"), coerce=str, validate_choice=True)
    place = StringField(_l("Place"), validators=[Optional(), Length(max=120)])
    starts_on = IndonesianDateField(_l("First day"), validators=[Optional()])
    ends_on = IndonesianDateField(_l("Last day"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class CopyEventForm(JuaraForm):
    model = Event

    name = StringField(
        _l("Name of the new event"),
        validators=[DataRequired(_l("Enter the name of the event.")), Length(max=300)],
    )
    slug = StringField(_l("Short name (optional)"), validators=[Optional(), Length(max=80)])
    starts_on = IndonesianDateField(_l("First day"), validators=[Optional()])
    ends_on = IndonesianDateField(_l("Last day"), validators=[Optional()])
    submit = SubmitField(_l("Copy the event"))


class CategoryForm(JuaraForm):
    model = Category

    name = StringField(
        _l("Name of the category"),
        validators=[DataRequired(_l("Enter the name of the category.")), Length(max=200)],
    )
    kind = StringField(
        _l("What is contested"),
        validators=[DataRequired(_l("Enter what is contested, e.g. Poktan BKB.")), Length(max=80)],
        render_kw={"list": "category-kinds"},
    )
    entry_kind = RadioField(
        _l("Who takes part"),
        choices=[
            SelectChoice("group", _l("Groups (Poktan, PIK-R, ...)")),
            SelectChoice("person", _l("Persons")),
        ],
        default="group",
    )
    submit = SubmitField(_l("Save"))


class StageForm(JuaraForm):
    model = Stage

    name = StringField(
        _l("Name of the stage"),
        validators=[DataRequired(_l("Enter the name of the stage.")), Length(max=200)],
    )
    kind = RadioField(
        _l("Kind of stage"),
        choices=[
            SelectChoice("scored", _l("Scored with a rubric")),
            SelectChoice("pass_fail", _l("Pass or fail")),
        ],
        default="scored",
    )
    weight = NumberField(_l("Weight in the final score (%)"), validators=[Optional()])
    advance_count = IntegerField(
        _l("How many advance to the next stage"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter 1 or more."))],
    )
    submit = SubmitField(_l("Save"))


class BandForm(JuaraSubform):
    band_min = NumberField(_l("From"), validators=[Optional()])
    band_max = NumberField(_l("To"), validators=[Optional()])
    descriptor = StringField(
        _l("Descriptor"),
        validators=[
            Optional(),
            Length(
                max=BAND_LABEL_MAX,
                message=_l("At most %(max)d characters; this text has %(length)d."),
            ),
        ],
    )


class CriterionForm(JuaraForm):
    model = Criterion

    name = StringField(
        _l("Name of the criterion"),
        validators=[DataRequired(_l("Enter the name of the criterion.")), Length(max=200)],
    )
    description = TextAreaField(
        _l("What the judge looks at"), validators=[Optional(), Length(max=2000)]
    )
    weight = NumberField(
        _l("Weight"), validators=[InputRequired(_l("Enter the weight of the criterion."))]
    )
    min_score = NumberField(_l("Lowest score"), default=1, validators=[InputRequired()])
    max_score = NumberField(_l("Highest score"), default=100, validators=[InputRequired()])
    tiebreak_order = IntegerField(
        _l("Tie-break order (optional)"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter 1 or more."))],
    )
    standard_bands = BooleanField(_l("Use the usual bands for this range"), default=True)
    bands = FieldList(FormField(BandForm), min_entries=BAND_ROWS)
    band_label_max = BAND_LABEL_MAX  # said beside the band rows
    submit = SubmitField(_l("Save the criterion"))

    def band_data(self) -> list[dict[str, Any]] | None:
        """None for the usual bands, else the filled rows (an empty list: no bands)."""
        if self.standard_bands.data:
            return None
        rows = []
        for row in self.bands.entries:
            band = row.form
            b_min, b_max, label = band.band_min.data, band.band_max.data, band.descriptor.data or ""
            if b_min is None and b_max is None and not label.strip():
                continue
            rows.append({"min": b_min, "max": b_max, "label": label})
        return rows

    def fill_bands(self, bands: list[dict[str, Any]]) -> None:
        for row, band in zip(self.bands.entries, bands, strict=False):
            fields = row.form
            fields.band_min.data, fields.band_max.data = band["min"], band["max"]
            fields.descriptor.data = band["label"]


class ReopenRubricForm(JuaraForm):
    reason = TextAreaField(
        _l("Why must the rubric change?"),
        validators=[DataRequired(_l("Write why the rubric must change.")), Length(max=1000)],
    )
    submit = SubmitField(_l("Reopen the rubric"))
