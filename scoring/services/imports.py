"""Spreadsheet import of entries: read XLSX or CSV, preview every row's problems, then save.

Nothing is saved by the preview. The rows are kept on the server (see `stash`) and checked again
inside the write transaction when the committee confirms, so a duplicate that appeared in the
meantime is still caught and nothing the browser sends back is trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from scoring.database import committing
from scoring.extensions import db
from scoring.models import Category, Region
from scoring.orm import utcnow
from scoring.services.audit import record
from scoring.services.entries import (
    CleanEntry,
    CreatedEntry,
    EntryData,
    Problem,
    check_entry,
    duplicate_problem,
    ensure_entries_changeable,
    existing_keys,
    load_category,
    lock_category,
    name_key,
    new_entry,
    regions_by_code,
    snapshot,
)
from scoring.services.errors import InvalidInput, ScoringError
from scoring.services.personal import CONSENT_VERSION, parse_consent
from scoring.services.spreadsheets import normalise_region_code, read_table, template_workbook

GROUP_COLUMNS = ("kode_wilayah", "nama", "nama_kontak", "telepon", "email")
PERSON_COLUMNS = (*GROUP_COLUMNS, "persetujuan", "nik")
REQUIRED_COLUMNS = ("kode_wilayah", "nama")
ALIASES = {
    "kode": "kode_wilayah",
    "kode_kemendagri": "kode_wilayah",
    "wilayah": "kode_wilayah",
    "nama_peserta": "nama",
    "nama_poktan": "nama",
    "nama_kelompok": "nama",
    "kontak": "nama_kontak",
    "hp": "telepon",
    "no_hp": "telepon",
    "nomor_hp": "telepon",
    "no_telepon": "telepon",
    "nomor_telepon": "telepon",
    "telp": "telepon",
    "e_mail": "email",
    "surel": "email",
    "persetujuan_data": "persetujuan",
}
MODES = ("all", "valid")


@dataclass
class PreviewRow:
    row: int  # as numbered in the spreadsheet (the header is row 1)
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    clean: CleanEntry | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class ImportPreview:
    columns: tuple[str, ...]
    rows: list[PreviewRow]

    @property
    def valid_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.valid]

    @property
    def error_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if not row.valid]


def columns_for(category: Category) -> tuple[str, ...]:
    return PERSON_COLUMNS if category.is_person else GROUP_COLUMNS


def read_entry_rows(category_id: int, data: bytes) -> list[dict[str, Any]]:
    """The file's rows as plain JSON-able dicts, or InvalidInput for a file-level problem."""
    category = load_category(category_id)
    table = read_table(data, REQUIRED_COLUMNS, columns_for(category), ALIASES)
    return table.rows


def preview_entries(category_id: int, rows: Sequence[dict[str, Any]]) -> ImportPreview:
    """Check every row against the rules and the category's current entries; saves nothing."""
    category = load_category(category_id)
    return _preview(category, rows)


def _preview(category: Category, rows: Sequence[dict[str, Any]]) -> ImportPreview:
    regions = regions_by_code()
    existing = existing_keys(category.id)
    first_row_of: dict[tuple[int, str], int] = {}
    result = []
    for raw in rows:
        values: dict[str, str] = raw["values"]
        problems = [Problem(n["column"], n["message"], n.get("params", {})) for n in raw["notes"]]
        region_id = _region_id(values.get("kode_wilayah", ""), regions, problems)
        consent = False
        if category.is_person:
            try:
                consent = parse_consent(values.get("persetujuan"))
            except ScoringError as error:
                problems.append(Problem.of("persetujuan", error))
                consent = True  # already reported; do not report it twice
        data = EntryData(
            name=values.get("nama", ""),
            region_id=region_id,
            contact_name=values.get("nama_kontak", ""),
            contact_phone=values.get("telepon", ""),
            contact_email=values.get("email", ""),
            consent=consent,
            nik=values.get("nik", ""),
        )
        clean, found = check_entry(category, data)
        problems.extend(found)
        if clean is not None and not problems:
            key = (clean.region_id, name_key(clean.name))
            if key in existing:
                problems.append(duplicate_problem(existing[key]))
            elif key in first_row_of:
                again = InvalidInput("Same name and region as row %(row)d.", row=first_row_of[key])
                problems.append(Problem.of("nama", again))
            else:
                first_row_of[key] = raw["row"]
        row = PreviewRow(raw["row"], values, _in_column_order(problems, category))
        row.clean = clean if row.valid else None
        result.append(row)
    return ImportPreview(columns_for(category), result)


