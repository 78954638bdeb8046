"""Who may download a certificate's PDF (issue 14, item 4).

Only the committee members of the certificate's event (and admins) download any of its
certificates; a committee account of another event gets the same 404 as for an unknown token.
A revoked certificate goes only to them, and visibly marked as revoked on the PDF itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.certificates import revisions
from scoring.extensions import db
from scoring.models import Certificate, Event, EventMember
from scoring.services import certificates as issuing
from tests.certificates.conftest import Contest, needs_tools, pdf_text
from tests.conftest import login

pytestmark = pytest.mark.strict_membership

REASON = "Nama peserta salah ketik"


def _first_certificate(app: Flask, contest: Contest) -> tuple[int, str]:
    with app.app_context():
        issuing.issue_category(contest.category_id)
        cert = db.session.scalar(select(Certificate).order_by(Certificate.seq))
        assert cert is not None
        return cert.id, cert.token


def _signed_in(app: Flask, user: Any) -> FlaskClient:
    client = app.test_client()
    login(client, user.email, user.plain_password)
    return client


def _member_of(app: Flask, user: Any, event_id: int) -> None:
    with app.app_context():
        db.session.add(EventMember(event_id=event_id, user_id=user.id))
        db.session.commit()


def test_only_members_of_the_certificates_event_download_it(
    app: Flask, published: Contest, make_user: Any
) -> None:
    _cert_id, token = _first_certificate(app, published)
    member, outsider, admin = make_user("committee"), make_user("committee"), make_user("admin")
    _member_of(app, member, published.event_id)
    with app.app_context():
        other = Event(name="Lomba Lain", slug="lomba-lain", level="provinsi", status="draft")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    _member_of(app, outsider, other_id)

    url = f"/sertifikat/unduh/{token}"
    assert _signed_in(app, outsider).get(url).status_code == 404
    for user in (member, admin):
        response = _signed_in(app, user).get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        assert response.headers["X-Certificate-Status"] == "valid"


@needs_tools
def test_a_revoked_certificate_goes_to_members_only_and_marked(
    app: Flask, client: FlaskClient, published: Contest, make_user: Any, tmp_path: Any
) -> None:
    cert_id, token = _first_certificate(app, published)
    with app.app_context():
        revisions.revoke_certificate(cert_id, REASON)
    member, outsider = make_user("committee"), make_user("committee")
    _member_of(app, member, published.event_id)
    url = f"/sertifikat/unduh/{token}"

    # The participant who holds the entry's code no longer gets it; a stranger never did.
    with client.session_transaction() as session:
        session["certificate_entry_id"] = published.entry_ids[0]
    assert client.get(url).status_code == 404
    assert _signed_in(app, outsider).get(url).status_code == 404

    response = _signed_in(app, member).get(url)
    assert response.status_code == 200
    assert response.headers["X-Certificate-Status"] == "revoked"
    assert 'filename="DICABUT-' in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
    assert "DICABUT" in text and "tidak berlaku" in text and REASON in text
    assert "Peserta Nomor 1" in text  # still the certificate, under the mark


@needs_tools
def test_a_valid_certificate_carries_no_revoked_mark(
    app: Flask, published: Contest, make_user: Any, tmp_path: Any
) -> None:
    _cert_id, token = _first_certificate(app, published)
    member = make_user("committee")
    _member_of(app, member, published.event_id)
    response = _signed_in(app, member).get(f"/sertifikat/unduh/{token}")
    assert "DICABUT" not in pdf_text(response.data, tmp_path)
