"""Judges and regional operators belong to events (issue 14, item 1).

A committee account that is a member of no event, or of another event, must not list, reset,
deactivate or assign another event's judge: before the fix it could reset the judge's password,
log in as the judge and change the event's scores through the sheet API. Judges of no event
are managed by the committee account that created them (and admins).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import Assignment, Category, Entry, Event, EventMember, Job, Stage, User
from scoring.services.account_scope import account_event_ids, can_manage_account
from tests.conftest import csrf_token_from, login
from tests.factories import build_event_graph

pytestmark = pytest.mark.strict_membership

PASSWORD_RE = re.compile(r'class="font-monospace login-password">([^<]+)<')
THEIR_JUDGE = "juri-mereka-2025@test.juara.id"


def _world(app: Flask) -> dict[str, int]:
    """Their event (one judge assigned), our event (a stage and an entry, no judge)."""
    with app.app_context():
        g = build_event_graph("mereka-2025")
        ours = Event(name="Lomba Kami", slug="kami-2025", level="provinsi", status="scoring")
        category = Category(event=ours, name="Poktan BKR", kind="Poktan BKR", entry_kind="group")
        stage = Stage(category=category, position=1, name="Penilaian", weight=100)
        entry = Entry(category=category, region=g["region"], name="BKR Mawar")
        db.session.add_all([ours, category, stage, entry])
        db.session.commit()
        return {
            "theirs": g["event"].id,
            "judge": g["judge"].id,
            "ours": ours.id,
            "our_stage": stage.id,
            "our_entry": entry.id,
        }


def _member(app: Flask, user_id: int, event_id: int) -> None:
    with app.app_context():
        db.session.add(EventMember(event_id=event_id, user_id=user_id))
        db.session.commit()


def _judge_state(app: Flask, user_id: int) -> tuple[str, bool, int]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.password_hash, user.active, user.session_version


def _signed_in(app: Flask, user: Any) -> tuple[FlaskClient, str]:
    client = app.test_client()
    login(client, user.email, user.plain_password)
    return client, csrf_token_from(client.get("/panitia/").get_data(as_text=True))


@pytest.mark.parametrize("member_of", ["nothing", "ours"])
def test_a_committee_account_cannot_take_over_another_events_judge(
    app: Flask, make_user: Any, member_of: str
) -> None:
    ids = _world(app)
    outsider = make_user("committee")
    if member_of == "ours":
        _member(app, outsider.id, ids["ours"])
    client, token = _signed_in(app, outsider)
    before = _judge_state(app, ids["judge"])

    assert THEIR_JUDGE not in client.get("/panitia/juri").get_data(as_text=True)
    reset = client.post(f"/panitia/juri/{ids['judge']}/sandi-baru", data={"csrf_token": token})
    assert reset.status_code == 403
    assert not PASSWORD_RE.search(client.get("/panitia/juri/lembar-masuk").get_data(as_text=True))
    off = client.post(
        f"/panitia/juri/{ids['judge']}/aktif", data={"csrf_token": token, "active": "0"}
    )
    assert off.status_code == 403
    assert _judge_state(app, ids["judge"]) == before

    if member_of == "ours":
        # Assigning their judge to our event would make them "ours": not offered, not taken.
        board = client.get(f"/panitia/tahap/{ids['our_stage']}/penugasan")
        assert board.status_code == 200 and "Juri Uji" not in board.get_data(as_text=True)
        client.post(
            f"/panitia/tahap/{ids['our_stage']}/penugasan/tambah",
            data={
                "csrf_token": token,
                "add-entry_id": ids["our_entry"],
                "add-judge_id": ids["judge"],
            },
        )
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1


def test_members_of_the_judges_event_and_admins_manage_the_judge(
    app: Flask, make_user: Any
) -> None:
    ids = _world(app)
    member, admin = make_user("committee"), make_user("admin")
    _member(app, member.id, ids["theirs"])
    for user in (member, admin):
        client, token = _signed_in(app, user)
        assert THEIR_JUDGE in client.get("/panitia/juri").get_data(as_text=True)
        reset = client.post(f"/panitia/juri/{ids['judge']}/sandi-baru", data={"csrf_token": token})
        assert reset.status_code == 302
        sheet = client.get(reset.headers["Location"]).get_data(as_text=True)
        assert len(PASSWORD_RE.findall(sheet)) == 1
        off = client.post(
            f"/panitia/juri/{ids['judge']}/aktif", data={"csrf_token": token, "active": "0"}
        )
        assert off.status_code == 302
        assert _judge_state(app, ids["judge"])[1] is False
        client.post(
            f"/panitia/juri/{ids['judge']}/aktif", data={"csrf_token": token, "active": "1"}
        )


def test_a_judge_of_no_event_belongs_to_its_creator_until_assigned(
    app: Flask, make_user: Any
) -> None:
    ids = _world(app)
    creator, other = make_user("committee"), make_user("committee")
    _member(app, creator.id, ids["ours"])
    client, token = _signed_in(app, creator)
    created = client.post(
        "/panitia/juri/baru",
        data={
            "csrf_token": token,
            "one-name": "Dr. Baru",
            "one-email": "baru@contoh.id",
            "one-home_region_id": "0",
        },
    )
    assert created.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(User).where(User.email == "baru@contoh.id"))
        assert new is not None and new.created_by_id == creator.id
        new_id = new.id
    assert "baru@contoh.id" in client.get("/panitia/juri").get_data(as_text=True)

    other_client, other_token = _signed_in(app, other)
    assert "baru@contoh.id" not in other_client.get("/panitia/juri").get_data(as_text=True)
    refused = other_client.post(
        f"/panitia/juri/{new_id}/sandi-baru", data={"csrf_token": other_token}
    )
    assert refused.status_code == 403

    # Once assigned to our event, the judge belongs to it: every member of it manages them.
    assigned = client.post(
        f"/panitia/tahap/{ids['our_stage']}/penugasan/tambah",
        data={"csrf_token": token, "add-entry_id": ids["our_entry"], "add-judge_id": new_id},
    )
    assert assigned.status_code == 302
    with app.app_context():
        assert account_event_ids(new_id) == {ids["ours"]}
    _member(app, other.id, ids["ours"])
    ok = other_client.post(f"/panitia/juri/{new_id}/sandi-baru", data={"csrf_token": other_token})
    assert ok.status_code == 302


def test_only_the_accounts_a_committee_manages(app: Flask, make_user: Any) -> None:
    """Never an admin's account; another committee account only through a shared event."""
    ids = _world(app)
    member, colleague, stranger = (make_user("committee") for _ in range(3))
    admin = make_user("admin")
    for user in (member, colleague):
        _member(app, user.id, ids["ours"])
    with app.app_context():
        me = db.session.get(User, member.id)
        assert can_manage_account(me, colleague.id)
        assert not can_manage_account(me, stranger.id)
        assert not can_manage_account(me, admin.id)
        assert not can_manage_account(me, ids["judge"])
        assert can_manage_account(db.session.get(User, admin.id), ids["judge"])


