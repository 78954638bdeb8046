"""Exports of a result snapshot: CSV, XLSX and the berita acara (official minutes) data.

Everything comes from the snapshot's frozen inputs and outputs, never from the live tables, so
an export of version 2 says what version 2 said. Text cells that a spreadsheet would read as a
formula (starting with =, +, -, @, tab or carriage return) get a leading apostrophe (OWASP,
"CSV Injection"); numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from scoring.extensions import db
from scoring.models.certificate import CertificateSettings
from scoring.models.results import ResultSnapshot
from scoring.results import explain, readings
from scoring.results.breakdown import row_breakdown, shares
from scoring.services.errors import NotFound

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMAT = "#,##0.00"


def inert(value: Any) -> Any:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Any]]  # str, int, float or None
    number_columns: tuple[int, ...]  # columns holding scores
    decimals: int = 2


def load_snapshot(snapshot_id: int) -> ResultSnapshot:
    snapshot = db.session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound("This snapshot does not exist.")
    return snapshot


def ranking_table(snapshot: ResultSnapshot) -> Table:
    """Per stage its score (0–100) and its contribution (the contributions of a row add up to
    the final score, scoring/results/breakdown.py), then the final score and the stage reached."""
    outputs = snapshot.outputs
    decimals = int(snapshot.options.get("decimals", 2))
    names = {row["entry_id"]: row["name"] for row in outputs["rows"]}
    criteria = {t["criterion"]: t["name"] for t in outputs["tiebreak"]}
    stages = outputs["stages"]
    stage_columns = []
    for stage, share in zip(stages, shares(stages), strict=True):
        stage_columns += [
            _("%(stage)s: stage score", stage=stage["name"]),
            _(
                "%(stage)s: contribution (%(share)s%%)",
                stage=stage["name"],
                share=explain.whole(share),
            ),
        ]
    header = [
        _("Rank"),
        _("Award"),
        _("Entry"),
        _("Region"),
        *stage_columns,
        _("Final score"),
        _("Stage reached"),
        _("Note"),
    ]
    rows = []
    for row in outputs["rows"]:
        note = readings.tie_text(row["tie"], names, criteria)
        if row["total"] is None:
            note = _("No final score: sheets were missing at publication.")
        split = row_breakdown(row, stages, decimals)
        parts = []
        for part in split.parts:
            parts += [part.score, part.points]
        rows.append(
            [
                row["rank"],
                row["award"] or "",
                row["name"],
                row["region"],
                *parts,
                None if row["total"] is None else float(row["total"]),
                split.reached or "",
                note,
            ]
        )
    for entry in outputs["excluded"]:
        blanks = [None] * len(stage_columns)
        failed = _("Did not pass the administrative selection")
        rows.append([None, "", entry["name"], entry["region"], *blanks, None, "", failed])
    first_number = 4
    numbers = tuple(range(first_number, first_number + len(stage_columns) + 1))
    return Table(header, rows, numbers, decimals)


def export_name(snapshot: ResultSnapshot, extension: str) -> str:
    event = snapshot.inputs["category"]["event"]["slug"] if snapshot.inputs else "hasil"
    return f"hasil-{event}-kategori-{snapshot.category_id}-v{snapshot.version}.{extension}"


CSV_FORMATS = ("excel-id", "standard")


def csv_bytes(snapshot: ResultSnapshot, variant: str = "excel-id") -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheets read the Indonesian letters).

    "excel-id" (the default) is what Excel with Indonesian regional settings opens directly:
    `;` between cells and a decimal comma (87,50). "standard" is RFC 4180 style: `,` between
    cells and a decimal point (87.50), for other programs."""
    table = ranking_table(snapshot)
    local = variant == "excel-id"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if local else ",", lineterminator="\r\n")
    writer.writerow([inert(h) for h in table.header])
    for row in table.rows:
        cells = []
        for column, value in enumerate(row):
            if value is None:
                cells.append("")
            elif column in table.number_columns and isinstance(value, int | float):
                text = f"{value:.{table.decimals}f}"
                cells.append(text.replace(".", ",") if local else text)
            else:
                cells.append(inert(value))
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(snapshot: ResultSnapshot) -> bytes:
    """One sheet: a title block (event, category, method, fingerprint), then the ranking with
    numbers as numbers in the format #,##0.00 (Excel shows the viewer's separators)."""
    table = ranking_table(snapshot)
    category = snapshot.inputs["category"]
    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    title_rows = [
        (_("Event"), category["event"]["name"]),
        (_("Category"), category["name"]),
        (_("Method"), str(readings.METHOD_NAMES[snapshot.method])),
        (_("Version"), snapshot.version),
        (_("Published"), _local_time(snapshot.published_at)),
        ("SHA-256", snapshot.sha256),
    ]
    for label, value in title_rows:
        sheet.append([inert(label), inert(value)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([inert(h) for h in table.header])
    fill = PatternFill("solid", fgColor="E3F0F5")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([inert(v) for v in row])
        for column in table.number_columns:
            cell = sheet.cell(sheet.max_row, column + 1)
            if isinstance(cell.value, int | float):
                cell.number_format = NUMBER_FORMAT
    for cell in sheet.iter_rows(min_row=1):
        for c in cell:
            if isinstance(c.value, str):
                c.data_type = "s"  # never a formula, whatever the text
    widths = [10, 14, 42, 24] + [14] * (len(table.header) - 6) + [18, 60]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _local_time(moment: dt.datetime) -> str:
    from scoring.i18n import format_datetime_short

    return format_datetime_short(moment)


def berita_acara_context(snapshot: ResultSnapshot) -> dict[str, Any]:
    """Plain values for templates/results/berita_acara.html (no ORM objects)."""
    inputs, outputs = snapshot.inputs, snapshot.outputs
    counted = {a["judge"] for a in inputs["assignments"] if a["status"] in ("submitted", "locked")}
    judges = [j["name"] for j in inputs["judges"] if j["id"] in counted]
    names = {row["entry_id"]: row["name"] for row in outputs["rows"]}
    criteria = {t["criterion"]: t["name"] for t in outputs["tiebreak"]}
    tiebreak = [f"{t['name']} ({t['stage']})" for t in outputs["tiebreak"]]
    decimals = int(snapshot.options.get("decimals", 2))
    rows = [
        {
            "rank": row["rank"],
            "award": row["award"] or "",
            "name": row["name"],
            "region": row["region"],
            "stage_scores": row["stage_scores"],
            "split": row_breakdown(row, outputs["stages"], decimals),
            "total": row["total"],
            "note": readings.tie_text(row["tie"], names, criteria),
        }
        for row in outputs["rows"]
    ]
    return {
        "event": inputs["category"]["event"],
        "category": inputs["category"]["name"],
        "stages": [f"{s['name']} ({s['weight']}%)" for s in outputs["stages"]],
        "judges": judges,
        "method_name": str(readings.METHOD_NAMES[snapshot.method]),
        "method_text": readings.method_paragraph(snapshot.method, snapshot.options, tiebreak),
        "plain_method": explain.plain_method(snapshot.method, snapshot.options, tiebreak),
        "rule": explain.stage_rule(outputs["stages"], decimals),
        "stage_names": [s["name"] for s in outputs["stages"]],
        "stage_shares": [explain.whole(w) for w in shares(outputs["stages"])],
        "signer": _signer(snapshot),
        "rows": rows,
        "excluded": outputs["excluded"],
        "sheets": outputs["sheets"],
        "version": snapshot.version,
        "status": snapshot.status,
        "sha256": snapshot.sha256,
        "code_version": snapshot.code_version,
        "published_at": snapshot.published_at,
        "reason": snapshot.reason,
    }


def _signer(snapshot: ResultSnapshot) -> dict[str, str]:
    """Who signs "Mengetahui": the event's certificate signer when the committee set one."""
    event_id = snapshot.inputs["category"]["event"].get("id")
    settings = db.session.scalar(
        select(CertificateSettings).where(CertificateSettings.event_id == event_id)
    )
    if settings is None:
        return {"title": "", "name": "", "nip": ""}
    return {
        "title": settings.signer_title.strip(),
        "name": settings.signer_name.strip(),
        "nip": (settings.signer_nip or "").strip(),
    }
