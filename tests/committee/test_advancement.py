""" "How many advance" applied when a stage closes; ties at the cut-off left to the committee.

The category is tests/results/support.py's. Its stage "Dokumen" alone ranks (by the stage
score, the mean of the two judges): E1 85, E2 80, E3 75, E4 70, E5 70 (A and B equal too, so
the tie-breaks cannot part them), E6 50; E7 failed the administrative selection.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import (
    Assignment,
    AuditEvent,
    Entry,
    ScoreSheet,
    Stage,
    StageAdvancement,
    User,
)
from scoring.models.membership import EventMember
from scoring.services.advancement import (
    ADVANCES,
    OUT,
    TIED,
    apply_advancement,
    plan_advancement,
    set_advancement,
)
from scoring.services.assignments import eligible_entries
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.structure import Refused
from tests.committee.test_entries_support import csrf, text_of
from tests.results.support import build_category


def _setup(advance: int, **kwargs: Any) -> dict[str, Any]:
    ids = build_category(**kwargs)
    stage = db.session.get(Stage, ids["stage_ids"][0])
    stage.advance_count = advance
    db.session.commit()
    ids["key_of"] = {v: k for k, v in ids["entries"].items()}
    return ids


def _rows(stage_id: int, key_of: dict[int, str]) -> dict[str, tuple[bool, str]]:
    rows = db.session.scalars(select(StageAdvancement).where(StageAdvancement.stage_id == stage_id))
    return {key_of[r.entry_id]: (r.advances, r.source) for r in rows}


def test_plan_ranks_the_stage_and_marks_the_cutoff(db: Any) -> None:
    ids = _setup(3)
    plan = plan_advancement(ids["stage_ids"][0], method="raw")
    key_of = ids["key_of"]
    assert [(key_of[r.entry_id], r.rank, r.total, r.ranked) for r in plan.rows] == [
        ("E1", 1, 85.0, ADVANCES),
        ("E2", 2, 80.0, ADVANCES),
        ("E3", 3, 75.0, ADVANCES),
        ("E4", 4, 70.0, OUT),
        ("E5", 4, 70.0, OUT),
        ("E6", 6, 50.0, OUT),
    ]  # E7 failed the administrative selection: not in the ranking at all
    assert (plan.expected_sheets, plan.counted_sheets, plan.tied) == (12, 12, [])


def test_apply_top3_stops_the_rest_and_frees_their_later_assignments(db: Any) -> None:
    ids = _setup(3)
    s1, s2 = ids["stage_ids"]
    # A third judge's untouched sheet for E6 in the next stage: it goes; scored ones stay.
    third = User(email="juri3@test.juara.id", name="Juri 3", role="judge", password_hash="!")
    spare = Assignment(stage_id=s2, entry_id=ids["entries"]["E6"], judge=third)
    spare.sheet = ScoreSheet()
    db.session.add_all([third, spare])
    db.session.commit()
    spare_id = spare.id

    result = apply_advancement(s1)
    assert (result.advancing, result.out, result.undecided) == (3, 3, [])
    assert result.removed_assignments == 1 and db.session.get(Assignment, spare_id) is None
    assert result.kept_started == ["Poktan E4", "Poktan E5", "Poktan E6"]
    assert _rows(s1, ids["key_of"]) == {
        "E1": (True, "auto"),
        "E2": (True, "auto"),
        "E3": (True, "auto"),
        "E4": (False, "auto"),
        "E5": (False, "auto"),
        "E6": (False, "auto"),
    }
    names = [e.name for e in eligible_entries(db.session.get(Stage, s2))]
    assert names == ["Poktan E1", "Poktan E2", "Poktan E3"]
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "advancement.apply"))
    assert audit.object_id == s1 and len(audit.after["advancing"]) == 3

    again = apply_advancement(s1)  # idempotent
    assert (again.advancing, again.out, again.removed_assignments) == (3, 3, 0)
    assert len(_rows(s1, ids["key_of"])) == 6


def test_a_tie_at_the_cutoff_is_left_to_the_committee(db: Any) -> None:
    ids = _setup(4)
    s1 = ids["stage_ids"][0]
    plan = plan_advancement(s1)
    assert [ids["key_of"][r.entry_id] for r in plan.tied] == ["E4", "E5"]
    assert {r.ranked for r in plan.rows if ids["key_of"][r.entry_id] == "E6"} == {OUT}
    result = apply_advancement(s1)
    assert (result.advancing, result.out) == (3, 1)
    assert result.undecided == ["Poktan E4", "Poktan E5"]
    assert "E4" not in _rows(s1, ids["key_of"])  # no guess stored

    with pytest.raises(InvalidInput):
        set_advancement(s1, ids["entries"]["E4"], True, "  ")
    set_advancement(s1, ids["entries"]["E4"], True, "Rapat juri: dokumen lebih lengkap")
    set_advancement(s1, ids["entries"]["E5"], False, "Rapat juri")
    # Applying again keeps the decisions by hand.
    apply_advancement(s1)
    rows = _rows(s1, ids["key_of"])
    assert rows["E4"] == (True, "manual") and rows["E5"] == (False, "manual")
    assert [r.ranked for r in plan_advancement(s1).rows][3:5] == [TIED, TIED]
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "advancement.set")
    ).all()
    assert [a.after["reason"] for a in audit] == ["Rapat juri: dokumen lebih lengkap", "Rapat juri"]


def test_an_override_by_hand_turns_an_auto_decision(db: Any) -> None:
    ids = _setup(3)
    s1 = ids["stage_ids"][0]
    apply_advancement(s1)
    set_advancement(s1, ids["entries"]["E3"], False, "Diskualifikasi: data tidak sesuai")
    assert _rows(s1, ids["key_of"])["E3"] == (False, "manual")
    stopped = {e.name for e in eligible_entries(db.session.get(Stage, ids["stage_ids"][1]))}
    assert "Poktan E3" not in stopped and "Poktan E2" in stopped


def test_refusals(db: Any) -> None:
    ids = _setup(3)
    s1, s2 = ids["stage_ids"]
    db.session.get(Stage, s1).status = "open"
    db.session.commit()
    with pytest.raises(Conflict, match="Close the stage first"):
        apply_advancement(s1)
    with pytest.raises(Conflict, match="Close the stage first"):
        set_advancement(s1, ids["entries"]["E1"], True, "alasan")
    with pytest.raises(Conflict, match="every entry go on"):
        plan_advancement(s2)  # no "how many advance"


def test_missing_sheets_block_unless_a_reason_is_given(db: Any) -> None:
    ids = build_category(leave_draft=("E1", 0))
    s2 = ids["stage_ids"][1]
    db.session.get(Stage, s2).advance_count = 2
    db.session.commit()
    with pytest.raises(Refused) as refused:
        apply_advancement(s2)
    assert "1 of 12 score sheets" in str(refused.value.problems[0])
    result = apply_advancement(s2, missing_reason="Juri 1 sakit, disetujui ketua panitia")
    assert result.advancing == 2
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "advancement.apply"))
    assert audit.after["missing_reason"] == "Juri 1 sakit, disetujui ketua panitia"


@pytest.mark.strict_membership
def test_closing_the_stage_applies_it_and_the_lists_show_it(
    app: Flask, client: FlaskClient, login_as: Any
) -> None:
    user = login_as("committee")
    with app.app_context():
        ids = _setup(3)
        s1 = ids["stage_ids"][0]
        db.session.get(Stage, s1).status = "open"
        db.session.add(EventMember(event_id=ids["event_id"], user_id=user.id))
        db.session.commit()
        e4 = ids["entries"]["E4"]
    event_url = f"/panitia/acara/{ids['event_id']}"
    token = csrf(client, event_url)
    closed = client.post(
        f"/panitia/tahap/{s1}/status", data={"csrf_token": token, "status": "closed"}
    )
    assert closed.status_code == 302
    event_page = text_of(client.get(event_url))
    assert f"/panitia/tahap/{s1}/lolos" in event_page
    review = text_of(client.get(f"/panitia/hasil/kategori/{ids['category_id']}"))
    assert f"/panitia/tahap/{s1}/lolos" in review  # reachable from the results review too
    with app.app_context():
        assert (
            db.session.scalar(
                select(StageAdvancement.advances).where(StageAdvancement.entry_id == e4)
            )
            is False
        )
    listing = text_of(client.get(f"/panitia/kategori/{ids['category_id']}/peserta"))
    assert listing.count('data-testid="not-advancing"') == 3

    page = text_of(client.get(f"/panitia/tahap/{s1}/lolos"))
    assert page.count('<th scope="row">Poktan E') == 6 and 'data-testid="advancement-apply"' in page
    decided = client.post(
        f"/panitia/tahap/{s1}/lolos/peserta",
        data={"csrf_token": token, "entry_id": e4, "advances": "1", "reason": "Banding diterima"},
    )
    assert decided.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(StageAdvancement).where(StageAdvancement.entry_id == e4))
        assert (row.advances, row.source, row.reason) == (True, "manual", "Banding diterima")
        assert db.session.get(Entry, e4) is not None
