"""Stages and the rubric builder: weights, bands, order, the lock after scoring, pass/fail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scoring.models import (
    Assignment,
    AuditEvent,
    Criterion,
    Entry,
    Score,
    ScoreSheet,
    Stage,
    StageDecision,
    User,
)
from scoring.services import rubrics, stages
from scoring.services.decisions import DecisionInput, RowProblem, record_decisions
from scoring.services.errors import Conflict, InvalidInput, ScoringError
from scoring.services.structure import rubric_locked
from tests.committee.test_events_support import (
    all_indonesian,
    indonesian,
    make_category,
    make_event,
    region,
)

CRITERION = {
    "name": "Pelaksanaan kegiatan",
    "description": "Keteraturan pertemuan penyuluhan.",
    "weight": 30.0,
    "min_score": 1.0,
    "max_score": 100.0,
    "bands": None,
    "tiebreak_order": None,
}


def _criterion(**changes: Any) -> dict[str, Any]:
    return CRITERION | changes


# --- stage weights ------------------------------------------------------------------------


def test_stage_weights_must_total_100_and_the_message_gives_the_total(app: Flask, db: Any) -> None:
    category = make_category(make_event(), (30, 30, 40))
    db.session.commit()
    ids = [s.id for s in category.stages if s.is_scored]
    with pytest.raises(InvalidInput) as caught:
        stages.set_stage_weights(category.id, dict(zip(ids, [30.0, 30.0, 30.0], strict=True)))
    assert indonesian(app, caught.value) == "Bobot tahap yang dinilai berjumlah 90%, harus 100%."
    with pytest.raises(InvalidInput) as caught:
        stages.set_stage_weights(category.id, dict(zip(ids, [30.0, 30.5, 40.0], strict=True)))
    assert indonesian(app, caught.value) == "Bobot tahap yang dinilai berjumlah 100,5%, harus 100%."
    assert [s.weight for s in db.session.get(Stage, ids[0]).category.stages] == [0, 30, 30, 40]
    stages.set_stage_weights(category.id, dict(zip(ids, [25.0, 35.0, 40.0], strict=True)))
    db.session.expire_all()
    assert [s.weight for s in db.session.get(Stage, ids[0]).category.stages] == [0, 25, 35, 40]
    [audit] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "stage.weights"))
    assert audit.after == {str(ids[0]): 25.0, str(ids[1]): 35.0, str(ids[2]): 40.0}


@pytest.mark.parametrize("weight", [0.0, -5.0, 101.0, float("nan")])
def test_each_stage_weight_must_be_a_positive_percent(app: Flask, db: Any, weight: float) -> None:
    category = make_category(make_event(), (50, 50))
    db.session.commit()
    first, second = (s.id for s in category.stages if s.is_scored)
    with pytest.raises(InvalidInput) as caught:
        stages.set_stage_weights(category.id, {first: weight, second: 100.0 - weight})
    assert indonesian(app, caught.value) == (
        "Bobot Tahap 2 harus lebih dari 0% dan paling banyak 100%."
    )


def test_a_scored_stage_needs_a_weight_and_a_pass_fail_stage_has_none(app: Flask, db: Any) -> None:
    category = make_category(make_event(), ())
    db.session.commit()
    with pytest.raises(InvalidInput) as caught:
        stages.create_stage(category.id, "Penilaian Dokumen", "scored", 0)
    assert indonesian(app, caught.value) == (
        "Bobot tahap yang dinilai harus lebih dari 0% dan paling banyak 100%."
    )
    stage = stages.create_stage(category.id, "Verifikasi", "pass_fail", 40, None)
    assert (stage.weight, stage.position) == (0, 2)
    scored = stages.create_stage(category.id, "Presentasi", "scored", 60, 3)
    assert (scored.weight, scored.advance_count, scored.position) == (60, 3, 3)
    with pytest.raises(InvalidInput):
        stages.create_stage(category.id, "Lapangan", "scored", 40, 0)


def test_weights_stay_at_100_once_scoring_began_in_the_category(app: Flask, db: Any) -> None:
    category = make_category(make_event("scoring"), (40, 60))
    db.session.commit()
    stages.set_stage_status(category.stages[1].id, "open")
    with pytest.raises(InvalidInput) as caught:
        stages.update_stage(category.stages[2].id, "Tahap 3", "scored", 50, None)
    assert "harus tetap berjumlah 100% (sekarang 90%)" in indonesian(app, caught.value)
    db.session.expire_all()
    assert category.stages[2].weight == 60


def test_stages_move_and_delete(app: Flask, db: Any) -> None:
    category = make_category(make_event(), (40, 60))
    db.session.commit()
    admin, _second, third = category.stages
    stages.move_stage(third.id, "up")
    db.session.expire_all()
    assert [s.name for s in category.stages] == ["Seleksi Administrasi", "Tahap 3", "Tahap 2"]
    stages.move_stage(admin.id, "up")  # already first: nothing happens
    stages.delete_stage(admin.id)
    db.session.expire_all()
    assert [s.name for s in category.stages] == ["Tahap 3", "Tahap 2"]


def test_a_stage_with_judges_assigned_cannot_be_deleted(app: Flask, db: Any) -> None:
    graph = _scored_graph(db)
    with pytest.raises(Conflict) as caught:
        stages.delete_stage(graph["stage"].id)
    assert "sudah ada juri yang ditugaskan" in indonesian(app, caught.value).lower()


def test_opening_a_stage_needs_the_event_scoring_and_a_whole_rubric(app: Flask, db: Any) -> None:
    category = make_category(make_event("open"), (40, 50))
    db.session.commit()
    scored = category.stages[1]
    with pytest.raises(Conflict) as caught:
        stages.set_stage_status(scored.id, "open")
    assert "status kegiatan adalah Penilaian" in indonesian(app, caught.value)
    category.event.status = "scoring"
    db.session.commit()
    with pytest.raises(ScoringError) as caught:
        stages.set_stage_status(scored.id, "open")
    assert any("berjumlah 90%, harus 100%" in m for m in all_indonesian(app, caught.value))
    category.stages[2].weight = 60
    db.session.commit()
    opened = stages.set_stage_status(scored.id, "open")
    assert opened.status == "open"
    with pytest.raises(Conflict):
        stages.set_stage_status(scored.id, "pending")


# --- criteria and bands -------------------------------------------------------------------


def test_add_criterion_with_the_usual_bands_for_its_range(app: Flask, db: Any) -> None:
    category = make_category(make_event(), (100,), with_criteria=False)
    db.session.commit()
    stage = category.stages[1]
    first = rubrics.add_criterion(stage.id, **_criterion())
    likert = rubrics.add_criterion(
        stage.id, **_criterion(name="Kesan umum juri", min_score=1.0, max_score=5.0, weight=10.0)
    )
    assert [b["label"] for b in first.bands] == ["Kurang", "Cukup", "Baik", "Sangat baik"]
    assert first.bands[1] == {"min": 60, "max": 74, "label": "Cukup"}
    assert [(b["min"], b["max"]) for b in likert.bands] == [(i, i) for i in range(1, 6)]
    assert (first.position, likert.position) == (1, 2)
    [audit, _] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "criterion.create")
    )
    assert audit.after["name"] == "Pelaksanaan kegiatan"


def test_default_bands_scale_to_other_ranges() -> None:
    assert [(b["min"], b["max"]) for b in rubrics.default_bands(0, 100)] == [
        (0, 59),
        (60, 74),
        (75, 89),
        (90, 100),
    ]
    assert rubrics.default_bands(0, 1) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight": 0.0}, "Bobot kriteria harus lebih dari 0."),
        ({"weight": -3.0}, "Bobot kriteria harus lebih dari 0."),
        ({"min_score": 100.0}, "Nilai terendah harus lebih kecil daripada nilai tertinggi."),
        ({"min_score": 5.0, "max_score": 1.0}, "Nilai terendah harus lebih kecil"),
        ({"name": " "}, "Isi nama kriteria."),
        ({"tiebreak_order": 0}, "Urutan penentu nilai sama harus 1 atau lebih."),
    ],
)
def test_criterion_input_is_checked(
    app: Flask, db: Any, changes: dict[str, Any], message: str
) -> None:
    category = make_category(make_event(), (100,), with_criteria=False)
    db.session.commit()
    with pytest.raises(InvalidInput) as caught:
        rubrics.add_criterion(category.stages[1].id, **_criterion(**changes))
    assert indonesian(app, caught.value).startswith(message)
    assert db.session.scalar(select(func.count()).select_from(Criterion)) == 0


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        (
            [{"min": 0, "max": 59, "label": "Kurang"}],
            "Rentang Kurang (0–59) berada di luar rentang nilai kriteria 1–100.",
        ),
        (
            [{"min": 90, "max": 101, "label": "Sangat baik"}],
            "Rentang Sangat baik (90–101) berada di luar rentang nilai kriteria 1–100.",
        ),
        (
            [{"min": 1, "max": 60, "label": "Kurang"}, {"min": 60, "max": 74, "label": "Cukup"}],
            "Rentang Cukup tumpang tindih dengan rentang Kurang",
        ),
        (
            [{"min": 60, "max": 74, "label": "Cukup"}, {"min": 1, "max": 59, "label": "Kurang"}],
            "Rentang Kurang tumpang tindih dengan rentang Cukup",
        ),
        ([{"min": 74, "max": 60, "label": "Cukup"}], "Rentang Cukup: nilai terendah lebih besar"),
        ([{"min": 1, "max": 59, "label": " "}], "Rentang 1 perlu keterangan"),
        ([{"min": None, "max": 59, "label": "Kurang"}], "Rentang 1 perlu nilai terendah"),
    ],
)
def test_bands_lie_within_the_range_ascending_without_overlap(
    app: Flask, db: Any, bands: list[dict[str, Any]], message: str
) -> None:
    category = make_category(make_event(), (100,), with_criteria=False)
    db.session.commit()
    with pytest.raises(InvalidInput) as caught:
        rubrics.add_criterion(category.stages[1].id, **_criterion(bands=bands))
    assert indonesian(app, caught.value).startswith(message)


def test_custom_bands_with_gaps_and_decimals_are_kept(app: Flask, db: Any) -> None:
    category = make_category(make_event(), (100,), with_criteria=False)
    db.session.commit()
    bands = [{"min": 1, "max": 2.5, "label": "Rendah"}, {"min": 4, "max": 5, "label": "Tinggi"}]
    criterion = rubrics.add_criterion(
        category.stages[1].id, **_criterion(min_score=1.0, max_score=5.0, bands=bands)
    )
    assert criterion.bands == [
        {"min": 1, "max": 2.5, "label": "Rendah"},
        {"min": 4, "max": 5, "label": "Tinggi"},
    ]
    no_bands = rubrics.add_criterion(category.stages[1].id, **_criterion(name="X", bands=[]))
    assert no_bands.bands == []


def test_tie_break_orders_are_unique_per_stage(app: Flask, db: Any) -> None:
    category = make_category(make_event(), (100,))
    db.session.commit()
    with pytest.raises(InvalidInput) as caught:
        rubrics.add_criterion(category.stages[1].id, **_criterion(tiebreak_order=1))
    assert indonesian(app, caught.value) == (
        "Urutan penentu nilai sama 1 sudah dipakai oleh Kelembagaan."
    )


def test_criteria_move_up_and_down(app: Flask, db: Any) -> None:
    category = make_category(make_event(), (100,))
    db.session.commit()
    stage = category.stages[1]
    third = rubrics.add_criterion(stage.id, **_criterion())
    rubrics.move_criterion(third.id, "up")
    rubrics.move_criterion(third.id, "up")
    db.session.expire_all()
    assert [c.name for c in stage.criteria] == ["Pelaksanaan kegiatan", "Kelembagaan", "Inovasi"]
    rubrics.move_criterion(third.id, "down")
    db.session.expire_all()
    assert [c.name for c in stage.criteria] == ["Kelembagaan", "Pelaksanaan kegiatan", "Inovasi"]


def test_update_and_delete_a_criterion(app: Flask, db: Any) -> None:
    category = make_category(make_event(), (100,))
    db.session.commit()
    first, second = category.stages[1].criteria
    rubrics.update_criterion(first.id, **_criterion(name="Kelembagaan", weight=45.0))
    rubrics.delete_criterion(second.id)
    db.session.expire_all()
    assert [(c.name, c.weight) for c in category.stages[1].criteria] == [("Kelembagaan", 45)]
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["criterion.update", "criterion.delete"]


# --- the lock -----------------------------------------------------------------------------


def _scored_graph(db: Any, status: str = "draft", score: float | None = None) -> dict[str, Any]:
    category = make_category(make_event("scoring"), (100,))
    stage = category.stages[1]
    entry = Entry(category=category, region=region(), name="BKB Melati")
    judge = User(email="juri@uji.id", name="Juri", role="judge", password_hash="x")
    assignment = Assignment(stage=stage, entry=entry, judge=judge)
    sheet = ScoreSheet(assignment=assignment, status=status)
    if status != "draft":
        sheet.submitted_at = dt.datetime.now(dt.UTC)
    db.session.add_all([entry, judge, assignment, sheet])
    if score is not None:
        db.session.add(Score(sheet=sheet, criterion=stage.criteria[0], value=score))
    db.session.commit()
    return {"category": category, "stage": stage, "sheet": sheet}


def test_an_untouched_rubric_is_editable(app: Flask, db: Any) -> None:
    graph = _scored_graph(db)
    assert not rubric_locked(graph["stage"])
    rubrics.add_criterion(graph["stage"].id, **_criterion())


@pytest.mark.parametrize(("status", "score"), [("submitted", None), ("draft", 70.0)])
def test_the_rubric_locks_once_a_sheet_is_sent_or_a_score_exists(
    app: Flask, db: Any, status: str, score: float | None
) -> None:
    graph = _scored_graph(db, status, score)
    stage = graph["stage"]
    first = stage.criteria[0]
    assert rubric_locked(stage)
    attempts = [
        lambda: rubrics.add_criterion(stage.id, **_criterion()),
        lambda: rubrics.update_criterion(first.id, **_criterion(name="Baru")),
        lambda: rubrics.delete_criterion(first.id),
        lambda: rubrics.move_criterion(first.id, "down"),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as caught:
            attempt()
        assert indonesian(app, caught.value).startswith(
            "Juri sudah menilai dengan rubrik ini sehingga rubrik tidak dapat diubah."
        )
    db.session.expire_all()
    assert [c.name for c in stage.criteria] == ["Kelembagaan", "Inovasi"]


def test_reopening_a_locked_rubric_needs_a_closed_stage_and_a_reason(app: Flask, db: Any) -> None:
    graph = _scored_graph(db, "submitted", 70.0)
    stage = graph["stage"]
    stages.set_stage_status(stage.id, "open")
    with pytest.raises(Conflict) as caught:
        rubrics.reopen_rubric(stage.id, "Salah ketik")
    assert indonesian(app, caught.value).startswith("Tutup dulu penilaian tahap ini")
    stages.set_stage_status(stage.id, "closed")
    with pytest.raises(InvalidInput):
        rubrics.reopen_rubric(stage.id, "  ")
    rubrics.reopen_rubric(stage.id, "Salah ketik pada deskripsi")
    db.session.expire_all()
    assert not rubric_locked(stage)
    [audit] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rubric.reopen"))
    assert audit.after == {"locked": False, "reason": "Salah ketik pada deskripsi"}

    first = stage.criteria[0]
    rubrics.update_criterion(first.id, **_criterion(name="Kelembagaan", description="Diperbaiki"))
    # Corrections may not strand scores judges already gave.
    with pytest.raises(Conflict) as caught:
        rubrics.update_criterion(first.id, **_criterion(name="Kelembagaan", max_score=5.0))
    assert indonesian(app, caught.value).startswith(
        "Juri sudah memberi nilai Kelembagaan dari 70 sampai 70"
    )
    with pytest.raises(Conflict):
        rubrics.delete_criterion(first.id)
    # Opening the stage again locks the rubric again.
    stages.set_stage_status(stage.id, "open")
    db.session.expire_all()
    assert rubric_locked(stage)


# --- pass/fail decisions ------------------------------------------------------------------


def _pass_fail_graph(db: Any) -> tuple[Stage, list[Entry]]:
    category = make_category(make_event("open"), (100,))
    home = region()
    entries = [
        Entry(category=category, region=home, name=name)
        for name in ("BKB Melati", "BKB Mawar", "BKB Dahlia")
    ]
    db.session.add_all(entries)
    db.session.commit()
    return category.stages[0], entries


def test_a_fail_needs_a_reason_and_nothing_is_saved_without_one(app: Flask, db: Any) -> None:
    stage, (melati, mawar, dahlia) = _pass_fail_graph(db)
    rows = [
        DecisionInput(melati.id, "pass"),
        DecisionInput(mawar.id, "fail", "   "),
        DecisionInput(dahlia.id, "fail", "SK kelompok tidak dilampirkan"),
    ]
    with pytest.raises(ScoringError) as caught:
        record_decisions(stage.id, rows)
    [problem] = caught.value.problems
    assert isinstance(problem, RowProblem) and problem.entry_id == mawar.id
    assert indonesian(app, problem.error) == "Tuliskan alasan peserta ini tidak lulus."
    assert db.session.scalar(select(func.count()).select_from(StageDecision)) == 0

    rows[1] = DecisionInput(mawar.id, "fail", "Tidak ada laporan kegiatan")
    assert record_decisions(stage.id, rows) == 3
    saved = {d.entry_id: (d.outcome, d.reason) for d in db.session.scalars(select(StageDecision))}
    assert saved == {
        melati.id: ("pass", None),
        mawar.id: ("fail", "Tidak ada laporan kegiatan"),
        dahlia.id: ("fail", "SK kelompok tidak dilampirkan"),
    }
    # Saving the same again changes nothing; clearing one removes it, both audited.
    assert record_decisions(stage.id, rows) == 0
    assert record_decisions(stage.id, [DecisionInput(melati.id, "")]) == 1
    assert db.session.scalar(select(func.count()).select_from(StageDecision)) == 2
    audits = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "decision.set"))
    assert len(list(audits)) == 4


def test_the_database_refuses_a_fail_without_reason(app: Flask, db: Any) -> None:
    stage, (melati, *_) = _pass_fail_graph(db)
    db.session.add(StageDecision(stage_id=stage.id, entry_id=melati.id, outcome="fail", reason=" "))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_decisions_belong_to_pass_fail_stages(app: Flask, db: Any) -> None:
    stage, (melati, *_) = _pass_fail_graph(db)
    scored = stage.category.stages[1]
    with pytest.raises(Conflict):
        record_decisions(scored.id, [DecisionInput(melati.id, "pass")])
