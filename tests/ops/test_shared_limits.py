"""A rate limit counted through one gunicorn worker holds on the other (counters in Redis).

Which worker serves a connection is read from /proc: the worker process that holds the
server side of the TCP connection. Keep-alive keeps each connection on its worker.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from scoring.certificates.views import VERIFY_LIMIT
from scoring.extensions import db
from tests.conftest import make_test_app
from tests.ops.test_gunicorn import _free_port

ROOT = Path(__file__).resolve().parents[2]
# A database number of its own: the test empties it before and after.
REDIS_URL = "redis://127.0.0.1:6379/12"
PER_MINUTE = int(VERIFY_LIMIT.split()[0])


def _redis() -> redis.Redis | None:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """gunicorn with two single-thread workers on SQLite and Redis; yields (port, master pid)."""
    store = _redis()
    if store is None:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    store.flushdb()
    url = f"sqlite:///{tmp_path / 'juara.sqlite3'}"
    app = make_test_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUARA_")}
    env.update(
        JUARA_ENV="development",
        JUARA_SECRET_KEY="limits-test-" + "x" * 40,
        JUARA_DATABASE_URL=url,
        JUARA_REDIS_URL=REDIS_URL,
        JUARA_BIND=f"127.0.0.1:{port}",
        JUARA_WORKERS="2",
        JUARA_THREADS="1",
        JUARA_STASH_DIR=str(tmp_path / "stash"),
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        deadline = time.monotonic() + 120
        while log.read_text().count("Worker ready") < 2:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)
        store.flushdb()


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def _worker_of(connection: http.client.HTTPConnection, port: int, workers: set[int]) -> int:
    """The worker holding the server side of `connection` (found by the socket's inode)."""
    client_port = connection.sock.getsockname()[1]
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
        if local == port and remote == client_port:
            inodes.add(f"socket:[{fields[9]}]")
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:
                continue
    raise AssertionError("no worker holds the connection")


def _status(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def test_a_limit_reached_through_one_worker_holds_on_the_other(server: tuple[int, int]) -> None:
    port, master = server
    workers = _workers(master)
    assert len(workers) == 2
    by_worker: dict[int, http.client.HTTPConnection] = {}
    for _ in range(40):  # the kernel hands new connections to either worker
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        assert _status(connection, "/healthz") == 200
        pid = _worker_of(connection, port, workers)
        if pid in by_worker:
            connection.close()
        else:
            by_worker[pid] = connection
        if len(by_worker) == 2:
            break
    assert len(by_worker) == 2, "every connection went to the same worker"
    one, other = by_worker.values()
    path = "/verifikasi/tidak-ada-token"
    # One request through the other worker, all the rest of the minute's allowance through one.
    assert _status(other, path) == 404
    assert [_status(one, path) for _ in range(PER_MINUTE - 1)] == [404] * (PER_MINUTE - 1)
    # The other worker has counted a single request itself, yet it refuses now.
    assert _status(other, path) == 429
    assert _status(one, path) == 429
    for connection in by_worker.values():
        connection.close()
