"""`flask --app wsgi backup FILE` and `flask --app wsgi restore FILE`.

SQLite: the online backup API copies a consistent snapshot while the app keeps serving (WAL
included), and restores the same way into the live file. PostgreSQL: `pg_dump -Fc` and
`pg_restore --clean --if-exists --single-transaction` (postgresql-client must be installed; the
password travels in the environment, never on the command line). Uploaded files
(JUARA_UPLOAD_DIR) are not in the database: copy that folder beside the backup.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.engine import URL

from scoring.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(click.ClickException):
    """A backup or restore that cannot run; the message says why."""


def _sqlite_path(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _pg_env(url: URL) -> dict[str, str]:
    """libpq's environment for `url`, so that no password appears in the process list."""
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGSSLMODE", url.query.get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup_database(target: Path) -> None:
    """Write a consistent copy of the configured database to `target`."""
    url = db.engine.url
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        command = [_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(partial)]
        _run(command, _pg_env(url))
    else:
        raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")
    partial.replace(target)  # a half-written backup never carries the final name


def restore_database(source: Path) -> None:
    """Replace every table of the configured database with the backup in `source`."""
    url = db.engine.url
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    head = source.read_bytes()[:16]
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old data or a lock
    if url.get_backend_name() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup.")
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (PRAGMA quick_check failed).")
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    elif url.get_backend_name() == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(f"{source} is not a pg_dump -Fc backup.")
        command = [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "-d",
            str(url.database),
            str(source),
        ]
        _run(command, _pg_env(url))
    else:
        raise BackupError(f"Restoring {url.get_backend_name()} databases is not supported.")
    db.engine.dispose()


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Back up the database to TARGET (SQLite file copy, or pg_dump -Fc for PostgreSQL)."""
    backup_database(target)
    click.echo(f"Backup written to {target} ({target.stat().st_size} bytes).")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace ALL data in the database with the backup SOURCE. Stop the server first."""
    if not yes:
        click.confirm(
            f"Every table of {db.engine.url.render_as_string(hide_password=True)} will be "
            f"replaced by {source}. Continue?",
            abort=True,
        )
    restore_database(source)
    click.echo(f"Restored from {source}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
