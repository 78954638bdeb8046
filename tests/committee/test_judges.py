"""Judge accounts: one by one or from a spreadsheet, a login sheet shown once, resets."""

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
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import AuditEvent, User
from scoring.services.accounts import PASSWORD_ALPHABET, generate_password
from tests.committee.test_entries_support import (
    Workspace,
    build_workspace,
    created_by,
    csrf,
    csv_bytes,
    text_of,
    use_tmp_storage,
    xlsx_bytes,
)
from tests.conftest import login

PASSWORD_RE = re.compile(r'class="font-monospace login-password">([^<]+)<')


@pytest.fixture
def ws(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    use_tmp_storage(app, tmp_path, monkeypatch)
    return build_workspace(app)


@pytest.fixture
def committee(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Workspace
) -> FlaskClient:
    """Logged in as the committee account that created the workspace's judges."""
    created_by(app, ws.judges, login_as("committee").id)
    return client


def _can_log_in(app: Flask, email: str, password: str) -> bool:
    response = login(app.test_client(), email, password)
    return response.status_code == 302 and "/juri" in response.headers["Location"]


def test_generated_passwords_are_easy_to_type() -> None:
    password = generate_password()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    assert set(password.replace("-", "")) <= set(PASSWORD_ALPHABET)
    assert not set("01ilo") & set(PASSWORD_ALPHABET)
    assert len({generate_password() for _ in range(50)}) == 50


def test_committee_creates_a_judge_and_prints_the_login_sheet_once(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    token = csrf(committee, "/panitia/juri")
    response = committee.post(
        "/panitia/juri/baru",
        data={
            "csrf_token": token,
            "one-name": "Dr. Hendra Saputra, M.Kes.",
            "one-email": "Hendra@Contoh.id",
            "one-home_region_id": ws.regions["15.71"],
        },
    )
    assert response.status_code == 302
    sheet = committee.get(response.headers["Location"])
    html = text_of(sheet)
    assert sheet.headers["Cache-Control"] == "no-store"
    assert "Kata sandi ini hanya ditampilkan kali ini saja." in html
    assert "hendra@contoh.id" in html and "Kota Jambi" in html
    assert "http://localhost/login" in html
    (password,) = PASSWORD_RE.findall(html)
    assert _can_log_in(app, "hendra@contoh.id", password)
    again = text_of(committee.get("/panitia/juri/lembar-masuk"))
    assert password not in again and "sudah pernah ditampilkan" in again
    with app.app_context():
        judge = db.session.scalars(select(User).filter_by(email="hendra@contoh.id")).one()
        assert judge.role == "judge" and judge.home_region_id == ws.regions["15.71"]
        audit = db.session.scalars(select(AuditEvent).filter_by(action="user.create")).one()
        assert password not in str(audit.after)


def test_a_duplicate_email_is_refused(app: Flask, committee: FlaskClient, ws: Workspace) -> None:
    token = csrf(committee, "/panitia/juri")
    response = committee.post(
        "/panitia/juri/baru",
        data={
            "csrf_token": token,
            "one-name": "Juri Lain",
            "one-email": "juri1@uji.juara.id",
            "one-home_region_id": 0,
        },
    )
    assert response.status_code == 422
    assert "Sudah ada akun dengan email ini." in text_of(response)


def test_judges_from_a_spreadsheet_all_or_nothing(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    bad = [
        ["nama", "email", "kode_wilayah"],
        ["Dra. Yusnidar, M.Pd.", "yusnidar@contoh.id", "15.01"],
        ["", "kosong@contoh.id", ""],  # 3: no name
        ["Ir. Bambang", "juri1@uji.juara.id", ""],  # 4: email taken
        ["Nurhayati", "yusnidar@contoh.id", "15.99"],  # 5: same email as row 2, unknown region
    ]
    token = csrf(committee, "/panitia/juri")
    response = committee.post(
        "/panitia/juri/impor",
        data={"csrf_token": token, "many-file": (io.BytesIO(xlsx_bytes(bad)), "juri.xlsx")},
        content_type="multipart/form-data",
    )
    html = text_of(response)
    assert response.status_code == 422
    assert "Tidak ada yang disimpan." in html
    for text in (
        "Isi nama juri.",
        "Sudah ada akun dengan email ini.",
        "Email sama dengan baris 2.",
        "Kode wilayah 15.99 tidak dikenal.",
    ):
        assert text in html
    with app.app_context():
        assert db.session.scalar(select(User.id).filter_by(email="yusnidar@contoh.id")) is None

    good = [
        ["nama", "email", "kode_wilayah"],
        ["Dra. Yusnidar, M.Pd.", "yusnidar@contoh.id", "15.01"],
        ["Ir. Bambang Wijaya", "bambang@contoh.id", ""],
    ]
    token = csrf(committee, "/panitia/juri")
    response = committee.post(
        "/panitia/juri/impor",
        data={"csrf_token": token, "many-file": (io.BytesIO(csv_bytes(good)), "juri.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    html = text_of(committee.get(response.headers["Location"]))
    passwords = PASSWORD_RE.findall(html)
    assert len(passwords) == 2
    assert _can_log_in(app, "bambang@contoh.id", passwords[1])


def test_reset_password_and_deactivate(app: Flask, committee: FlaskClient, ws: Workspace) -> None:
    judge_id = ws.judges[1]
    assert _can_log_in(app, "juri2@uji.juara.id", "rahasia-123")
    token = csrf(committee, "/panitia/juri")
    response = committee.post(f"/panitia/juri/{judge_id}/sandi-baru", data={"csrf_token": token})
    (password,) = PASSWORD_RE.findall(text_of(committee.get(response.headers["Location"])))
    assert not _can_log_in(app, "juri2@uji.juara.id", "rahasia-123")
    assert _can_log_in(app, "juri2@uji.juara.id", password)

    judge_client = app.test_client()
    login(judge_client, "juri2@uji.juara.id", password)
    assert judge_client.get("/juri/").status_code == 200
    committee.post(f"/panitia/juri/{judge_id}/aktif", data={"csrf_token": token, "active": "0"})
    assert judge_client.get("/juri/").status_code == 302  # signed out at once
    assert not _can_log_in(app, "juri2@uji.juara.id", password)
    page = text_of(committee.get("/panitia/juri"))
    assert "nonaktif" in page
    committee.post(f"/panitia/juri/{judge_id}/aktif", data={"csrf_token": token, "active": "1"})
    assert _can_log_in(app, "juri2@uji.juara.id", password)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert {"user.password_reset", "user.deactivate", "user.activate"} <= set(actions)


def test_only_judges_are_managed_here(
    app: Flask, committee: FlaskClient, ws: Workspace, make_user: Callable[..., Any]
) -> None:
    admin, other_admin = make_user("admin"), make_user("admin")
    token = csrf(committee, "/panitia/juri")
    # A committee account never manages an admin's account: refused before the page runs.
    response = committee.post(f"/panitia/juri/{admin.id}/sandi-baru", data={"csrf_token": token})
    assert response.status_code == 403
    # An admin may open the page for any account, and is told it handles judges only.
    admin_client = app.test_client()
    login(admin_client, other_admin.email, other_admin.plain_password)
    token = csrf(admin_client, "/panitia/juri")
    response = admin_client.post(
        f"/panitia/juri/{admin.id}/sandi-baru", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Halaman ini hanya untuk mengelola akun juri." in text_of(response)
    assert _can_log_in(app, admin.email, admin.plain_password) is False  # admin lands elsewhere
    assert login(app.test_client(), admin.email, admin.plain_password).status_code == 302


def test_judge_template(committee: FlaskClient) -> None:
    response = committee.get("/panitia/juri/templat.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in workbook.active[1]] == ["nama*", "email*", "kode_wilayah"]
