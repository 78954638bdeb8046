"""Seeding for bench/load.py: the bench event, judges with open sheets, a published category."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Event,
    Region,
    Score,
    ScoreSheet,
    Stage,
    User,
)

SLUG = "bench-load"
SENT = dt.datetime(2025, 6, 24, 3, 0, tzinfo=dt.UTC)
PASSWORD = "bench-juri-123"  # noqa: S105 - a throwaway password for seeded judges
CRITERIA = 5


def _rows(model: type, rows: list[dict]) -> list[int]:
    db.session.execute(insert(model), rows)
    return list(db.session.scalars(select(model.id).order_by(model.id)).all())


def seed(judges: int, sheets: int, entries: int, panel: int = 5) -> dict[int, list[int]]:
    """The bench event; returns each judge's email index → sheet ids (open stage)."""
    rng = random.Random(2025)
    region_ids = _rows(
        Region,
        [
            {"code": f"15.{k:02d}", "name": f"Kabupaten {k}", "level": "kabupaten"}
            for k in range(1, 12)
        ],
    )
    hashed = generate_password_hash(PASSWORD, method="scrypt")
    user_rows = [
        {
            "email": f"juri{j}@bench.juara.id",
            "name": f"Juri {j}",
            "role": "judge",
            "password_hash": hashed,
        }
        for j in range(judges)
    ]
    judge_ids = _rows(User, user_rows)
    _rows(
        Event,
        [{"name": "Seleksi Nasional", "slug": SLUG, "level": "nasional", "status": "scoring"}],
    )
    event_id = db.session.scalar(select(Event.id))
    categories = _rows(
        Category,
        [
            {"event_id": event_id, "name": name, "kind": "Poktan BKB", "position": p}
            for p, name in enumerate(["Poktan BKB (diumumkan)", "Poktan BKR (dinilai)"], 1)
        ],
    )
    closed_id, open_id = _rows(
        Stage,
        [
            {
                "category_id": categories[0],
                "position": 1,
                "name": "Dokumen",
                "weight": 100,
                "status": "closed",
            },
            {
                "category_id": categories[1],
                "position": 1,
                "name": "Presentasi",
                "weight": 100,
                "status": "open",
            },
        ],
    )
    crit = [
        {
            "stage_id": s,
            "position": k,
            "name": f"K{k}",
            "weight": 10 * k,
            "tiebreak_order": k if k <= 2 else None,
            "min_score": 1,
            "max_score": 100,
        }
        for s in (closed_id, open_id)
        for k in range(1, CRITERIA + 1)
    ]
    _rows(Criterion, crit)
    by_stage = {
        s: db.session.scalars(select(Criterion.id).filter_by(stage_id=s)).all()
        for s in (closed_id, open_id)
    }
    entry_rows = [
        {"category_id": c, "region_id": region_ids[i % 11], "name": f"Poktan {c}-{i:03d}"}
        for c, n in ((categories[0], entries), (categories[1], sheets))
        for i in range(n)
    ]
    _rows(Entry, entry_rows)
    closed_entries = db.session.scalars(select(Entry.id).filter_by(category_id=categories[0])).all()
    open_entries = db.session.scalars(select(Entry.id).filter_by(category_id=categories[1])).all()
    asg = [
        {"stage_id": closed_id, "entry_id": e, "judge_id": j}
        for e in closed_entries
        for j in judge_ids[:panel]
    ]
    asg += [
        {"stage_id": open_id, "entry_id": e, "judge_id": j} for e in open_entries for j in judge_ids
    ]
    db.session.execute(insert(Assignment), asg)
    pairs = db.session.execute(
        select(Assignment.id, Assignment.stage_id, Assignment.judge_id)
    ).all()
    db.session.execute(
        insert(ScoreSheet),
        [
            {"assignment_id": a.id, "status": "submitted", "version": 1, "submitted_at": SENT}
            if a.stage_id == closed_id
            else {"assignment_id": a.id, "status": "draft", "version": 0, "submitted_at": None}
            for a in pairs
        ],
    )
    sheet_of = dict(db.session.execute(select(ScoreSheet.assignment_id, ScoreSheet.id)).all())
    scores = [
        {"sheet_id": sheet_of[a.id], "criterion_id": c, "value": float(rng.randint(60, 100))}
        for a in pairs
        if a.stage_id == closed_id
        for c in by_stage[closed_id]
    ]
    db.session.execute(insert(Score), scores)
    db.session.commit()
    from scoring.services.snapshots import publish_results

    publish_results(categories[0], None, override_reason="bench")
    owned: dict[int, list[int]] = {}
    index = {judge_id: k for k, judge_id in enumerate(judge_ids)}
    for a in pairs:
        if a.stage_id == open_id:
            owned.setdefault(index[a.judge_id], []).append(sheet_of[a.id])
    return owned
