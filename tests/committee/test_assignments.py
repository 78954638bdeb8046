"""Assignments per stage: generated designs, manual edits and conflicts of interest."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import (
    Assignment,
    AuditEvent,
    ConflictOfInterest,
    Entry,
    Score,
    ScoreSheet,
    StageDecision,
    User,
)
from scoring.services.assignment_board import stage_board
from scoring.services.assignments import (
    AssignmentRefused,
    add_assignment,
    generate_assignments,
    remove_assignment,
)
from scoring.services.conflicts import declare_conflict
from scoring.services.errors import Conflict
from tests.committee.test_entries_support import (
    JAMBI,
    Workspace,
    build_workspace,
    created_by,
    csrf,
    text_of,
    use_tmp_storage,
)


@pytest.fixture
def ws(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The workspace with one group entry from each of Jambi's 11 regions."""
    use_tmp_storage(app, tmp_path, monkeypatch)
    workspace = build_workspace(app, status="scoring")
    with app.app_context():
        for code, name, _level in JAMBI:
            db.session.add(
                Entry(
                    category_id=workspace.group_id,
                    region_id=workspace.regions[code],
                    name=f"BKB {name}",
                )
            )
        db.session.commit()
    return workspace


def _entry_ids(ws: Workspace) -> list[int]:
    return list(db.session.scalars(select(Entry.id).where(Entry.category_id == ws.group_id)))


def _pairs(stage_id: int) -> set[tuple[int, int]]:
    rows = db.session.execute(
        select(Assignment.entry_id, Assignment.judge_id).where(Assignment.stage_id == stage_id)
    )
    return {(e, j) for e, j in rows}


def test_balanced_generation_respects_home_regions(app: Flask, ws: Workspace) -> None:
    with app.test_request_context():
        result = generate_assignments(
            ws.stage_id,
            mode="balanced",
            judge_ids=ws.judges,
            entry_ids=_entry_ids(ws),
            k=3,
            seed=42,
        )
        assert result.assignments == 33
        assert sorted(result.loads.values()) == [6, 6, 7, 7, 7]
        pairs = _pairs(ws.stage_id)
        homes = dict(db.session.execute(select(User.id, User.home_region_id)).all())
        regions = dict(db.session.execute(select(Entry.id, Entry.region_id)).all())
        assert all(homes[j] != regions[e] for e, j in pairs)
        counts = {e: sum(1 for x, _ in pairs if x == e) for e in regions}
        assert set(counts.values()) == {3}
        # Every assignment has its empty draft sheet, version 0.
        sheets = db.session.scalars(select(ScoreSheet)).all()
        assert len(sheets) == 33 and {(s.status, s.version) for s in sheets} == {("draft", 0)}
        audit = db.session.scalars(
            select(AuditEvent).filter_by(action="stage.assignments_generate")
        ).one()
        assert audit.after["seed"] == 42 and len(audit.after["pairs"]) == 33
        # Same seed, same design.
        again = generate_assignments(
            ws.stage_id,
            mode="balanced",
            judge_ids=ws.judges,
            entry_ids=_entry_ids(ws),
            k=3,
            seed=42,
        )
        assert again.assignments == 33 and _pairs(ws.stage_id) == pairs


def test_every_judge_scores_every_entry_except_their_own_region(app: Flask, ws: Workspace) -> None:
    with app.test_request_context():
        result = generate_assignments(
            ws.stage_id, mode="all", judge_ids=ws.judges, entry_ids=_entry_ids(ws)
        )
        assert result.assignments == 11 * 5 - 5


def test_impossible_designs_name_the_entries(app: Flask, ws: Workspace) -> None:
    with app.test_request_context():
        # Two judges from Kota Jambi and Kerinci, k = 2: those two regions' entries lose a judge.
        with pytest.raises(AssignmentRefused) as caught:
            generate_assignments(
                ws.stage_id, mode="balanced", judge_ids=ws.judges[:2], entry_ids=_entry_ids(ws), k=2
            )
        refusal = caught.value
        assert sorted(u.name for u in refusal.uncovered) == ["BKB Kerinci", "BKB Kota Jambi"]
        assert {u.allowed for u in refusal.uncovered} == {1}
        assert "tidak dapat memperoleh 2 juri" in _indonesian(app, refusal)
        assert _pairs(ws.stage_id) == set()  # nothing written


