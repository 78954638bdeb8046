"""The judge's pages: home, score sheet, the service worker script."""

from __future__ import annotations

import pytest
from flask import Flask

from scoring.extensions import db
from scoring.models import ScoreSheet, Stage
from tests.conftest import login
from tests.judge.support import PASSWORD, add_sheet_for_new_judge, build_open_sheet


@pytest.fixture
def graph(app: Flask):
    return build_open_sheet(app)


@pytest.fixture
def judge_client(client, graph):
    assert login(client, graph.judge_email, PASSWORD).status_code == 302
    return client


def test_home_lists_the_sheet_with_search_and_outbox_badge(judge_client, graph) -> None:
    html = judge_client.get("/juri/").get_data(as_text=True)
    assert "BKB Melati" in html
    assert f'href="/juri/lembar/{graph.sheet_id}"' in html
    assert 'id="entry-search"' in html and "Cari peserta atau wilayah" in html
    assert 'id="sync-status"' in html and 'role="status"' in html
    assert 'data-sw-url="/juri/sw.js"' in html
    assert "<script>" not in html  # no inline script: a CSP will forbid it


def test_the_sheet_page_renders_the_rubric_and_values(app, judge_client, graph) -> None:
    with app.app_context():
        sheet = db.session.get(ScoreSheet, graph.sheet_id)
        sheet.scores  # noqa: B018 - load before adding
        from scoring.models import Score

        sheet.scores.append(Score(criterion_id=graph.criteria[0], value=87.5, comment="Rapi"))
        sheet.version = 1
        db.session.commit()
    response = judge_client.get(f"/juri/lembar/{graph.sheet_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Kelembagaan" in html and "Kesan umum" in html
    assert 'value="87,5"' in html and ">Rapi</textarea>" in html
    assert 'data-version="1"' in html
    assert "Bobot 40" in html and "dari 1 sampai 5" in html
    assert 'inputmode="decimal"' in html
    assert html.count('<label class="form-label mb-0 me-1" for="score-') == 3
    # 40·87,5 over 40: only the scored criterion counts.
    assert ">87,50</strong>" in html
    assert "Kirim" in html and "Belum ada dokumen yang diunggah" in html


def test_a_sheet_of_another_judge_is_404(app, judge_client, graph) -> None:
    other = add_sheet_for_new_judge(app, graph, "juri-lain@test.juara.id")
    assert judge_client.get(f"/juri/lembar/{other}").status_code == 404
    assert judge_client.get("/juri/lembar/999999").status_code == 404


def test_a_closed_stage_is_read_only(app, judge_client, graph) -> None:
    with app.app_context():
        db.session.get(Stage, graph.stage_id).status = "closed"
        db.session.commit()
    html = judge_client.get(f"/juri/lembar/{graph.sheet_id}").get_data(as_text=True)
    assert 'data-stage-open="false"' in html
    assert "hanya dapat dilihat" in html
    home = judge_client.get("/juri/").get_data(as_text=True)
    assert "Tahap lain (hanya dapat dilihat)" in home and "<details" in home


def test_the_service_worker_is_served_for_the_judge_scope(client) -> None:
    response = client.get("/juri/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/juri/"
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]
    assert b"cache-sheets" in response.data


def test_only_judges_open_the_judge_pages(client, graph, login_as) -> None:
    assert client.get("/juri/").status_code == 302  # to the login page
    login_as("committee")
    assert client.get(f"/juri/lembar/{graph.sheet_id}").status_code == 403


def test_the_sheet_links_the_entrys_documents(app, judge_client, graph) -> None:
    from scoring.models import Attachment

    with app.app_context():
        entry_id = db.session.get(ScoreSheet, graph.sheet_id).assignment.entry_id
        document = Attachment(
            entry_id=entry_id,
            kind="proposal",
            label="Proposal kegiatan",
            original_name="proposal.pdf",
            stored_name="a" * 32,
            content_type="application/pdf",
            size=1200,
            sha256="b" * 64,
        )
        db.session.add(document)
        db.session.commit()
        url = f"/berkas/{document.id}"
    html = judge_client.get(f"/juri/lembar/{graph.sheet_id}").get_data(as_text=True)
    assert f'href="{url}"' in html and "Proposal kegiatan" in html
    assert "Dokumen hanya dapat dibuka saat ada jaringan." in html