def _region_id(raw: str, regions: dict[str, int], problems: list[Problem]) -> int | None:
    code = normalise_region_code(raw)
    if not code:
        problems.append(Problem.of("kode_wilayah", InvalidInput("Enter the region code.")))
        return -1  # reported here; check_entry must not report it again
    region_id = regions.get(code)
    if region_id is None:
        unknown = InvalidInput("Unknown region code %(code)s.", code=code)
        problems.append(Problem.of("kode_wilayah", unknown))
        return -1
    return region_id


def _in_column_order(problems: list[Problem], category: Category) -> list[Problem]:
    order = {name: i for i, name in enumerate(columns_for(category))}
    return sorted(problems, key=lambda p: order.get(p.column, len(order)))


def confirm_import(
    category_id: int, rows: Sequence[dict[str, Any]], mode: str
) -> list[CreatedEntry]:
    """Save all rows (only when none has a problem) or only the valid ones, in one transaction.

    The rows are checked again here; returns each new entry with its access code.
    """
    if mode not in MODES:
        raise InvalidInput("Choose which rows to save.")
    with committing():
        category = lock_category(category_id)
        ensure_entries_changeable(category)
        preview = _preview(category, rows)
        if mode == "all" and preview.error_rows:
            raise InvalidInput(
                "%(n)d rows have problems. Correct the file, or save only the valid rows.",
                n=len(preview.error_rows),
            )
        valid = preview.valid_rows
        if not valid:
            raise InvalidInput("No row can be saved: every row has a problem.")
        now = utcnow()
        made = []
        for row in valid:
            assert row.clean is not None
            entry, code = new_entry(category, row.clean, now)
            made.append((row, entry, code))
        db.session.flush()
        for row, entry, _code in made:
            record(
                "entry.create",
                entry,
                after={**snapshot(entry), "import_row": row.row},
                event_id=category.event_id,
            )
        record(
            "entry.import",
            category,
            after={
                "mode": mode,
                "saved": len(made),
                "skipped_rows": [row.row for row in preview.error_rows],
            },
            event_id=category.event_id,
        )
        names = {r.id: r.name for r in db.session.query(Region).all()}
        created = [
            CreatedEntry(entry.id, entry.name, names.get(entry.region_id, ""), code)
            for _row, entry, code in made
        ]
    return created


def entry_template_xlsx(category_id: int) -> bytes:
    """The import template of a category, in the user's language, with the region codes."""
    category = load_category(category_id)
    explanations = {
        "kode_wilayah": _("Kemendagri region code, e.g. 15.71 (see the sheet “Kode wilayah”)."),
        "nama": _("Name of the entry: the group (e.g. BKB Melati) or the person."),
        "nama_kontak": _("Contact person (optional)."),
        "telepon": _("Phone or WhatsApp number starting with 08 or +62 (optional)."),
        "email": _("Email address (optional)."),
        "persetujuan": _(
            "“ya” when the participant has agreed to the privacy notice (version %(version)s).",
            version=CONSENT_VERSION,
        ),
        "nik": _("NIK, 16 digits, typed as text (optional)."),
    }
    columns = [(c, explanations[c], c in REQUIRED_COLUMNS) for c in columns_for(category)]
    instructions = [
        _("Template for importing entries: %(category)s", category=category.name),
        _("Fill in one entry per row on the first sheet, starting from row 2."),
        _("Columns marked * must be filled in. Do not change the header row."),
        _("Nothing is saved until you have checked the preview and confirmed."),
    ]
    regions = db.session.execute(
        select(Region.code, Region.name).where(Region.level != "nasional").order_by(Region.code)
    ).all()
    return template_workbook(
        "Peserta",
        columns,
        instructions,
        regions=[(code, name) for code, name in regions],
        yes_no_columns=("persetujuan",) if category.is_person else (),
    )
