"""Durable SQLite commits without holding the write lock through the fsync (group commit).

`synchronous=FULL` in WAL mode fsyncs the WAL inside every COMMIT, while the database's single
write lock is held: every other writer waits for the disk. Here the connection runs with
`synchronous=NORMAL` (WAL frames are written at COMMIT, synced at checkpoints) and
`DurableConnection.commit` syncs the WAL file itself right after COMMIT returns, before the
caller goes on to acknowledge anything. The promise is the same as FULL's: a commit that
returned has reached the disk, so an acknowledged save survives a power cut. The lock is free
during the sync, and one sync covers every commit of the process that finished before it
started (concurrent committers wait for it instead of syncing again).

Why it is enough: a committed transaction's frames (with the commit frame) are in the WAL
file before COMMIT returns; fdatasync of that file puts them, and everything written before
them, on the disk; on recovery SQLite replays every valid frame up to the last commit frame.
A checkpoint in between syncs the WAL and the database itself (NORMAL does that). The WAL
file's directory entry is synced once per process, as SQLite does for a new journal. What
differs from FULL: another connection may read a commit a few milliseconds before it is on
disk; whatever it then writes is synced after it (the WAL is one sequential file), so nothing
acknowledged can depend on data that a power cut would take away.
"""

from __future__ import annotations

import os
import sqlite3
import threading


class _WalSync:
    """Per WAL file: commits counted and synced, so one fdatasync serves many commits."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.count_lock = threading.Lock()
        self.sync_lock = threading.Lock()
        self.committed = 0
        self.synced = 0
        self.directory_synced = False

    def after_commit(self) -> None:
        with self.count_lock:
            self.committed += 1
            ticket = self.committed
        with self.sync_lock:
            if self.synced >= ticket:
                return  # a sync that started after this commit has finished
            with self.count_lock:
                target = self.committed
            self._sync()
            self.synced = target

    def _sync(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return  # checkpointed and removed: the checkpoint synced the database file
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)
        if not self.directory_synced:
            directory = os.open(os.path.dirname(self.path) or ".", os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
            self.directory_synced = True


_syncs: dict[str, _WalSync] = {}
_syncs_lock = threading.Lock()


def wal_sync(database_path: str) -> _WalSync:
    path = os.path.abspath(database_path) + "-wal"
    with _syncs_lock:
        sync = _syncs.get(path)
        if sync is None:
            sync = _syncs[path] = _WalSync(path)
        return sync


class DurableConnection(sqlite3.Connection):
    """A pysqlite connection whose commit returns only when the commit is on disk."""

    juara_wal: _WalSync | None = None  # set by scoring.database for file databases in WAL
    juara_seen_changes = 0

    def commit(self) -> None:
        changes = self.total_changes
        super().commit()
        if self.juara_wal is not None and changes != self.juara_seen_changes:
            self.juara_seen_changes = changes
            self.juara_wal.after_commit()

    def rollback(self) -> None:
        super().rollback()
        self.juara_seen_changes = self.total_changes  # nothing of it needs a sync
