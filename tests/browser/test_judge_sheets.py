"""A judge scores on a tablet (768×1024) online, offline, and with lost answers replayed.

These tests change data, so they run against their own live server on a fresh SQLite file with
the demo seeded (the shared live server keeps its pristine seed). A small WSGI wrapper records
every request, so "offline" is checked on the server side too: nothing reaches it while the
browser context is offline, the page is served by the service worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from scoring.extensions import db
from scoring.i18n import format_number
from scoring.models import (
    Assignment,
    AuditEvent,
    Category,
    Score,
    ScoreSheet,
    SheetSubmission,
    Stage,
    User,
)
from scoring.services.worklist import load_sheet
from tests.browser.conftest import TABLET, screenshot
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@dataclass
class RequestLog:
    """Requests the server received; `mark()` starts a new window to look at."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    start: int = 0

    def middleware(self, app: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            self.seen.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
            return app(environ, start_response)

        return wrapped

    def mark(self) -> None:
        self.start = len(self.seen)

    def since_mark(self) -> list[tuple[str, str]]:
        return self.seen[self.start :]


@pytest.fixture(scope="module")
def judge_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("judge-live") / "judge.sqlite3"
    app = make_test_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="module")
def judge_server(judge_app: Flask) -> Iterator[tuple[str, RequestLog]]:
    log = RequestLog()
    server = make_server("127.0.0.1", 0, log.middleware(judge_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", log
    server.shutdown()


@pytest.fixture
def tablet(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=TABLET, locale="id-ID")
    yield context
    context.close()


def empty_sheet(app: Flask, email: str) -> tuple[int, list[int]]:
    """A sheet of this judge in the open Duta Orang Tua Hebat stage with no score yet."""
    with app.app_context():
        scored = select(Score.sheet_id).where(Score.value.is_not(None))
        row = db.session.execute(
            select(ScoreSheet.id, Stage.id)
            .join(ScoreSheet.assignment)
            .join(Assignment.stage)
            .join(Stage.category)
            .join(Assignment.judge)
            .where(
                User.email == email,
                Stage.status == "open",
                Category.name == "Duta Orang Tua Hebat",
                ScoreSheet.status == "draft",
                ScoreSheet.id.not_in(scored),
            )
            .order_by(ScoreSheet.id)
        ).first()
        assert row is not None
        stage = db.session.get(Stage, row[1])
        return row[0], [c.id for c in stage.criteria]


def sheet_record(app: Flask, sheet_id: int) -> dict[str, Any]:
    with app.app_context():
        sheet = db.session.get(ScoreSheet, sheet_id)
        scores = db.session.scalars(select(Score).filter_by(sheet_id=sheet_id)).all()
        audits = db.session.scalars(
            select(AuditEvent.action).filter_by(object_type="ScoreSheet", object_id=sheet_id)
        ).all()
        logged = db.session.scalar(
            select(func.count()).select_from(SheetSubmission).filter_by(sheet_id=sheet_id)
        )
        return {
            "status": sheet.status,
            "version": sheet.version,
            "values": {s.criterion_id: s.value for s in scores if s.value is not None},
            "comments": {s.criterion_id: s.comment for s in scores if s.comment},
            "rows": len(scores),
            "audits": list(audits),
            "submissions": logged,
        }


def shot(page: Any, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the sticky bars at the top of a full-page shot
    screenshot(page, name)


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill("demo-juri")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/juri/")
    # The service worker has cached the shell and every assigned sheet.
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === '1'")


def wait_until_sent(page: Any, *, status: str | None = None, version: int = 1) -> None:
    """Until the outbox is empty and the sheet page shows the server's acknowledgement.

    An empty outbox alone is not enough: right after a tap the change may not be stored yet,
    so the page must also hold at least `version` (and `status`) of the server's sheet.
    """
    page.wait_for_function(
        """([status, version]) => {
          const sheet = document.getElementById("sheet").dataset;
          return document.documentElement.dataset.outbox === "0"
            && sheet.localPending === "0"
            && Number(sheet.serverVersion) >= version
            && (status === null || sheet.serverStatus === status);
        }""",
        arg=[status, version],
        timeout=30000,
    )
    expect(page.locator("#sync-status")).to_have_attribute("data-state", "ok")


def wait_for_record(app: Flask, sheet_id: int, values: dict[int, float]) -> dict[str, Any]:
    """Until the server holds these values for the sheet (autosave runs on its own timer)."""
    deadline = time.monotonic() + 30
    while True:
        record = sheet_record(app, sheet_id)
        if record["values"] == values or time.monotonic() > deadline:
            return record
        time.sleep(0.2)


def score(page: Any) -> None:
    """The same entries in every test: bands, fine adjustment, typing, a 1–5 scale, a note."""
    criteria = page.locator(".criterion")
    first, second, third = criteria.nth(0), criteria.nth(1), criteria.nth(2)
    first.get_by_role("button", name="Sangat baik 90–100").click()
    first.get_by_role("button", name="Kurangi nilai Penguasaan materi pengasuhan").click()
    expect(first.get_by_label("Nilai", exact=True)).to_have_value("94")
    first.get_by_label("Catatan (opsional)").fill("Contoh nyata dari keluarga sendiri")
    second.get_by_label("Nilai", exact=True).fill("81,5")
    third.get_by_role("button", name="Baik 4").click()
    # 40·94 + 30·81,5 + 30·(4/5·100) over 100
    expect(page.locator("#total")).to_have_text("86,05")


EXPECTED_VALUES = [94.0, 81.5, 4.0]


def wait_stored(page: Any, sheet_id: int) -> None:
    """Until the outbox item holds every entry of `score()` (IndexedDB writes are async)."""
    page.wait_for_function(
        """async (id) => {
          const item = await window.JuaraOutbox.getItem(id);
          return !!item && Object.values(item.scores).filter(v => v != null).length === 3
            && Object.values(item.comments).some(t => t.startsWith("Contoh nyata"));
        }""",
        arg=sheet_id,
    )


def submit(page: Any) -> None:
    page.get_by_role("button", name="Kirim", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#summary-total")).to_have_text("86,05")
    dialog.get_by_role("button", name="Ya, kirim").click()


def test_score_a_sheet_online_and_submit(judge_server, judge_app, tablet) -> None:
    base, _log = judge_server
    sheet_id, criteria = empty_sheet(judge_app, "juri1@demo.juara.id")
    page = tablet.new_page()
    log_in(page, base, "juri1@demo.juara.id")
    page.goto(f"{base}/juri/lembar/{sheet_id}")
    score(page)
    # Enter in a field saves nothing extra and does not reload the page.
    page.evaluate("window.stillHere = true")
    page.locator(".score-input").nth(1).press("Enter")
    assert page.evaluate("window.stillHere") is True
    shot(page, "judge-sheet-scoring")
    page.get_by_role("button", name="Kirim", exact=True).click()
    shot(page, "judge-sheet-summary")
    page.get_by_role("button", name="Kembali ke lembar").click()
    submit(page)
    wait_until_sent(page, status="submitted")
    expect(page.locator("#sheet-state")).to_have_text("✓ Terkirim ke panitia")
    expect(page.locator("#sent-note")).to_be_visible()
    expect(page.locator(".score-input").first).to_be_disabled()
    expect(page.locator("#send-button")).to_be_hidden()
    shot(page, "judge-sheet-sent")
    record = sheet_record(judge_app, sheet_id)
    assert record["status"] == "submitted"
    assert record["values"] == dict(zip(criteria, EXPECTED_VALUES, strict=True))
    assert record["comments"] == {criteria[0]: "Contoh nyata dari keluarga sendiri"}
    # Autosave sent a few versions on the way: one audit row and one log row for each.
    assert len(record["audits"]) == record["version"] == record["submissions"] >= 1
    assert record["audits"][-1] == "sheet.submit" and record["rows"] == 3
    # The committee's total is the judge's: the same formula in Python and in the page.
    with judge_app.test_request_context():
        assert format_number(load_sheet(sheet_id).total, locale="id") == "86,05"

    page.goto(f"{base}/juri/")
    row = page.locator(f'a[data-sheet-id="{sheet_id}"]')
    expect(row.locator(".status")).to_have_text("✓ Terkirim ke panitia")


def test_score_offline_close_reopen_offline_then_sync(judge_server, judge_app, tablet) -> None:
    base, log = judge_server
    sheet_id, criteria = empty_sheet(judge_app, "juri3@demo.juara.id")
    page = tablet.new_page()
    log_in(page, base, "juri3@demo.juara.id")
    page.goto(f"{base}/juri/lembar/{sheet_id}")
    page.wait_for_load_state("networkidle")

    tablet.set_offline(True)
    log.mark()
    score(page)
    submit(page)
    status = page.locator("#sync-status")
    expect(status).to_contain_text("1 belum tersimpan di server")
    expect(status).to_contain_text("⟳")
    expect(page.locator("#local-note")).to_contain_text("Sudah dikirim di tablet ini")
    shot(page, "judge-sheet-offline-sent")
    page.close()

    # The tab was closed. A new one opens the sheet with no network at all.
    page = tablet.new_page()
    response = page.goto(f"{base}/juri/lembar/{sheet_id}")
    assert response is not None and response.from_service_worker
    page.wait_for_function("() => document.documentElement.dataset.outbox === '1'")
    inputs = page.locator(".score-input")
    for i, shown in enumerate(["94", "81,5", "4"]):
        expect(inputs.nth(i)).to_have_value(shown)
    expect(page.locator("#sheet-state")).to_have_text("✓ Terkirim ke panitia")
    expect(page.locator("#sync-status")).to_contain_text("1 belum tersimpan di server")
    home = page.goto(f"{base}/juri/")  # the home page too, with the sheet marked as waiting
    assert home is not None and home.from_service_worker
    row = page.locator(f'a[data-sheet-id="{sheet_id}"]')
    expect(row.locator(".local-note")).to_contain_text("menunggu jaringan")
    shot(page, "judge-home-offline")
    # Only the browser's own update check of the worker script bypasses offline emulation.
    reached = [r for r in log.since_mark() if r != ("GET", "/juri/sw.js")]
    assert reached == [], "nothing of the page may reach the server while offline"
    assert sheet_record(judge_app, sheet_id)["version"] == 0

    page.goto(f"{base}/juri/lembar/{sheet_id}")
    tablet.set_offline(False)  # the `online` event sends the outbox
    wait_until_sent(page, status="submitted")
    expect(page.locator("#sync-status")).to_contain_text("Semua nilai tersimpan di server")
    record = sheet_record(judge_app, sheet_id)
    assert record["status"] == "submitted"
    assert record["values"] == dict(zip(criteria, EXPECTED_VALUES, strict=True))
    assert record["rows"] == 3
    # Everything entered offline was coalesced into one save: one change, one audit row.
    assert record["audits"] == ["sheet.submit"]
    assert record["version"] == record["submissions"] == 1
    assert [m for m, p in log.since_mark() if m == "PUT"] == ["PUT"]


def test_a_lost_answer_and_a_replayed_outbox_never_double(judge_server, judge_app, tablet):
    base, log = judge_server
    sheet_id, criteria = empty_sheet(judge_app, "juri4@demo.juara.id")
    page = tablet.new_page()
    log_in(page, base, "juri4@demo.juara.id")
    page.goto(f"{base}/juri/lembar/{sheet_id}")
    page.wait_for_load_state("networkidle")

    # The first save reaches the server, but its answer is lost on the way back.
    lost: list[str] = []

    def lose_answer(route: Any) -> None:
        if route.request.method != "PUT":
            route.continue_()
            return
        route.fetch()  # applied on the server ...
        lost.append(route.request.post_data_json["submission_id"])
        route.abort("internetdisconnected")  # ... the tablet never hears back

    page.route("**/api/v1/sheets/*", lose_answer)
    score(page)
    wait_stored(page, sheet_id)
    page.wait_for_function("() => document.documentElement.dataset.lastSync === 'network'")
    assert len(lost) == 1
    outbox = page.evaluate(f"window.JuaraOutbox.getItem({sheet_id})")
    assert outbox["attempt"]["submission_id"] == lost[0]
    assert sheet_record(judge_app, sheet_id)["version"] == 1  # the server did apply it
    page.unroute("**/api/v1/sheets/*")

    # The retry sends the same submission id: recognised, answered, nothing written again.
    page.get_by_role("button", name="Simpan ke server sekarang").click()
    wait_until_sent(page)
    wait_for_record(judge_app, sheet_id, dict(zip(criteria, EXPECTED_VALUES, strict=True)))
    first = sheet_record(judge_app, sheet_id)
    assert first["values"] == dict(zip(criteria, EXPECTED_VALUES, strict=True))
    assert first["version"] == first["submissions"] == len(first["audits"]) == 1

    # The same outbox replayed twice more (a restored tablet, a second tab): still nothing new.
    for _ in range(2):
        log.mark()
        page.evaluate("item => window.JuaraOutbox.putItem(item)", outbox)
        # Another sync may hold the lock ("busy"): try until the replayed item has gone.
        page.evaluate(
            """async (id) => {
              while (await window.JuaraOutbox.getItem(id)) {
                if (await window.JuaraJudge.runSync() === "busy") {
                  await new Promise(resolve => setTimeout(resolve, 100));
                }
              }
            }""",
            sheet_id,
        )
        wait_until_sent(page)
        puts = [path for method, path in log.since_mark() if method == "PUT"]
        assert puts == [f"/api/v1/sheets/{sheet_id}"]
        assert sheet_record(judge_app, sheet_id) == first


def test_an_expired_login_keeps_the_outbox_until_the_judge_logs_in(
    judge_server, judge_app, tablet
) -> None:
    base, _log = judge_server
    sheet_id, criteria = empty_sheet(judge_app, "juri5@demo.juara.id")
    page = tablet.new_page()
    log_in(page, base, "juri5@demo.juara.id")
    page.goto(f"{base}/juri/lembar/{sheet_id}")
    page.wait_for_load_state("networkidle")
    tablet.set_offline(True)
    score(page)
    wait_stored(page, sheet_id)
    tablet.clear_cookies()  # a day later: the session cookie is gone
    tablet.set_offline(False)
    relogin = page.get_by_role("link", name="Masuk lagi")
    relogin.wait_for()
    expect(page.locator("#sync-status")).to_contain_text("1 belum tersimpan di server")
    expect(page.locator("#sync-status")).to_contain_text("Sesi masuk Anda telah berakhir")
    shot(page, "judge-sheet-login-expired")
    assert sheet_record(judge_app, sheet_id)["version"] == 0

    relogin.click()
    page.get_by_label("Email").fill("juri5@demo.juara.id")
    page.get_by_label("Kata sandi").fill("demo-juri")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/juri/lembar/{sheet_id}")
    wait_until_sent(page)
    record = sheet_record(judge_app, sheet_id)
    assert record["values"] == dict(zip(criteria, EXPECTED_VALUES, strict=True))
    assert record["status"] == "draft"
    assert record["audits"] == ["sheet.save"] and record["version"] == 1


def test_two_devices_edit_offline_and_the_judge_chooses(judge_server, judge_app, browser) -> None:
    """Device B scored offline while device A saved: B is shown both values per criterion."""
    base, _log = judge_server
    email = "juri2@demo.juara.id"
    sheet_id, criteria = empty_sheet(judge_app, email)
    devices = [browser.new_context(viewport=TABLET, locale="id-ID") for _ in range(2)]
    try:
        a, b = (device.new_page() for device in devices)
        for page in (a, b):
            log_in(page, base, email)
            page.goto(f"{base}/juri/lembar/{sheet_id}")
            page.wait_for_load_state("networkidle")
        devices[1].set_offline(True)
        score(b)
        wait_stored(b, sheet_id)

        first, second = a.locator(".criterion").nth(0), a.locator(".criterion").nth(1)
        first.get_by_role("button", name="Cukup 60–74").click()
        second.get_by_label("Nilai", exact=True).fill("70")
        wait_for_record(judge_app, sheet_id, {criteria[0]: 67.0, criteria[1]: 70.0})
        wait_until_sent(a)
        server_version = sheet_record(judge_app, sheet_id)["version"]
        assert server_version >= 1

        devices[1].set_offline(False)
        conflict = b.locator("#conflict")
        conflict.wait_for()
        expect(b.locator("#sync-status")).to_contain_text("1 lembar perlu Anda pilih nilainya")
        items = conflict.locator("fieldset.conflict-item")
        expect(items).to_have_count(3)  # 94 vs 67 (and the note), 81,5 vs 70, 4 vs empty
        shot(b, "judge-sheet-conflict")
        choice = conflict.locator(f'fieldset[data-criterion-id="{criteria[1]}"]')
        choice.get_by_role("radio", name="Nilai di server: 70").check()
        b.get_by_role("button", name="Pakai nilai ini").click()
        wait_until_sent(b, version=server_version + 1)
        expect(conflict).to_be_hidden()
        inputs = b.locator(".score-input")
        for i, shown in enumerate(["94", "70", "4"]):
            expect(inputs.nth(i)).to_have_value(shown)

        record = sheet_record(judge_app, sheet_id)
        assert record["values"] == {criteria[0]: 94.0, criteria[1]: 70.0, criteria[2]: 4.0}
        assert record["comments"] == {criteria[0]: "Contoh nyata dari keluarga sendiri"}
        assert record["version"] == server_version + 1
        assert len(record["audits"]) == record["version"]
        a.reload()
        a.wait_for_function("() => document.documentElement.dataset.outbox === '0'")
        expect(a.locator(".score-input").nth(0)).to_have_value("94")
    finally:
        for device in devices:
            device.close()
