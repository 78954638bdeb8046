"""Login, logout, wrong passwords and role checks."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from scoring.auth.decorators import role_required
from tests.conftest import csrf_token_from, login


def test_login_page_is_indonesian_by_default(client: Any) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="id"' in html
    assert "Masuk ke Juara" in html and "Kata sandi" in html


def test_judge_logs_in_and_lands_on_judge_home(client: Any, make_user: Any) -> None:
    user = make_user("judge", name="Ibu Juri Satu")
    response = login(client, user.email, user.plain_password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/juri/"
    page = client.get("/juri/").get_data(as_text=True)
    assert "Lembar penilaian saya" in page and "Ibu Juri Satu" in page


def test_committee_and_admin_land_on_committee_home(client: Any, make_user: Any) -> None:
    for role in ("committee", "admin"):
        user = make_user(role)
        response = login(client, user.email, user.plain_password)
        assert response.headers["Location"] == "/panitia/"
        client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/panitia/").text)})


def test_email_is_case_insensitive(client: Any, make_user: Any) -> None:
    user = make_user("judge")
    assert login(client, user.email.upper(), user.plain_password).status_code == 302


@pytest.mark.parametrize("case", ["wrong-password", "unknown-email", "inactive"])
def test_failed_login_says_the_same_thing(client: Any, make_user: Any, case: str) -> None:
    user = make_user("judge", active=case != "inactive")
    email = "nobody@test.juara.id" if case == "unknown-email" else user.email
    password = "salah-sekali" if case == "wrong-password" else user.plain_password
    response = login(client, email, password)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Email atau kata sandi salah." in html
    assert "tidak terdaftar" not in html
    assert client.get("/juri/").status_code == 302  # still anonymous


def test_login_requires_csrf_token(client: Any, make_user: Any) -> None:
    user = make_user("judge")
    response = client.post("/login", data={"email": user.email, "password": user.plain_password})
    assert response.status_code == 400
    assert client.get("/juri/").status_code == 302


def test_login_gives_a_fresh_session(client: Any, make_user: Any) -> None:
    user = make_user("judge")
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    login(client, user.email, user.plain_password)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:1"


def test_next_parameter_only_allows_local_paths(client: Any, make_user: Any) -> None:
    user = make_user("judge")
    page = client.get("/login?next=https://evil.example/")
    token = csrf_token_from(page.text)
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": user.email, "password": user.plain_password, "csrf_token": token},
    )
    assert response.headers["Location"] == "/juri/"


def test_logout_ends_the_session(client: Any, login_as: Any) -> None:
    login_as("judge")
    token = csrf_token_from(client.get("/juri/").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/juri/").status_code == 302


def test_logout_without_token_keeps_the_session(client: Any, login_as: Any) -> None:
    login_as("judge")
    client.post("/logout", data={})
    assert client.get("/juri/").status_code == 200


def test_bumping_session_version_signs_out_everywhere(
    client: Any, login_as: Any, app: Flask
) -> None:
    from scoring.extensions import db
    from scoring.models import User

    user = login_as("judge")
    with app.app_context():
        db.session.get(User, user.id).session_version += 1
        db.session.commit()
    assert client.get("/juri/").status_code == 302


def test_role_required_anonymous_redirects_to_login(client: Any) -> None:
    response = client.get("/panitia/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/panitia/")


def test_role_required_wrong_role_is_403(client: Any, login_as: Any) -> None:
    login_as("judge")
    response = client.get("/panitia/")
    assert response.status_code == 403
    assert "Anda tidak memiliki akses" in response.text


def test_role_required_on_a_new_view(app: Flask, client: Any, login_as: Any) -> None:
    # A throwaway app so the shared one keeps its routes.
    from tests.conftest import make_test_app

    other = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"])

    @other.route("/only-admins")
    @role_required("admin")
    def only_admins() -> str:
        return "ok"

    with other.test_client() as c:
        assert c.get("/only-admins").status_code == 302
    with pytest.raises(ValueError, match="unknown roles"):
        role_required("owner")


def test_language_switch_to_english_and_back(client: Any) -> None:
    token = csrf_token_from(client.get("/login").text)
    response = client.post("/bahasa", data={"locale": "en", "next": "/login", "csrf_token": token})
    assert response.headers["Location"] == "/login"
    html = client.get("/login").text
    assert 'lang="en"' in html and "Log in to Juara" in html
    token = csrf_token_from(html)
    client.post("/bahasa", data={"locale": "id", "csrf_token": token})
    assert "Masuk ke Juara" in client.get("/login").text


def test_language_choice_is_stored_on_the_account(client: Any, login_as: Any, app: Flask) -> None:
    from scoring.extensions import db
    from scoring.models import User

    user = login_as("judge")
    token = csrf_token_from(client.get("/juri/").text)
    client.post("/bahasa", data={"locale": "en", "csrf_token": token})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"


def test_unknown_language_is_ignored(client: Any) -> None:
    token = csrf_token_from(client.get("/login").text)
    client.post("/bahasa", data={"locale": "xx", "csrf_token": token})
    assert 'lang="id"' in client.get("/login").text


def test_error_pages_are_indonesian(client: Any) -> None:
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan." in response.text


def test_landing_page_offers_certificates_and_login(client: Any) -> None:
    html = client.get("/").text
    assert 'href="/sertifikat"' in html and 'href="/login"' in html