def test_operators_are_listed_to_the_members_of_their_event(app: Flask, make_user: Any) -> None:
    ids = _world(app)
    member = make_user("committee")
    _member(app, member.id, ids["ours"])
    theirs = make_user("regional", email="op.mereka@contoh.id", operator_event_id=ids["theirs"])
    ours = make_user("regional", email="op.kami@contoh.id", operator_event_id=ids["ours"])
    unbound = make_user("regional", email="op.bebas@contoh.id")  # no event, created by nobody
    client, _token = _signed_in(app, member)
    page = client.get(f"/panitia/acara/{ids['ours']}/operator").get_data(as_text=True)
    assert ours.email in page
    assert theirs.email not in page and unbound.email not in page


def test_a_job_without_an_event_is_nobodys(app: Flask, make_user: Any) -> None:
    _world(app)
    member = make_user("committee")
    with app.app_context():
        job = Job(kind="certificates.issue_all", event_id=None)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    client, _token = _signed_in(app, member)
    assert client.get(f"/panitia/sertifikat/tugas/{job_id}.json").status_code == 403


def test_the_assignment_page_opens_with_no_judge_to_offer(app: Flask, make_user: Any) -> None:
    """A new member has no judge yet: the board shows, instead of a numpy error (500)."""
    ids = _world(app)
    member = make_user("committee")
    _member(app, member.id, ids["ours"])
    client, _token = _signed_in(app, member)
    assert client.get(f"/panitia/tahap/{ids['our_stage']}/penugasan").status_code == 200
