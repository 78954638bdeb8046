"""Committee pages: settings, issue all as a job with progress and a ZIP, revoke, reissue."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from scoring.models import Certificate, CertificateSettings, Job
from tests.certificates.conftest import Contest
from tests.conftest import csrf_token_from


def _token(client: FlaskClient, url: str) -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_only_the_committee_gets_in(client: FlaskClient, login_as: Any, contest: Contest) -> None:
    assert client.get(f"/panitia/sertifikat/{contest.event_id}").status_code == 302  # to login
    login_as("judge")
    assert client.get(f"/panitia/sertifikat/{contest.event_id}").status_code == 403
    assert (
        client.get(f"/panitia/sertifikat/{contest.event_id}/contoh/winner.pdf").status_code == 403
    )


def test_settings_are_saved_with_a_converted_logo(
    app: Any, client: FlaskClient, login_as: Any, contest: Contest
) -> None:
    login_as("committee")
    url = f"/panitia/sertifikat/{contest.event_id}/pengaturan"
    page = client.get(url).get_data(as_text=True)
    assert "Pengaturan piagam" in page and "Kepala Perwakilan BKKBN Provinsi Jambi" in page
    logo = io.BytesIO()
    Image.new("RGBA", (500, 500), (0, 90, 160, 255)).save(logo, "PNG")
    logo.seek(0)
    form = {
        "csrf_token": csrf_token_from(page),
        "title": "PIAGAM PENGHARGAAN",
        "signer_title": "Kepala Perwakilan BKKBN Provinsi Jambi",
        "signer_name": "Dr. Drs. Munawar Ibrahim, M.Kes.",
        "signer_nip": "196805121994031003",
        "place": "Jambi",
        "issue_date": "2025-06-30",
        "org_code": "BKKBN-JMB",
        "number_format": "{seq:03d}/PIAGAM/{org}/{month_roman}/{year}",
        "logo": (logo, "logo.png"),
    }
    response = client.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        from scoring.extensions import db

        settings = db.session.scalar(
            select(CertificateSettings).filter_by(event_id=contest.event_id)
        )
        assert settings.logo_name.endswith(".jpg") and str(settings.issue_date) == "2025-06-30"
    preview = client.get(f"/panitia/sertifikat/{contest.event_id}/contoh/judge.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")


def test_a_bad_number_format_is_shown_next_to_its_field(
    client: FlaskClient, login_as: Any, contest: Contest
) -> None:
    login_as("committee")
    url = f"/panitia/sertifikat/{contest.event_id}/pengaturan"
    form = {
        "csrf_token": _token(client, url),
        "title": "PIAGAM",
        "signer_title": "Kepala",
        "signer_name": "Nama",
        "place": "Jambi",
        "org_code": "BKKBN-JMB",
        "number_format": "{nomor}/PIAGAM/{year}",
    }
    response = client.post(url, data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Token {nomor} pada format nomor tidak dikenal" in html
    assert 'id="number_format-errors"' in html
    assert 'value="{nomor}/PIAGAM/{year}"' in html  # what was typed is kept


def test_issue_all_runs_as_a_job_with_progress_and_a_zip(
    app: Any, client: FlaskClient, login_as: Any, published: Contest
) -> None:
    login_as("committee")
    page_url = f"/panitia/sertifikat/{published.event_id}"
    page = client.get(page_url).get_data(as_text=True)
    assert "Diumumkan" in page and "Belum diumumkan" in page  # the other category
    response = client.post(
        f"{page_url}/terbitkan",
        data={"csrf_token": csrf_token_from(page), "category_id": published.category_id},
    )
    assert response.status_code == 302
    job_url = response.headers["Location"]
    job_page = client.get(job_url).get_data(as_text=True)
    assert 'data-job-url="' in job_page and "Unduh semua (ZIP)" in job_page
    state = client.get(f"{job_url}.json").get_json()
    assert state["status"] == "done" and state["done"] == state["total"] == 6
    assert state["percent"] == 100 and state["message"] == "Selesai: 6 piagam telah dibuat."
    archive = client.get(state["download_url"])
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
        names = zipped.namelist()
        assert len(names) == 6 and names[0] == "001-PIAGAM-BKKBN-JMB-VI-2025 Peserta Nomor 1.pdf"
        assert all(zipped.read(n).startswith(b"%PDF") for n in names)
    with app.app_context():
        from scoring.extensions import db

        assert all(c.pdf_sha256 for c in db.session.scalars(select(Certificate)))
    # The judges' appreciation is its own run.
    response = client.post(
        f"{page_url}/terbitkan",
        data={"csrf_token": _token(client, page_url), "category_id": "judges"},
    )
    state = client.get(f"{response.headers['Location']}.json").get_json()
    assert state["status"] == "done" and state["total"] == 2
    page = client.get(page_url).get_data(as_text=True)
    assert "008/PIAGAM/BKKBN-JMB/VI/2025" in page


def test_issue_all_refuses_an_unpublished_category(
    app: Any, client: FlaskClient, login_as: Any, published: Contest
) -> None:
    login_as("committee")
    page_url = f"/panitia/sertifikat/{published.event_id}"
    response = client.post(
        f"{page_url}/terbitkan",
        data={"csrf_token": _token(client, page_url), "category_id": published.other_category_id},
        follow_redirects=True,
    )
    assert "Hasil Poktan BKB Terbaik belum diumumkan" in response.get_data(as_text=True)
    with app.app_context():
        from scoring.extensions import db

        assert db.session.scalars(select(Job)).all() == []


def test_a_failed_job_says_why(
    app: Any, client: FlaskClient, login_as: Any, published: Contest
) -> None:
    from scoring.certificates import bulk

    login_as("committee")
    with app.app_context():
        from scoring.extensions import db

        job = Job(
            kind=bulk.KIND,
            event_id=published.event_id,
            params={"category_id": published.other_category_id},
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        bulk.run_issue_job(job_id)
    state = client.get(f"/panitia/sertifikat/tugas/{job_id}.json").get_json()
    assert state["status"] == "failed"
    assert state["error"].startswith("Hasil Poktan BKB Terbaik belum diumumkan")


def test_revoke_and_reissue_from_the_list(
    app: Any, client: FlaskClient, login_as: Any, published: Contest
) -> None:
    login_as("committee")
    page_url = f"/panitia/sertifikat/{published.event_id}"
    client.post(
        f"{page_url}/terbitkan",
        data={"csrf_token": _token(client, page_url), "category_id": published.category_id},
    )
    with app.app_context():
        from scoring.extensions import db

        cert = db.session.scalar(select(Certificate).order_by(Certificate.seq))
        cert_id, token = cert.id, cert.token
    base = f"/panitia/sertifikat/piagam/{cert_id}"
    empty = client.post(
        f"{base}/cabut",
        data={"csrf_token": _token(client, page_url), "reason": ""},
        follow_redirects=True,
    )
    assert "Masukkan alasan pencabutan piagam." in empty.get_data(as_text=True)
    revoked = client.post(
        f"{base}/cabut",
        data={"csrf_token": _token(client, page_url), "reason": "Nama salah"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Piagam 001/PIAGAM/BKKBN-JMB/VI/2025 telah dicabut." in revoked
    assert "Dicabut" in client.get(f"/verifikasi/{token}").get_data(as_text=True)
    reissued = client.post(
        f"{base}/terbitkan-ulang",
        data={"csrf_token": _token(client, page_url)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "telah diterbitkan ulang sebagai revisi 2" in reissued and "Revisi 2" in reissued
    with app.app_context():
        from scoring.extensions import db

        cert = db.session.get(Certificate, cert_id)
        assert cert.status == "valid" and cert.token != token and cert.pdf_name
    assert "Dicabut" in client.get(f"/verifikasi/{token}").get_data(as_text=True)
