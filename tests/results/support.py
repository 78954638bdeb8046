"""A small hand-computed category for the results tests.

Stage 1 "Dokumen" (weight 60): criteria A (tie-break 1) and B (tie-break 2), both 1–100, equal
weights, so a sheet's total is (A + B) / 2. Stage 2 "Presentasi" (weight 40): criterion C on a
1–10 scale, so a sheet's total is C × 10. Two judges; judge 1 is 2 points above the
mean of the pair (0,25 on C), judge 2 the same below, so their mean is the number in the table:

    entry  A   B   stage 1   C     stage 2   total = 0,6·s1 + 0,4·s2   rank  award
    E1     90  80    85      9     90        87,00                      1     Juara I
    E2     80  80    80      8     80        80,00                      2     Juara II
    E3     80  70    75      8,75  87,5      80,00  (A equal, B decides) 3     Juara III
    E4     70  70    70      7     70        70,00  (shared)            4     Harapan I
    E5     70  70    70      7     70        70,00  (shared)            4     Harapan I
    E6     50  50    50      5     50        50,00                      6     Harapan III
    E7     failed the administrative selection: not ranked
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

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
from scoring.models.decision import StageDecision

# name -> (A, B, C) as the mean of the two judges
TABLE = {
    "E1": (90, 80, 9.0),
    "E2": (80, 80, 8.0),
    "E3": (80, 70, 8.75),
    "E4": (70, 70, 7.0),
    "E5": (70, 70, 7.0),
    "E6": (50, 50, 5.0),
}
EXPECTED = {
    "E1": (1, "Juara I", 87.0),
    "E2": (2, "Juara II", 80.0),
    "E3": (3, "Juara III", 80.0),
    "E4": (4, "Harapan I", 70.0),
    "E5": (4, "Harapan I", 70.0),
    "E6": (6, "Harapan III", 50.0),
}
SENT = dt.datetime(2025, 6, 24, 3, 0, tzinfo=dt.UTC)


def _region(code: str, name: str, level: str) -> Region:
    """The region with this code, created when missing (regions are shared by events)."""
    found = db.session.scalar(select(Region).where(Region.code == code))
    return found or Region(code=code, name=name, level=level)


def build_category(
    slug: str = "uji-hasil",
    *,
    names: dict[str, str] | None = None,
    entry_fields: dict[str, dict[str, Any]] | None = None,
    offsets: tuple[float, ...] = (2.0, -2.0),
    leave_draft: tuple[str, int] | None = None,
) -> dict[str, Any]:
    """Create and commit the category; return its ids. `offsets` are the judges' offsets on the
    1–100 criteria (C gets an eighth of it); `leave_draft` = (entry, judge index) keeps one stage-2
    sheet unsent."""
    names = names or {}
    province = _region("15", "Jambi", "provinsi")
    event = Event(
        name="Lomba Uji Hasil",
        slug=slug,
        level="provinsi",
        status="review",
        place="Jambi",
        starts_on=dt.date(2025, 6, 23),
        ends_on=dt.date(2025, 6, 27),
    )
    category = Category(event=event, name="Poktan Uji", kind="Poktan BKB", entry_kind="group")
    gate = Stage(
        category=category, position=1, name="Seleksi Administrasi", kind="pass_fail", weight=0
    )
    s1 = Stage(category=category, position=2, name="Dokumen", weight=60, status="closed")
    s2 = Stage(category=category, position=3, name="Presentasi", weight=40, status="closed")
    a = Criterion(stage=s1, position=1, name="A", weight=1, tiebreak_order=1)
    b = Criterion(stage=s1, position=2, name="B", weight=1, tiebreak_order=2)
    c = Criterion(stage=s2, position=1, name="C", weight=1, min_score=1, max_score=10)
    judges = []
    for n in range(len(offsets)):
        judge = User(email=f"juri{n}-{slug}@test.juara.id", name=f"Juri {n + 1}", role="judge")
        judge.password_hash = "!"  # never logs in; skips the slow scrypt hash
        judges.append(judge)
    db.session.add_all([province, event, category, gate, s1, s2, a, b, c, *judges])
    entries: dict[str, Entry] = {}
    for k, key in enumerate([*TABLE, "E7"]):
        region = _region(f"15.{k + 1:02d}", f"Kabupaten {key}", "kabupaten")
        entry = Entry(
            category=category,
            region=region,
            name=names.get(key, f"Poktan {key}"),
            **(entry_fields or {}).get(key, {}),
        )
        entries[key] = entry
        db.session.add_all([region, entry])
    db.session.flush()
    db.session.add(
        StageDecision(stage_id=gate.id, entry_id=entries["E7"].id, outcome="fail", reason="SK")
    )
    sheets: dict[tuple[str, int, int], int] = {}
    for key, (va, vb, vc) in TABLE.items():
        for j, judge in enumerate(judges):
            off = offsets[j]
            for stage, values in ((s1, {a: va + off, b: vb + off}), (s2, {c: vc + off / 8})):
                assignment = Assignment(stage=stage, entry=entries[key], judge=judge)
                draft = leave_draft == (key, j) and stage is s2
                sheet = ScoreSheet(
                    assignment=assignment,
                    status="draft" if draft else "submitted",
                    submitted_at=None if draft else SENT,
                    version=1,
                )
                db.session.add_all([assignment, sheet])
                if not draft:
                    for criterion, value in values.items():
                        db.session.add(Score(sheet=sheet, criterion=criterion, value=value))
                db.session.flush()
                sheets[(key, j, stage.position)] = sheet.id
    db.session.commit()
    return {
        "event_id": event.id,
        "slug": slug,
        "category_id": category.id,
        "stage_ids": (s1.id, s2.id),
        "criteria": {"A": a.id, "B": b.id, "C": c.id},
        "entries": {key: e.id for key, e in entries.items()},
        "names": {key: e.name for key, e in entries.items()},
        "judges": [j.id for j in judges],
        "sheets": sheets,
    }
