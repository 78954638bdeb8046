"""Every committee and operator page on a tablet (768×1024) and a phone (390×844): nothing
scrolls sideways and every visible control a finger taps is at least 44×44 px (issue 18).

The pages come from `app.url_map` (GET routes of the committee, regional, auth and committee
results/certificates pages), so a new page is walked without touching this file; a page whose
URL needs an id this file cannot supply fails the test until `ids_for` learns it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_login import login_user
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.serving import make_server

from scoring.extensions import db
from scoring.models import (
    Category,
    Criterion,
    Entry,
    Event,
    Job,
    Region,
    Registration,
    ResultSnapshot,
    ScoreSheet,
    Stage,
    StageDecision,
    User,
)
from scoring.services.entries import create_entry
from scoring.services.entry_checks import EntryData
from tests.browser.conftest import screenshot
from tests.committee.test_entries_support import xlsx_bytes
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
# Committee pages live under /panitia (committee, results, certificates blueprints), operator
# pages under /wilayah; besides them the account pages each reaches from the navigation, and
# the landing and login pages that speak to both.
PREFIX = {"committee": "/panitia/", "operator": "/wilayah/", "public": None}
EXTRA_PAGES = {
    "committee": {"auth.change_own_password", "auth.accounts"},
    "operator": {"auth.change_own_password"},
    "public": {"public.index", "auth.login"},
}
# Downloads and fragments, not pages: files (by suffix) and the dashboard's polled fragment.
NOT_PAGES = {"committee.progress_live", "regional.invitation"}
FILE_SUFFIX = re.compile(r"\.(csv|pdf|xlsx|json)$|/zip$")

# A control's tap target; a checkbox or radio counts together with its own label.
MEASURE = (Path(__file__).with_name("measure_layout.js")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def walk_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The demo plus what some pages need to show something: a committee-entered entry in the
    Kerinci operator's region (shown to it read-only), a certificate job and a stage after which
    only the top five advance."""
    folder = tmp_path_factory.mktemp("layout-walk")
    app = make_test_app(
        f"sqlite:///{folder / 'walk.sqlite3'}",
        UPLOAD_DIR=str(folder / "uploads"),
        STASH_DIR=str(folder / "stash"),
    )
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        committee = db.session.scalars(select(User).filter_by(role="committee")).first()
        login_user(committee)
        kerinci = db.session.scalars(select(Region).filter_by(code="15.01")).one()
        bkr = db.session.scalars(select(Category).filter_by(name="Poktan BKR Terbaik")).one()
        create_entry(bkr.id, EntryData(name="BKR Tambahan Panitia Kerinci", region_id=kerinci.id))
        # Who advances after the first scored stage is decided on its page: its controls show.
        first_scored = db.session.scalars(
            select(Stage).filter_by(kind="scored", status="closed").order_by(Stage.id)
        ).first()
        first_scored.advance_count = 5
        event = db.session.get(Event, bkr.event_id)
        db.session.add(
            Job(kind="certificates.issue_all", status="running", event_id=event.id, total=9, done=4)
        )
        db.session.commit()
    return app


