"""Events: create, edit, copy from a previous year, and the status workflow with its guards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from scoring.models import (
    Assignment,
    AuditEvent,
    Category,
    Criterion,
    Entry,
    Event,
    ScoreSheet,
    Stage,
    StageDecision,
    User,
)
from scoring.services import categories as category_service
from scoring.services import events as event_service
from scoring.services.errors import Conflict, InvalidInput, ScoringError
from scoring.services.stages import set_stage_status
from tests.committee.test_events_support import (
    all_indonesian,
    indonesian,
    make_category,
    make_event,
    region,
)


def _audit(db: Any, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_create_event_derives_a_free_slug_and_is_audited(app: Flask, db: Any) -> None:
    first = event_service.create_event("Lomba Poktan Tahun 2026", "provinsi")
    second = event_service.create_event("Lomba Poktan Tahun 2026", "provinsi")
    assert (first.slug, second.slug) == ("lomba-poktan-tahun-2026", "lomba-poktan-tahun-2026-2")
    assert first.status == "draft"
    [audit, _] = _audit(db, "event.create")
    assert audit.after["slug"] == "lomba-poktan-tahun-2026"
    assert audit.event_id == first.id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Isi nama kegiatan."),
        ({"slug": "Jambi 2026"}, "Nama singkat hanya boleh berisi huruf kecil"),
        ({"level": "kecamatan"}, "Pilih tingkat kegiatan."),
        (
            {"starts_on": dt.date(2026, 6, 2), "ends_on": dt.date(2026, 6, 1)},
            "Tanggal selesai lebih awal daripada tanggal mulai.",
        ),
    ],
)
def test_create_event_refuses_bad_input(
    app: Flask, db: Any, fields: dict[str, Any], message: str
) -> None:
    values = {"name": "Lomba", "level": "provinsi"} | fields
    with pytest.raises(InvalidInput) as caught:
        event_service.create_event(**values)
    assert indonesian(app, caught.value).startswith(message)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_slug_in_use_is_refused_by_name(app: Flask, db: Any) -> None:
    event_service.create_event("A", "provinsi", slug="jambi-2026")
    with pytest.raises(InvalidInput) as caught:
        event_service.create_event("B", "provinsi", slug="jambi-2026")
    assert indonesian(app, caught.value) == "Nama singkat jambi-2026 sudah dipakai kegiatan lain."


def test_update_event_records_before_and_after(app: Flask, db: Any) -> None:
    event = event_service.create_event("Lomba", "provinsi", place="Jambi")
    event_service.update_event(
        event.id, name="Lomba Baru", level="kabupaten", slug=event.slug, place="Muara Bulian"
    )
    [audit] = _audit(db, "event.update")
    assert audit.before["name"] == "Lomba" and audit.after["name"] == "Lomba Baru"
    assert audit.before["place"] == "Jambi" and audit.after["place"] == "Muara Bulian"


def test_copy_takes_the_structure_and_leaves_the_contest_behind(app: Flask, db: Any) -> None:
    source = make_event("published", slug="jambi-2025", name="Lomba Provinsi Jambi Tahun 2025")
    category = make_category(source, (30, 70))
    scored = category.stages[1]
    scored.advance_count = 3
    scored.status = "closed"
    scored.criteria[0].bands = [{"min": 1, "max": 100, "label": "Semua"}]
    entry = Entry(category=category, region=region(), name="BKB Melati")
    judge = User(email="juri@uji.id", name="Juri", role="judge", password_hash="x")
    assignment = Assignment(stage=scored, entry=entry, judge=judge)
    db.session.add_all([entry, judge, assignment, ScoreSheet(assignment=assignment)])
    db.session.add(StageDecision(stage=category.stages[0], entry=entry, outcome="pass"))
    db.session.commit()

    name = event_service.suggested_copy_name(source.name)
    assert name == "Lomba Provinsi Jambi Tahun 2026"
    copy = event_service.copy_event(source.id, name=name, starts_on=dt.date(2026, 6, 22))

    assert (copy.status, copy.slug, copy.level) == (
        "draft",
        "lomba-provinsi-jambi-tahun-2026",
        "provinsi",
    )
    [new_category] = copy.categories
    assert [s.name for s in new_category.stages] == [s.name for s in category.stages]
    assert [s.weight for s in new_category.stages] == [0, 30, 70]
    assert {s.status for s in new_category.stages} == {"pending"}
    assert new_category.stages[1].advance_count == 3
    criteria = new_category.stages[1].criteria
    assert [(c.name, c.weight, c.tiebreak_order) for c in criteria] == [
        ("Kelembagaan", 40, 1),
        ("Inovasi", 60, None),
    ]
    assert criteria[0].bands == [{"min": 1, "max": 100, "label": "Semua"}]
    assert criteria[0].id != scored.criteria[0].id
    new_stage_ids = [s.id for s in new_category.stages]
    for model, column in ((Entry, Entry.category_id), (Assignment, Assignment.stage_id)):
        where = column == new_category.id if model is Entry else column.in_(new_stage_ids)
        assert db.session.scalar(select(func.count()).select_from(model).where(where)) == 0
    decided = select(func.count()).select_from(StageDecision)
    assert db.session.scalar(decided.where(StageDecision.stage_id.in_(new_stage_ids))) == 0
    # The source is untouched.
    assert db.session.scalar(select(func.count()).select_from(Criterion)) == 8
    [audit] = _audit(db, "event.copy")
    assert audit.before == {"source_event_id": source.id, "source_slug": "jambi-2025"}


def test_the_workflow_moves_one_step_at_a_time(app: Flask, db: Any) -> None:
    event = make_event("draft")
    make_category(event)
    db.session.commit()
    with pytest.raises(ScoringError) as caught:
        event_service.change_event_status(event.id, "scoring")
    assert "Status kegiatan tidak dapat berpindah" in " ".join(all_indonesian(app, caught.value))
    for status in ("open", "scoring", "review", "open"):
        if status == "open" and event.status == "review":
            with pytest.raises(ScoringError):
                event_service.change_event_status(event.id, status)
            continue
        event_service.change_event_status(event.id, status)
        assert db.session.get(Event, event.id).status == status
    audits = _audit(db, "event.status")
    assert [(a.before["status"], a.after["status"]) for a in audits] == [
        ("draft", "open"),
        ("open", "scoring"),
        ("scoring", "review"),
    ]


def test_scoring_needs_categories(app: Flask, db: Any) -> None:
    event = make_event("open")
    db.session.commit()
    with pytest.raises(ScoringError) as caught:
        event_service.change_event_status(event.id, "scoring")
    assert "Kegiatan ini belum memiliki kategori." in all_indonesian(app, caught.value)


def test_scoring_is_refused_while_weights_miss_100_and_says_the_total(app: Flask, db: Any) -> None:
    event = make_event("open")
    category = make_category(event, (30, 60))
    db.session.commit()
    with pytest.raises(ScoringError) as caught:
        event_service.change_event_status(event.id, "scoring")
    messages = all_indonesian(app, caught.value)
    assert messages[0] == "Status belum dapat diubah."
    assert f"{category.name}: bobot tahap yang dinilai berjumlah 90%, harus 100%." in messages
    assert db.session.get(Event, event.id).status == "open"
    assert _audit(db, "event.status") == []


def test_scoring_is_refused_while_a_scored_stage_has_no_criteria(app: Flask, db: Any) -> None:
    event = make_event("open")
    category = make_category(event, (40, 60), with_criteria=False)
    db.session.commit()
    with pytest.raises(ScoringError) as caught:
        event_service.change_event_status(event.id, "scoring")
    messages = all_indonesian(app, caught.value)
    assert f"{category.name} · Tahap 2 belum memiliki kriteria." in messages
    assert f"{category.name} · Tahap 3 belum memiliki kriteria." in messages


def test_a_category_without_scored_stages_blocks_scoring(app: Flask, db: Any) -> None:
    event = make_event("open")
    category = make_category(event, ())
    db.session.commit()
    with pytest.raises(ScoringError) as caught:
        event_service.change_event_status(event.id, "scoring")
    assert f"{category.name} belum memiliki tahap yang dinilai." in all_indonesian(
        app, caught.value
    )


def test_review_waits_for_open_stages_to_close(app: Flask, db: Any) -> None:
    event = make_event("scoring")
    category = make_category(event)
    db.session.commit()
    set_stage_status(category.stages[1].id, "open")
    with pytest.raises(ScoringError) as caught:
        event_service.change_event_status(event.id, "review")
    assert any("Tutup dulu tahap" in m for m in all_indonesian(app, caught.value))
    set_stage_status(category.stages[1].id, "closed")
    event_service.change_event_status(event.id, "review")


def test_publishing_waits_for_every_sheet_and_decision(app: Flask, db: Any) -> None:
    event = make_event("review")
    category = make_category(event, (100,))
    entry = Entry(category=category, region=region(), name="BKB Melati")
    judge = User(email="juri@uji.id", name="Juri", role="judge", password_hash="x")
    assignment = Assignment(stage=category.stages[1], entry=entry, judge=judge)
    sheet = ScoreSheet(assignment=assignment)
    db.session.add_all([entry, judge, assignment, sheet])
    db.session.commit()
    with pytest.raises(ScoringError) as caught:
        event_service.change_event_status(event.id, "published")
    messages = all_indonesian(app, caught.value)
    assert f"{category.name} · Tahap 2: 1 dari 1 lembar penilaian belum dikirim." in messages
    assert (
        f"{category.name} · Seleksi Administrasi: 1 peserta belum memiliki keputusan "
        "lulus/tidak lulus." in messages
    )
    sheet.status, sheet.submitted_at = "submitted", dt.datetime.now(dt.UTC)
    db.session.add(StageDecision(stage=category.stages[0], entry=entry, outcome="pass"))
    db.session.commit()
    event_service.change_event_status(event.id, "published")
    assert db.session.get(Event, event.id).status == "published"
    # Published: the structure is frozen.
    with pytest.raises(Conflict):
        category_service.create_category(event.id, "Baru", "PIK-R")


def test_categories_are_added_edited_and_deleted_with_audit(app: Flask, db: Any) -> None:
    event = make_event("draft")
    db.session.commit()
    bkb = category_service.create_category(event.id, "Poktan BKB Terbaik", "Poktan BKB")
    doth = category_service.create_category(
        event.id, "Duta Orang Tua Hebat", "Duta Orang Tua Hebat", "person"
    )
    assert (bkb.position, doth.position) == (1, 2)
    with pytest.raises(InvalidInput) as caught:
        category_service.create_category(event.id, "poktan bkb terbaik", "Poktan BKB")
    assert "sudah memiliki kategori bernama" in indonesian(app, caught.value)
    category_service.update_category(bkb.id, "Poktan BKB", "Poktan BKB", "group")
    category_service.delete_category(doth.id)
    assert [c.name for c in db.session.get(Event, event.id).categories] == ["Poktan BKB"]
    actions = [a.action for a in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["category.create", "category.create", "category.update", "category.delete"]


def test_a_category_with_entries_stays(app: Flask, db: Any) -> None:
    event = make_event("open")
    category = make_category(event)
    db.session.add(Entry(category=category, region=region(), name="BKB Melati"))
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        category_service.delete_category(category.id)
    assert indonesian(app, caught.value) == (
        f"{category.name} sudah memiliki peserta sehingga tidak dapat dihapus."
    )
    with pytest.raises(Conflict):
        category_service.update_category(category.id, category.name, "Duta", "person")
    assert db.session.get(Category, category.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Stage)) == 3
