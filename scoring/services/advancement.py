""" "How many advance" applied: after a stage, its top N entries go on and the rest stop there.

Entries belong to a stage through their assignments (the results count an entry as having
reached a stage when it is assigned there). When a stage with `advance_count` N is closed, its
ranking is computed on the scored stages up to and including it (the same pipeline as the
results, `DEFAULT_METHOD`, tie-breaks included) over the entries that reached it, and:

- the entries ranked above the cut-off advance and those below it do not (`StageAdvancement`
  rows, source "auto"); an entry not advancing loses its unstarted assignments in the later
  stages, and later assignments are generated without it (`assignments.eligible_entries`);
- entries still sharing the N-th place after the tie-breaks get no row: the committee is told
  and decides by hand, never a guess; so do entries without a score;
- a decision by hand (`set_advancement`, with a reason) is kept when the ranking is applied
  again; applying twice changes nothing;
- while score sheets of the stage are missing the ranking is not applied, unless the committee
  gives a reason. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Assignment, Entry, Stage, StageAdvancement
from scoring.orm import utcnow
from scoring.results.compute import DEFAULT_METHOD
from scoring.results.inputs import CategoryData
from scoring.services.audit import record
from scoring.services.conflicts import sheet_started
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.results import load_category, run_pipeline
from scoring.services.structure import Refused, ensure_not_published, ensure_results_unpublished

ADVANCES, OUT, TIED, UNRANKED = "advances", "out", "tied", "unranked"
REASON_MAX = 1000


@dataclass(frozen=True)
class Standing:
    entry_id: int
    name: str
    region: str
    rank: int | None
    total: float | None
    ranked: str  # what the ranking says: ADVANCES, OUT, TIED or UNRANKED
    decided: bool | None  # the stored decision: True advances, False not, None undecided
    source: str | None  # "auto" or "manual" when decided
    reason: str | None


@dataclass(frozen=True)
class Plan:
    stage_id: int
    advance_count: int
    rows: list[Standing]  # best first
    expected_sheets: int
    counted_sheets: int

    @property
    def tied(self) -> list[Standing]:
        return [r for r in self.rows if r.ranked == TIED]

    @property
    def undecided(self) -> list[Standing]:
        return [r for r in self.rows if r.decided is None]

    @property
    def missing_sheets(self) -> int:
        return self.expected_sheets - self.counted_sheets


@dataclass(frozen=True)
class Applied:
    advancing: int
    out: int
    undecided: list[str]  # names the committee must decide
    removed_assignments: int
    kept_started: list[str]  # entries out whose later sheets were already started (kept)


def _stage(stage_id: int) -> Stage:
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        raise NotFound("Stage not found.")
    return stage


def up_to_stage(data: CategoryData, position: int) -> CategoryData:
    """`data` with only the scored stages up to `position` (criteria, assignments, scores)."""
    n_s = sum(1 for s in data.stages if s.position <= position)
    kept = {s.id for s in data.stages[:n_s]}
    n_c = sum(1 for c in data.criteria if c.stage_id in kept)  # ordered by stage: a prefix
    asg = data.asg_stage < n_s
    sc = data.score_criterion < n_c
    return replace(
        data,
        stages=data.stages[:n_s],
        criteria=data.criteria[:n_c],
        asg_stage=data.asg_stage[asg],
        asg_entry=data.asg_entry[asg],
        asg_judge=data.asg_judge[asg],
        asg_sheet=data.asg_sheet[asg],
        asg_counted=data.asg_counted[asg],
        asg_status=tuple(s for s, keep in zip(data.asg_status, asg.tolist(), strict=True) if keep),
        score_sheet=data.score_sheet[sc],
        score_criterion=data.score_criterion[sc],
        score_value=data.score_value[sc],
    )


def _ranked_outcomes(ranks: list[int | None], n: int) -> list[str]:
    """Per entry (best first), what "top n advance" says; a shared rank across the cut-off is
    TIED, an entry without a rank UNRANKED."""
    ranked = sorted(r for r in ranks if r is not None)
    if len(ranked) <= n:
        return [UNRANKED if r is None else ADVANCES for r in ranks]
    cut = ranked[n - 1]
    shared = ranked[n] == cut  # the (n+1)-th entry has the n-th one's rank
    outcomes = []
    for r in ranks:
        if r is None:
            outcomes.append(UNRANKED)
        elif r < cut or (r == cut and not shared):
            outcomes.append(ADVANCES)
        elif r == cut:
            outcomes.append(TIED)
        else:
            outcomes.append(OUT)
    return outcomes


def plan_advancement(stage_id: int, method: str = DEFAULT_METHOD) -> Plan:
    """The stage's ranking, what "how many advance" makes of it, and what is decided so far."""
    stage = _stage(stage_id)
    if not stage.is_scored or not stage.advance_count:
        raise Conflict("This stage lets every entry go on; there is nothing to decide.")
    data = up_to_stage(load_category(stage.category_id), stage.position)
    comp = run_pipeline(data, method)
    last = len(comp.stages) - 1
    order = [i for i in comp.order if comp.reached[i, last]]
    ranks = [None if np.isnan(comp.total[i]) else int(comp.ranks[i]) for i in order]
    outcomes = _ranked_outcomes(ranks, stage.advance_count)
    stored = decisions(stage.id)
    rows = []
    for i, rank, ranked in zip(order, ranks, outcomes, strict=True):
        entry = data.entries[int(comp.entry_index[i])]
        row = stored.get(entry.id)
        rows.append(
            Standing(
                entry_id=entry.id,
                name=entry.name,
                region=entry.region,
                rank=rank,
                total=None if rank is None else round(float(comp.total[i]), 2),
                ranked=ranked,
                decided=None if row is None else row.advances,
                source=None if row is None else row.source,
                reason=None if row is None else row.reason,
            )
        )
    this = comp.stages[last]
    return Plan(
        stage.id, stage.advance_count, rows, int(this.expected.sum()), int(this.counted.sum())
    )