def _indonesian(app: Flask, error: Any) -> str:
    from scoring.committee.views import error_text

    with app.test_request_context("/"):
        return error_text(error)


def test_a_declared_conflict_is_never_assigned(app: Flask, ws: Workspace) -> None:
    with app.test_request_context():
        entry_ids = _entry_ids(ws)
        declare_conflict(entry_ids[0], ws.judges[2], "Saudara kandung ketua kelompok")
        for seed in range(5):
            generate_assignments(
                ws.stage_id,
                mode="balanced",
                judge_ids=ws.judges,
                entry_ids=entry_ids,
                k=3,
                seed=seed,
            )
            assert (entry_ids[0], ws.judges[2]) not in _pairs(ws.stage_id)
        with pytest.raises(Conflict):
            add_assignment(ws.stage_id, entry_ids[0], ws.judges[2])


def test_manual_edits_follow_the_same_rules(app: Flask, ws: Workspace) -> None:
    with app.test_request_context():
        kota_jambi = db.session.scalar(select(Entry.id).filter_by(name="BKB Kota Jambi"))
        with pytest.raises(Conflict) as home:
            add_assignment(ws.stage_id, kota_jambi, ws.judges[0])  # judge 1 lives in 15.71
        assert "berasal dari wilayah peserta ini" in _indonesian(app, home.value)
        assignment = add_assignment(ws.stage_id, kota_jambi, ws.judges[1])
        assert assignment.sheet is not None and assignment.sheet.version == 0
        with pytest.raises(Conflict):
            add_assignment(ws.stage_id, kota_jambi, ws.judges[1])  # twice
        # A sheet with a score cannot lose its assignment.
        sheet = db.session.scalars(select(ScoreSheet)).one()
        criterion_id = sheet.assignment.stage.criteria[0].id
        db.session.add(Score(sheet_id=sheet.id, criterion_id=criterion_id, value=80))
        db.session.commit()
        with pytest.raises(Conflict):
            remove_assignment(assignment.id)
        # ... nor can the stage be generated anew.
        with pytest.raises(Conflict):
            generate_assignments(
                ws.stage_id, mode="all", judge_ids=ws.judges, entry_ids=_entry_ids(ws)
            )
        # ... nor can a conflict be declared over it.
        with pytest.raises(Conflict):
            declare_conflict(kota_jambi, ws.judges[1], "Ternyata kerabat")


def test_declaring_a_conflict_removes_an_unscored_assignment(app: Flask, ws: Workspace) -> None:
    with app.test_request_context():
        tebo = db.session.scalar(select(Entry.id).filter_by(name="BKB Tebo"))
        add_assignment(ws.stage_id, tebo, ws.judges[3])
        declared = declare_conflict(tebo, ws.judges[3], "Pernah menjadi pembina kelompok ini")
        assert (declared.removed, declared.kept) == (1, [])
        assert _pairs(ws.stage_id) == set()
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert {"assignment.create", "conflict.declare", "assignment.delete"} <= set(actions)


def test_entries_that_failed_screening_are_not_offered(app: Flask, ws: Workspace) -> None:
    with app.test_request_context():
        tebo = db.session.scalar(select(Entry.id).filter_by(name="BKB Tebo"))
        db.session.add(
            StageDecision(
                stage_id=ws.screening_id,
                entry_id=tebo,
                outcome="fail",
                reason="Berkas tidak lengkap",
            )
        )
        db.session.commit()
        board = stage_board(ws.stage_id)
        assert tebo not in {row.entry.id for row in board.rows}
        assert [e.name for e in board.excluded] == ["BKB Tebo"]
        generate_assignments(ws.stage_id, mode="all", judge_ids=ws.judges, entry_ids=_entry_ids(ws))
        assert tebo not in {e for e, _ in _pairs(ws.stage_id)}


