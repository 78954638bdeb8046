"""Backup → wipe → restore gives back every row and the published snapshots bit for bit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import ResultSnapshot
from scoring.results.canonical import digest


def _state() -> tuple[dict[str, int], dict[int, tuple[str, str]]]:
    """Row counts of every table, and (stored, recomputed) hashes of every published snapshot."""
    counts = {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }
    hashes = {
        s.id: (s.sha256, digest(s.code_version, s.inputs, s.method, s.options, s.outputs))
        for s in db.session.scalars(select(ResultSnapshot).order_by(ResultSnapshot.id))
    }
    db.session.remove()
    return counts, hashes


def test_backup_wipe_restore_gives_identical_rows_and_snapshot_hashes(
    app: Flask, tmp_path: Path
) -> None:
    from scoring.services.demo import seed_demo

    with app.app_context():
        seed_demo()
        before_counts, before_hashes = _state()
    assert before_counts["result_snapshot"] >= 1 and before_counts["score"] > 100
    assert all(stored == recomputed for stored, recomputed in before_hashes.values())

    runner = app.test_cli_runner()
    target = tmp_path / "juara.backup"
    made = runner.invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0 and not target.with_name("juara.backup.partial").exists()

    with app.app_context():
        db.drop_all()  # the wipe: not a table left
        db.session.remove()
    refused = runner.invoke(args=["restore", str(target)], input="n\n")
    assert refused.exit_code != 0  # asks first, and "no" changes nothing
    restored = runner.invoke(args=["restore", "--yes", str(target)])
    assert restored.exit_code == 0, restored.output

    with app.app_context():
        after_counts, after_hashes = _state()
    assert after_counts == before_counts
    assert after_hashes == before_hashes


def test_restore_refuses_a_file_that_is_not_a_backup(app: Flask, tmp_path: Path) -> None:
    junk = tmp_path / "not-a-backup.bin"
    junk.write_bytes(b"hello, this is not a database" * 10)
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(junk)])
    assert result.exit_code != 0 and "not a" in result.output
    with app.app_context():
        # The database is untouched and still answers.
        tables: Any = db.metadata.sorted_tables
        assert db.session.execute(select(func.count()).select_from(tables[0])).scalar_one() == 0
