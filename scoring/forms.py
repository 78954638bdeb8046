"""The base of every form: each text field is capped before any validator sees it (issue 14).

A validator may be slow on long text (the email check is quadratic: 1 MB took 15 s), so the
length comes first, always: `JuaraForm.validate()` measures every text field, nested ones included,
and when one is too long it marks that field and stops before any validator runs; the answer
then becomes 422 (scoring.limits).

A field's cap is the smallest of: its own `Length(max=...)`, the size of the column it is saved
in, and the cap of its kind (KIND_CAPS). The column is found by name on the form's `model`
(a field `name` on a form whose model is Event takes Event.name's String(300)); `columns` names
it when the names differ, or sets None for a field that is cleaned before it is stored (a NIK
typed with spaces). tests/security/test_input_limits.py walks every form class of the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    Field,
    FieldList,
    FormField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import Length, ValidationError

from scoring.limits import flag_too_long

# The cap of a text field by kind, when its own Length and its column allow more. The most
# specific kind comes first (an EmailField is a StringField too).
KIND_CAPS: tuple[tuple[type[Field], int], ...] = (
    (EmailField, 254),  # RFC 5321: the longest address a mail server accepts
    (PasswordField, 1024),  # the policy allows far less (scoring.auth.policy.MAX_LENGTH)
    (TextAreaField, 5000),  # free text kept in a Text column: reasons, descriptions
    (StringField, 1000),  # one line; most are capped lower by their column or Length
)


def kind_cap(field: Field) -> int:
    for kind, cap in KIND_CAPS:
        if isinstance(field, kind):
            return cap
    raise TypeError(f"{type(field).__name__} is not a text field")


def column_length(column: Any) -> int | None:
    """The declared size of a String column attribute (Event.name -> 300), None for Text."""
    if column is None:
        return None
    return getattr(column.property.columns[0].type, "length", None)


def column_of(form: type[PlainForm] | PlainForm, name: str) -> Any:
    """The column attribute a form's field `name` is saved in, or None."""
    columns: dict[str, Any] = getattr(form, "columns", {})
    if name in columns:
        return columns[name]
    model = getattr(form, "model", None)
    column = getattr(model, name, None) if model is not None else None
    return column if hasattr(column, "property") and hasattr(column.property, "columns") else None


def field_cap(form: type[PlainForm] | PlainForm, field: Field) -> int:
    """The most characters `field` of `form` accepts (see the module's docstring)."""
    caps = [kind_cap(field)]
    caps += [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    length = column_length(column_of(form, field.short_name))
    if length is not None:
        caps.append(length)
    return min(caps)


def text_fields(form: PlainForm) -> Iterator[tuple[PlainForm, Field]]:
    """Every (form, text field) pair of `form`, inside FormField and FieldList too."""
    for field in form:
        if isinstance(field, FormField):
            yield from text_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from text_fields(entry.form)
                elif isinstance(entry, StringField):
                    yield form, entry
        elif isinstance(field, StringField):
            yield form, field


def _own_length_message(owner: PlainForm, field: Field, cap: int) -> Any:
    """The field's own Length message when that Length is the cap (it may say more, such as
    how long the text is); len() is cheap, so running it on long text is safe."""
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max == cap and validator.message:
            try:
                validator(owner, field)
            except ValidationError as error:
                return str(error)
    return _l("Too long: at most %(n)d characters.", n=cap)


class CappedFields:
    """The length check that runs before every validator (mixed into both bases below)."""

    model: ClassVar[Any] = None
    columns: ClassVar[dict[str, Any]] = {}

    def too_long_fields(self) -> list[Field]:
        """Mark each text field longer than its cap; the fields marked."""
        marked = []
        for owner, field in text_fields(self):  # type: ignore[arg-type]
            cap = field_cap(owner, field)
            if any(isinstance(raw, str) and len(raw) > cap for raw in field.raw_data or ()):
                field.errors = [_own_length_message(owner, field, cap)]
                marked.append(field)
        return marked

    def validate(self, extra_validators: Any = None) -> bool:
        if self.too_long_fields():
            flag_too_long()
            return False
        return bool(super().validate(extra_validators))  # type: ignore[misc]


class JuaraForm(CappedFields, FlaskForm):
    """Every page's form (with CSRF)."""


class JuaraSubform(CappedFields, PlainForm):
    """A form nested in another (FormField), without CSRF of its own."""