@pytest.fixture(scope="module")
def walk_server(walk_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, walk_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _first(model: Any, *where: Any) -> int:
    found = db.session.scalars(select(model.id).where(*where).order_by(model.id)).first()
    assert found is not None, f"the walk's world has no {model.__name__} for {where}"
    return found


def ids_for(app: Flask) -> dict[str, dict[str, Any]]:
    """URL values per endpoint: the defaults, then pages that need a particular kind of object."""
    with app.app_context():
        scored_event = _first(Event, Event.status == "scoring")
        open_event = _first(Event, Event.status == "open")
        scored = _first(Stage, Stage.kind == "scored", Stage.status == "closed")
        sheet = _first(ScoreSheet)
        registration = db.session.get(Registration, _first(Registration))
        defaults = {
            "event_id": scored_event,
            "category_id": db.session.get(Stage, scored).category_id,
            "stage_id": scored,
            "criterion_id": _first(Criterion, Criterion.stage_id == scored),
            "sheet_id": sheet,
            "entry_id": _first(Entry),
            "snapshot_id": _first(ResultSnapshot),
            "job_id": _first(Job),
            "registration_id": registration.id,
            "version": "2025-1",
        }
        decided = _first(Stage, Stage.id.in_(select(StageDecision.stage_id)))
        registration_category = registration.entry.category_id
    return {
        "": defaults,
        "committee.stage_decisions_page": {"stage_id": decided},
        "committee.registration_overview": {"event_id": open_event},
        "committee.registration_operators": {"event_id": open_event},
        "committee.registration_queue": {"event_id": open_event},
        "committee.entries_import": {"category_id": registration_category},
        "committee.entries_import_preview": {"category_id": registration_category},
        "regional.register": {"category_id": registration_category},
    }


def pages(app: Flask, audience: str) -> list[tuple[str, str]]:
    """(endpoint, path) of every HTML page of the audience ('committee', 'operator', 'public')."""
    ids = ids_for(app)
    prefix = PREFIX[audience]
    found = []
    rules: list[Rule] = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
    with app.test_request_context():
        from flask import url_for

        for rule in rules:
            if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES:
                continue
            if FILE_SUFFIX.search(rule.rule):
                continue
            mine = prefix is not None and rule.rule.startswith(prefix)
            if not (mine or rule.endpoint in EXTRA_PAGES[audience]):
                continue
            values = {**ids[""], **ids.get(rule.endpoint, {})}
            missing = [name for name in rule.arguments if name not in values]
            assert not missing, f"{rule.endpoint}: teach ids_for() a value for {missing}"
            found.append(
                (rule.endpoint, url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}))
            )
    return found


