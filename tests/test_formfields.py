"""Dates typed the Indonesian way (issue 18): dd/mm/yyyy parses, anything else is explained."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from scoring.committee.forms import EventForm
from scoring.committee.forms_registration import WindowForm
from scoring.formfields import parse_day, parse_day_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/08/2025", dt.date(2025, 8, 17)),
        ("7/8/2025", dt.date(2025, 8, 7)),
        (" 17-08-2025 ", dt.date(2025, 8, 17)),
        ("2025-08-17", dt.date(2025, 8, 17)),
        ("08/17/2025", None),  # mm/dd: month 17 does not exist
        ("31/02/2025", None),
        ("17/08/25", None),  # a two-digit year would be year 25
        ("kemarin", None),
        ("", None),
    ],
)
def test_parse_day(text: str, expected: dt.date | None) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/03/2026 08.00", dt.datetime(2026, 3, 1, 8, 0)),
        ("1/3/2026 23:59", dt.datetime(2026, 3, 1, 23, 59)),
        ("2026-03-01T08:00", dt.datetime(2026, 3, 1, 8, 0)),
        ("01/03/2026", None),
        ("01/03/2026 25.00", None),
    ],
)
def test_parse_day_time(text: str, expected: dt.datetime | None) -> None:
    assert parse_day_time(text) == expected


def test_event_form_takes_dd_mm_yyyy_and_explains_a_bad_date_in_indonesian(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "id"}):
        form = EventForm(
            MultiDict({"starts_on": "23/06/2025", "ends_on": "06/27/2025"}), meta={"csrf": False}
        )
        form.starts_on.validate(form)
        form.ends_on.validate(form)
        assert form.starts_on.data == dt.date(2025, 6, 23)
        assert form.starts_on.errors == []
        assert form.ends_on.errors == ["Tulis tanggal sebagai hh/bb/tttt, misalnya 17/08/2025."]
        assert 'value="06/27/2025"' in str(form.ends_on())  # what was typed stays for fixing
        assert 'placeholder="hh/bb/tttt"' in str(form.ends_on())
        assert 'type="text"' in str(form.starts_on())


def test_window_form_shows_a_stored_time_as_dd_mm_yyyy_hh_mm(app: Flask) -> None:
    with app.test_request_context():
        form = WindowForm(meta={"csrf": False})
        form.opens_at.data = dt.datetime(2026, 3, 1, 8, 0)
        assert 'value="01/03/2026 08.00"' in str(form.opens_at())
        form = WindowForm(MultiDict({"opens_at": "1/3/2026 8:00"}), meta={"csrf": False})
        assert form.opens_at.data == dt.datetime(2026, 3, 1, 8, 0)


def test_announcement_time_is_typed_dd_mm_yyyy_hh_mm_in_wib(app: Flask) -> None:
    from scoring.results.review import _embargo
    from scoring.services.errors import InvalidInput

    with app.test_request_context():
        assert _embargo("27/06/2030 19.30") == dt.datetime(2030, 6, 27, 12, 30, tzinfo=dt.UTC)
        assert _embargo("2030-06-27T19:30") == dt.datetime(2030, 6, 27, 12, 30, tzinfo=dt.UTC)
        assert _embargo("") is None
        with pytest.raises(InvalidInput):
            _embargo("06/27/2030 19.30")
