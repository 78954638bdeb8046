"""Alembic migrations: up, down to base, up again on each backend, and in sync with the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from scoring.extensions import db
from tests.conftest import BACKENDS, make_test_app
from tests.support import postgres


@pytest.fixture(params=BACKENDS)
def empty_app(request: pytest.FixtureRequest, tmp_path: Path, worker_tag: str) -> Iterator[Flask]:
    if request.param == "postgresql":
        name = f"juara_migrate_{worker_tag}"
        app = make_test_app(postgres.create_database(name))
        yield app
        with app.app_context():
            db.engine.dispose()
        postgres.drop_database(name)
    else:
        yield make_test_app(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")


def _tables(app: Flask) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
    assert _tables(empty_app) == set(db.metadata.tables)
    with empty_app.app_context():
        downgrade(revision="base")
    assert _tables(empty_app) == set()
    with empty_app.app_context():
        upgrade()
    assert _tables(empty_app) == set(db.metadata.tables)


def test_migrations_match_the_models(empty_app: Flask) -> None:
    """A model change without a migration fails here."""
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_seed_runs_on_a_migrated_database(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
    result = empty_app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