def decisions(stage_id: int) -> dict[int, StageAdvancement]:
    rows = db.session.scalars(select(StageAdvancement).where(StageAdvancement.stage_id == stage_id))
    return {row.entry_id: row for row in rows}


def _lock_closed_stage(stage_id: int) -> Stage:
    stage = get_for_update(Stage, stage_id)
    if stage is None:
        raise NotFound("Stage not found.")
    ensure_not_published(stage.category.event)
    ensure_results_unpublished(stage.category)  # it removes later assignments
    if stage.status != "closed":
        raise Conflict("Close the stage first: who advances is decided on its final results.")
    return stage


def apply_advancement(
    stage_id: int, *, method: str = DEFAULT_METHOD, missing_reason: str = ""
) -> Applied:
    """Store what the ranking decides (decisions by hand stay) and commit."""
    with committing():
        stage = _lock_closed_stage(stage_id)
        reason = _clean(missing_reason) if missing_reason.strip() else None
        return store_advancement(stage, plan_advancement(stage.id, method), method, reason)


def store_advancement(stage: Stage, plan: Plan, method: str, reason: str | None) -> Applied:
    """`apply_advancement` inside the caller's transaction (also run when publishing closes
    the stage: scoring/services/publication.py); the caller holds the closed stage's lock."""
    if plan.missing_sheets and reason is None:
        raise Refused(
            "Who advances is not applied yet.",
            [
                InvalidInput(
                    "%(missing)d of %(expected)d score sheets of this stage are not sent yet.",
                    missing=plan.missing_sheets,
                    expected=plan.expected_sheets,
                )
            ],
        )
    stored = decisions(stage.id)
    candidates = {row.entry_id for row in plan.rows}
    for entry_id, row in list(stored.items()):
        if row.source == "auto" and entry_id not in candidates:
            db.session.delete(row)
    now = utcnow()
    for standing in plan.rows:
        row = stored.get(standing.entry_id)
        if row is not None and row.source == "manual":
            continue
        if standing.ranked in (TIED, UNRANKED):
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = StageAdvancement(stage_id=stage.id, entry_id=standing.entry_id)
            db.session.add(row)
        row.advances, row.rank, row.source = standing.ranked == ADVANCES, standing.rank, "auto"
        row.decided_by_id, row.decided_at, row.reason = None, now, None
    db.session.flush()
    final = decisions(stage.id)
    out_ids = [e for e, row in final.items() if not row.advances]
    removed, kept = _drop_later_assignments(stage, out_ids)
    applied = Applied(
        advancing=sum(1 for row in final.values() if row.advances),
        out=len(out_ids),
        undecided=[s.name for s in plan.rows if s.entry_id not in final],
        removed_assignments=removed,
        kept_started=kept,
    )
    record(
        "advancement.apply",
        stage,
        after={
            "advance_count": stage.advance_count,
            "method": method,
            "advancing": sorted(e for e, row in final.items() if row.advances),
            "out": sorted(out_ids),
            "undecided": sorted(s.entry_id for s in plan.rows if s.entry_id not in final),
            "missing_sheets": plan.missing_sheets,
            "missing_reason": reason,
            "removed_assignments": removed,
        },
        event_id=stage.category.event_id,
    )
    return applied


