"""Background jobs: a real huey consumer process on a SQLite queue, and the development thread."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from huey import SqliteHuey
from huey.storage import MemoryStorage
from sqlalchemy import select

from scoring import jobs
from scoring.certificates import bulk
from scoring.extensions import db as _db
from scoring.models import Certificate, Job
from tests.certificates.conftest import Contest

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(app: Any, job_id: int, seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    while True:
        with app.app_context():
            job = _db.session.get(Job, job_id)
            _db.session.expunge(job)
        if job.is_finished or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def test_a_huey_consumer_process_runs_the_job_from_a_sqlite_queue(
    app: Any, contest: Contest, tmp_path: Path
) -> None:
    """The production path: `huey_consumer scoring.jobs.huey` builds its own app from JUARA_*."""
    queue = tmp_path / "huey.sqlite3"
    with app.app_context():
        job = Job(kind=bulk.KIND, event_id=contest.event_id, params={"category_id": None})
        _db.session.add(job)
        _db.session.commit()
        job_id = job.id
    # Enqueue from "the web process": the same task name on the same queue file.
    producer = SqliteHuey("juara", filename=str(queue))
    producer.task()(jobs.issue_all_task.func)(job_id)
    assert producer.pending_count() == 1

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "JUARA_ENV": "testing",
        "JUARA_JOBS": "consumer",
        "JUARA_HUEY_FILE": str(queue),
        "JUARA_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JUARA_UPLOAD_DIR": app.config["UPLOAD_DIR"],
        "JUARA_BASE_URL": "https://juara.example.go.id",
    }
    env.pop("JUARA_REDIS_URL", None)
    consumer = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "huey_consumer"),
            "scoring.jobs.huey",
            "-w",
            "1",
            "-k",
            "thread",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        job = _wait_for(app, job_id, seconds=90)
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode(errors="replace")
    assert job.status == "done", output
    assert (job.done, job.total) == (2, 2) and job.result_name
    with app.app_context():
        certs = _db.session.scalars(select(Certificate).order_by(Certificate.seq)).all()
        assert [c.name for c in certs] == ["Dr. Juri Ke-1", "Dr. Juri Ke-2"]
        assert all(
            (Path(app.config["UPLOAD_DIR"]) / "certificates/pdf" / c.pdf_name).is_file()
            for c in certs
        )
    assert producer.pending_count() == 0


@pytest.fixture
def thread_mode(app: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Development mode: a daemon thread in this process takes the jobs off a real queue."""
    monkeypatch.setitem(app.config, "JOBS_MODE", "thread")
    jobs.huey.immediate = False
    jobs.huey.storage = MemoryStorage("juara")
    yield app
    jobs.huey.immediate = True


def test_in_development_a_thread_runs_the_job_while_the_page_polls(
    thread_mode: Any, client: Any, login_as: Any, published: Contest
) -> None:
    from tests.conftest import csrf_token_from

    login_as("committee")
    page_url = f"/panitia/sertifikat/{published.event_id}"
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    response = client.post(
        f"{page_url}/terbitkan", data={"csrf_token": token, "category_id": published.category_id}
    )
    job_url = response.headers["Location"]
    seen, deadline = set(), time.monotonic() + 90
    while time.monotonic() < deadline:
        state = client.get(f"{job_url}.json").get_json()
        seen.add(state["status"])
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["status"] == "done", state
    assert state["total"] == 6 and state["download_url"]
    assert seen & {"queued", "running"}  # the request returned before the work was done
