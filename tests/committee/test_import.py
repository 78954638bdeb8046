"""Spreadsheet import: a preview of every row's problems first, nothing saved until confirmed."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import AuditEvent, Entry
from scoring.services.access_codes import hash_code
from scoring.services.errors import InvalidInput
from scoring.services.imports import confirm_import, preview_entries
from scoring.services.spreadsheets import MAX_ROWS, read_table
from tests.committee.test_entries_support import (
    Workspace,
    build_workspace,
    csrf,
    csv_bytes,
    text_of,
    use_tmp_storage,
    xlsx_bytes,
)

HEADER = ["kode_wilayah", "nama", "nama_kontak", "telepon", "email"]
PERSON_HEADER = [*HEADER, "persetujuan", "nik"]

# Every kind of problem, one per row (spreadsheet rows 2..8), plus one good row (9).
BAD_ROWS = [
    HEADER,
    ["15.99", "BKB Anggrek", "", "", ""],  # 2: unknown region code
    ["15.01", "", "", "", ""],  # 3: empty name
    ["15.02", "BKB Kenanga", "", "12345", ""],  # 4: bad phone
    ["15.03", "BKB Mawar", "", "", "mawar@"],  # 5: bad email
    ["15.04", "BKB Lama", "", "", ""],  # 6: duplicate of an existing entry
    ["15.05", "BKB Cempaka", "", "", ""],  # 7: first of two
    ["15.05", "bkb  cempaka", "", "", ""],  # 8: duplicate of row 7
    ["15.06", "BKB Seroja", "Pak Udin", "0812 3456 7890", "seroja@contoh.id"],  # 9: fine
]
EXPECTED = [
    (2, "kode_wilayah", "Kode wilayah 15.99 tidak dikenal."),
    (3, "nama", "Isi nama peserta."),
    (4, "telepon", "Isi nomor telepon Indonesia yang diawali 08 atau +62"),
    (5, "email", "Isi alamat email yang benar."),
    (6, "nama", "Kategori ini sudah memiliki peserta tersebut dari wilayah yang sama: BKB Lama."),
    (8, "nama", "Nama dan wilayah sama dengan baris 7."),
]
CLEAN_ROWS = [
    HEADER,
    ["15.01", "BKB Melati Desa Semurup", "Ibu Sari", "0812-1111-2222", "melati@contoh.id"],
    ["15.02", "BKB Kenanga Kelurahan Pasar Bangko", "", "+62 813 2222 3333", ""],
    ["1503", "BKB Mawar Desa Pelawan", "", "", ""],
]
PROBLEM_ROW = re.compile(
    r'<tr><td class="text-end font-monospace">(\d+)</td><td class="font-monospace">(\w+)</td>'
    r"<td>([^<]+)</td></tr>"
)


@pytest.fixture
def ws(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    use_tmp_storage(app, tmp_path, monkeypatch)
    workspace = build_workspace(app)
    with app.app_context():
        db.session.add(
            Entry(
                category_id=workspace.group_id,
                region_id=workspace.regions["15.04"],
                name="BKB Lama",
            )
        )
        db.session.commit()
    return workspace


@pytest.fixture
def committee(client: FlaskClient, login_as: Callable[..., Any], ws: Workspace) -> FlaskClient:
    login_as("committee")
    return client


def _upload(client: FlaskClient, category_id: int, data: bytes, name: str) -> Any:
    url = f"/panitia/kategori/{category_id}/impor"
    return client.post(
        url,
        data={"csrf_token": csrf(client, url), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _confirm(client: FlaskClient, category_id: int, mode: str) -> Any:
    token = csrf(client, f"/panitia/kategori/{category_id}/impor/pratinjau")
    return client.post(
        f"/panitia/kategori/{category_id}/impor/simpan", data={"csrf_token": token, "mode": mode}
    )


def _entry_names(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(Entry.name)))


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_file_full_of_bad_rows_reports_each_and_saves_nothing(
    app: Flask, committee: FlaskClient, ws: Workspace, kind: str
) -> None:
    data = xlsx_bytes(BAD_ROWS) if kind == "xlsx" else csv_bytes(BAD_ROWS)
    response = _upload(committee, ws.group_id, data, f"peserta.{kind}")
    assert response.status_code == 302
    preview = committee.get(response.headers["Location"])
    html = text_of(preview)
    assert "Belum ada yang disimpan." in html
    found = PROBLEM_ROW.findall(html)
    for row, column, message in EXPECTED:
        assert any(int(r) == row and c == column and message in m for r, c, m in found), (
            row,
            column,
            message,
            found,
        )
    assert {int(r) for r, _c, _m in found} == {2, 3, 4, 5, 6, 8}
    assert _entry_names(app) == ["BKB Lama"]  # the preview saved nothing
    # "All rows" is refused while any row has a problem, and still saves nothing.
    refused = _confirm(committee, ws.group_id, "all")
    assert refused.status_code == 302
    assert "6 baris bermasalah" in text_of(committee.get(refused.headers["Location"]))
    assert _entry_names(app) == ["BKB Lama"]
    # Only the valid rows: row 7 (first Cempaka) and row 9.
    saved = _confirm(committee, ws.group_id, "valid")
    assert saved.headers["Location"].endswith(f"/panitia/kategori/{ws.group_id}/kode-akses")
    assert _entry_names(app) == ["BKB Cempaka", "BKB Lama", "BKB Seroja"]
    with app.app_context():
        seroja = db.session.scalars(select(Entry).filter_by(name="BKB Seroja")).one()
        assert seroja.contact_phone == "081234567890"
        summary = db.session.scalars(select(AuditEvent).filter_by(action="entry.import")).one()
        assert summary.after == {"mode": "valid", "saved": 2, "skipped_rows": [2, 3, 4, 5, 6, 8]}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_clean_import_saves_every_row_with_a_code_shown_once(
    app: Flask, committee: FlaskClient, ws: Workspace, kind: str
) -> None:
    data = xlsx_bytes(CLEAN_ROWS) if kind == "xlsx" else csv_bytes(CLEAN_ROWS, ",", bom=False)
    response = _upload(committee, ws.group_id, data, f"peserta.{kind}")
    html = text_of(committee.get(response.headers["Location"]))
    assert "Semua baris dapat disimpan." in html
    saved = _confirm(committee, ws.group_id, "all")
    codes_page = text_of(committee.get(saved.headers["Location"]))
    codes = re.findall(r'class="access-code font-monospace">([^<]+)<', codes_page)
    assert len(codes) == 3
    assert "3 peserta telah disimpan." in codes_page
    with app.app_context():
        entries = db.session.scalars(select(Entry).where(Entry.name != "BKB Lama")).all()
        assert {e.access_code_hash for e in entries} == {hash_code(c) for c in codes}
        mawar = next(e for e in entries if e.name.startswith("BKB Mawar"))
        assert mawar.region.code == "15.03"  # "1503" was read as 15.03
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).filter_by(action="entry.create")
            )
            == 3
        )
    # The preview is gone once used: confirming again is not possible.
    again = _confirm_after_expiry(committee, ws.group_id)
    assert "Pratinjau sudah kedaluwarsa" in again


def _confirm_after_expiry(client: FlaskClient, category_id: int) -> str:
    response = client.get(f"/panitia/kategori/{category_id}/impor/pratinjau")
    return text_of(client.get(response.headers["Location"]))


def test_person_import_needs_consent_and_a_proper_nik(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    rows = [
        PERSON_HEADER,
        ["15.01", "Siti Aminah", "", "", "", "ya", "1571015506850001"],
        ["15.02", "Rahmat Hidayat", "", "", "", "tidak", ""],  # 3: no consent
        ["15.03", "Nur Aisyah", "", "", "", "ya", "12345"],  # 4: bad NIK
        ["15.04", "Dewi Kartika", "", "", "", "mungkin", ""],  # 5: unreadable consent
    ]
    response = _upload(committee, ws.person_id, xlsx_bytes(rows, text_columns=(7,)), "d.xlsx")
    html = text_of(committee.get(response.headers["Location"]))
    found = {(int(r), c) for r, c, _m in PROBLEM_ROW.findall(html)}
    assert found == {(3, "persetujuan"), (4, "nik"), (5, "persetujuan")}
    assert "1571015506850001" not in html and "1571********0001" in html
    _confirm(committee, ws.person_id, "valid")
    with app.app_context():
        siti = db.session.scalars(select(Entry).filter_by(category_id=ws.person_id)).one()
        assert siti.name == "Siti Aminah" and siti.nik == "1571015506850001"
        assert siti.consent_version == "2025-1"


def test_a_nik_typed_as_a_number_is_flagged(app: Flask, ws: Workspace) -> None:
    rows = [PERSON_HEADER, ["15.01", "Siti Aminah", "", "", "", "ya", 1571015506850001]]
    with app.test_request_context():
        table = read_table(xlsx_bytes(rows), ("nama",), PERSON_HEADER)
        preview = preview_entries(ws.person_id, table.rows)
    (row,) = preview.rows
    assert [p.column for p in row.problems] == ["nik"]
    assert "text" in row.problems[0].message


def test_the_confirm_step_checks_again(app: Flask, ws: Workspace) -> None:
    """A duplicate added between preview and confirm is still caught."""
    table = read_table(csv_bytes(CLEAN_ROWS[:2]), ("nama",), HEADER)
    with app.test_request_context():
        assert preview_entries(ws.group_id, table.rows).error_rows == []
        db.session.add(
            Entry(
                category_id=ws.group_id,
                region_id=ws.regions["15.01"],
                name="BKB MELATI desa semurup",
            )
        )
        db.session.commit()
        with pytest.raises(InvalidInput):
            confirm_import(ws.group_id, table.rows, "all")
        with pytest.raises(InvalidInput):
            confirm_import(ws.group_id, table.rows, "valid")
    assert len(_entry_names(app)) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "bukan lembar kerja XLSX atau CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "berkas Excel lama (.xls)"),
        (csv_bytes([["nama", "telepon"], ["BKB Melati", ""]]), "Kolom kode_wilayah tidak ada"),
        (csv_bytes([HEADER]), "hanya berisi baris judul"),
        (b"", "Berkas ini kosong."),
        (
            csv_bytes([HEADER] + [["15.01", f"BKB {n}", "", "", ""] for n in range(MAX_ROWS + 1)]),
            "lebih dari 2000 baris",
        ),
    ],
    ids=["exe", "xls", "missing-column", "header-only", "empty", "too-many-rows"],
)
def test_files_that_cannot_be_imported_say_why(
    app: Flask, committee: FlaskClient, ws: Workspace, data: bytes, message: str
) -> None:
    response = _upload(committee, ws.group_id, data, "peserta.xlsx")
    assert response.status_code == 200
    assert message in text_of(response)
    assert _entry_names(app) == ["BKB Lama"]


def test_the_template_is_in_indonesian_and_imports_as_is(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    response = committee.get(f"/panitia/kategori/{ws.person_id}/impor/templat.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Peserta", "Petunjuk", "Kode wilayah"]
    header = [c.value for c in workbook["Peserta"][1]]
    assert header == [
        "kode_wilayah*",
        "nama*",
        "nama_kontak",
        "telepon",
        "email",
        "persetujuan",
        "nik",
    ]
    guide = " ".join(str(c.value) for row in workbook["Petunjuk"].iter_rows() for c in row)
    assert "Isi satu peserta per baris" in guide
    codes = [row[0].value for row in workbook["Kode wilayah"].iter_rows(min_row=2)]
    assert "15.71" in codes
    # Filled in and sent back, the template imports.
    sheet = workbook["Peserta"]
    sheet.append(["15.71", "Fitriani", "", "0812 3333 4444", "", "ya", "1571015506850001"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = _upload(committee, ws.person_id, buffer.getvalue(), "templat.xlsx")
    html = text_of(committee.get(uploaded.headers["Location"]))
    assert "Semua baris dapat disimpan." in html


def test_the_preview_belongs_to_its_category(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    _upload(committee, ws.group_id, csv_bytes(CLEAN_ROWS), "a.csv")
    response = committee.get(f"/panitia/kategori/{ws.person_id}/impor/pratinjau")
    assert response.status_code == 302  # no preview for the other category


def test_csv_as_excel_saves_it_on_windows() -> None:
    """Excel's "CSV (Comma delimited)" on an Indonesian Windows: cp1252 text, `;` between."""
    data = "kode_wilayah;nama;telepon\r\n15.01;Posyandu Kasih Ibu – Café;081234567890\r\n"
    table = read_table(data.encode("cp1252"), ("kode_wilayah", "nama"), HEADER)
    assert table.rows == [
        {
            "row": 2,
            "values": {
                "kode_wilayah": "15.01",
                "nama": "Posyandu Kasih Ibu – Café",
                "telepon": "081234567890",
            },
            "notes": [],
        }
    ]
