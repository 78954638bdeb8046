"""Public pages: verify by QR token, download by access code; nothing personal leaks."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.certificates import revisions
from scoring.certificates.views import CODE_LIMIT, VERIFY_LIMIT
from scoring.models import Certificate
from scoring.services import certificates as issuing
from tests.certificates.conftest import CONTACT, EMAIL, NIK, PHONE, Contest, strip_csrf
from tests.conftest import csrf_token_from

PERSONAL = (NIK, "1571", PHONE, "0812", EMAIL, CONTACT)


def _limit(text: str) -> int:
    return int(text.split(" ", 1)[0])


def _issued(app: Any, contest: Contest) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        issuing.issue_category(contest.category_id)
        issuing.issue_judges(contest.event_id)
        rows = issuing.db.session.scalars(select(Certificate).order_by(Certificate.seq))
        return [(c.token, c.entry_id, c.number) for c in rows]


def _no_personal_data(html: str) -> None:
    for secret in PERSONAL:
        assert secret not in html, secret


def test_the_verify_page_shows_the_certificate_and_nothing_else(
    app: Any, client: FlaskClient, published: Contest
) -> None:
    token, _entry, number = _issued(app, published)[0]
    response = client.get(f"/verifikasi/{token}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = ("Sah", number, "Peserta Nomor 1", "Kota Jambi", "Juara I", "Duta Orang Tua Hebat",
             "Pemilihan Duta Orang Tua Hebat", "27 Juni 2025")  # fmt: skip
    for text in shown:
        assert text in html, text
    _no_personal_data(html)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_a_revoked_certificate_shows_as_revoked(
    app: Any, client: FlaskClient, published: Contest
) -> None:
    token, _entry, _number = _issued(app, published)[0]
    with app.app_context():
        cert_id = issuing.db.session.scalar(select(Certificate.id).filter_by(token=token))
        revisions.revoke_certificate(cert_id, "Data peserta tidak benar")
    html = client.get(f"/verifikasi/{token}").get_data(as_text=True)
    assert "Dicabut" in html and "Sah:" not in html
    assert "Data peserta tidak benar" not in html  # the reason is the committee's business


def test_unknown_tokens_get_a_plain_404(client: FlaskClient, published: Contest) -> None:
    for token in ("tidak-ada", "x" * 22, "x" * 300):
        response = client.get(f"/verifikasi/{token}")
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_the_verify_page_is_rate_limited(client: FlaskClient, published: Contest) -> None:
    per_minute = _limit(VERIFY_LIMIT)
    codes = [client.get("/verifikasi/tidak-ada").status_code for _ in range(per_minute + 1)]
    assert codes[:per_minute] == [404] * per_minute
    assert codes[-1] == 429


def _try_code(client: FlaskClient, code: str) -> Any:
    token = csrf_token_from(client.get("/sertifikat").get_data(as_text=True))
    return client.post("/sertifikat", data={"code": code, "csrf_token": token})


def test_a_right_code_lists_and_downloads_that_entrys_certificates(
    app: Any, client: FlaskClient, published: Contest
) -> None:
    issued = _issued(app, published)
    response = _try_code(client, published.codes[1].lower().replace("-", " "))
    assert response.status_code == 302
    html = client.get("/sertifikat").get_data(as_text=True)
    mine = [t for t, entry, _n in issued if entry == published.entry_ids[1]]
    assert f"/sertifikat/unduh/{mine[0]}" in html and "Juara II" in html
    _no_personal_data(html)
    others = [t for t, entry, _n in issued if entry != published.entry_ids[1]]
    assert not any(t in html for t in others)
    pdf = client.get(f"/sertifikat/unduh/{mine[0]}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    # Someone else's certificate and a judge's: not found, as if they did not exist.
    assert client.get(f"/sertifikat/unduh/{others[0]}").status_code == 404
    assert client.get(f"/sertifikat/unduh/{issued[-1][0]}").status_code == 404
    # Forgetting the code ends access.
    token = csrf_token_from(client.get("/sertifikat").get_data(as_text=True))
    client.post("/sertifikat/keluar", data={"csrf_token": token})
    assert client.get(f"/sertifikat/unduh/{mine[0]}").status_code == 404


def test_a_wrong_code_and_a_code_without_certificates_look_the_same(
    client: FlaskClient, published: Contest
) -> None:
    wrong = _try_code(client, "ZZZZ-ZZZZ-ZZZZ")
    nothing_yet = _try_code(client, published.codes[0])  # right code, nothing issued yet
    assert wrong.status_code == nothing_yet.status_code == 200
    wrong_html = strip_csrf(wrong.get_data(as_text=True))
    assert wrong_html == strip_csrf(nothing_yet.get_data(as_text=True))
    assert "Tidak ada piagam untuk kode ini" in wrong_html
    _no_personal_data(wrong_html)


def test_wrong_access_codes_are_rate_limited(client: FlaskClient, published: Contest) -> None:
    per_minute = _limit(CODE_LIMIT)
    for _ in range(per_minute):
        assert _try_code(client, "ZZZZ-ZZZZ-ZZZZ").status_code == 200
    blocked = _try_code(client, published.codes[0])  # even a right code waits now
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)
    assert client.get("/sertifikat").status_code == 200  # the form itself still shows


def test_right_codes_do_not_count_towards_the_limit(
    app: Any, client: FlaskClient, published: Contest
) -> None:
    _issued(app, published)
    for _ in range(_limit(CODE_LIMIT) + 2):
        assert _try_code(client, published.codes[0]).status_code == 302


def test_a_judge_downloads_their_own_appreciation(
    app: Any, client: FlaskClient, published: Contest
) -> None:
    from tests.conftest import login

    issued = _issued(app, published)
    login(client, "juri0@contoh.id", "rahasia-123")
    html = client.get("/sertifikat/saya").get_data(as_text=True)
    judge_tokens = [t for t, entry, _n in issued if entry is None]
    assert f"/sertifikat/unduh/{judge_tokens[0]}" in html
    assert judge_tokens[1] not in html
    assert client.get(f"/sertifikat/unduh/{judge_tokens[0]}").status_code == 200
    assert client.get(f"/sertifikat/unduh/{judge_tokens[1]}").status_code == 404
