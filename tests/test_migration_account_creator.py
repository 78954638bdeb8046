"""Migration 0004 (issue 14): existing accounts get their creator from the audit trail."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import MetaData, select

from scoring.extensions import db
from tests.test_migrations import empty_app  # noqa: F401 - the fixture, on both backends

BEFORE = "0003_regions_members"


def test_the_creator_of_existing_accounts_comes_from_the_audit_trail(
    empty_app: Flask,  # noqa: F811
) -> None:
    now = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    with empty_app.app_context():
        upgrade(revision=BEFORE)
        tables = MetaData()
        tables.reflect(db.engine, only=["user_account", "audit_event"])
        users, audit = tables.tables["user_account"], tables.tables["audit_event"]
        account = {"password_hash": "x", "active": True, "locale": "id", "session_version": 1}
        account |= {"created_at": now, "updated_at": now}
        with db.engine.begin() as conn:
            conn.execute(
                users.insert(),
                [
                    {"id": 1, "email": "panitia@uji.id", "name": "P", "role": "committee"}
                    | account,
                    {"id": 2, "email": "juri@uji.id", "name": "J", "role": "judge"} | account,
                    {"id": 3, "email": "cli@uji.id", "name": "C", "role": "judge"} | account,
                ],
            )
            conn.execute(
                audit.insert(),
                [
                    {"action": "user.create", "object_type": "User", "object_id": 2,
                     "actor_id": 1, "occurred_at": now},
                    {"action": "user.create", "object_type": "User", "object_id": 3,
                     "actor_id": None, "occurred_at": now},
                ],
            )  # fmt: skip
        upgrade()
        migrated = MetaData()
        migrated.reflect(db.engine, only=["user_account"])
        users = migrated.tables["user_account"]
        with db.engine.connect() as conn:
            creators = dict(conn.execute(select(users.c.id, users.c.created_by_id)).all())
    assert creators == {1: None, 2: 1, 3: None}
