"""Event membership: a committee account opens only the events it is a member of; admins all.

Every committee route of the app (read from `app.url_map`) is tried with the ids of another
event's objects: each answers 403 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scoring.auth.membership import GUARDED_BLUEPRINTS, event_ids_of_request
from scoring.extensions import db
from scoring.models import (
    Attachment,
    AuditEvent,
    Certificate,
    ConflictOfInterest,
    Event,
    EventMember,
    Job,
    ResultSnapshot,
    User,
)
from scoring.orm import utcnow
from tests.conftest import csrf_token_from, login
from tests.factories import build_event_graph

pytestmark = pytest.mark.strict_membership

OURS, THEIRS = "Lomba Kami 2025", "Lomba Mereka 2025"


def _world(app: Flask, member_id: int) -> dict[str, int]:
    """Our event (member_id is a member) and their event with one object of every kind."""
    with app.app_context():
        ours = Event(name=OURS, slug="kami-2025", level="provinsi", status="draft")
        db.session.add(ours)
        g = build_event_graph("mereka-2025")
        g["event"].name = THEIRS
        entry, category = g["entry"], g["category"]
        attachment = Attachment(
            entry=entry,
            kind="proposal",
            original_name="proposal.pdf",
            stored_name="f" * 32,
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
        conflict = ConflictOfInterest(judge=g["judge"], entry=entry, reason="Saudara")
        snapshot = ResultSnapshot(
            category=category,
            version=1,
            method="raw",
            options={},
            inputs={},
            outputs={},
            code_version="test",
            sha256="0" * 64,
        )
        job = Job(kind="certificates.issue_all", event_id=g["event"].id)
        certificate = Certificate(
            event_id=g["event"].id,
            category_id=category.id,
            kind="winner",
            entry_id=entry.id,
            seq=1,
            number="1/PIAGAM/2025",
            token="t" * 22,
            name=entry.name,
            award="Juara I",
            event_name=THEIRS,
            issued_on=dt.date(2025, 6, 27),
            issued_at=utcnow(),
        )
        db.session.add_all([attachment, conflict, snapshot, job, certificate])
        db.session.flush()
        db.session.add(EventMember(event_id=ours.id, user_id=member_id))
        db.session.add(
            AuditEvent(action="secret.theirs", object_type="Event", event_id=g["event"].id)
        )
        db.session.commit()
        return {
            "ours": ours.id,
            "event_id": g["event"].id,
            "event_slug": g["event"].slug,
            "category_id": category.id,
            "stage_id": g["stage"].id,
            "criterion_id": g["criteria"][0].id,
            "entry_id": entry.id,
            "attachment_id": attachment.id,
            "assignment_id": g["assignment"].id,
            "conflict_id": conflict.id,
            "sheet_id": g["sheet"].id,
            "snapshot_id": snapshot.id,
            "job_id": job.id,
            "certificate_id": certificate.id,
            "kind": "winner",
            "user_id": g["judge"].id,
        }


def _event_scoped_rules(app: Flask) -> list[tuple[str, str, list[str]]]:
    """(method, rule, args) for every committee route that takes an event-scoped argument."""
    found = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.partition(".")[0]
        if blueprint not in GUARDED_BLUEPRINTS:
            continue
        if not rule.rule.startswith(("/panitia", "/berkas")):
            continue
        args = sorted(rule.arguments)
        if not args or set(args) <= {"user_id", "kind", "filename"}:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule, args))
    return found


def _fill(rule: str, ids: dict[str, Any]) -> str:
    # An argument the membership check does not know gets 1: the check must refuse it anyway.
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(ids.get(m.group(1), 1)), rule)


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }


def test_a_committee_member_cannot_open_or_change_another_events_objects(
    app: Flask, client: FlaskClient, login_as: Any
) -> None:
    user = login_as("committee")
    ids = _world(app, user.id)
    token = csrf_token_from(client.get(f"/panitia/acara/{ids['ours']}").get_data(as_text=True))
    rules = _event_scoped_rules(app)
    assert len(rules) > 40  # the committee's pages, not an empty list by mistake
    with app.app_context():
        before = _counts()
    answers = {}
    for method, rule, _args in rules:
        url = _fill(rule, ids)
        response = client.open(url, method=method, data={"csrf_token": token})
        answers[f"{method} {url}"] = response.status_code
    assert {k: v for k, v in answers.items() if v != 403} == {}
    with app.app_context():
        assert _counts() == before


def test_lists_show_only_the_members_events_and_admins_see_all(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    member = make_user("committee")
    admin = make_user("admin")
    ids = _world(app, member.id)
    login(client, member.email, member.plain_password)
    home = client.get("/panitia/").get_data(as_text=True)
    assert OURS in home and THEIRS not in home
    assert THEIRS not in client.get("/panitia/sertifikat/").get_data(as_text=True)
    assert client.get(f"/panitia/audit?acara={ids['event_id']}").status_code == 403
    assert "secret.theirs" not in client.get("/panitia/audit").get_data(as_text=True)
    progress = client.get("/panitia/kemajuan")
    assert progress.headers["Location"].endswith(f"/panitia/acara/{ids['ours']}/kemajuan")
    # Public pages stay public: the results page of another event is not a committee page.
    assert client.get(f"/hasil/{ids['event_slug']}").status_code != 403

    client.post("/logout", data={"csrf_token": csrf_token_from(home)})
    login(client, admin.email, admin.plain_password)
    home = client.get("/panitia/").get_data(as_text=True)
    assert OURS in home and THEIRS in home
    assert client.get(f"/panitia/acara/{ids['event_id']}").status_code == 200
    assert client.get(f"/panitia/kategori/{ids['category_id']}/peserta").status_code == 200


def test_the_creator_of_an_event_becomes_its_member(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    creator, other = make_user("committee"), make_user("committee")
    login(client, creator.email, creator.plain_password)
    token = csrf_token_from(client.get("/panitia/acara/baru").get_data(as_text=True))
    created = client.post(
        "/panitia/acara/baru",
        data={
            "csrf_token": token,
            "name": "Lomba Baru 2026",
            "level": "provinsi",
            "host_region_id": "",
        },
    )
    assert created.status_code == 302
    event_url = created.headers["Location"]
    assert client.get(event_url).status_code == 200
    with app.app_context():
        event_id = db.session.scalar(select(Event.id).where(Event.slug == "lomba-baru-2026"))
        members = db.session.scalars(
            select(EventMember.user_id).where(EventMember.event_id == event_id)
        ).all()
    assert members == [creator.id]
    client.post("/logout", data={"csrf_token": token})
    login(client, other.email, other.plain_password)
    assert client.get(event_url).status_code == 403


def test_members_add_and_remove_committee_accounts_on_the_event_page(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    member, newcomer = make_user("committee"), make_user("committee")
    judge = make_user("judge")
    ids = _world(app, member.id)
    page_url = f"/panitia/acara/{ids['ours']}"

    login(client, newcomer.email, newcomer.plain_password)
    assert client.get(page_url).status_code == 403
    newcomer_client = client
    client = newcomer_client.application.test_client()
    login(client, member.email, member.plain_password)
    page = client.get(page_url).get_data(as_text=True)
    assert member.email in page and 'id="anggota"' in page
    token = csrf_token_from(page)
    add_url = f"{page_url}/anggota"
    refused = client.post(add_url, data={"csrf_token": token, "email": judge.email})
    assert refused.status_code == 302
    added = client.post(add_url, data={"csrf_token": token, "email": newcomer.email.upper()})
    assert added.status_code == 302
    assert newcomer_client.get(page_url).status_code == 200
    assert newcomer.email in client.get(page_url).get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.event_id == ids["ours"])
        ).all()
        judge_member = db.session.scalar(
            select(EventMember.id).where(EventMember.user_id == judge.id)
        )
    assert actions == ["event.member_add"] and judge_member is None

    removed = client.post(f"{page_url}/anggota/{newcomer.id}/hapus", data={"csrf_token": token})
    assert removed.status_code == 302
    assert newcomer_client.get(page_url).status_code == 403


def test_a_route_argument_the_check_does_not_know_is_refused(app: Flask) -> None:
    with app.app_context():
        assert event_ids_of_request({"widget_id": 1}) is None
        assert event_ids_of_request({"user_id": 1}) == set()
        assert event_ids_of_request({"entry_id": 999}) == set()  # missing: the route's 404


def test_the_demo_committee_account_is_a_member_of_the_demo_event(app: Flask) -> None:
    from scoring.services.demo import EVENT_SLUG, seed_demo

    with app.app_context():
        seed_demo()
        seed_demo()  # idempotent
        rows = db.session.execute(
            select(User.email)
            .join(EventMember, EventMember.user_id == User.id)
            .join(Event, Event.id == EventMember.event_id)
            .where(Event.slug == EVENT_SLUG)
        ).all()
    assert [r.email for r in rows] == ["panitia@demo.juara.id"]
