"""The demo's published results: Poktan BKB Terbaik is announced on /hasil/jambi-2025."""

from __future__ import annotations

from sqlalchemy import select

from scoring.extensions import db
from scoring.models.results import JudgeFlagAcknowledgement, ResultSnapshot
from scoring.results import diagnostics
from scoring.results.compute import DEFAULT_METHOD
from scoring.services.results import load_category, run_pipeline
from scoring.services.snapshots import acknowledge_flag, publish_results

# What the committee wrote after the judges' meeting about the flagged (harsh, lenient) judges.
DEMO_NOTE = (
    "Dibahas dalam rapat dewan juri: selisih nilai konsisten untuk semua peserta dan dikoreksi "
    "oleh model aditif; nilai juri tetap dipakai."
)


def seed_demo_results(category_id: int, actor_id: int | None) -> int:
    """Publish the category once with the default method (idempotent). Returns the number of
    snapshots created (0 or 1)."""
    exists = db.session.scalar(
        select(ResultSnapshot.id).where(ResultSnapshot.category_id == category_id).limit(1)
    )
    if exists is not None:
        return 0
    comp = run_pipeline(load_category(category_id), DEFAULT_METHOD)
    done = set(
        db.session.execute(
            select(JudgeFlagAcknowledgement.judge_id, JudgeFlagAcknowledgement.code).where(
                JudgeFlagAcknowledgement.category_id == category_id
            )
        ).all()
    )
    for flag in diagnostics.flags(comp):
        if (flag.judge_id, flag.code) not in done:
            acknowledge_flag(category_id, flag.judge_id, flag.code, DEMO_NOTE, actor_id)
            done.add((flag.judge_id, flag.code))
    publish_results(category_id, actor_id, method=DEFAULT_METHOD)
    return 1
