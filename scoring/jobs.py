"""Background jobs with huey: SQLite storage by default, Redis when JUARA_REDIS_URL is set.

The queue is chosen when this module is imported, from the same environment the app reads:
    JUARA_REDIS_URL   set → RedisHuey on that server (shared by every web worker and consumer)
    JUARA_HUEY_FILE   the SQLite queue file (default instance/huey.sqlite3)

How jobs run (app.config["JOBS_MODE"], else JUARA_JOBS, else by environment):
    consumer   (production) a separate process takes them:  flask --app wsgi run-jobs
               or the stock huey_consumer scoring.jobs.huey (it builds the app itself)
    thread     (development, `make run`) a daemon thread in the web process takes them,
               started when the first job is queued or its progress is polled
    immediate  (testing) the job runs inside the request that queues it
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import RedisHuey, SqliteHuey
from huey.api import Huey

from config import INSTANCE_DIR

MODES = ("consumer", "thread", "immediate")
DEFAULT_MODES = {"production": "consumer", "development": "thread", "testing": "immediate"}
log = logging.getLogger(__name__)


def _make_huey() -> Huey:
    redis_url = os.environ.get("JUARA_REDIS_URL")
    if redis_url:
        return RedisHuey("juara", url=redis_url)
    path = Path(os.environ.get("JUARA_HUEY_FILE") or INSTANCE_DIR / "huey.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("juara", filename=str(path))


huey = _make_huey()
_bound_app: Flask | None = None
_app_lock = threading.Lock()
_thread: threading.Thread | None = None


def init_app(app: Flask) -> None:
    """Pick the app's job mode; immediate mode makes huey run tasks where they are queued."""
    mode = app.config.get("JOBS_MODE") or os.environ.get("JUARA_JOBS")
    mode = mode or DEFAULT_MODES.get(app.config.get("ENV_NAME", ""), "consumer")
    if mode not in MODES:
        raise ValueError(f"JUARA_JOBS must be one of {MODES}, not {mode!r}")
    app.config["JOBS_MODE"] = mode
    if mode == "immediate":
        huey.immediate = True
    app.cli.add_command(_run_jobs_command())


def bind_app(app: Flask) -> None:
    """The app tasks run in when the worker has no app context of its own."""
    global _bound_app
    _bound_app = app


@contextlib.contextmanager
def _app_context() -> Iterator[None]:
    global _bound_app
    if has_app_context():  # immediate mode: inside the request that queued the job
        yield
        return
    with _app_lock:
        if _bound_app is None:  # the stock huey_consumer: build the app from the environment
            from scoring import create_app

            _bound_app = create_app()
        app = _bound_app
    with app.app_context():
        yield


@huey.task()
def issue_all_task(job_id: int) -> None:
    with _app_context():
        from scoring.certificates.bulk import run_issue_job

        run_issue_job(job_id)


def enqueue_issue_all(job_id: int) -> None:
    issue_all_task(job_id)
    if current_app.config.get("JOBS_MODE") == "thread":
        ensure_worker_thread()


def ensure_worker_thread() -> None:
    """Development: one daemon thread in this process that runs queued jobs."""
    global _thread
    if current_app.config.get("JOBS_MODE") != "thread":
        return
    bind_app(current_app._get_current_object())  # type: ignore[attr-defined]
    with _app_lock:
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_work_forever, name="juara-jobs", daemon=True)
        _thread.start()


def _work_forever() -> None:
    while True:
        try:
            task = huey.dequeue()
        except Exception:
            log.exception("job queue unavailable")
            time.sleep(5)
            continue
        if task is None:
            time.sleep(0.5)
            continue
        try:
            with _app_context():
                huey.execute(task)
        except Exception:
            log.exception("job %s failed", task)


def _run_jobs_command():  # type: ignore[no-untyped-def]
    import click
    from flask.cli import with_appcontext

    @click.command("run-jobs")
    @click.option("--workers", default=1, show_default=True, help="Jobs run at the same time.")
    @with_appcontext
    def run_jobs(workers: int) -> None:
        """Run queued background jobs (certificates) until stopped with Ctrl+C."""
        bind_app(current_app._get_current_object())  # type: ignore[attr-defined]
        if huey.immediate:
            raise click.ClickException("JUARA_JOBS=immediate runs jobs in the web process.")
        click.echo(f"Running jobs from {type(huey.storage).__name__} ({workers} worker(s)).")
        huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()

    return run_jobs