def test_a_pass_fail_stage_has_no_judges(app: Flask, ws: Workspace) -> None:
    with app.test_request_context(), pytest.raises(Conflict):
        generate_assignments(
            ws.screening_id, mode="all", judge_ids=ws.judges, entry_ids=_entry_ids(ws)
        )


@pytest.fixture
def committee(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], ws: Workspace
) -> FlaskClient:
    """Logged in as the committee account that created the workspace's judges."""
    created_by(app, ws.judges, login_as("committee").id)
    return client


def test_the_assignment_page_generates_and_edits(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    url = f"/panitia/tahap/{ws.stage_id}/penugasan"
    page = text_of(committee.get(url))
    assert "Juri untuk Penilaian Dokumen" in page
    token = csrf(committee, url)
    with app.app_context():
        entry_ids = _entry_ids(ws)
    data = {
        "csrf_token": token,
        "mode": "balanced",
        "k": "3",
        "seed": "7",
        "judge_ids": ws.judges,
        "entry_ids": entry_ids,
    }
    response = committee.post(f"{url}/buat", data=data)
    assert response.status_code == 302
    page = text_of(committee.get(url))
    assert "33 penugasan telah dibuat (angka acak 7)." in page
    assert "Semua juri saling terhubung" in page
    assert page.count('class="board-cell cell-home"') == 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 33
        assignment_id = db.session.scalar(select(Assignment.id))
    # Remove one by hand, then add it back with the "+" button's fields.
    committee.post(f"/panitia/penugasan/{assignment_id}/hapus", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 32


def test_the_page_tells_which_entries_cannot_be_covered(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    url = f"/panitia/tahap/{ws.stage_id}/penugasan"
    token = csrf(committee, url)
    with app.app_context():
        entry_ids = _entry_ids(ws)
    data = {
        "csrf_token": token,
        "mode": "balanced",
        "k": "2",
        "judge_ids": ws.judges[:2],
        "entry_ids": entry_ids,
    }
    response = committee.post(f"{url}/buat", data=data)
    assert response.status_code == 422
    html = text_of(response)
    refusal = html.split('data-testid="refusal"')[1].split("</section>")[0]
    assert "Tidak ada penugasan yang dibuat" in refusal
    assert re.search(r"BKB Kerinci</th><td>Kerinci</td><td[^>]*>1</td>", refusal)
    assert "BKB Kota Jambi" in refusal and "BKB Tebo" not in refusal


def test_conflicts_are_declared_and_withdrawn_on_the_page(
    app: Flask, committee: FlaskClient, ws: Workspace
) -> None:
    url = f"/panitia/tahap/{ws.stage_id}/penugasan"
    token = csrf(committee, url)
    with app.app_context():
        tebo = db.session.scalar(select(Entry.id).filter_by(name="BKB Tebo"))
    response = committee.post(
        f"/panitia/tahap/{ws.stage_id}/konflik",
        data={
            "csrf_token": token,
            "coi-judge_id": ws.judges[0],
            "coi-entry_id": tebo,
            "coi-reason": "Suami ketua kelompok",
        },
        follow_redirects=True,
    )
    html = text_of(response)
    assert "Konflik kepentingan telah dicatat." in html
    assert "Suami ketua kelompok" in html
    assert html.count('class="board-cell cell-declared"') == 1
    with app.app_context():
        conflict_id = db.session.scalar(select(ConflictOfInterest.id))
    response = committee.post(
        f"/panitia/konflik/{conflict_id}/hapus",
        data={"csrf_token": token, "stage_id": ws.stage_id},
        follow_redirects=True,
    )
    assert "Konflik kepentingan telah dicabut." in text_of(response)
    with app.app_context():
        assert db.session.scalar(select(ConflictOfInterest.id)) is None
