"""Committee routes: a category's entries, by hand and from a spreadsheet, and access codes."""

from __future__ import annotations

import io
from typing import Any

from flask import flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.forms_entries import (
    FIELD_OF_COLUMN,
    KIND_LABELS,
    ActionForm,
    AttachmentForm,
    ConfirmImportForm,
    EntryForm,
    ImportForm,
)
from scoring.committee.views import COMMITTEE, bp, error_text, flash_error, get_or_404
from scoring.formatting import format_bytes, mask_nik
from scoring.limits import accepts_files
from scoring.models import Category, Entry
from scoring.services import stash
from scoring.services.attachments import attachments_for_entry
from scoring.services.entries import (
    CreatedEntry,
    EntryData,
    InvalidEntry,
    create_entry,
    delete_entry,
    list_entries,
    regenerate_access_code,
    region_choices,
    update_entry,
)
from scoring.services.errors import ScoringError
from scoring.services.imports import (
    confirm_import,
    entry_template_xlsx,
    preview_entries,
    read_entry_rows,
)
from scoring.services.personal import CONSENT_VERSION

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVEAL_KEY = "reveal_codes"


@bp.app_template_filter("mask_nik")
def _mask_nik_filter(value: str | None) -> str:
    return mask_nik(value)


@bp.app_template_filter("filesize")
def _filesize_filter(value: int | None) -> str:
    return format_bytes(value)


@bp.app_template_global("problem_message")
def _problem_message(problem: Any) -> str:
    """A Problem (column, msgid, params) in the user's language."""
    return _(problem.message, **problem.params)


@bp.route("/kategori/<int:category_id>/peserta")
@role_required(*COMMITTEE)
def entries(category_id: int) -> str:
    category = get_or_404(Category, category_id)
    return render_template(
        "committee/entries/list.html",
        category=category,
        rows=list_entries(category.id),
        action_form=ActionForm(),
    )


def _entry_form(category: Category, entry: Entry | None = None) -> EntryForm:
    form = EntryForm(obj=entry) if entry is not None else EntryForm()
    form.region_id.choices = [(0, _("Choose a region…")), *region_choices()]
    if "nik" not in request.form:
        form.nik.data = ""  # the stored NIK never goes back to the browser, not even masked
    return form


def _entry_data(form: EntryForm) -> EntryData:
    return EntryData(
        name=form.name.data or "",
        region_id=form.region_id.data or None,
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        contact_email=form.contact_email.data or "",
        consent=bool(form.consent.data),
        nik=form.nik.data or "",
        clear_nik=bool(form.clear_nik.data),
    )


def _forget_nik(form: EntryForm) -> bool:
    """Never echo a NIK back into the page; True when one had been typed."""
    typed = bool(form.nik.data)
    form.nik.data = ""
    form.nik.raw_data = []
    return typed


def _mark_fields(form: EntryForm, error: InvalidEntry) -> None:
    for problem in error.problems:
        field = getattr(form, FIELD_OF_COLUMN.get(problem.column, "name"))
        field.errors = [*field.errors, _(problem.message, **problem.params)]
    flash(error_text(error), "danger")


@bp.route("/kategori/<int:category_id>/peserta/baru", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def entry_new(category_id: int) -> str | Response:
    category = get_or_404(Category, category_id)
    form = _entry_form(category)
    if form.validate_on_submit():
        try:
            created = create_entry(category.id, _entry_data(form))
        except InvalidEntry as error:
            _mark_fields(form, error)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("%(name)s has been added.", name=created.name), "success")
            _reveal(category.id, [created])
            return redirect(url_for(".access_codes", category_id=category.id))
    return render_template(
        "committee/entries/form.html",
        category=category,
        form=form,
        entry=None,
        consent_version=CONSENT_VERSION,
        nik_retype=_forget_nik(form),
    )


@bp.route("/peserta/<int:entry_id>", methods=["GET", "POST"])
@role_required(*COMMITTEE)
def entry_edit(entry_id: int) -> str | Response:
    entry = get_or_404(Entry, entry_id)
    category = entry.category
    form = _entry_form(category, entry)
    if form.validate_on_submit():
        try:
            update_entry(entry.id, _entry_data(form))
        except InvalidEntry as error:
            _mark_fields(form, error)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".entry_edit", entry_id=entry_id))
    return render_template(
        "committee/entries/form.html",
        category=category,
        form=form,
        entry=entry,
        consent_version=CONSENT_VERSION,
        nik_retype=_forget_nik(form),
        attachments=attachments_for_entry(entry.id),
        attachment_form=AttachmentForm(),
        kind_labels=KIND_LABELS,
        action_form=ActionForm(),
    )


