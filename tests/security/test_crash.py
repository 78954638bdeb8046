"""Crash safety: SIGKILL the server in the middle of a burst of sheet saves.

The real server (gunicorn, one worker with threads, in its own process group) runs on a file
SQLite database and on PostgreSQL. Four threads save four sheets as fast as they can through
PUT /api/v1/sheets/<id>, each save setting every criterion of the sheet to the same value k.
Mid-burst the whole process group gets SIGKILL. After a restart: every save that was answered
200 is there (its submission is logged and the sheet's version is at least the answered one),
and no sheet is half-written (every criterion holds the value of one and the same save).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Event,
    Region,
    Score,
    ScoreSheet,
    SheetSubmission,
    Stage,
    User,
)
from tests.conftest import CSRF_RE, make_test_app
from tests.support import postgres

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "rahasia-crash-123"
SHEETS = 4
BACKENDS = ["sqlite"] + (["postgresql"] if postgres.available() else [])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Client:
    """A tiny cookie-keeping HTTP client (one connection per request, safe across threads)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, response.read()
        finally:
            conn.close()


def _build(url: str) -> dict[str, object]:
    """One judge with SHEETS open sheets of three 1-100 criteria."""
    app = make_test_app(url)
    with app.app_context():
        db.create_all()
        region = Region(code="15.71", name="Kota Jambi", level="kota")
        event = Event(name="Lomba Crash", slug="crash", level="provinsi", status="scoring")
        category = Category(event=event, name="Poktan", kind="Poktan", entry_kind="group")
        stage = Stage(category=category, position=1, name="Dokumen", weight=100, status="open")
        for position, weight in enumerate((30, 30, 40), start=1):
            Criterion(stage=stage, position=position, name=f"K{position}", weight=weight)
        judge = User(email="juri@crash.juara.id", name="Juri", role="judge")
        judge.set_password(PASSWORD)
        sheets = []
        for n in range(SHEETS):
            entry = Entry(category=category, region=region, name=f"Poktan {n}")
            sheet = ScoreSheet(assignment=Assignment(stage=stage, entry=entry, judge=judge))
            sheets.append(sheet)
        db.session.add_all([region, event, judge, *sheets])
        db.session.commit()
        info = {"sheets": [s.id for s in sheets], "criteria": [c.id for c in stage.criteria]}
        db.engine.dispose()
    return info


class Server:
    def __init__(self, url: str, port: int) -> None:
        self.url, self.port = url, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "JUARA_ENV": "development",
            "JUARA_SECRET_KEY": "crash-test-" + "x" * 40,
            "JUARA_DATABASE_URL": self.url,
            "JUARA_BIND": f"127.0.0.1:{self.port}",
            "JUARA_WORKERS": "1",
            "JUARA_THREADS": "4",
            "JUARA_JOBS": "immediate",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: SIGKILL reaches every worker
        )
        client = Client(self.port)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                if client.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def _login(port: int) -> tuple[Client, str]:
    client = Client(port)
    status, page = client.request("GET", "/login")
    token = CSRF_RE.search(page.decode()).group(1)  # type: ignore[union-attr]
    form = urlencode({"email": "juri@crash.juara.id", "password": PASSWORD, "csrf_token": token})
    status, _ = client.request(
        "POST", "/login", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 302
    status, body = client.request("GET", "/api/v1/session")
    assert status == 200
    return client, json.loads(body)["csrf_token"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, worker_tag: str) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    name = f"juara_crash_{worker_tag}"
    url = postgres.create_database(name)
    try:
        yield url
    finally:
        postgres.drop_database(name)


def test_sigkill_mid_burst_loses_no_acknowledged_save_and_no_sheet_is_half_written(
    database_url: str,
) -> None:
    info = _build(database_url)
    criteria: list[int] = info["criteria"]  # type: ignore[assignment]
    server = Server(database_url, _free_port())
    server.start()
    client, token = _login(server.port)
    acked: list[tuple[int, int, int, str]] = []  # sheet, version, value, submission id
    lock = threading.Lock()
    stop = threading.Event()

    def burst(sheet_id: int) -> None:
        version, k = 0, 0
        while not stop.is_set() and k < 99:
            k += 1
            submission = str(uuid.uuid4())
            body = {
                "submission_id": submission,
                "base_version": version,
                "scores": {str(c): k for c in criteria},
                "comments": {},
                "submit": False,
            }
            headers = {"Content-Type": "application/json", "X-CSRFToken": token}
            try:
                status, answer = client.request(
                    "PUT", f"/api/v1/sheets/{sheet_id}", json.dumps(body).encode(), headers
                )
            except OSError:
                return  # the server is gone
            if status != 200:
                return
            version = json.loads(answer)["version"]
            with lock:
                acked.append((sheet_id, version, k, submission))

    threads = [threading.Thread(target=burst, args=(s,)) for s in info["sheets"]]  # type: ignore[attr-defined]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 8
    while len(acked) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()  # mid-burst: requests are in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    assert len(acked) >= 8, "too few saves were acknowledged before the kill"

    server.start()  # the server comes back on the same database
    client, _ = _login(server.port)
    served = {}
    try:
        for sheet_id in info["sheets"]:  # type: ignore[attr-defined]
            status, body = client.request("GET", f"/api/v1/sheets/{sheet_id}")
            assert status == 200
            served[sheet_id] = json.loads(body)["version"]
    finally:
        server.kill()

    app = make_test_app(database_url)
    with app.app_context():
        logged = set(db.session.scalars(select(SheetSubmission.submission_id)))
        for sheet_id in info["sheets"]:  # type: ignore[attr-defined]
            sheet = db.session.get(ScoreSheet, sheet_id)
            values = db.session.scalars(
                select(Score.value).where(Score.sheet_id == sheet_id).order_by(Score.criterion_id)
            ).all()
            assert served[sheet_id] == sheet.version  # the restarted server serves it
            mine = [a for a in acked if a[0] == sheet_id]
            if mine:
                last_version, last_value = max((a[1], a[2]) for a in mine)
                assert sheet.version >= last_version
                if sheet.version == last_version:
                    assert values == [last_value] * len(criteria)
            # All or nothing: no sheet holds a mix of two saves, or some criteria only.
            assert values == [] or (len(values) == len(criteria) and len(set(values)) == 1)
            if values:
                assert re.fullmatch(r"\d+(\.0)?", str(values[0]))
                assert sheet.version == db.session.scalar(
                    select(SheetSubmission.version)
                    .where(SheetSubmission.sheet_id == sheet_id, SheetSubmission.changed)
                    .order_by(SheetSubmission.version.desc())
                    .limit(1)
                )
        assert {a[3] for a in acked} <= logged  # every acknowledged save is in the log
        db.engine.dispose()
