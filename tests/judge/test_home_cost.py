"""Issue 16: the judge home page reads only the judge's own scores and translates cheaply."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import Domain
from sqlalchemy import event

from scoring.extensions import db
from scoring.services.progress import judge_worklist
from tests.judge.support import SheetGraph, api_login, body, build_open_sheet, put


@pytest.fixture
def graph(app: Flask) -> SheetGraph:
    return build_open_sheet(app)


def test_the_worklist_query_does_not_scan_the_score_table(app: Flask, graph: SheetGraph) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the query plan is read on SQLite")
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert judge_worklist(graph.judge_id)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        statement, parameters = seen[-1]
        with db.engine.connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    details = [row[-1] for row in plan]
    assert not [d for d in details if d.startswith("SCAN score")], details


def test_the_worklist_counts_only_the_judges_own_scores(
    app: Flask, client: FlaskClient, graph: SheetGraph
) -> None:
    token = api_login(client, graph.judge_email)
    first, second, _ = graph.criteria
    assert put(client, graph.sheet_id, token, body(0, {first: 80, second: 70})).status_code == 200
    with app.app_context():
        (stage,) = judge_worklist(graph.judge_id)
    assert stage.criteria_count == 3 and stage.items[0].scored == 2


def test_a_page_looks_its_translations_up_once(
    client: FlaskClient, graph: SheetGraph, monkeypatch: Any
) -> None:
    api_login(client, graph.judge_email)
    calls: list[int] = []
    real = Domain.get_translations

    def counting(self: Domain) -> Any:
        calls.append(1)
        return real(self)

    monkeypatch.setattr(Domain, "get_translations", counting)
    page = client.get("/juri/")
    assert page.status_code == 200 and "Lembar penilaian saya" in page.get_data(as_text=True)
    assert len(calls) <= 2, len(calls)
