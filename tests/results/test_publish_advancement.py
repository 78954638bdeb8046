"""Publishing closes a stage with "how many advance": who advances is applied first (issue 15).

In the support category stage 1 "Dokumen" ranks E1 85, E2 80, E3 75, E4 = E5 70, E6 50.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scoring.extensions import db as _db
from scoring.models import Assignment, AuditEvent, Event, Stage, StageAdvancement
from scoring.services.snapshots import publish_results
from scoring.services.structure import Refused
from tests.results.support import build_category


def _open_with_advance(ids: dict[str, Any], count: int) -> int:
    """The event in scoring, both stages open, the top `count` of stage 1 going on."""
    s1, s2 = ids["stage_ids"]
    _db.session.get(Event, ids["event_id"]).status = "scoring"
    for stage_id in (s1, s2):
        _db.session.get(Stage, stage_id).status = "open"
    _db.session.get(Stage, s1).advance_count = count
    _db.session.commit()
    return s1


def _decisions(stage_id: int) -> dict[int, tuple[bool, str]]:
    _db.session.expire_all()
    rows = _db.session.scalars(select(StageAdvancement).filter_by(stage_id=stage_id))
    return {row.entry_id: (row.advances, row.source) for row in rows}


def test_publishing_applies_who_advances_of_the_stage_it_closes(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category(leave_draft=("E6", 0))
    s1 = _open_with_advance(ids, 3)
    e = ids["entries"]
    draft = _db.session.scalar(
        select(Assignment.id).filter_by(
            stage_id=ids["stage_ids"][1], entry_id=e["E6"], judge_id=ids["judges"][0]
        )
    )
    # E6 does not advance, so its unsent stage-2 sheet is no longer expected: nothing is missing.
    publish_results(ids["category_id"], make_user("committee").id, method="raw")
    assert _db.session.get(Stage, s1).status == "closed"
    assert _decisions(s1) == {
        e["E1"]: (True, "auto"),
        e["E2"]: (True, "auto"),
        e["E3"]: (True, "auto"),
        e["E4"]: (False, "auto"),
        e["E5"]: (False, "auto"),
        e["E6"]: (False, "auto"),
    }
    assert _db.session.get(Assignment, draft) is None
    applied = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "advancement.apply")
    ).one()
    assert applied.after["out"] == sorted([e["E4"], e["E5"], e["E6"]])
    published = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "results.publish")
    ).one()
    assert published.after["advanced"] == [{"id": s1, "advancing": 3, "out": 3}]


def test_publishing_is_refused_while_a_tie_at_the_cut_off_is_undecided(
    app: Flask, db: Any, make_user: Any
) -> None:
    from scoring.results.review import message

    ids = build_category()
    s1 = _open_with_advance(ids, 4)  # E4 and E5 share the 4th place
    with pytest.raises(Refused) as refused:
        publish_results(ids["category_id"], make_user("committee").id, method="raw")
    with app.test_request_context(headers={"Accept-Language": "id"}):
        text = " ".join(message(p) for p in refused.value.problems)
    assert "Poktan E4, Poktan E5" in text and "Dokumen" in text
    assert "Yang lolos" in text
    _db.session.expire_all()
    assert _db.session.get(Stage, s1).status == "open"
    assert _decisions(s1) == {}


def test_who_advances_of_a_published_category_waits_for_the_results_to_be_withdrawn(
    app: Flask, db: Any, make_user: Any
) -> None:
    from scoring.services.advancement import apply_advancement, set_advancement
    from scoring.services.errors import Conflict
    from scoring.services.snapshots import unpublish_results

    ids = build_category()
    s1 = _open_with_advance(ids, 4)
    _db.session.get(Stage, s1).status = "closed"  # closed by hand: the tie left to the committee
    _db.session.commit()
    panitia = make_user("committee")
    publish_results(ids["category_id"], panitia.id, method="raw")
    e5 = ids["entries"]["E5"]
    with app.test_request_context():
        with pytest.raises(Conflict):  # it would take E5's later sheets out of the ranking
            set_advancement(s1, e5, False, "Undian")
        with pytest.raises(Conflict):
            apply_advancement(s1)
    assert _decisions(s1) == {}
    unpublish_results(ids["category_id"], panitia.id, "Putuskan yang lolos")
    with app.test_request_context():
        set_advancement(s1, e5, False, "Undian")
    assert _decisions(s1) == {e5: (False, "manual")}
