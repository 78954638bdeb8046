"""The committee's event, rubric, decision and dashboard pages over HTTP: access and flows."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scoring.extensions import db as _db
from scoring.models import Category, Criterion, Entry, Event, StageDecision
from tests.committee.test_events_support import make_category, make_event, region
from tests.conftest import csrf_token_from

# Every route of part A, with the method it answers. {e} event, {c} category, {s} scored stage,
# {p} pass/fail stage, {k} criterion.
ROUTES = [
    ("GET", "/panitia/"),
    ("GET", "/panitia/acara/baru"),
    ("POST", "/panitia/acara/baru"),
    ("GET", "/panitia/acara/{e}"),
    ("GET", "/panitia/acara/{e}/ubah"),
    ("POST", "/panitia/acara/{e}/ubah"),
    ("GET", "/panitia/acara/{e}/salin"),
    ("POST", "/panitia/acara/{e}/salin"),
    ("POST", "/panitia/acara/{e}/status"),
    ("GET", "/panitia/acara/{e}/kategori/baru"),
    ("POST", "/panitia/acara/{e}/kategori/baru"),
    ("GET", "/panitia/kategori/{c}/ubah"),
    ("POST", "/panitia/kategori/{c}/ubah"),
    ("POST", "/panitia/kategori/{c}/hapus"),
    ("POST", "/panitia/kategori/{c}/bobot"),
    ("GET", "/panitia/kategori/{c}/tahap/baru"),
    ("POST", "/panitia/kategori/{c}/tahap/baru"),
    ("GET", "/panitia/tahap/{s}"),
    ("POST", "/panitia/tahap/{s}"),
    ("GET", "/panitia/tahap/{s}/ubah"),
    ("POST", "/panitia/tahap/{s}/ubah"),
    ("POST", "/panitia/tahap/{s}/hapus"),
    ("POST", "/panitia/tahap/{s}/geser"),
    ("POST", "/panitia/tahap/{s}/status"),
    ("GET", "/panitia/tahap/{s}/buka-kembali"),
    ("POST", "/panitia/tahap/{s}/buka-rubrik"),
    ("GET", "/panitia/tahap/{s}/pratinjau"),
    ("GET", "/panitia/tahap/{p}/keputusan"),
    ("POST", "/panitia/tahap/{p}/keputusan"),
    ("GET", "/panitia/kriteria/{k}/ubah"),
    ("POST", "/panitia/kriteria/{k}/ubah"),
    ("POST", "/panitia/kriteria/{k}/hapus"),
    ("POST", "/panitia/kriteria/{k}/geser"),
    ("GET", "/panitia/kemajuan"),
    ("GET", "/panitia/acara/{e}/kemajuan"),
    ("GET", "/panitia/acara/{e}/kemajuan/langsung"),
]


def _graph(app: Flask) -> dict[str, int]:
    with app.app_context():
        event = make_event("open")
        category = make_category(event, (40, 60))
        _db.session.add(Entry(category=category, region=region(), name="BKB Melati"))
        _db.session.commit()
        return {
            "e": event.id,
            "c": category.id,
            "p": category.stages[0].id,
            "s": category.stages[1].id,
            "k": category.stages[1].criteria[0].id,
        }


def _url(template: str, ids: dict[str, int]) -> str:
    return template.format(**ids)


def test_the_route_list_covers_every_route_of_part_a(app: Flask) -> None:
    mine = {"events", "rubrics", "stage_status", "decisions", "dashboard", "views"}
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("committee.")
        and app.view_functions[rule.endpoint].__module__.rsplit(".", 1)[-1] in mine
    }
    assert len(endpoints) >= 25
    listed = {u for _, u in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in endpoints:
            template = (
                rule.rule.replace("<int:event_id>", "{e}")
                .replace("<int:category_id>", "{c}")
                .replace("<int:criterion_id>", "{k}")
            )
            if "<int:stage_id>" in template:
                assert {template.replace("<int:stage_id>", x) for x in ("{s}", "{p}")} & listed
            else:
                assert template in listed, template


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_anonymous_visitors_are_sent_to_the_login_page(
    app: Flask, client: FlaskClient, method: str, template: str
) -> None:
    url = _url(template, _graph(app))
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_judges_are_refused(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], method: str, template: str
) -> None:
    url = _url(template, _graph(app))
    login_as("judge")
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token_from(client.get("/juri/").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["committee", "admin"])
def test_the_committee_and_admins_see_every_page(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any], role: str
) -> None:
    ids = _graph(app)
    login_as(role)
    for method, template in ROUTES:
        if method == "GET":
            response = client.get(_url(template, ids))
            assert response.status_code in (200, 302), template


def _token(client: FlaskClient, url: str = "/panitia/") -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_create_an_event_through_the_form(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any]
) -> None:
    login_as("committee")
    token = _token(client, "/panitia/acara/baru")
    empty = client.post("/panitia/acara/baru", data={"csrf_token": token, "level": "provinsi"})
    assert empty.status_code == 200
    assert "Isi nama kegiatan." in empty.get_data(as_text=True)
    response = client.post(
        "/panitia/acara/baru",
        data={
            "csrf_token": token,
            "name": "Pemilihan Poktan Terbaik Tahun 2026",
            "level": "provinsi",
            "host_region_id": "",
            "starts_on": "2026-06-22",
            "ends_on": "2026-06-26",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Kegiatan telah dibuat." in page
    assert "22 Juni 2026 – 26 Juni 2026" in page
    with app.app_context():
        event = _db.session.scalar(select(Event))
        assert (event.slug, event.status) == ("pemilihan-poktan-terbaik-tahun-2026", "draft")


def test_the_event_page_says_what_blocks_scoring(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any]
) -> None:
    ids = _graph(app)
    login_as("committee")
    page = client.get(f"/panitia/acara/{ids['e']}").get_data(as_text=True)
    assert "Siap dinilai: rubrik sudah lengkap dan bobot tahap berjumlah 100%." in page
    assert "Sebelum kegiatan dapat beralih" not in page
    response = client.post(
        f"/panitia/acara/{ids['e']}/kategori/baru",
        data={"csrf_token": _token(client), "name": "PIK-R Terbaik", "kind": "PIK-R"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Kategori telah ditambahkan. Sekarang tambahkan tahapnya." in page
    assert "Sebelum kegiatan dapat beralih ke “Penilaian”:" in page
    assert "PIK-R Terbaik belum memiliki tahap yang dinilai." in page
    refused = client.post(
        f"/panitia/acara/{ids['e']}/status",
        data={"csrf_token": _token(client), "status": "scoring"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Status belum dapat diubah." in refused
    with app.app_context():
        new_id = _db.session.scalar(select(Category.id).where(Category.name == "PIK-R Terbaik"))
    response = client.post(
        f"/panitia/kategori/{new_id}/hapus",
        data={"csrf_token": _token(client)},
        follow_redirects=True,
    )
    assert "Kategori telah dihapus." in response.get_data(as_text=True)
    response = client.post(
        f"/panitia/acara/{ids['e']}/status",
        data={"csrf_token": _token(client), "status": "scoring"},
        follow_redirects=True,
    )
    assert "Status kegiatan telah diubah." in response.get_data(as_text=True)
    # Weights of 40 + 50: refused with the actual figure, nothing saved.
    response = client.post(
        f"/panitia/kategori/{ids['c']}/bobot",
        data={
            "csrf_token": _token(client),
            f"weight-{ids['s']}": "40",
            f"weight-{ids['s'] + 1}": "50",
        },
        follow_redirects=True,
    )
    assert "Bobot tahap yang dinilai berjumlah 90%, harus 100%." in response.get_data(as_text=True)
    response = client.post(
        f"/panitia/kategori/{ids['c']}/bobot",
        data={
            "csrf_token": _token(client),
            f"weight-{ids['s']}": "37,5",
            f"weight-{ids['s'] + 1}": "62,5",
        },
        follow_redirects=True,
    )
    assert "Bobot tahap telah disimpan." in response.get_data(as_text=True)
    with app.app_context():
        weights = [s.weight for s in _db.session.get(Category, ids["c"]).stages]
    assert weights == [0, 37.5, 62.5]


def test_add_a_criterion_with_custom_bands(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any]
) -> None:
    ids = _graph(app)
    login_as("committee")
    url = f"/panitia/tahap/{ids['s']}"
    form = {
        "csrf_token": _token(client, url),
        "name": "Kesan umum juri",
        "description": "Skala 1–5.",
        "weight": "12,5",
        "min_score": "1",
        "max_score": "5",
        "tiebreak_order": "",
        "bands-0-band_min": "1",
        "bands-0-band_max": "2",
        "bands-0-descriptor": "Kurang",
        "bands-1-band_min": "2",
        "bands-1-band_max": "5",
        "bands-1-descriptor": "Baik",
    }
    refused = client.post(url, data=form)
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "Rentang Baik tumpang tindih dengan rentang Kurang" in page
    assert 'value="Kesan umum juri"' in page  # nothing typed is lost
    form["bands-1-band_min"] = "3"
    response = client.post(url, data=form, follow_redirects=True)
    assert "Kriteria telah ditambahkan." in response.get_data(as_text=True)
    with app.app_context():
        criterion = _db.session.scalar(select(Criterion).where(Criterion.name == "Kesan umum juri"))
        assert criterion.weight == 12.5
        assert criterion.bands == [
            {"min": 1, "max": 2, "label": "Kurang"},
            {"min": 3, "max": 5, "label": "Baik"},
        ]
    preview = client.get(f"/panitia/tahap/{ids['s']}/pratinjau").get_data(as_text=True)
    assert "Kesan umum juri" in preview and "dari 1 sampai 5" in preview
    assert '<span class="d-block fw-semibold band-label">Baik</span>' in preview
    assert '<span class="d-block small">3–5</span>' in preview
    assert "Bobot 12,5" in preview


def test_decisions_page_keeps_the_input_and_marks_the_row_without_reason(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any]
) -> None:
    ids = _graph(app)
    with app.app_context():
        entry_id = _db.session.scalar(select(Entry.id))
    login_as("committee")
    url = f"/panitia/tahap/{ids['p']}/keputusan"
    form = {
        "csrf_token": _token(client, url),
        f"outcome-{entry_id}": "fail",
        f"reason-{entry_id}": "",
    }
    page = client.post(url, data=form).get_data(as_text=True)
    assert "Tidak ada yang disimpan. Silakan periksa baris yang ditandai di bawah." in page
    assert "Tuliskan alasan peserta ini tidak lulus." in page
    assert f'id="o{entry_id}-fail" value="fail" checked' in page
    form[f"reason-{entry_id}"] = "Berkas tidak lengkap"
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "1 keputusan disimpan." in page
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(StageDecision)) == 1


def test_a_scored_stage_has_no_decisions_page(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any]
) -> None:
    ids = _graph(app)
    login_as("committee")
    assert client.get(f"/panitia/tahap/{ids['s']}/keputusan").status_code == 404
    assert client.get("/panitia/acara/999999").status_code == 404


def test_edit_a_criterion_keeps_its_bands(
    app: Flask, client: FlaskClient, login_as: Callable[..., Any]
) -> None:
    ids = _graph(app)
    with app.app_context():
        criterion = _db.session.get(Criterion, ids["k"])
        criterion.bands = [{"min": 1, "max": 50, "label": "Rendah"}]
        _db.session.commit()
    login_as("committee")
    url = f"/panitia/kriteria/{ids['k']}/ubah"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Kelembagaan"' in page and 'value="Rendah"' in page
    # Custom bands: the "usual bands" box is not ticked.
    [checkbox] = re.findall(r"<input[^>]*id=\"standard_bands\"[^>]*>", page)
    assert "checked" not in checkbox
    form = {
        "csrf_token": csrf_token_from(page),
        "name": "Kelembagaan kelompok",
        "description": "",
        "weight": "40",
        "min_score": "1",
        "max_score": "100",
        "tiebreak_order": "1",
        "standard_bands": "y",
    }
    response = client.post(url, data=form, follow_redirects=True)
    assert "Kriteria telah disimpan." in response.get_data(as_text=True)
    with app.app_context():
        criterion = _db.session.get(Criterion, ids["k"])
        assert criterion.name == "Kelembagaan kelompok"
        assert [b["label"] for b in criterion.bands] == ["Kurang", "Cukup", "Baik", "Sangat baik"]
