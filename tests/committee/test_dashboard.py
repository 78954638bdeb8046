"""The progress dashboard on the seeded demo: its numbers match counts made the slow way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy import select

from scoring.extensions import db as _db
from scoring.models import Assignment, Event, ScoreSheet, StageDecision
from scoring.services.dashboard import event_progress
from scoring.services.demo import EVENT_SLUG
from tests.committee.test_events_support import indonesian


@pytest.fixture
def demo(app: Flask) -> int:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return _db.session.scalar(select(Event.id).where(Event.slug == EVENT_SLUG))


def _direct_counts() -> dict[str, Any]:
    """Walk every assignment in Python: the reference the aggregate queries must match."""
    per_judge: dict[tuple[int, int], Counter[str]] = {}
    per_entry: dict[tuple[int, int], Counter[str]] = {}
    for assignment in _db.session.scalars(select(Assignment)):
        sheet = assignment.sheet
        if sheet is not None and sheet.status != "draft":
            state = "submitted"
        elif sheet is not None and any(s.value is not None for s in sheet.scores):
            state = "draft"
        else:
            state = "todo"
        key = (assignment.judge_id, assignment.stage_id)
        per_judge.setdefault(key, Counter())[state] += 1
        per_judge[key]["assigned"] += 1
        cell = (assignment.entry_id, assignment.stage_id)
        per_entry.setdefault(cell, Counter())["expected"] += 1
        per_entry[cell]["submitted"] += state == "submitted"
    decisions = {
        (d.entry_id, d.stage_id): d.outcome for d in _db.session.scalars(select(StageDecision))
    }
    return {"judge": per_judge, "entry": per_entry, "decisions": decisions}


def test_the_dashboard_matches_direct_counts_on_the_demo(app: Flask, demo: int) -> None:
    with app.app_context():
        board = event_progress(demo)
        direct = _direct_counts()
        assert board is not None
        got_judges = {
            (row.judge_id, row.stage_id): (row.assigned, row.draft, row.submitted, row.not_started)
            for row in board.judges
        }
        want_judges = {
            key: (c["assigned"], c["draft"], c["submitted"], c["todo"])
            for key, c in direct["judge"].items()
        }
        assert got_judges == want_judges
        # Same numbers through the per-category matrices.
        for category in board.categories:
            for judge in category.judges:
                for stage_id, cell in judge.cells.items():
                    assert got_judges[(judge.judge_id, stage_id)][2] == cell.submitted

        got_entries, got_decisions = {}, {}
        for category in board.categories:
            for row in category.entries:
                for stage in category.stages:
                    cell = row.cells[stage.stage_id]
                    if stage.kind == "pass_fail":
                        got_decisions[(row.entry_id, stage.stage_id)] = cell.outcome
                    elif cell.expected:
                        got_entries[(row.entry_id, stage.stage_id)] = (
                            cell.submitted,
                            cell.expected,
                        )
        want_entries = {k: (c["submitted"], c["expected"]) for k, c in direct["entry"].items()}
        assert got_entries == want_entries
        assert got_decisions == direct["decisions"]

        sheets = list(_db.session.scalars(select(ScoreSheet)))
        assert board.expected == len(sheets)
        assert board.submitted == sum(1 for s in sheets if s.status != "draft")
        # The demo's story: BKB fully scored, DOTH's presentation partly.
        by_name = {c.name: c for c in board.categories}
        bkb, doth = by_name["Poktan BKB Terbaik"], by_name["Duta Orang Tua Hebat"]
        assert bkb.submitted == bkb.expected > 0
        assert 0 < doth.submitted < doth.expected


def test_the_dashboard_lists_what_blocks_publishing(app: Flask, demo: int) -> None:
    with app.app_context():
        board = event_progress(demo)
        assert board is not None
        doth = next(c for c in board.categories if c.name == "Duta Orang Tua Hebat")
        stage = next(s for s in doth.stages if s.status == "open")
        missing = sum(
            row.cells[stage.stage_id].expected - row.cells[stage.stage_id].submitted
            for row in doth.entries
        )
        expected = sum(row.cells[stage.stage_id].expected for row in doth.entries)
        messages = [indonesian(app, problem) for problem in board.blockers]
    assert messages == [
        f"Duta Orang Tua Hebat · Presentasi dan Wawancara: {missing} dari {expected} lembar "
        "penilaian belum dikirim.",
        "Duta Orang Tua Hebat · Presentasi dan Wawancara masih dibuka untuk penilaian.",
    ]


def test_the_dashboard_reads_in_a_fixed_number_of_queries(app: Flask, demo: int) -> None:
    with app.app_context():
        statements: list[str] = []
        engine = _db.engine

        def count(*_args: Any) -> None:
            statements.append("x")

        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            event_progress(demo)
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
    # Event + categories + stages + criteria, judges, entry cells, decisions, entries: no
    # query per judge, entry or sheet (the demo has 193 sheets).
    assert len(statements) <= 10


def test_the_dashboard_page_polls_and_shows_the_numbers(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], demo: int
) -> None:
    login_as("committee")
    with app.app_context():
        board = event_progress(demo)
        assert board is not None
        total = f"<strong>{board.submitted}</strong> / {board.expected}"
    page = client.get(f"/panitia/acara/{demo}/kemajuan").get_data(as_text=True)
    assert "Kemajuan penjurian" in page
    assert total in page
    assert f'hx-get="/panitia/acara/{demo}/kemajuan/langsung"' in page
    assert 'hx-trigger="every 15s"' in page
    assert "vendor/htmx/htmx.min.js" in page
    assert "Yang masih menghambat pengumuman" in page
    live = client.get(f"/panitia/acara/{demo}/kemajuan/langsung").get_data(as_text=True)
    assert total in live and "<html" not in live
    large = client.get(f"/panitia/acara/{demo}/kemajuan?besar=1").get_data(as_text=True)
    assert "projector" in large and "besar=1" in large
    # htmx is loaded on the dashboard only.
    assert "htmx.min.js" not in client.get(f"/panitia/acara/{demo}").get_data(as_text=True)
    assert client.get("/panitia/kemajuan").headers["Location"] == f"/panitia/acara/{demo}/kemajuan"


def test_the_home_page_lists_events_with_progress(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], demo: int
) -> None:
    login_as("committee")
    page = client.get("/panitia/").get_data(as_text=True)
    assert "Pemilihan Poktan Terbaik dan Duta Orang Tua Hebat" in page
    assert "23 Juni 2025 – 27 Juni 2025" in page
    assert f'href="/panitia/acara/{demo}/kemajuan"' in page
    assert "Kegiatan baru" in page
