"""Loading a category for the results pipeline: a few column queries straight into numpy.

No ORM object per score: the big queries (assignments, scores) run on the session's connection
and the scores come back as plain DBAPI tuples (see bench/results.py for the figures).
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Region,
    Score,
    ScoreSheet,
    Stage,
    User,
)
from scoring.models.decision import StageDecision
from scoring.results.inputs import (
    COUNTED_STATUSES,
    CategoryData,
    CriterionInfo,
    EntryInfo,
    JudgeInfo,
    StageInfo,
    build,
)
from scoring.services.errors import NotFound


def load_category(category_id: int) -> CategoryData:
    """Everything the pipeline needs, in a few column queries straight into numpy."""
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("This category does not exist.")
    event = category.event
    stage_rows = db.session.execute(
        select(Stage.id, Stage.position, Stage.name, Stage.weight, Stage.kind).where(
            Stage.category_id == category_id
        )
    ).all()
    scored = [
        StageInfo(row.id, row.position, row.name, float(row.weight))
        for row in stage_rows
        if row.kind == "scored"
    ]
    gates = [row.id for row in stage_rows if row.kind == "pass_fail"]
    scored_ids = [s.id for s in scored]
    criteria = [
        CriterionInfo(*row)
        for row in db.session.execute(
            select(
                Criterion.id,
                Criterion.stage_id,
                Criterion.position,
                Criterion.name,
                Criterion.weight,
                Criterion.min_score,
                Criterion.max_score,
                Criterion.tiebreak_order,
            ).where(Criterion.stage_id.in_(scored_ids))
        )
    ]
    failed = set(
        db.session.scalars(
            select(StageDecision.entry_id).where(
                StageDecision.stage_id.in_(gates), StageDecision.outcome == "fail"
            )
        )
    )
    entries = [
        EntryInfo(row.id, row.name, row.region, row.code, row.id in failed)
        for row in db.session.execute(
            select(Entry.id, Entry.name, Region.name.label("region"), Region.code)
            .join(Region, Region.id == Entry.region_id)
            .where(Entry.category_id == category_id)
        )
    ]
    # Core execution on the session's connection: no ORM row processing for the big queries.
    conn = db.session.connection()
    asg_rows = conn.execute(
        select(
            Assignment.stage_id,
            Assignment.entry_id,
            Assignment.judge_id,
            ScoreSheet.id,
            ScoreSheet.status,
        )
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.stage_id.in_(scored_ids))
    ).all()
    judge_ids = sorted({row[2] for row in asg_rows})
    judges = [
        JudgeInfo(row.id, row.name)
        for row in db.session.execute(select(User.id, User.name).where(User.id.in_(judge_ids)))
    ]
    scores_query = conn.execute(
        select(Score.sheet_id, Score.criterion_id, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(
            Assignment.stage_id.in_(scored_ids),
            ScoreSheet.status.in_(COUNTED_STATUSES),
            Score.value.is_not(None),
        )
    )
    try:
        # Plain DBAPI tuples of ints and floats: skipping SQLAlchemy's Row objects halves the
        # time of this query on a large category (bench/results.py).
        score_rows = scores_query.cursor.fetchall()
    finally:
        scores_query.close()
    assignments = np.fromiter(
        chain.from_iterable((r[0], r[1], r[2], r[3] or 0) for r in asg_rows),
        dtype=np.int64,
        count=4 * len(asg_rows),
    )
    scores = np.fromiter(chain.from_iterable(score_rows), np.float64, count=3 * len(score_rows))
    return build(
        {
            "id": category.id,
            "name": category.name,
            "event": {
                "id": event.id,
                "name": event.name,
                "slug": event.slug,
                "place": event.place,
                "starts_on": event.starts_on.isoformat() if event.starts_on else None,
                "ends_on": event.ends_on.isoformat() if event.ends_on else None,
            },
        },
        scored,
        criteria,
        entries,
        judges,
        assignments,
        [r[4] for r in asg_rows],
        scores,
    )
