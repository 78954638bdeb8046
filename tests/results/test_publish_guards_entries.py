"""A published category keeps its entries and judge assignments (issue 15).

Adding, renaming, moving or deleting an entry, importing entries, and adding or removing a judge's
assignment would all alter the announced ranking: refused until the results are withdrawn (with
a reason, audited). Contact details are not on the results and stay editable.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from scoring.extensions import db as _db
from scoring.models import Assignment, Entry, Event
from scoring.services.assignments import add_assignment, remove_assignment
from scoring.services.conflicts import declare_conflict
from scoring.services.entries import EntryData, create_entry, delete_entry, update_entry
from scoring.services.errors import Conflict
from scoring.services.imports import confirm_import
from scoring.services.snapshots import publish_results, unpublish_results
from scoring.services.stages import set_stage_status
from tests.results.support import build_category

WITHDRAW = "Tarik dulu hasilnya"


def _indonesian(app: Flask, error: Any) -> str:
    from scoring.results.review import message

    with app.test_request_context(headers={"Accept-Language": "id"}):
        return message(error)


def _entry_data(entry_id: int, **changes: Any) -> EntryData:
    entry = _db.session.get(Entry, entry_id)
    fields = {"name": entry.name, "region_id": entry.region_id, "contact_phone": "081234567890"}
    return EntryData(**(fields | changes))


def _entries(category_id: int) -> int:
    return _db.session.scalar(select(func.count(Entry.id)).where(Entry.category_id == category_id))


def test_entries_of_a_published_category_wait_for_the_results_to_be_withdrawn(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category()
    category_id, e7 = ids["category_id"], ids["entries"]["E7"]
    region_id = _db.session.get(Entry, e7).region_id
    panitia = make_user("committee")
    publish_results(category_id, panitia.id, method="raw")
    with app.test_request_context(), pytest.raises(Conflict) as added:
        create_entry(category_id, EntryData(name="Poktan Baru", region_id=region_id))
    assert "versi 1 sudah diumumkan" in _indonesian(app, added.value).lower()
    with app.test_request_context(), pytest.raises(Conflict):
        update_entry(e7, _entry_data(e7, name="Poktan Ganti Nama"))
    with app.test_request_context(), pytest.raises(Conflict):
        update_entry(
            e7, _entry_data(e7, region_id=_db.session.get(Entry, ids["entries"]["E1"]).region_id)
        )
    with app.test_request_context(), pytest.raises(Conflict):
        delete_entry(e7)
    row = {"nama": "Poktan Impor", "kode_wilayah": "15.07", "telepon": "081234567890"}
    with app.test_request_context(), pytest.raises(Conflict):
        confirm_import(category_id, [row], "valid")
    _db.session.expire_all()
    assert _entries(category_id) == 7
    assert _db.session.get(Entry, e7).name == "Poktan E7"
    # Contact details are not part of the results.
    with app.test_request_context():
        update_entry(e7, _entry_data(e7, contact_phone="081299998888"))
    # Withdrawn with a reason, the entries can change again.
    unpublish_results(category_id, panitia.id, WITHDRAW)
    with app.test_request_context():
        delete_entry(e7)
    assert _entries(category_id) == 6


def test_judge_assignments_of_a_published_category_wait_for_the_results_to_be_withdrawn(
    app: Flask, db: Any, make_user: Any
) -> None:
    ids = build_category(leave_draft=("E1", 0))
    _s1, s2 = ids["stage_ids"]
    e1, judge = ids["entries"]["E1"], ids["judges"][0]
    panitia = make_user("committee")
    publish_results(ids["category_id"], panitia.id, method="raw", override_reason="Juri 1 sakit")
    _db.session.get(Event, ids["event_id"]).status = "scoring"
    _db.session.commit()
    set_stage_status(s2, "open", "Juri 1 sudah sehat")
    draft = _db.session.scalar(
        select(Assignment.id).filter_by(stage_id=s2, entry_id=e1, judge_id=judge)
    )
    extra = make_user("judge")
    with app.test_request_context():
        with pytest.raises(Conflict) as added:
            add_assignment(s2, e1, extra.id)
        assert "versi 1 sudah diumumkan" in _indonesian(app, added.value).lower()
        with pytest.raises(Conflict):
            remove_assignment(draft)
        with pytest.raises(Conflict):  # declaring it would remove the unscored assignment
            declare_conflict(e1, judge, "Kerabat ketua kelompok")
    _db.session.expire_all()
    assert _db.session.get(Assignment, draft) is not None
    count = select(func.count(Assignment.id)).where(Assignment.stage_id == s2)
    assert _db.session.scalar(count) == 12
    unpublish_results(ids["category_id"], panitia.id, WITHDRAW)
    with app.test_request_context():
        remove_assignment(draft)
    assert _db.session.scalar(count) == 11
