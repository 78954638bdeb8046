"""Time compute_results and the public results page on a large category.

2,000 entries × 5 judges × 3 scored stages (5, 3 and 3 criteria: 110,000 scores), every sheet
submitted, seeded with bulk inserts into a fresh database. Prints

    compute_s=…        median of --repeat runs of compute_results (goal ≤ 1 s)
    public_p99_ms=…    99th percentile of 200 sequential GET /hasil/<slug> (goal ≤ 50 ms)

and a few more figures on the lines before. The public page is measured after publishing the
category (the snapshot freezes all 110,000 scores) and shows all 2,000 ranked entries.

Run: .venv/bin/python bench/results.py [--entries N] [--repeat R] [--database URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

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

JUDGES = 5
STAGES = [("Penilaian Dokumen", 30, 5), ("Presentasi dan Wawancara", 30, 3), ("Verifikasi", 40, 3)]
SENT = dt.datetime(2025, 6, 24, 3, 0, tzinfo=dt.UTC)


def seed(entries: int, rng: Random) -> int:
    """Bulk-insert the category; return its id."""
    db.session.execute(insert(Region), [{"code": "15", "name": "Jambi", "level": "provinsi"}])
    regions = [
        {"code": f"15.{k:02d}", "name": f"Kabupaten {k}", "level": "kabupaten"}
        for k in range(1, 12)
    ]
    db.session.execute(insert(Region), regions)
    region_ids = db.session.scalars(select(Region.id).where(Region.level == "kabupaten")).all()
    users = [
        {
            "email": f"juri{j}@bench.juara.id",
            "name": f"Juri {j}",
            "role": "judge",
            "password_hash": "!",
        }
        for j in range(1, JUDGES + 1)
    ]
    db.session.execute(insert(User), users)
    judge_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    db.session.execute(
        insert(Event),
        [{"name": "Bench", "slug": "bench", "level": "provinsi", "status": "review"}],
    )
    event_id = db.session.scalar(select(Event.id))
    db.session.execute(
        insert(Category),
        [
            {
                "event_id": event_id,
                "name": "Besar",
                "kind": "Poktan BKB",
                "entry_kind": "group",
                "position": 1,
            }
        ],
    )
    category_id = db.session.scalar(select(Category.id))
    stage_rows = [
        {"category_id": category_id, "position": p, "name": name, "weight": w, "status": "closed"}
        for p, (name, w, _) in enumerate(STAGES, start=1)
    ]
    db.session.execute(insert(Stage), stage_rows)
    stage_ids = db.session.scalars(select(Stage.id).order_by(Stage.position)).all()
    criteria = []
    for stage_id, (_, _, n) in zip(stage_ids, STAGES, strict=True):
        criteria += [
            {
                "stage_id": stage_id,
                "position": k,
                "name": f"K{k}",
                "weight": 10 + 5 * k,
                "tiebreak_order": k if k <= 2 else None,
                "min_score": 1,
                "max_score": 100,
            }
            for k in range(1, n + 1)
        ]
    db.session.execute(insert(Criterion), criteria)
    crit = db.session.execute(select(Criterion.id, Criterion.stage_id)).all()
    db.session.execute(
        insert(Entry),
        [
            {
                "category_id": category_id,
                "region_id": region_ids[i % len(region_ids)],
                "name": f"Poktan {i:04d}",
            }
            for i in range(entries)
        ],
    )
    entry_ids = db.session.scalars(select(Entry.id).order_by(Entry.id)).all()
    quality = {e: rng.gauss(70, 8) for e in entry_ids}
    bias = {j: rng.gauss(0, 5) for j in judge_ids}
    db.session.execute(
        insert(Assignment),
        [
            {"stage_id": s, "entry_id": e, "judge_id": j}
            for s in stage_ids
            for e in entry_ids
            for j in judge_ids
        ],
    )
    asg = db.session.execute(
        select(Assignment.id, Assignment.stage_id, Assignment.entry_id, Assignment.judge_id)
    ).all()
    db.session.execute(
        insert(ScoreSheet),
        [
            {"assignment_id": a.id, "status": "submitted", "version": 1, "submitted_at": SENT}
            for a in asg
        ],
    )
    sheet_of = dict(db.session.execute(select(ScoreSheet.assignment_id, ScoreSheet.id)).all())
    by_stage: dict[int, list[int]] = {}
    for criterion_id, stage_id in crit:
        by_stage.setdefault(stage_id, []).append(criterion_id)
    scores = []
    for a in asg:
        for criterion_id in by_stage[a.stage_id]:
            value = round(quality[a.entry_id] + bias[a.judge_id] + rng.gauss(0, 4))
            scores.append(
                {
                    "sheet_id": sheet_of[a.id],
                    "criterion_id": criterion_id,
                    "value": float(min(100, max(1, value))),
                }
            )
    db.session.execute(insert(Score), scores)
    db.session.commit()
    return category_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    from scoring import create_app
    from scoring.services.results import compute_results
    from scoring.services.snapshots import publish_results

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            category_id = seed(args.entries, Random(7))
            print(f"seed_s={time.perf_counter() - started:.2f}")
            times = []
            for _ in range(args.repeat):
                db.session.expire_all()
                started = time.perf_counter()
                result = compute_results(category_id)
                times.append(time.perf_counter() - started)
            print(f"entries={len(result.rows)} compute_first_s={times[0]:.3f}")
            started = time.perf_counter()
            publish_results(category_id, None, override_reason="bench")
            print(f"publish_s={time.perf_counter() - started:.2f}")
        client = app.test_client()
        durations = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get("/hasil/bench")
            durations.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        durations.sort()
        p99 = durations[min(len(durations) - 1, int(0.99 * len(durations)))]
        print(
            f"public_max_ms={durations[-1]:.1f} public_median_ms={statistics.median(durations):.1f}"
        )
        print(f"compute_s={statistics.median(times):.3f} public_p99_ms={p99:.1f}")
        with app.app_context():
            db.session.remove()
            if args.database:
                db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
