"""The operator's pages and the committee's registration pages over HTTP."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from scoring.extensions import db as _db
from scoring.models import User
from tests.conftest import csrf_token_from, login
from tests.regional.conftest import PDF, PNG

# The views read the real clock: the fixture's window is moved around today.
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def open_now(app: Flask, world: dict[str, Any]) -> dict[str, Any]:
    from scoring.models import RegistrationWindow

    with app.app_context():
        for window in _db.session.scalars(select(RegistrationWindow)):
            window.opens_at = NOW - dt.timedelta(days=1)
            window.closes_at = NOW + dt.timedelta(days=1)
        _db.session.commit()
    return world


def token(client: FlaskClient, url: str) -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def register_complete(client: FlaskClient, world: dict[str, Any], name: str = "BKR Melati") -> int:
    """Register, upload both documents, confirm; returns the registration id."""
    url = f"/wilayah/kategori/{world['group']}/daftar"
    response = client.post(
        url,
        data={"csrf_token": token(client, url), "name": name, "contact_phone": "0812 3456 7890"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = response.headers["Location"]
    registration_id = int(page.rstrip("/").rsplit("/", 1)[-1])
    csrf = token(client, page)
    for requirement, (filename, data) in zip(
        requirement_ids(client.application, world["group"]),
        (("sk.pdf", PDF), ("foto.png", PNG)),
        strict=True,
    ):
        response = client.post(
            f"/wilayah/pendaftaran/{registration_id}/dokumen/{requirement}",
            data={"csrf_token": csrf, "file": (io.BytesIO(data), filename)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    response = client.post(
        f"/wilayah/pendaftaran/{registration_id}/kirim", data={"csrf_token": csrf, "confirm": "y"}
    )
    assert response.status_code == 302
    return registration_id


def requirement_ids(app: Flask, category_id: int) -> list[int]:
    from scoring.services.registration_setup import required_documents

    with app.app_context():
        return [doc.id for doc in required_documents(category_id)]


def registration_row(app: Flask, registration_id: int) -> tuple[str, int, list[int]]:
    from scoring.models import Attachment, Registration

    with app.app_context():
        row = _db.session.get(Registration, registration_id)
        files = list(_db.session.scalars(select(Attachment.id).filter_by(entry_id=row.entry_id)))
        return row.status, row.entry_id, files


def test_operator_registers_a_complete_entry(
    client: FlaskClient, open_now: dict[str, Any], operators: dict[str, Any]
) -> None:
    login(client, operators["kota"].email, operators["kota"].plain_password)
    registration_id = register_complete(client, open_now)
    status, _entry, files = registration_row(client.application, registration_id)
    assert (status, len(files)) == ("submitted", 2)
    home = client.get("/wilayah/").get_data(as_text=True)
    assert "BKR Melati" in home and "WIB" in home
    responses = [client.get(f"/berkas/{file_id}") for file_id in files]
    assert [r.status_code for r in responses] == [200, 200]  # the region reads its own files
    pdf = next(r for r in responses if r.mimetype == "application/pdf")
    # The administrative check embeds PDFs in an <object> on our own page: same origin only.
    assert pdf.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert pdf.headers["Content-Security-Policy"] == "frame-ancestors 'self'"


def test_operator_cannot_reach_another_regions_entry_by_id(
    app: Flask, client: FlaskClient, open_now: dict[str, Any], operators: dict[str, Any]
) -> None:
    login(client, operators["kota"].email, operators["kota"].plain_password)
    registration_id = register_complete(client, open_now)
    _status, _entry, files = registration_row(app, registration_id)
    client.post("/logout", data={"csrf_token": token(client, "/wilayah/")})
    login(client, operators["kerinci"].email, operators["kerinci"].plain_password)
    csrf = token(client, "/wilayah/")
    sk = requirement_ids(app, open_now["group"])[0]
    assert client.get(f"/wilayah/pendaftaran/{registration_id}").status_code == 404
    assert (
        client.post(
            f"/wilayah/pendaftaran/{registration_id}", data={"csrf_token": csrf, "name": "X"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/wilayah/pendaftaran/{registration_id}/kirim", data={"csrf_token": csrf}
        ).status_code
        == 404
    )
    upload = client.post(
        f"/wilayah/pendaftaran/{registration_id}/dokumen/{sk}",
        data={"csrf_token": csrf, "file": (io.BytesIO(PDF), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 404
    for file_id in files:
        assert client.get(f"/berkas/{file_id}").status_code == 404
        deleted = client.post(f"/wilayah/berkas/{file_id}/hapus", data={"csrf_token": csrf})
        assert deleted.status_code == 404
    assert "BKR Melati" not in client.get("/wilayah/").get_data(as_text=True)
    assert registration_row(app, registration_id)[2] == files  # nothing was removed


def test_operator_is_kept_out_of_committee_pages(
    client: FlaskClient, open_now: dict[str, Any], operators: dict[str, Any]
) -> None:
    login(client, operators["kota"].email, operators["kota"].plain_password)
    for url in (
        f"/panitia/acara/{open_now['event']}/pendaftaran",
        f"/panitia/acara/{open_now['event']}/seleksi-administrasi",
        f"/panitia/acara/{open_now['event']}/operator",
        "/juri/",
    ):
        assert client.get(url).status_code == 403, url


def test_judge_and_committee_are_kept_out_of_regional_pages(
    client: FlaskClient, open_now: dict[str, Any], login_as: Any
) -> None:
    login_as("judge")
    assert client.get("/wilayah/").status_code == 403
    assert client.get(f"/wilayah/kategori/{open_now['group']}/daftar").status_code == 403


def test_person_entry_without_consent_saves_nothing(
    app: Flask, client: FlaskClient, open_now: dict[str, Any], operators: dict[str, Any]
) -> None:
    from scoring.models import Entry

    login(client, operators["kota"].email, operators["kota"].plain_password)
    url = f"/wilayah/kategori/{open_now['person']}/daftar"
    page = client.post(
        url,
        data={"csrf_token": token(client, url), "name": "Siti Aminah", "contact_phone": "0812"},
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Persetujuan belum ada" in html  # Indonesian, the default language
    with app.app_context():
        assert _db.session.scalar(select(func.count(Entry.id))) == 0


def test_committee_sends_back_then_passes(
    app: Flask,
    client: FlaskClient,
    open_now: dict[str, Any],
    operators: dict[str, Any],
    make_user: Any,
) -> None:
    login(client, operators["kota"].email, operators["kota"].plain_password)
    registration_id = register_complete(client, open_now)
    _status, entry_id, _files = registration_row(app, registration_id)
    client.post("/logout", data={"csrf_token": token(client, "/wilayah/")})
    committee = make_user("committee")
    # The judges belong to no event yet: the committee account that created them manages them.
    with app.app_context():
        _db.session.execute(
            update(User).where(User.role == "judge").values(created_by_id=committee.id)
        )
        _db.session.commit()
    login(client, committee.email, committee.plain_password)
    queue = f"/panitia/acara/{open_now['event']}/seleksi-administrasi"
    page = client.get(queue).get_data(as_text=True)
    assert "BKR Melati" in page and "/berkas/" in page  # documents inline
    csrf = csrf_token_from(page)
    decide = f"/panitia/peserta/{entry_id}/seleksi-administrasi"
    client.post(
        decide,
        data={"csrf_token": csrf, "outcome": "needs_correction", "reason": "Foto buram"},
    )
    assert registration_row(app, registration_id)[0] == "needs_correction"
    client.post("/logout", data={"csrf_token": csrf})
    login(client, operators["kota"].email, operators["kota"].plain_password)
    page = client.get(f"/wilayah/pendaftaran/{registration_id}").get_data(as_text=True)
    assert "Foto buram" in page
    csrf = csrf_token_from(page)
    client.post(
        f"/wilayah/pendaftaran/{registration_id}/kirim", data={"csrf_token": csrf, "confirm": "y"}
    )
    assert registration_row(app, registration_id)[0] == "submitted"
    client.post("/logout", data={"csrf_token": csrf})
    login(client, committee.email, committee.plain_password)
    client.post(decide, data={"csrf_token": token(client, queue), "outcome": "pass"})
    assert registration_row(app, registration_id)[0] == "passed"
    # Judge 2 (Kerinci) and judge 3 now have the entry on their worklist; judge 1 is from
    # Kota Jambi and does not.
    client.post("/logout", data={"csrf_token": token(client, queue)})
    login(client, "juri2@uji.id", "rahasia-123")
    assert "BKR Melati" in client.get("/juri/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token(client, "/juri/")})
    login(client, "juri1@uji.id", "rahasia-123")
    assert "BKR Melati" not in client.get("/juri/").get_data(as_text=True)


def test_invitation_link_creates_one_operator(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    from scoring.models import User
    from scoring.services.operators import create_invitation

    with app.app_context():
        link = create_invitation(world["kerinci"], world["event"], 7, None, NOW)
        expired = create_invitation(
            world["kerinci"], world["event"], 1, None, NOW - dt.timedelta(days=2)
        )
    assert client.get(f"/wilayah/undangan/{expired}").status_code == 404
    url = f"/wilayah/undangan/{link}"
    data = {
        "csrf_token": token(client, url),
        "name": "Operator Kerinci",
        "email": "Op@Kerinci.id",
        "password": "rahasia-panjang",
        "confirm": "rahasia-panjang",
    }
    assert client.post(url, data=data).headers["Location"].endswith("/wilayah/")
    with app.app_context():
        user = _db.session.scalar(select(User).filter_by(email="op@kerinci.id"))
        assert (user.role, user.home_region_id, user.operator_event_id) == (
            "regional",
            world["kerinci"],
            world["event"],
        )
    client.post("/logout", data={"csrf_token": token(client, "/wilayah/")})
    assert client.get(url).status_code == 404  # used once


def test_committee_sets_window_and_requirements(
    app: Flask, client: FlaskClient, world: dict[str, Any], login_as: Any
) -> None:
    from scoring.models import RegistrationWindow

    login_as("committee")
    overview = f"/panitia/acara/{world['event']}/pendaftaran"
    page = client.get(overview).get_data(as_text=True)
    assert "SK pembentukan" in page
    csrf = csrf_token_from(page)
    prefix = f"w{world['group']}-"
    client.post(
        f"/panitia/kategori/{world['group']}/pendaftaran/jadwal",
        data={
            "csrf_token": csrf,
            prefix + "opens_at": "2026-04-01T08:00",
            prefix + "closes_at": "2026-04-30T23:59",
            prefix + "quota": "2",
        },
    )
    with app.app_context():
        window = _db.session.scalar(
            select(RegistrationWindow).filter_by(category_id=world["group"])
        )
        # Typed in WIB, stored in UTC.
        assert window.closes_at == dt.datetime(2026, 4, 30, 16, 59, tzinfo=dt.UTC)
        assert window.quota_per_region == 2
    d = f"d{world['group']}-"
    client.post(
        f"/panitia/kategori/{world['group']}/pendaftaran/dokumen",
        data={
            "csrf_token": csrf,
            d + "name": "Laporan kegiatan",
            d + "types": ["application/pdf"],
            d + "max_mb": "3",
        },
    )
    assert requirement_ids(app, world["group"]).__len__() == 3
    assert "30 Apr 2026 23.59 WIB" in client.get(overview).get_data(as_text=True)


def test_committee_creates_an_operator_and_sees_the_password_once(
    app: Flask, client: FlaskClient, world: dict[str, Any], login_as: Any
) -> None:
    from scoring.models import User

    login_as("committee")
    url = f"/panitia/acara/{world['event']}/operator"
    response = client.post(
        url,
        data={
            "csrf_token": token(client, url),
            "action": "create",
            "op-name": "Operator Kota Jambi",
            "op-email": "operator@kotajambi.id",
            "op-region_id": str(world["kota"]),
        },
    )
    assert response.headers["Location"].endswith(url)
    first = client.get(url).get_data(as_text=True)
    assert 'data-testid="operator-login"' in first and "operator@kotajambi.id" in first
    assert 'data-testid="operator-login"' not in client.get(url).get_data(as_text=True)
    with app.app_context():
        user = _db.session.scalar(select(User).filter_by(email="operator@kotajambi.id"))
        assert (user.role, user.home_region_id, user.operator_event_id) == (
            "regional",
            world["kota"],
            world["event"],
        )


def test_operator_sees_the_committees_entry_that_used_the_regions_place(
    app: Flask,
    client: FlaskClient,
    open_now: dict[str, Any],
    operators: dict[str, Any],
    make_user: Any,
) -> None:
    """Issue 18: 'Entries: 1 of 1' with nothing listed left the operator guessing."""
    from flask_login import login_user

    from scoring.models import User
    from scoring.services.entries import create_entry
    from scoring.services.entry_checks import EntryData

    committee = make_user("committee", name="Bu Rina Panitia")
    with app.test_request_context():
        login_user(_db.session.get(User, committee.id))
        create_entry(
            open_now["group"], EntryData(name="BKR Impor Panitia", region_id=open_now["kota"])
        )

    login(client, operators["kota"].email, operators["kota"].plain_password)
    home = client.get("/wilayah/").get_data(as_text=True)
    assert "Peserta: 1 dari 1" in home
    section = home[home.index('data-testid="committee-entries"') :]
    assert "BKR Impor Panitia" in section
    assert "Ditambahkan oleh Bu Rina Panitia" in section
    assert "/wilayah/pendaftaran/" not in section  # read-only: no link to an edit page

    client.post("/logout", data={"csrf_token": token(client, "/wilayah/")})
    login(client, operators["kerinci"].email, operators["kerinci"].plain_password)
    assert "BKR Impor Panitia" not in client.get("/wilayah/").get_data(as_text=True)
