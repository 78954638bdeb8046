"""Small builders for a valid object graph, used by model and service tests."""

from __future__ import annotations

from typing import Any

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Event,
    Region,
    ScoreSheet,
    Stage,
    User,
)


def build_event_graph(slug: str = "uji-2025") -> dict[str, Any]:
    """Region, event, category, scored stage with two criteria, entry, judge, assignment, sheet.

    Added and flushed in the current session (the caller commits or rolls back).
    """
    region = Region(code="15.71", name="Kota Jambi", level="kota")
    event = Event(name="Lomba Uji", slug=slug, level="provinsi", status="scoring")
    category = Category(event=event, name="Poktan BKB", kind="Poktan BKB", entry_kind="group")
    stage = Stage(category=category, position=1, name="Penilaian Dokumen", weight=100)
    first = Criterion(stage=stage, position=1, name="Kelembagaan", weight=40, tiebreak_order=1)
    second = Criterion(stage=stage, position=2, name="Inovasi", weight=60)
    entry = Entry(category=category, region=region, name="BKB Melati")
    judge = User(email=f"juri-{slug}@test.juara.id", name="Juri Uji", role="judge")
    judge.set_password("rahasia-123")
    assignment = Assignment(stage=stage, entry=entry, judge=judge)
    sheet = ScoreSheet(assignment=assignment)
    db.session.add_all([region, event, category, stage, first, second, entry, judge, sheet])
    db.session.flush()
    return {
        "region": region,
        "event": event,
        "category": category,
        "stage": stage,
        "criteria": [first, second],
        "entry": entry,
        "judge": judge,
        "assignment": assignment,
        "sheet": sheet,
    }
