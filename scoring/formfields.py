"""Date fields typed the Indonesian way (dd/mm/yyyy, times as 14.30).

The browser's own date inputs show its language's format (mm/dd/yyyy on an English browser),
so these render as plain text with a placeholder; static/js/app.js adds a calendar button.
ISO values (2025-08-17, 2025-08-17T14:30) are accepted too, as older forms and scripts send them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
DAY_TIME = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ ,]+(\d{1,2})[.:](\d{2})$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DAY_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$")


def parse_day(text: str) -> dt.date | None:
    """A date from 'dd/mm/yyyy' (or '-', '.') or ISO 'yyyy-mm-dd'; None if it is not one."""
    text = text.strip()
    try:
        if match := DAY.match(text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if ISO_DAY.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None  # 31/02/2025: the shape is right, the day does not exist
    return None


def parse_day_time(text: str) -> dt.datetime | None:
    """A naive date and time from 'dd/mm/yyyy hh.mm' (or hh:mm) or ISO; None if not one."""
    text = text.strip()
    try:
        if match := DAY_TIME.match(text):
            day, month, year, hour, minute = (int(part) for part in match.groups())
            return dt.datetime(year, month, day, hour, minute)
        if ISO_DAY_TIME.match(text):
            return dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None
    return None


class _TypedDateField(Field):
    widget = TextInput()
    kind = "date"
    shown = "%d/%m/%Y"
    placeholder = _l("dd/mm/yyyy")
    message = _l("Write the date as dd/mm/yyyy, for example 17/08/2025.")

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {
            "placeholder": self.placeholder,
            "inputmode": "numeric" if self.kind == "date" else "text",
            "autocomplete": "off",
            "data-date-format": self.kind,
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(self.shown) if self.data else ""

    def _parse(self, text: str) -> Any:
        return parse_day(text)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = " ".join(str(value) for value in valuelist).strip()
        self.data = self._parse(text) if text else None
        if text and self.data is None:
            raise ValueError(str(self.message))


class IndonesianDateField(_TypedDateField):
    """A date typed as dd/mm/yyyy; data is a datetime.date."""


class IndonesianDateTimeField(_TypedDateField):
    """A date and time typed as dd/mm/yyyy hh.mm; data is a naive datetime.datetime."""

    kind = "datetime"
    shown = "%d/%m/%Y %H.%M"
    placeholder = _l("dd/mm/yyyy hh.mm")
    message = _l("Write the date and time as dd/mm/yyyy hh.mm, for example 17/08/2025 08.00.")

    def _parse(self, text: str) -> Any:
        return parse_day_time(text)
