"""Issue 15 on the judge's tablet (768×1024): results the judge can trust.

A wrong typed value is never saved, counted or sent; "saved on the server" is told apart from
"sent to the committee"; an exact score takes two taps; after "Kirim" the next participant is
one tap away and the worklist lists unsent sheets first. Own live server (these tests change
data); the helpers are the ones of test_judge_sheets.py.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from scoring.extensions import db
from tests.browser.conftest import TABLET
from tests.browser.test_judge_sheets import (
    empty_sheet,
    log_in,
    sheet_record,
    shot,
    wait_until_sent,
)
from tests.conftest import make_test_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SMALL_TARGETS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.offsetParent !== null)
  .map(el => el.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44).length"""


@pytest.fixture(scope="module")
def trust_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("trust-live") / "trust.sqlite3"
    app = make_test_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="module")
def trust_server(trust_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, trust_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with trust_app.app_context():
        db.engine.dispose()


@pytest.fixture
def tablet(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=TABLET, locale="id-ID")
    yield context
    context.close()


def open_sheet(tablet: Any, base: str, email: str, sheet_id: int) -> Any:
    page = tablet.new_page()
    log_in(page, base, email)
    page.goto(f"{base}/juri/lembar/{sheet_id}")
    page.wait_for_load_state("networkidle")
    return page


def test_a_value_out_of_range_is_never_saved_counted_or_sent(trust_server, trust_app, tablet):
    sheet_id, criteria = empty_sheet(trust_app, "juri1@demo.juara.id")
    page = open_sheet(tablet, trust_server, "juri1@demo.juara.id", sheet_id)
    first, second, third = (page.locator(".criterion").nth(i) for i in range(3))
    names = [page.locator(".criterion").nth(i).get_attribute("data-name") for i in range(3)]

    # Typed key by key, as on a tablet: "1" and "12" are valid on the way to "120".
    first.get_by_label("Nilai", exact=True).press_sequentially("120")
    second.get_by_label("Nilai", exact=True).press_sequentially("80")
    third.get_by_label("Nilai", exact=True).press_sequentially("45")
    page.locator("h1").click()  # the field loses focus: the wrong text stays, in red
    first_input, third_input = (c.get_by_label("Nilai", exact=True) for c in (first, third))
    expect(first_input).to_have_value("120")
    expect(first_input).to_have_class(re.compile("is-invalid"))
    expect(first.locator(".field-error").first).to_have_text("Masukkan nilai dari 1 sampai 100.")
    expect(third_input).to_have_value("45")
    expect(third.locator(".field-error").first).to_have_text("Masukkan nilai dari 1 sampai 5.")
    # Counted as missing: only "80" (weight 30 of 100) is scored.
    expect(page.locator("#scored-count")).to_have_text("1 dari 3 kriteria dinilai")
    expect(page.locator("#total")).to_have_text("80,00")
    expect(first.locator(".band[aria-pressed=true]")).to_have_count(0)
    shot(page, "judge-sheet-invalid-value")

    # "Kirim" is refused and names both criteria.
    page.get_by_role("button", name="Kirim", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#summary-rows tr").nth(0).locator("td").nth(1)).to_have_text("–")
    expect(dialog.locator("#summary-total")).to_have_text("80,00")
    expect(dialog.locator("#summary-missing-text")).to_have_text(
        "2 kriteria belum memiliki nilai yang sah. Beri nilai sebelum mengirim."
    )
    expect(dialog.locator("#summary-problems li")).to_have_text(
        [
            f"1. {names[0]}: Masukkan nilai dari 1 sampai 100.",
            f"3. {names[2]}: Masukkan nilai dari 1 sampai 5.",
        ]
    )
    expect(dialog.get_by_role("button", name="Ya, kirim")).to_be_disabled()
    shot(page, "judge-sheet-invalid-summary")
    dialog.get_by_role("button", name="Kembali ke lembar").click()

    # What reaches the server is only the valid value: never 12 or 4, the prefixes typed.
    wait_until_sent(page)
    record = sheet_record(trust_app, sheet_id)
    assert record["values"] == {criteria[1]: 80.0}
    assert record["status"] == "draft"

    # Reopened, the sheet holds nothing of the wrong text; a valid value fixes it.
    page.reload()
    expect(first_input).to_have_value("")
    first_input.fill("95")
    third_input.fill("4")
    expect(page.locator("#scored-count")).to_have_text("3 dari 3 kriteria dinilai")
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Ya, kirim").click()
    wait_until_sent(page, status="submitted")
    assert sheet_record(trust_app, sheet_id)["values"] == {
        criteria[0]: 95.0,
        criteria[1]: 80.0,
        criteria[2]: 4.0,
    }


def test_a_saved_draft_is_never_called_sent(trust_server, trust_app, tablet) -> None:
    sheet_id, _criteria = empty_sheet(trust_app, "juri2@demo.juara.id")
    page = open_sheet(tablet, trust_server, "juri2@demo.juara.id", sheet_id)
    page.locator(".criterion").first.get_by_role("button", name="Baik 75–89").click()
    wait_until_sent(page)
    expect(page.locator("#sheet-state")).to_have_text("Draf – belum dikirim")
    expect(page.locator("#sheet-sync")).to_have_text("Tersimpan di server")
    expect(page.locator("#sync-status")).to_contain_text("Semua nilai tersimpan di server")
    expect(page.locator("#draft-hint")).to_have_text(
        "Belum dikirim ke panitia: tekan Kirim bila sudah selesai."
    )
    main = page.locator("#main")
    expect(main).not_to_contain_text("terkirim", ignore_case=True, use_inner_text=True)
    expect(main).not_to_contain_text("diterima", ignore_case=True, use_inner_text=True)
    shot(page, "judge-sheet-draft-saved")

    page.goto(f"{trust_server}/juri/")
    row = page.locator(f'a[data-sheet-id="{sheet_id}"]')
    expect(row.locator(".status")).to_have_text("Draf – belum dikirim")
    expect(row.locator(".sync-note")).to_have_text("Tersimpan di server")
    expect(page.locator("#sync-status")).to_contain_text("Semua nilai tersimpan di server")
    sent = page.locator("section.stage-card").first.locator(".status-sent").first
    expect(sent).to_have_text("✓ Terkirim ke panitia")
    shot(page, "judge-home-saved-vs-sent")

    # Sent with "Kirim": now, and only now, "sent to the committee".
    page.goto(f"{trust_server}/juri/lembar/{sheet_id}")
    boxes = page.locator(".criterion")
    boxes.nth(1).get_by_role("button", name="Cukup 60–74").click()
    boxes.nth(2).get_by_role("button", name="Baik 4").click()
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Ya, kirim").click()
    wait_until_sent(page, status="submitted")
    expect(page.locator("#sheet-state")).to_have_text("✓ Terkirim ke panitia")
    expect(page.locator("#draft-hint")).to_be_hidden()
    page.goto(f"{trust_server}/juri/")
    expect(row.locator(".status")).to_have_text("✓ Terkirim ke panitia")


def test_an_exact_score_takes_two_taps(trust_server, trust_app, tablet) -> None:
    sheet_id, criteria = empty_sheet(trust_app, "juri3@demo.juara.id")
    page = open_sheet(tablet, trust_server, "juri3@demo.juara.id", sheet_id)
    first, third = page.locator(".criterion").nth(0), page.locator(".criterion").nth(2)
    picker = first.locator(".band-picker")
    expect(picker).to_be_hidden()
    first.get_by_role("button", name="Sangat baik 90–100").click()  # tap 1: the midpoint 95
    expect(picker).to_be_visible()
    expect(picker.locator(".picker-title")).to_have_text(
        "Pilih nilai tepat dalam rentang Sangat baik"
    )
    expect(picker.get_by_role("button")).to_have_count(11)  # 90 … 100
    expect(picker.get_by_role("button", name="95", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    picker.get_by_role("button", name="91", exact=True).click()  # tap 2: exactly 91
    expect(first.get_by_label("Nilai", exact=True)).to_have_value("91")
    # Another band: its own values (1–59 has 59 of them), and the picker follows.
    first.get_by_role("button", name="Kurang 1–59").click()
    expect(picker.get_by_role("button")).to_have_count(59)
    picker.get_by_role("button", name="42", exact=True).click()
    expect(first.get_by_label("Nilai", exact=True)).to_have_value("42")
    assert page.evaluate(SMALL_TARGETS, ".band-picker .pick") == 0
    # A 1–5 scale has one value per band: no picker.
    third.get_by_role("button", name="Baik 4").click()
    expect(third.get_by_label("Nilai", exact=True)).to_have_value("4")
    expect(third.locator(".band-picker")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    shot(page, "judge-sheet-band-picker")
    wait_until_sent(page)
    assert sheet_record(trust_app, sheet_id)["values"] == {criteria[0]: 42.0, criteria[2]: 4.0}


def test_after_sending_the_next_participant_and_unsent_sheets_first(
    trust_server, trust_app, tablet
) -> None:
    email = "juri5@demo.juara.id"
    sheet_id, _criteria = empty_sheet(trust_app, email)
    page = tablet.new_page()
    log_in(page, trust_server, email)
    stage = page.locator("section.stage-card").first
    states = stage.locator("a[data-sheet-id] .status")
    expect(states.first).not_to_have_attribute("data-state", "sent")

    def unsent_first() -> None:
        kinds = [s.get_attribute("data-state") or "" for s in states.all()]
        sent = [k == "sent" for k in kinds]
        assert sent == sorted(sent), kinds

    unsent_first()
    shot(page, "judge-home-unsent-first")
    rows = stage.locator("a[data-sheet-id]")
    order = [int(r.get_attribute("data-sheet-id") or 0) for r in rows.all()]
    names = [r.locator(".entry-name").inner_text() for r in rows.all()]

    page.goto(f"{trust_server}/juri/lembar/{sheet_id}")
    page.wait_for_load_state("networkidle")
    boxes = page.locator(".criterion")
    boxes.nth(0).get_by_role("button", name="Baik 75–89").click()
    boxes.nth(1).get_by_role("button", name="Baik 75–89").click()
    boxes.nth(2).get_by_role("button", name="Baik 4").click()
    expect(page.locator("#next-step")).to_be_hidden()
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Ya, kirim").click()
    wait_until_sent(page, status="submitted")
    # The next unsent participant of the stage, after this one in the worklist.
    at = order.index(sheet_id)
    expected = names[at + 1]
    next_link = page.get_by_role("link", name=f"Peserta berikutnya: {expected} →")
    expect(next_link).to_be_visible()
    expect(page.locator("#next-step-title")).to_have_text("Lanjutkan penilaian")
    box = next_link.bounding_box()
    assert box is not None and box["height"] >= 44
    shot(page, "judge-sheet-next-participant")
    next_link.click()
    page.wait_for_url(f"{trust_server}/juri/lembar/{order[at + 1]}")
    expect(page.locator("h1")).to_have_text(expected)

    # Back on the list, the sheet just sent has moved to the sent ones, at the end.
    page.goto(f"{trust_server}/juri/")
    expect(page.locator(f'a[data-sheet-id="{sheet_id}"] .status')).to_have_attribute(
        "data-state", "sent"
    )
    unsent_first()
