"""Reading XLSX and CSV files as committees make them, and writing import templates.

The kind of file is decided by its content, never its name: an XLSX file is a ZIP archive
holding `[Content_Types].xml`; anything else must be text (UTF-8, with or without BOM, or the
Windows code page Excel uses for "CSV (Comma delimited)") with `;` or `,` between columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.services.errors import InvalidInput

MAX_ROWS = 2000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # an XLSX is compressed XML; refuse "zip bombs"
TEXT_COLUMNS = ("kode_wilayah", "telepon", "nik")  # typed as text so Excel keeps every digit
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    """Rows as {"row": spreadsheet row number, "values": {column: text}, "notes": [...]}.

    `notes` are problems found while reading a cell (e.g. a NIK stored as a number), in the
    same shape as an entry Problem: {"column", "message", "params"}.
    """

    columns: list[str]
    rows: list[dict[str, Any]]


def is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_table(
    data: bytes,
    required: Sequence[str],
    known: Sequence[str],
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """The rows of the first sheet (XLSX) or of a CSV file, keyed by normalised header names.

    Raises InvalidInput for problems of the whole file: empty, not XLSX/CSV, a required column
    missing, or more than MAX_ROWS rows. Empty rows are skipped; unknown columns are ignored.
    """
    if not data.strip():
        raise InvalidInput("The file is empty.")
    if data.startswith(XLS_MAGIC):
        raise InvalidInput("This is an old Excel file (.xls). Save it as .xlsx or CSV first.")
    if is_xlsx(data):
        records = _xlsx_records(data)
    elif data.startswith(b"PK") or b"\x00" in data[:4096]:
        raise InvalidInput("The file is not an XLSX or CSV spreadsheet.")
    else:
        records = _csv_records(data)
    return _table(records, required, known, aliases or {})


def _table(
    records: Iterator[tuple[int, list[Any]]],
    required: Sequence[str],
    known: Sequence[str],
    aliases: Mapping[str, str],
) -> Table:
    header: list[str | None] | None = None
    rows: list[dict[str, Any]] = []
    for number, cells in records:
        if all(_blank(cell) for cell in cells):
            continue
        if header is None:
            header = [_column_name(cell, known, aliases) for cell in cells]
            missing = [name for name in required if name not in header]
            if missing:
                raise InvalidInput(
                    "Column %(columns)s is missing from the header row. Start from the template.",
                    columns=", ".join(missing),
                )
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(
                "The file has more than %(max)d rows; import at most %(max)d rows at a time.",
                max=MAX_ROWS,
            )
        values: dict[str, str] = {}
        notes: list[dict[str, Any]] = []
        for column, cell in zip(header, cells, strict=False):
            if column is not None and column not in values:
                values[column] = _cell_text(column, cell, notes)
        rows.append({"row": number, "values": values, "notes": notes})
    if header is None:
        raise InvalidInput("The file is empty.")
    if not rows:
        raise InvalidInput("The file has a header row but no rows below it.")
    return Table([c for c in header if c], rows)


def _column_name(cell: Any, known: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    text = str(cell or "").strip().lower().replace("*", "").strip()
    name = "_".join(text.replace("-", " ").replace("/", " ").split())
    name = aliases.get(name, name)
    return name if name in known else None


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell_text(column: str, cell: Any, notes: list[dict[str, Any]]) -> str:
    """A cell as text, undoing what Excel does to codes and numbers typed as numbers."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "ya" if cell else "tidak"
    if isinstance(cell, int | float) and column == "nik":
        # Excel keeps 15 significant digits: a 16-digit NIK typed as a number lost its last one.
        note = InvalidInput(
            "Type the NIK as text, not as a number: spreadsheets round 16-digit numbers."
        )
        notes.append({"column": "nik", "message": note.message, "params": {}})
        return str(int(cell))
    if isinstance(cell, float) and column == "kode_wilayah":
        return f"{cell:.2f}"  # 15.1 was "15.10"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and column == "telepon":
        text = str(cell)
        return "0" + text if text.startswith("8") else text  # the leading 0 Excel dropped
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()
    return " ".join(str(cell).split()) if column != "nik" else str(cell).strip()


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise InvalidInput("The spreadsheet is too large to read.")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InvalidInput:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise InvalidInput(
            "The spreadsheet could not be read. Save it again as .xlsx or CSV and retry."
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _csv_records(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV (Comma delimited)"
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise InvalidInput(
            "The spreadsheet could not be read. Save it again as .xlsx or CSV and retry."
        ) from error


def normalise_region_code(raw: str) -> str:
    """ "15.71", " 15.71 ", "1571" -> "15.71"; province "15" stays "15"."""
    text = "".join((raw or "").split())
    if text.isdigit() and len(text) == 4:
        return f"{text[:2]}.{text[2:]}"
    return text


def template_workbook(
    sheet_title: str,
    columns: Sequence[tuple[str, str, bool]],
    instructions: Iterable[str],
    regions: Sequence[tuple[str, str]] = (),
    yes_no_columns: Sequence[str] = (),
) -> bytes:
    """An XLSX template: the data sheet (header only), then instructions and region codes.

    `columns` are (header, explanation, required); required headers get a star.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="0B5D7A")
    for index, (name, _help, required) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=name + ("*" if required else ""))
        cell.font, cell.fill = bold, fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(16, len(name) + 6)
        if name in TEXT_COLUMNS:
            for row in range(2, MAX_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if name in yes_no_columns:
            validation = DataValidation(type="list", formula1='"ya,tidak"', allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90
    row = 1
    for line in instructions:
        guide.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=False)
        row += 1
    row += 1
    for name, explanation, required in columns:
        guide.cell(row=row, column=1, value=name + ("*" if required else "")).font = Font(bold=True)
        guide.cell(row=row, column=2, value=explanation).alignment = Alignment(wrap_text=True)
        row += 1

    if regions:
        codes = workbook.create_sheet("Kode wilayah")
        codes.append(["kode_wilayah", "nama"])
        for cell in codes[1]:
            cell.font, cell.fill = bold, fill
        codes.column_dimensions["A"].width = 16
        codes.column_dimensions["B"].width = 40
        for code, name in regions:
            codes.append([code, name])
            codes.cell(row=codes.max_row, column=1).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
