"""Tiered selection: the top N of a published kabupaten/kota ranking enter a provincial category.

The source is the hand-computed category of tests/results/support.py (ranks E1 1, E2 2, E3 3,
E4 and E5 sharing 4, E6 6; E7 failed the administrative selection).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Attachment, AuditEvent, Category, Entry, Event
from scoring.models.membership import EventMember
from scoring.services.access_codes import hash_code
from scoring.services.errors import Conflict, InvalidInput
from scoring.services.snapshots import publish_results, unpublish_results
from scoring.services.tiered import COPIED, EXISTS, NEW, copy_tier_entries, preview_tier_copy
from tests.committee.test_entries_support import csrf, text_of, use_tmp_storage
from tests.results.support import build_category

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONSENT = dt.datetime(2025, 5, 2, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_tmp_storage(app, tmp_path, monkeypatch)


def _source(slug: str = "kab-kerinci", *, person: bool = False) -> dict[str, Any]:
    """The results category as a published kabupaten event (raw method: ranks as in the table)."""
    fields = (
        {
            "E1": {"nik": "1501012345670001", "consent_at": CONSENT, "consent_version": "2025-1"},
            "E2": {"consent_at": CONSENT, "consent_version": "2025-1"},
            "E3": {"consent_at": CONSENT, "consent_version": "2025-1"},
        }
        if person
        else None
    )
    ids = build_category(slug, entry_fields=fields)
    category = db.session.get(Category, ids["category_id"])
    if person:
        category.entry_kind = "person"
    category.event.level = "kabupaten"
    db.session.commit()
    publish_results(ids["category_id"], None, method="raw")
    event = db.session.get(Event, ids["event_id"])
    event.status = "published"
    db.session.commit()
    return ids


def _target(status: str = "draft", level: str = "provinsi", kind: str = "group") -> int:
    event = Event(name="Seleksi Provinsi Jambi 2025", slug=f"prov-{status}-{level}", level=level)
    event.status = status
    category = Category(event=event, name="Poktan BKB Terbaik", kind="Poktan BKB", entry_kind=kind)
    db.session.add_all([event, category])
    db.session.commit()
    return category.id


def test_preview_reads_ranks_from_the_snapshot_and_shares_the_cutoff(db: Any) -> None:
    ids = _source()
    target_id = _target()
    top3 = preview_tier_copy(ids["category_id"], target_id, 3)
    assert [(r.name, r.rank, r.award, r.status) for r in top3.rows] == [
        ("Poktan E1", 1, "Juara I", NEW),
        ("Poktan E2", 2, "Juara II", NEW),
        ("Poktan E3", 3, "Juara III", NEW),
    ]
    assert [r.total for r in top3.rows] == [87.0, 80.0, 80.0]
    assert not top3.shared_cutoff and top3.snapshot_version == 1
    # E4 and E5 share rank 4: "top 4" takes both of them.
    top4 = preview_tier_copy(ids["category_id"], target_id, 4)
    assert [r.name for r in top4.rows][-2:] == ["Poktan E4", "Poktan E5"]
    assert len(top4.rows) == 5 and top4.shared_cutoff


def test_copy_links_origin_gives_new_codes_and_is_idempotent(db: Any, uploads: Path) -> None:
    ids = _source()
    target_id = _target()
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "f00d").write_bytes(PDF)
    e1 = ids["entries"]["E1"]
    db.session.add(
        Attachment(
            entry_id=e1,
            kind="proposal",
            label="Proposal",
            original_name="proposal.pdf",
            stored_name="f00d",
            content_type="application/pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
    )
    db.session.commit()

    result = copy_tier_entries(ids["category_id"], target_id, 3)
    assert [c.name for c in result.created] == ["Poktan E1", "Poktan E2", "Poktan E3"]
    assert (result.skipped, result.attachments, result.missing_files) == (0, 1, 0)
    copies = db.session.scalars(
        select(Entry).where(Entry.category_id == target_id).order_by(Entry.name)
    ).all()
    assert [c.origin_entry_id for c in copies] == [ids["entries"][k] for k in ("E1", "E2", "E3")]
    origin = db.session.get(Entry, e1)
    assert copies[0].region_id == origin.region_id
    # New codes, stored only as hashes, different from each other.
    codes = [c.code for c in result.created]
    assert len(set(codes)) == 3
    assert {c.access_code_hash for c in copies} == {hash_code(code) for code in codes}
    # The file was copied under a new name, with the same bytes.
    copied = db.session.scalar(select(Attachment).where(Attachment.entry_id == copies[0].id))
    assert copied.stored_name != "f00d" and (uploads / copied.stored_name).read_bytes() == PDF
    assert (copied.original_name, copied.label) == ("proposal.pdf", "Proposal")
    audits = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(["entry.tier_copy", "category.tier_copy"]))
    ).all()
    assert sorted(a.action for a in audits) == ["category.tier_copy"] + ["entry.tier_copy"] * 3
    entry_audit = next(a for a in audits if a.object_id == copies[0].id)
    assert (entry_audit.after["origin_rank"], entry_audit.after["origin_award"]) == (1, "Juara I")

    # Copying again adds nothing; a wider copy adds only the new ones.
    again = copy_tier_entries(ids["category_id"], target_id, 3)
    assert (again.created, again.skipped) == ([], 3)
    preview = preview_tier_copy(ids["category_id"], target_id, 4)
    assert [r.status for r in preview.rows] == [COPIED] * 3 + [NEW, NEW]


def test_an_entry_typed_in_by_hand_is_not_duplicated(db: Any) -> None:
    ids = _source()
    target_id = _target()
    e2 = db.session.get(Entry, ids["entries"]["E2"])
    db.session.add(Entry(category_id=target_id, region_id=e2.region_id, name="POKTAN  e2"))
    db.session.commit()
    preview = preview_tier_copy(ids["category_id"], target_id, 3)
    assert [r.status for r in preview.rows] == [NEW, EXISTS, NEW]
    result = copy_tier_entries(ids["category_id"], target_id, 3)
    assert [c.name for c in result.created] == ["Poktan E1", "Poktan E3"] and result.skipped == 1


def test_person_entries_keep_consent_and_the_stored_nik(db: Any) -> None:
    ids = _source("kab-doth", person=True)
    target_id = _target(kind="person")
    copy_tier_entries(ids["category_id"], target_id, 2)
    first = db.session.scalar(select(Entry).where(Entry.origin_entry_id == ids["entries"]["E1"]))
    assert first.nik == "1501012345670001"
    assert (first.consent_at, first.consent_version) == (CONSENT, "2025-1")
    audit = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "entry.tier_copy", AuditEvent.object_id == first.id
        )
    )
    assert audit.after["nik"] == "1501********0001"  # never in full in the audit trail


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_published", "are not published yet"),
        ("withdrawn", "are not published yet"),
        ("target_scoring", "only while the event is in draft or open"),
        ("target_kabupaten", "only into a provincial or national event"),
        ("kind", "different kinds of entries"),
        ("top", "from 1 to 50"),
    ],
)
def test_refusals_say_why(db: Any, case: str, message: str) -> None:
    ids = _source()
    target_id = _target(
        status="scoring" if case == "target_scoring" else "draft",
        level="kabupaten" if case == "target_kabupaten" else "provinsi",
        kind="person" if case == "kind" else "group",
    )
    if case == "not_published":
        db.session.get(Event, ids["event_id"]).status = "review"
        db.session.commit()
    if case == "withdrawn":
        unpublish_results(ids["category_id"], None, "Salah input")
    top = 0 if case == "top" else 3
    with pytest.raises((Conflict, InvalidInput)) as refused:
        copy_tier_entries(ids["category_id"], target_id, top)
    assert message in str(refused.value)
    assert db.session.scalar(select(Entry.id).where(Entry.category_id == target_id)) is None


def _add_member(user_id: int, *event_ids: int) -> None:
    for event_id in event_ids:
        found = db.session.scalar(
            select(EventMember.id).filter_by(event_id=event_id, user_id=user_id)
        )
        if found is None:
            db.session.add(EventMember(event_id=event_id, user_id=user_id))
    db.session.commit()


def test_pages_preview_confirm_show_codes_and_origin(
    app: Flask, client: FlaskClient, login_as: Any, uploads: Path
) -> None:
    user = login_as("committee")
    with app.app_context():
        ids = _source()
        target_id = _target()
        province_id = db.session.get(Category, target_id).event_id
        _add_member(user.id, province_id, ids["event_id"])
    event_page = text_of(client.get(f"/panitia/acara/{province_id}"))
    assert f"/panitia/acara/{province_id}/seleksi-berjenjang" in event_page
    url = f"/panitia/acara/{province_id}/seleksi-berjenjang"
    page = text_of(client.get(url))
    assert "Lomba Uji Hasil · Poktan Uji" in page  # the published source is offered
    query = f"{url}?target={target_id}&source={ids['category_id']}&top=3&preview=1"
    preview = text_of(client.get(query))
    assert preview.count("Poktan E") == 3 and "Juara III" in preview
    token = csrf(client, query)
    done = client.post(
        url, data={"csrf_token": token, "target": target_id, "source": ids["category_id"], "top": 3}
    )
    assert done.status_code == 302 and done.location.endswith(f"/kategori/{target_id}/kode-akses")
    codes = text_of(client.get(done.location))
    assert codes.count('class="access-code') == 3
    with app.app_context():
        copy_id = db.session.scalar(
            select(Entry.id).where(Entry.origin_entry_id == ids["entries"]["E1"])
        )
    entry_page = text_of(client.get(f"/panitia/peserta/{copy_id}"))
    assert "Lomba Uji Hasil — Juara I" in entry_page
    listing = text_of(client.get(f"/panitia/kategori/{target_id}/peserta"))
    assert "Lomba Uji Hasil — Juara III" in listing


@pytest.mark.strict_membership
def test_a_source_event_the_user_cannot_open_is_refused(
    app: Flask, client: FlaskClient, login_as: Any
) -> None:
    user = login_as("committee")
    with app.app_context():
        ids = _source()
        target_id = _target()
        province_id = db.session.get(Category, target_id).event_id
        _add_member(user.id, province_id)  # not a member of the kabupaten event
    url = f"/panitia/acara/{province_id}/seleksi-berjenjang"
    assert "Lomba Uji Hasil" not in text_of(client.get(url))
    query = f"{url}?target={target_id}&source={ids['category_id']}&top=3&preview=1"
    assert client.get(query).status_code == 403
    token = csrf(client, url)
    refused = client.post(
        url, data={"csrf_token": token, "target": target_id, "source": ids["category_id"], "top": 3}
    )
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Entry.id).where(Entry.category_id == target_id)) is None
