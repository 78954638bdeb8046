"""A seeded world for the security tests: the Jambi demo plus one of every object a URL names.

`build_world()` runs inside an app context on empty tables and returns a `World`: the ids that
fill every URL parameter and the accounts of the six roles of the authorisation matrix.
Judge A (juri1 of the demo) is assigned to `sheet_id` and `attachment_id`'s entry; judge B
(an extra judge of another entry) is not, so every object-level check has an owner and
an outsider. The demo's committee account is a member of the demo's events; another committee
account is a member only of an event of its own, so event membership has an outsider too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.certificates import bulk, storage
from scoring.certificates.views import SESSION_KEY
from scoring.extensions import db
from scoring.models import (
    Assignment,
    Attachment,
    Certificate,
    ConflictOfInterest,
    Criterion,
    Entry,
    Event,
    EventMember,
    Job,
    Registration,
    RegistrationDocument,
    ResultSnapshot,
    ScoreSheet,
    Stage,
    User,
)
from scoring.services import certificates as issuing
from scoring.services.demo import EVENT_SLUG, seed_demo
from scoring.services.operators import create_invitation
from scoring.services.privacy import CONSENT_VERSION

ROLES = (
    "anonymous",
    "participant",
    "judge",
    "other_judge",
    "committee",
    "other_committee",
    "admin",
    "operator",
    "other_operator",
)
JUDGE_A = "juri1@demo.juara.id"
# The Kerinci operator owns the demo's half-finished registration; Kota Jambi's does not.
OPERATOR = "operator.kerinci@demo.juara.id"
OTHER_OPERATOR = "operator.kotajambi@demo.juara.id"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    params: dict[str, Any] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    session_versions: dict[str, int] = field(default_factory=dict)
    # endpoint -> URL parameters that differ from `params` for that route only
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[Path, bytes] = field(default_factory=dict)

    def url_params(self, endpoint: str) -> dict[str, Any]:
        return {**self.params, **self.overrides.get(endpoint, {})}

    def restore_files(self) -> None:
        """Put back files an allowed delete removed (files are outside the rolled-back
        transaction)."""
        for path, data in self.files.items():
            if not path.is_file():
                path.write_bytes(data)

    def enter(self, client: FlaskClient, role: str) -> None:
        """Make `client` act as `role` (a fresh cookie jar, then the role's session)."""
        client.delete_cookie("juara_session")
        if role == "anonymous":
            return
        with client.session_transaction() as session:
            if role == "participant":
                session[SESSION_KEY] = self.params["entry_id"]
                return
            session["_user_id"] = f"{self.users[role]}:{self.session_versions[role]}"
            session["_fresh"] = True


def _first(statement: Any) -> Any:
    value = db.session.scalar(statement.limit(1))
    assert value is not None, f"the demo lacks {statement}"
    return value


def _other_events_committee(committee: User) -> User:
    """The demo's committee joins every demo event; a second account works on another event.

    Tests without `strict_membership` make every committee account a member of every event as
    it is flushed (tests/conftest.py), hence a check before each row."""
    demo_events = list(db.session.scalars(select(Event.id)))
    other_event = Event(name="Lomba Lain", slug="lomba-lain", level="provinsi", status="draft")
    other = User(email="panitia-lain@test.juara.id", name="Panitia Lain", role="committee")
    other.password_hash = committee.password_hash
    db.session.add_all([other_event, other])
    db.session.flush()
    for event_id, user_id in [(e, committee.id) for e in demo_events] + [
        (other_event.id, other.id)
    ]:
        if not db.session.scalar(
            select(EventMember.id).filter_by(event_id=event_id, user_id=user_id)
        ):
            db.session.add(EventMember(event_id=event_id, user_id=user_id))
    db.session.commit()
    return other


def build_world(upload_dir: str) -> World:
    """Seed the demo and the objects it lacks (attachment, conflict, certificate, job)."""
    seed_demo()
    judge_a = _first(select(User).where(User.email == JUDGE_A))
    sheet = _first(
        select(ScoreSheet)
        .join(Assignment)
        .where(Assignment.judge_id == judge_a.id, ScoreSheet.status == "draft")
        .order_by(ScoreSheet.id)
    )
    assignment = sheet.assignment
    stage = assignment.stage
    entry = assignment.entry
    outsider_entry = _first(
        select(Entry)
        .where(Entry.category_id == entry.category_id, Entry.id != entry.id)
        .order_by(Entry.id)
    )
    pass_fail = _first(
        select(Stage).where(Stage.category_id == stage.category_id, Stage.kind == "pass_fail")
    )
    # Every demo judge scores every entry, so judge B is added, with one assignment elsewhere.
    judge_b = User(email="juri-b@test.juara.id", name="Juri B", role="judge")
    judge_b.password_hash = judge_a.password_hash
    db.session.add(
        ScoreSheet(assignment=Assignment(stage=stage, entry=outsider_entry, judge=judge_b))
    )
    criterion = _first(select(Criterion).where(Criterion.stage_id == stage.id))
    event = _first(select(Event).where(Event.slug == EVENT_SLUG))
    snapshot = _first(select(ResultSnapshot).order_by(ResultSnapshot.id))

    stored = "0" * 32
    files = {Path(upload_dir) / stored: PDF_BYTES}
    zip_name = storage.write_zip(0, [("piagam.pdf", PDF_BYTES)])
    files[storage.jobs_dir() / zip_name] = (storage.jobs_dir() / zip_name).read_bytes()
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    attachment = Attachment(
        entry_id=entry.id,
        kind="proposal",
        original_name="proposal.pdf",
        stored_name=stored,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )
    conflict = ConflictOfInterest(judge=judge_b, entry_id=outsider_entry.id, reason="Kerabat")
    job = Job(kind=bulk.KIND, event_id=event.id, status="done", params={}, result_name=zip_name)
    db.session.add_all([attachment, conflict, job])
    db.session.commit()

    issuing.issue_category(snapshot.category_id)
    certificate = _first(
        select(Certificate).where(Certificate.entry_id.is_not(None)).order_by(Certificate.id)
    )

    operator = _first(select(User).where(User.email == OPERATOR))
    registration = _first(select(Registration).where(Registration.registered_by_id == operator.id))
    document = _first(
        select(RegistrationDocument).where(RegistrationDocument.registration_id == registration.id)
    )
    invitation = create_invitation(
        registration.entry.region_id,
        registration.entry.category.event_id,
        7,
        None,
        dt.datetime.now(dt.UTC),
    )
    committee = _first(select(User).where(User.role == "committee").order_by(User.id))
    other_committee = _other_events_committee(committee)
    users = {
        "operator": operator,
        "other_operator": _first(select(User).where(User.email == OTHER_OPERATOR)),
        "judge": judge_a,
        "other_judge": judge_b,
        "committee": committee,
        "other_committee": other_committee,
        "admin": _first(select(User).where(User.role == "admin")),
    }
    world = World(
        params={
            "event_id": event.id,
            "event_slug": event.slug,
            "category_id": entry.category_id,
            "stage_id": stage.id,
            "criterion_id": criterion.id,
            "entry_id": certificate.entry_id,
            "attachment_id": attachment.id,
            "conflict_id": conflict.id,
            "sheet_id": sheet.id,
            "assignment_id": assignment.id,
            "user_id": judge_b.id,
            "snapshot_id": snapshot.id,
            "job_id": job.id,
            "certificate_id": certificate.id,
            "token": certificate.token,
            "kind": "winner",
            "filename": "css/app.css",
            "registration_id": registration.id,
            "requirement_id": document.required_document_id,
            "version": CONSENT_VERSION,
        },
        users={role: user.id for role, user in users.items()},
        session_versions={role: user.session_version for role, user in users.items()},
        overrides={
            "committee.stage_decisions_page": {"stage_id": pass_fail.id},
            # The regions' registration pages of the demo's open provincial event.
            "regional.register": {"category_id": registration.entry.category_id},
            "regional.delete_document": {"attachment_id": document.attachment_id},
            "regional.invitation": {"token": invitation},
            "committee.registration_review": {"entry_id": registration.entry_id},
        },
        files=files,
    )
    return world
