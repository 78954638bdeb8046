"""The committee is warned when the certificates' QR codes would point at a loopback address."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from scoring.certificates.base_url import is_loopback, loopback_warning
from tests.certificates.conftest import Contest

WARNING = 'data-testid="base-url-warning"'


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
     ("[::1]", True), ("0.0.0.0", True),  # noqa: S104 ("app.localhost", True), ("192.168.1.20", False),
     ("juara.jambi.bkkbn.go.id", False), ("10.0.0.1", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_warning_needs_a_loopback_base_and_another_request_host() -> None:
    found = loopback_warning("http://127.0.0.1:5000/", "http://192.168.1.20:5000/")
    assert found and (found.base_url, found.seen_at) == (
        "http://127.0.0.1:5000",
        "http://192.168.1.20:5000",
    )
    assert loopback_warning("http://127.0.0.1:5000", "http://localhost:5000/") is None
    assert loopback_warning("http://127.0.0.1:5000", "http://127.0.0.1:5000/") is None
    assert loopback_warning("https://juara.jambi.bkkbn.go.id", "http://192.168.1.20/") is None


@pytest.mark.parametrize("page", ["", "/pengaturan"])
def test_the_certificates_page_warns_about_a_loopback_base_url(
    app: Any,
    client: FlaskClient,
    login_as: Any,
    contest: Contest,
    monkeypatch: pytest.MonkeyPatch,
    page: str,
) -> None:
    login_as("committee")
    session = client.get_cookie("juara_session")
    assert session is not None
    for host in ("192.168.1.20", "127.0.0.1"):  # the same browser session under other hosts
        client.set_cookie("juara_session", session.value, domain=host)
    url = f"/panitia/sertifikat/{contest.event_id}{page}"
    monkeypatch.setitem(app.config, "BASE_URL", "http://127.0.0.1:5000")
    lan = client.get(url, headers={"Host": "192.168.1.20:5000"})
    assert lan.status_code == 200
    assert WARNING in lan.text
    assert "http://127.0.0.1:5000" in lan.text and "http://192.168.1.20:5000" in lan.text
    assert "JUARA_BASE_URL" in lan.text and "tidak akan berfungsi di ponsel" in lan.text
    # Opened on the server itself: the loopback address works there, no warning.
    assert WARNING not in client.get(url, headers={"Host": "127.0.0.1:5000"}).text
    # A real address: no warning, wherever the page is opened.
    monkeypatch.setitem(app.config, "BASE_URL", "https://juara.jambi.bkkbn.go.id")
    assert WARNING not in client.get(url, headers={"Host": "192.168.1.20:5000"}).text
