"""The Indonesian catalog covers every message, and the formatting helpers speak Indonesian."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from scoring.i18n import format_date_long, format_integer, format_number

ROOT = Path(__file__).resolve().parent.parent


def makefile_keywords() -> list[str]:
    """The keywords `make i18n-update` extracts with: one list, read from the Makefile."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = re.search(r"^BABEL_KEYWORDS\s*:=(.*)$", text, re.MULTILINE)
    assert line, "Makefile lost BABEL_KEYWORDS"
    return re.findall(r"-k\s+(\S+)", line.group(1))


KEYWORDS = makefile_keywords()


def extracted_msgids(tmp_path: Path) -> set[str]:
    """What `make i18n-update` would extract from the source tree."""
    pot = tmp_path / "messages.pot"
    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(pot)]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    CommandLineInterface().run([*args, str(ROOT)])
    with pot.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id and isinstance(m.id, str)}


def test_every_message_has_an_indonesian_translation(tmp_path: Path) -> None:
    wanted = extracted_msgids(tmp_path)
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


def _scoring_error_classes() -> set[type]:
    import scoring
    from scoring.services.errors import ScoringError

    for module in pkgutil.walk_packages(scoring.__path__, "scoring."):
        importlib.import_module(module.name)
    found: set[type] = set()
    todo = [ScoringError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_scoring_error_is_a_babel_keyword() -> None:
    # Their first argument is a msgid; a class missing here makes extraction drop its messages.
    missing = sorted(
        c.__name__
        for c in _scoring_error_classes()
        if _takes_message(c) and c.__name__ not in KEYWORDS
    )
    assert not missing, "add to BABEL_KEYWORDS in the Makefile: " + ", ".join(missing)


def test_extraction_keeps_every_live_translation(tmp_path: Path) -> None:
    """A translated msgid that still appears in the source must survive `make i18n-update`."""
    extracted = extracted_msgids(tmp_path)
    with (ROOT / "translations/id/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = [m.id for m in read_po(fh, locale="id") if m.id and isinstance(m.id, str)]
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("scoring", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".html"}
    )
    dropped = sorted(m for m in catalog if m not in extracted and _literal(m) in source)
    assert not dropped, "extraction would drop live translations: " + "; ".join(dropped)


def _takes_message(cls: type) -> bool:
    params = list(inspect.signature(cls.__init__).parameters)
    return len(params) > 1 and params[1] == "message"


def _literal(msgid: str) -> str:
    # Short ids like "Nama" appear everywhere: look for them as a quoted string literal.
    return f'"{msgid}"' if '"' not in msgid else f"'{msgid}'"