@bp.route("/peserta/<int:entry_id>/kode-akses", methods=["POST"])
@role_required(*COMMITTEE)
def entry_new_code(entry_id: int) -> Response:
    entry = get_or_404(Entry, entry_id)
    if ActionForm().validate_on_submit():
        try:
            created = regenerate_access_code(entry.id)
        except ScoringError as error:
            flash_error(error)
        else:
            _reveal(entry.category_id, [created])
            return redirect(url_for(".access_codes", category_id=entry.category_id))
    return redirect(url_for(".entry_edit", entry_id=entry_id))


@bp.route("/peserta/<int:entry_id>/hapus", methods=["POST"])
@role_required(*COMMITTEE)
def entry_delete(entry_id: int) -> Response:
    entry = get_or_404(Entry, entry_id)
    name = entry.name
    if ActionForm().validate_on_submit():
        try:
            category_id = delete_entry(entry.id)
        except ScoringError as error:
            flash_error(error)
        else:
            flash(_("%(name)s has been deleted.", name=name), "success")
            return redirect(url_for(".entries", category_id=category_id))
    return redirect(url_for(".entry_edit", entry_id=entry_id))


def _reveal(category_id: int, created: list[CreatedEntry]) -> None:
    """Keep the new codes on the server until the code page shows them, once."""
    stash.discard("codes", session.pop(REVEAL_KEY, None))
    codes = [{"name": c.name, "region": c.region, "code": c.code} for c in created]
    session[REVEAL_KEY] = stash.put("codes", {"category_id": category_id, "codes": codes})


@bp.route("/kategori/<int:category_id>/kode-akses")
@role_required(*COMMITTEE)
def access_codes(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    payload = stash.get("codes", session.get(REVEAL_KEY))
    codes = None
    if payload is not None and payload.get("category_id") == category.id:
        codes = payload["codes"]
        stash.discard("codes", session.pop(REVEAL_KEY, None))
    html = render_template("committee/entries/codes.html", category=category, codes=codes)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


# --- import ------------------------------------------------------------------------------


def _import_key(category_id: int) -> str:
    return f"import_{category_id}"


def _import_rows(category_id: int) -> list[dict[str, Any]] | None:
    payload = stash.get("import", session.get(_import_key(category_id)))
    if payload is None or payload.get("category_id") != category_id:
        return None
    return payload["rows"]


@bp.route("/kategori/<int:category_id>/impor", methods=["GET", "POST"])
@accepts_files
@role_required(*COMMITTEE)
def entries_import(category_id: int) -> str | Response:
    category = get_or_404(Category, category_id)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            rows = read_entry_rows(category.id, form.file.data.read())
        except ScoringError as error:
            form.file.errors = [*form.file.errors, error_text(error)]
        else:
            key = _import_key(category.id)
            stash.discard("import", session.pop(key, None))
            session[key] = stash.put("import", {"category_id": category.id, "rows": rows})
            return redirect(url_for(".entries_import_preview", category_id=category.id))
    return render_template("committee/entries/import.html", category=category, form=form)


@bp.route("/kategori/<int:category_id>/impor/templat.xlsx")
@role_required(*COMMITTEE)
def entries_template(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    return send_file(
        io.BytesIO(entry_template_xlsx(category.id)),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"templat-peserta-{category.id}.xlsx",
        max_age=0,
    )


@bp.route("/kategori/<int:category_id>/impor/pratinjau")
@role_required(*COMMITTEE)
def entries_import_preview(category_id: int) -> str | Response:
    category = get_or_404(Category, category_id)
    rows = _import_rows(category.id)
    if rows is None:
        flash(_("The preview has expired. Please upload the file again."), "warning")
        return redirect(url_for(".entries_import", category_id=category.id))
    preview = preview_entries(category.id, rows)
    form = ConfirmImportForm(mode="valid" if preview.error_rows else "all")
    return render_template(
        "committee/entries/preview.html", category=category, preview=preview, form=form
    )


@bp.route("/kategori/<int:category_id>/impor/simpan", methods=["POST"])
@role_required(*COMMITTEE)
def entries_import_confirm(category_id: int) -> Response:
    category = get_or_404(Category, category_id)
    rows = _import_rows(category.id)
    if rows is None:
        flash(_("The preview has expired. Please upload the file again."), "warning")
        return redirect(url_for(".entries_import", category_id=category.id))
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("Choose which rows to save."), "danger")
        return redirect(url_for(".entries_import_preview", category_id=category.id))
    try:
        created = confirm_import(category.id, rows, form.mode.data)
    except ScoringError as error:
        flash_error(error)
        return redirect(url_for(".entries_import_preview", category_id=category.id))
    stash.discard("import", session.pop(_import_key(category.id), None))
    flash(_("%(n)d entries have been saved.", n=len(created)), "success")
    _reveal(category.id, created)
    return redirect(url_for(".access_codes", category_id=category.id))
