"""Engine set-up that makes SQLite safe for a busy venue and PostgreSQL behave the same.

SQLite: WAL so readers never block the writer, foreign keys on, a busy timeout so concurrent
writers wait instead of failing, and transactions we begin ourselves (pysqlite's implicit
BEGIN is off). A service that reads then writes calls `begin_write()` first: on SQLite that
starts the transaction with BEGIN IMMEDIATE, so two requests can never both read the old state
and both write (no lost update); on PostgreSQL it is a no-op and services use row locks or
compare-and-set UPDATEs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from scoring.extensions import db

IMMEDIATE = "juara_begin_immediate"
T = TypeVar("T")


def normalise_database_url(url: str) -> str:
    """Route plain postgres URLs to psycopg 3 (SQLAlchemy's default driver is psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """Engine options for the configured database."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file on this machine cannot go away like a server connection: no ping per checkout.
        options["pool_pre_ping"] = False
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
        connect_args.setdefault("check_same_thread", False)
        if str(config.get("SQLITE_SYNCHRONOUS", "")).upper() == "FULL":
            from scoring.durable import DurableConnection

            connect_args.setdefault("factory", DurableConnection)
        options["connect_args"] = connect_args
    return options


def install_sqlite_pragmas(app: Flask) -> None:
    """Register per-connection PRAGMAs and explicit BEGIN handling on SQLite engines."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    synchronous = app.config["SQLITE_SYNCHRONOUS"]
    if synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ValueError(f"JUARA_SQLITE_SYNCHRONOUS must be NORMAL or FULL, not {synchronous!r}")
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        from scoring.durable import DurableConnection, wal_sync

        # Take over transaction control from pysqlite so BEGIN IMMEDIATE is possible.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        wal = False
        if not in_memory:
            wal = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() == "wal"
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms:d}")
        pragma = synchronous
        if synchronous == "FULL" and wal and isinstance(dbapi_connection, DurableConnection):
            # FULL's promise (an acknowledged commit survives a power cut) kept by
            # scoring.durable: NORMAL in WAL, then the WAL synced after COMMIT, outside the
            # write lock, one fsync for every commit that finished before it (group commit).
            pragma = "NORMAL"
            dbapi_connection.juara_wal = wal_sync(str(engine.url.database))
        cursor.execute(f"PRAGMA synchronous={pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write() -> None:
    """Start the current session's transaction as a write transaction.

    Call it first thing in a service that reads and then writes. A read-only transaction the
    session already holds is ended first (upgrading a SQLite read transaction to a write one
    can fail with SQLITE_BUSY_SNAPSHOT); unsaved changes in the session are refused.
    """
    session = db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() called with unsaved changes in the session")
        session.rollback()
    session.connection(execution_options={IMMEDIATE: True})


def is_sqlite_engine(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def ensure_sqlite_directory(url: str) -> None:
    """Create the folder of a file-based SQLite database (e.g. instance/)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def get_for_update(model: type[T], ident: Any) -> T | None:
    """Start a write transaction and load one row locked against concurrent writers.

    The portable read-modify-write: SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on
    SQLite (which has no row locks but lets one writer in at a time). Either way a second
    request that wants the same row waits, then sees the first one's committed change.
    """
    begin_write()
    return db.session.get(model, ident, with_for_update=True, populate_existing=True)


@contextmanager
def committing() -> Iterator[None]:
    """Run a service's unit of work: commit when the block ends, roll back if it raises."""
    try:
        yield
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
