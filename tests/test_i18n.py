"""The Indonesian catalog covers every message, and the formatting helpers speak Indonesian."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from scoring.i18n import format_date_long, format_integer, format_number

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = [
    "_l",
    "lazy_gettext",
    "ScoringError",
    "InvalidInput",
    "NotFound",
    "Forbidden",
    "Conflict",
]


def test_every_message_has_an_indonesian_translation(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(pot)]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    CommandLineInterface().run([*args, str(ROOT)])
    with pot.open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with (ROOT / "translations/id/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="id")
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(str(m) for m in wanted - translated)
    assert not missing, "untranslated (make i18n-update, then translate): " + "; ".join(missing)


def test_indonesian_numbers() -> None:
    assert format_number(89.575, locale="id") == "89,58"  # half up, like a committee by hand
    assert format_number(89.565, locale="id") == "89,57"
    assert format_number(1250, 2, locale="id") == "1.250,00"
    assert format_integer(1250, locale="id") == "1.250"
    assert format_number(89.58, locale="en") == "89.58"
    assert format_number(None) == "–"
    assert format_number(float("nan")) == "–"


def test_indonesian_dates() -> None:
    assert format_date_long(dt.date(2025, 8, 17), locale="id") == "17 Agustus 2025"
    assert format_date_long(dt.date(2025, 6, 27), locale="en") == "27 June 2025"
    # 20:00 UTC on 16 August is already 17 August in Jakarta (WIB, UTC+7).
    late = dt.datetime(2025, 8, 16, 20, 0, tzinfo=dt.UTC)
    assert format_date_long(late, locale="id") == "17 Agustus 2025"
