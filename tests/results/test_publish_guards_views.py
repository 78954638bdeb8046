"""The pages of the publication guards: reopening scoring of published results asks for a
confirmation and a reason; the review says when the live ranking differs from the announced
one; the public page shows why results were published before every check was complete."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from scoring.extensions import db as _db
from scoring.models import AuditEvent, Event, ScoreSheet, Stage
from scoring.services.sheets import SheetChange, save_sheet
from scoring.services.snapshots import publish_results
from scoring.services.stages import set_stage_status
from tests.conftest import csrf_token_from
from tests.results.support import build_category


def _published(app: Flask, **kwargs: Any) -> dict[str, Any]:
    """The category published (raw, with an override for the unsent sheet), event in scoring."""
    with app.app_context():
        ids = build_category(leave_draft=("E1", 0), **kwargs)
        publish_results(ids["category_id"], None, method="raw", override_reason="Juri 1 sakit")
        _db.session.get(Event, ids["event_id"]).status = "scoring"
        _db.session.commit()
    return ids


def _status(app: Flask, stage_id: int) -> str:
    with app.app_context():
        return _db.session.get(Stage, stage_id).status


def test_open_scoring_of_published_results_asks_for_confirmation_and_reason(
    app: Flask, client: Any, login_as: Any
) -> None:
    ids = _published(app)
    s2 = ids["stage_ids"][1]
    login_as("committee")
    page = client.get(f"/panitia/tahap/{s2}")
    token = csrf_token_from(page.text)
    # The one-click button of the rubric page leads to the confirmation, nothing opens.
    clicked = client.post(
        f"/panitia/tahap/{s2}/status",
        data={"csrf_token": token, "status": "open", "back": "stage"},
    )
    assert clicked.status_code == 302
    assert clicked.headers["Location"].endswith(f"/panitia/tahap/{s2}/buka-kembali?back=stage")
    assert _status(app, s2) == "closed"

    confirm = client.get(clicked.headers["Location"])
    assert confirm.status_code == 200
    html = confirm.text
    assert "Buka kembali penilaian Presentasi?" in html
    assert "versi 1 sudah diumumkan" in html
    assert 'name="reason"' in html and 'name="confirm"' in html and 'type="checkbox"' in html
    token = csrf_token_from(html)

    # A reason without the tick, then the tick without a reason: both refused, still closed.
    for data in ({"reason": "Juri 1 sudah sehat"}, {"confirm": "y", "reason": "  "}):
        refused = client.post(
            f"/panitia/tahap/{s2}/status",
            data={"csrf_token": token, "status": "open", "confirm_page": "1", "back": "stage"}
            | data,
            follow_redirects=True,
        )
        assert "Buka kembali penilaian Presentasi?" in refused.text
        assert _status(app, s2) == "closed"
    assert (
        "Centang konfirmasi untuk membuka kembali penilaian."
        in client.post(
            f"/panitia/tahap/{s2}/status",
            data={"csrf_token": token, "status": "open", "confirm_page": "1", "reason": "x"},
            follow_redirects=True,
        ).text
    )

    done = client.post(
        f"/panitia/tahap/{s2}/status",
        data={
            "csrf_token": token,
            "status": "open",
            "confirm_page": "1",
            "back": "stage",
            "reason": "Juri 1 sudah sehat",
            "confirm": "y",
        },
    )
    assert done.headers["Location"].endswith(f"/panitia/tahap/{s2}")
    assert _status(app, s2) == "open"
    with app.app_context():
        audit = _db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "stage.status")
        ).one()
        assert audit.after["reason"] == "Juri 1 sudah sehat"


def test_open_scoring_without_published_results_stays_one_click(
    app: Flask, client: Any, login_as: Any
) -> None:
    with app.app_context():
        ids = build_category()
        _db.session.get(Event, ids["event_id"]).status = "scoring"
        _db.session.commit()
    s2 = ids["stage_ids"][1]
    login_as("committee")
    token = csrf_token_from(client.get(f"/panitia/tahap/{s2}").text)
    client.post(f"/panitia/tahap/{s2}/status", data={"csrf_token": token, "status": "open"})
    assert _status(app, s2) == "open"
    assert client.get(f"/panitia/tahap/{s2}/buka-kembali").status_code == 302


def test_review_labels_announced_figures_and_says_when_they_differ(
    app: Flask, client: Any, login_as: Any
) -> None:
    ids = _published(app)
    login_as("committee")
    url = f"/panitia/hasil/kategori/{ids['category_id']}"
    html = client.get(url).text
    # Reviewed under the published method, and the live figures match what was announced.
    assert 'aria-current="page" data-method="raw"' in html
    assert 'data-testid="published-matches"' in html and "Berbeda dari" not in html
    assert "Diumumkan (versi 1)" in html
    assert 'data-testid="other-method"' in client.get(url + "?metode=zscore").text

    with app.app_context():
        set_stage_status(ids["stage_ids"][1], "open", "Juri 1 sudah sehat")
        sheet_id = ids["sheets"][("E1", 0, 3)]
        sheet = _db.session.get(ScoreSheet, sheet_id)
        change = SheetChange(
            submission_id="5b0f7c2e-0000-4000-8000-000000000077",
            base_version=sheet.version,
            scores={ids["criteria"]["C"]: 1.0},
            submit=True,
        )
        save_sheet(sheet_id, ids["judges"][0], change)
    html = client.get(url).text
    assert 'data-testid="published-differs"' in html
    assert "Berbeda dari yang diumumkan" in html
    assert "Lembar nilai yang dihitung: 23 saat diumumkan, 24 sekarang." in html
    assert (
        ids["names"]["E1"]
        in html.split('data-testid="published-differs"')[1].split("</section>")[0]
    )


def test_public_page_shows_the_override_reason(app: Flask, client: Any) -> None:
    ids = _published(app)
    html = client.get(f"/hasil/{ids['slug']}").text
    assert 'data-testid="override-note"' in html
    assert "Alasan panitia: Juri 1 sakit" in html


def test_review_names_sheets_missing_a_criterion_and_offers_no_publish_button(
    app: Flask, client: Any, login_as: Any
) -> None:
    from scoring.services.rubrics import add_criterion, reopen_rubric

    with app.app_context():
        ids = build_category()
        reopen_rubric(ids["stage_ids"][1], "Kriteria terlupa")
        add_criterion(
            ids["stage_ids"][1], name="Kreativitas", description="", weight=1, min_score=1,
            max_score=10, bands=None, tiebreak_order=None,
        )  # fmt: skip
    login_as("committee")
    html = client.get(f"/panitia/hasil/kategori/{ids['category_id']}").text
    assert "belum berisi nilai Kreativitas" in html and "Juri 2 (Poktan E6)" in html
    assert 'data-testid="hard-blocked"' in html
    assert 'data-testid="publish"' not in html and 'name="override_reason"' not in html


def test_deleting_an_entry_of_published_results_says_to_withdraw_them_first(
    app: Flask, client: Any, login_as: Any
) -> None:
    from scoring.models import Entry

    ids = _published(app)
    e7 = ids["entries"]["E7"]
    login_as("committee")
    token = csrf_token_from(client.get(f"/panitia/tahap/{ids['stage_ids'][1]}").text)
    answer = client.post(
        f"/panitia/peserta/{e7}/hapus", data={"csrf_token": token}, follow_redirects=True
    )
    assert answer.status_code == 200
    assert "versi 1 sudah diumumkan" in answer.text
    with app.app_context():
        assert _db.session.get(Entry, e7) is not None