def _log_in(page: Any, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(lambda address: not address.endswith("/login"))


def _upload_import(page: Any, url: str, category_id: int, folder: Path) -> None:
    """An import waiting for confirmation, so the preview page has rows (one bad) to show."""
    workbook = folder / "peserta.xlsx"
    workbook.write_bytes(
        xlsx_bytes(
            [
                ["kode_wilayah", "nama", "nama_kontak", "telepon", "email"],
                ["15.01", "BKR Tunas Muda Desa Semurup Kecamatan Air Hangat", "Ibu Yanti", "", ""],
                ["15.99", "BKR Tanpa Wilayah", "", "12345", "bukan-email"],
            ]
        )
    )
    page.goto(f"{url}/panitia/kategori/{category_id}/impor")
    page.locator("input[type=file]").first.set_input_files(str(workbook))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/impor/pratinjau$"))


def _walk(page: Any, url: str, audience: str, size: str, app: Flask) -> list[str]:
    problems = []
    for endpoint, path in pages(app, audience):
        response = page.goto(url + path)
        assert response is not None
        if response.status != 200:
            problems.append(f"{endpoint} {path}: status {response.status}")
            continue
        # Folded sections count too: a control is measured as it looks once unfolded.
        page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
        found = page.evaluate(MEASURE)
        if found["overflow"] > 0:
            problems.append(f"{endpoint} {path}: scrolls sideways by {found['overflow']} px")
        problems.extend(f"{endpoint} {path}: {item}" for item in found["small"])
        screenshot(page, f"layout-{audience}-{size}-{endpoint.replace('.', '-')}")
    return problems


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_committee_and_operator_pages_fit_a_tablet_and_a_phone(
    browser: Any, walk_app: Flask, walk_server: str, size: str, tmp_path: Path
) -> None:
    viewport = TABLET if size == "tablet" else PHONE
    problems: list[str] = []
    ids = ids_for(walk_app)
    with walk_app.app_context():
        registration = db.session.get(Registration, ids[""]["registration_id"])
        operator = db.session.scalars(
            select(User).filter_by(role="regional", home_region_id=registration.entry.region_id)
        ).one()
        operator_email = operator.email

    context = browser.new_context(viewport=viewport, locale="id-ID", has_touch=True)
    page = context.new_page()
    problems += _walk(page, walk_server, "public", size, walk_app)
    # The administrator: a committee member who also reaches the accounts page.
    _log_in(page, walk_server, "admin@demo.juara.id", "demo-admin")
    _upload_import(page, walk_server, ids["committee.entries_import"]["category_id"], tmp_path)
    problems += _walk(page, walk_server, "committee", size, walk_app)
    context.close()

    context = browser.new_context(viewport=viewport, locale="id-ID", has_touch=True)
    page = context.new_page()
    _log_in(page, walk_server, operator_email, "demo-operator")
    problems += _walk(page, walk_server, "operator", size, walk_app)
    # The navigation collapses behind its button, and opened it still fits.
    toggler = page.get_by_role("button", name="Buka menu")
    expect(toggler).to_be_visible()
    toggler.click()
    page.wait_for_selector("#nav-main.show:not(.collapsing)")
    expect(page.get_by_role("link", name="Ganti kata sandi")).to_be_visible()
    found = page.evaluate(MEASURE)
    problems += [f"open menu: {item}" for item in found["small"]]
    screenshot(page, f"layout-operator-{size}-menu-open")
    context.close()

    assert not problems, "\n".join(problems)


def test_dates_files_and_checks_speak_indonesian(
    browser: Any, walk_server: str, tmp_path: Path
) -> None:
    """No browser-native English: dd/mm/yyyy dates with a calendar button, a labelled file
    button, and the app's own messages for a date that does not exist."""
    context = browser.new_context(viewport=PHONE, locale="en-US", has_touch=True)
    page = context.new_page()
    _log_in(page, walk_server, "panitia@demo.juara.id", "demo-panitia")
    page.goto(f"{walk_server}/panitia/acara/baru")
    first_day = page.get_by_label("Hari pertama")
    expect(first_day).to_have_attribute("type", "text")
    expect(first_day).to_have_attribute("placeholder", "hh/bb/tttt")
    # The calendar button writes the chosen day back as dd/mm/yyyy.
    expect(page.get_by_role("button", name="Pilih tanggal").first).to_be_visible()
    page.locator(".date-picker").first.evaluate(
        "(picker) => { picker.value = '2026-06-22'; picker.dispatchEvent(new Event('change')); }"
    )
    expect(first_day).to_have_value("22/06/2026")
    page.get_by_label("Nama kegiatan").fill("Lomba Uji Tanggal")
    page.get_by_label("Hari terakhir").fill("31/02/2026")
    page.get_by_role("button", name="Simpan").click()
    expect(
        page.get_by_text("Tulis tanggal sebagai hh/bb/tttt, misalnya 17/08/2025.")
    ).to_be_visible()
    expect(page.get_by_label("Hari pertama")).to_have_value("22/06/2026")  # nothing typed is lost
    screenshot(page, "layout-widgets-date-error")

    page.goto(f"{walk_server}/panitia/juri")
    picker = page.locator(".file-pick").first
    expect(picker.locator("label.btn")).to_have_text(re.compile(r"^Pilih berkas"))
    expect(picker.locator(".file-name")).to_have_text("Belum ada berkas dipilih")
    sheet = tmp_path / "juri.xlsx"
    sheet.write_bytes(xlsx_bytes([["nama", "email"], ["Juri Uji", "juri.uji@contoh.id"]]))
    picker.locator("input[type=file]").set_input_files(str(sheet))
    expect(picker.locator(".file-name")).to_have_text("juri.xlsx")
    screenshot(page, "layout-widgets-file")

    # A form the browser still checks (no `novalidate`) says so in the app's language.
    page.goto(f"{walk_server}/panitia/acara/1")
    message = page.evaluate(
        """() => {
          const field = document.querySelector('[required]');
          field.value = '';
          field.form.reportValidity();
          return field.validationMessage;
        }"""
    )
    assert message == "Isian ini wajib diisi."
    context.close()