def set_advancement(stage_id: int, entry_id: int, advances: bool, reason: str) -> None:
    """The committee decides one entry by hand (a tie at the cut-off, or an override)."""
    with committing():
        stage = _lock_closed_stage(stage_id)
        if not stage.advance_count:
            raise Conflict("This stage lets every entry go on; there is nothing to decide.")
        text = _clean(reason)
        entry = db.session.get(Entry, entry_id)
        if entry is None or entry.category_id != stage.category_id:
            raise NotFound("Entry not found.")
        row = decisions(stage.id).get(entry.id)
        before = None if row is None else _picture(row)
        if row is None:
            row = StageAdvancement(stage_id=stage.id, entry_id=entry.id)
            db.session.add(row)
        row.advances, row.source, row.reason = advances, "manual", text
        row.decided_by_id, row.decided_at = _actor_id(), utcnow()
        db.session.flush()
        removed, _kept = _drop_later_assignments(stage, [] if advances else [entry.id])
        record(
            "advancement.set",
            row,
            before=before,
            after=_picture(row) | {"entry_id": entry.id, "removed_assignments": removed},
            event_id=stage.category.event_id,
        )


def _clean(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("Write the reason for this decision.")
    if len(text) > REASON_MAX:
        raise InvalidInput("The reason is too long (at most %(n)d characters).", n=REASON_MAX)
    return text


def _picture(row: StageAdvancement) -> dict:
    return {"advances": row.advances, "source": row.source, "reason": row.reason, "rank": row.rank}


def _actor_id() -> int | None:
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None


def _drop_later_assignments(stage: Stage, entry_ids: list[int]) -> tuple[int, list[str]]:
    """Remove the unstarted assignments of `entry_ids` in the category's later stages."""
    if not entry_ids:
        return 0, []
    later = select(Stage.id).where(
        Stage.category_id == stage.category_id, Stage.position > stage.position
    )
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.stage_id.in_(later), Assignment.entry_id.in_(entry_ids))
    ).all()
    started = [a for a in assignments if sheet_started(a)]
    drop = [a for a in assignments if a not in started]
    for assignment in drop:
        db.session.delete(assignment)  # its empty draft sheet goes with it
    return len(drop), sorted({a.entry.name for a in started})


def not_advancing(category_id: int) -> dict[int, str]:
    """Entry id -> name of the stage after which it stopped (for lists and assignments)."""
    rows = db.session.execute(
        select(StageAdvancement.entry_id, Stage.name, Stage.position)
        .join(Stage, Stage.id == StageAdvancement.stage_id)
        .where(Stage.category_id == category_id, StageAdvancement.advances.is_(False))
        .order_by(Stage.position.desc())
    ).all()
    found: dict[int, str] = {}
    for entry_id, name, _position in rows:
        found.setdefault(entry_id, name)
    return found
