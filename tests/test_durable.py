"""Issue 16: SQLite commits stay durable (FULL's promise) with the fsync outside the lock."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from scoring.durable import wal_sync
from scoring.extensions import db
from tests.conftest import make_test_app


@pytest.fixture
def durable_app(tmp_path: Path) -> Any:
    app = make_test_app(f"sqlite:///{tmp_path / 'durable.sqlite3'}", SQLITE_SYNCHRONOUS="FULL")
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        yield app
        db.engine.dispose()


def test_a_write_commit_returns_only_after_the_wal_is_synced(
    durable_app: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    wal = str(tmp_path / "durable.sqlite3-wal")
    synced: list[str] = []
    real = os.fdatasync

    def fdatasync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert synced == []  # not before the commit
    assert synced == [wal]
    with db.engine.begin() as conn:  # a read-only transaction needs no sync
        conn.execute(text("SELECT x FROM t")).all()
    assert synced == [wal]
    with db.engine.connect() as conn:
        # NORMAL inside: the fsync is ours, after COMMIT, outside the write lock.
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_one_sync_serves_the_commits_that_finished_before_it(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Group commit: commits that end while a sync runs share the next one."""
    path = tmp_path / "group.sqlite3"
    Path(f"{path}-wal").write_bytes(b"x")
    sync = wal_sync(str(path))
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_fdatasync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            started.set()
            release.wait(10)

    monkeypatch.setattr(os, "fdatasync", slow_fdatasync)
    first = threading.Thread(target=sync.after_commit)
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=sync.after_commit) for _ in range(5)]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 10
    while sync.committed < 6 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in (first, *others):
        thread.join(10)
    assert len(calls) == 2  # the first commit's sync, then one for the five that queued


def test_sqlite_connections_are_not_pinged_on_checkout(durable_app: Any) -> None:
    assert db.engine.pool._pre_ping is False
