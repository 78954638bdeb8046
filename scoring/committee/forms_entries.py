"""Forms of the committee's entry pages: an entry, the import, attachments."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from scoring.forms import JuaraForm
from scoring.models import Attachment, Entry
from scoring.models.attachment import ATTACHMENT_KINDS

# Form field -> spreadsheet column, so the service's problems land beside the right field.
FIELD_OF_COLUMN = {
    "nama": "name",
    "kode_wilayah": "region_id",
    "nama_kontak": "contact_name",
    "telepon": "contact_phone",
    "email": "contact_email",
    "persetujuan": "consent",
    "nik": "nik",
}

KIND_LABELS = {
    "proposal": _l("Proposal"),
    "photo": _l("Photo"),
    "report": _l("Report"),
    "other": _l("Other document"),
}


class ContactFields(JuaraForm):
    """An entry's contact person and the privacy consent: the committee's entry form and the
    regional operator's registration form share them (templates render fields by name)."""

    model = Entry

    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_phone = StringField(
        _l("Phone (WhatsApp)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    contact_email = EmailField(
        _l("Email"),
        validators=[Optional(), Length(max=254)],
        render_kw={"inputmode": "email", "autocomplete": "off"},
    )
    consent = BooleanField(_l("The participant agrees to the privacy notice"))


class EntryForm(ContactFields):
    # A NIK may be typed with spaces or dots; it is stored as its 16 digits.
    columns: ClassVar[dict[str, Any]] = {"nik": None}

    name = StringField(
        _l("Name of the entry"),
        validators=[DataRequired(_l("Enter the entry's name.")), Length(max=200)],
    )
    region_id = SelectField(
        _l("Region"),
        coerce=int,
        validate_choice=True,
        validators=[DataRequired(_l("Choose a region."))],
    )
    nik = StringField(
        _l("NIK (optional)"),
        validators=[Optional(), Length(max=40)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"},
    )
    clear_nik = BooleanField(_l("Delete the stored NIK"))
    submit = SubmitField(_l("Save"))


class ImportForm(JuaraForm):
    file = FileField(
        _l("Spreadsheet (XLSX or CSV)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".xlsx,.csv,text/csv"},
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(JuaraForm):
    mode = RadioField(
        _l("What to save"),
        choices=[("all", _l("All rows")), ("valid", _l("Only the valid rows"))],
        validators=[DataRequired(_l("Choose which rows to save."))],
    )


class AttachmentForm(JuaraForm):
    model = Attachment

    kind = SelectField(
        _l("Kind of document"),
        choices=[(kind, KIND_LABELS[kind]) for kind in ATTACHMENT_KINDS],
        default="proposal",
    )
    label = StringField(_l("Description (optional)"), validators=[Optional(), Length(max=200)])
    files = MultipleFileField(
        _l("Files (PDF, JPEG or PNG, at most 10 MB each)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"},
    )
    submit = SubmitField(_l("Upload"))


class ActionForm(JuaraForm):
    """A button that posts: only the CSRF token."""
