"""The app runs under gunicorn with two workers against PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.extensions import db
from tests.conftest import make_test_app
from tests.support import postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not postgres.available(), reason="PostgreSQL is not running")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def gunicorn_url(worker_tag: str) -> Iterator[str]:
    name = f"juara_gunicorn_{worker_tag}"
    url = postgres.create_database(name)
    app = make_test_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "JUARA_ENV": "production",
        "JUARA_SECRET_KEY": "gunicorn-test-" + "x" * 40,
        "JUARA_DATABASE_URL": url,
        "JUARA_BIND": f"127.0.0.1:{port}",
        "JUARA_WORKERS": "2",
        "JUARA_THREADS": "2",
        # Plain http on 127.0.0.1: nginx terminates HTTPS in front of a real deployment.
        "JUARA_FORCE_HTTPS": "0",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        postgres.drop_database(name)


def test_two_workers_serve_login_and_readyz(gunicorn_url: str) -> None:
    status, body = _get(f"{gunicorn_url}/readyz")
    assert status == 200 and b'"database":"ok"' in body
    for _ in range(6):  # several requests, so both workers answer
        status, body = _get(f"{gunicorn_url}/login")
        assert status == 200 and "Masuk ke Juara" in body.decode()
