"""The local PostgreSQL server used by the tests (127.0.0.1:5432, trust auth, database test)."""

from __future__ import annotations

import functools
import os

import psycopg
from psycopg import sql

HOST = os.environ.get("JUARA_TEST_PG_HOST", "127.0.0.1")
PORT = int(os.environ.get("JUARA_TEST_PG_PORT", "5432"))
USER = os.environ.get("JUARA_TEST_PG_USER", "postgres")
ADMIN_DB = os.environ.get("JUARA_TEST_PG_DB", "test")


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(
        host=HOST, port=PORT, user=USER, dbname=ADMIN_DB, autocommit=True, connect_timeout=3
    )


@functools.cache
def available() -> bool:
    """True when the server answers and lets us create databases."""
    if os.environ.get("JUARA_TEST_NO_POSTGRES"):
        return False
    try:
        with _admin_connection() as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def url(name: str) -> str:
    return f"postgresql+psycopg://{USER}@{HOST}:{PORT}/{name}"


def create_database(name: str) -> str:
    """A fresh, empty database `name` (dropped first if a crashed run left it)."""
    drop_database(name)
    with _admin_connection() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url(name)


def drop_database(name: str) -> None:
    with _admin_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
