"""Certificate numbers from a committee's pattern, e.g. "123/PIAGAM/BKKBN-JMB/VI/2025".

Indonesian official letters number documents as sequence/kind/office/Roman month/year (the
"nomor surat" convention of the Tata Naskah Dinas). The pattern uses Python's format syntax with a
closed set of tokens, checked strictly so that a typo is reported when the settings are saved,
not when certificates are issued:

    {seq} {seq:03d}   the sequence number within the event (width optional, zero-padded)
    {org}             the office code, e.g. BKKBN-JMB
    {month_roman}     I … XII of the issue date
    {month} {month:02d}   1 … 12
    {year}            e.g. 2025
    {event}           the event's short code (its slug)

Standard library only (a pure module of the core).
"""

from __future__ import annotations

import datetime as dt
import re
from string import Formatter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
TOKENS = ("seq", "org", "month_roman", "month", "year", "event")
# Only integers take a format spec: "d", "3d" or "03d" (zero-padded width up to 9).
_INT_SPEC = re.compile(r"^(0?[1-9])?d$")
_INT_TOKENS = ("seq", "month")
MAX_PATTERN_LENGTH = 120
MAX_NUMBER_LENGTH = 80
DEFAULT_PATTERN = "{seq:03d}/PIAGAM/{org}/{month_roman}/{year}"


class NumberFormatError(ValueError):
    """A pattern the numbering refuses; `reason` names the problem, `token` the culprit."""

    def __init__(self, reason: str, token: str = "") -> None:
        super().__init__(f"{reason}: {token}" if token else reason)
        self.reason = reason
        self.token = token


def roman_month(month: int) -> str:
    """1 → "I", 6 → "VI", 12 → "XII"."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    return ROMAN_MONTHS[month - 1]


def validate_pattern(pattern: str) -> None:
    """Raise NumberFormatError unless `pattern` uses only known tokens and includes {seq}.

    Reasons: "empty", "too_long", "syntax" (unbalanced braces), "unknown_token",
    "bad_spec" (a format spec other than d/0Nd on seq or month, or any spec elsewhere),
    "conversion" ({seq!r}), "missing_seq".
    """
    if not pattern or not pattern.strip():
        raise NumberFormatError("empty")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise NumberFormatError("too_long")
    try:
        parts = list(Formatter().parse(pattern))
    except ValueError as error:
        raise NumberFormatError("syntax") from error
    seen = set()
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in TOKENS:
            # Also catches positional "{}", attribute "{seq.real}" and index "{org[0]}" access.
            raise NumberFormatError("unknown_token", "{" + field + "}")
        if conversion:
            raise NumberFormatError("conversion", "{" + field + "}")
        if spec and (field not in _INT_TOKENS or not _INT_SPEC.match(spec)):
            raise NumberFormatError("bad_spec", "{" + f"{field}:{spec}" + "}")
        seen.add(field)
    if "seq" not in seen:
        raise NumberFormatError("missing_seq", "{seq}")


def format_number(pattern: str, seq: int, org: str, date: dt.date, event: str = "") -> str:
    """The certificate number for sequence `seq` issued on `date`.

    >>> format_number(DEFAULT_PATTERN, 123, "BKKBN-JMB", dt.date(2025, 6, 27))
    '123/PIAGAM/BKKBN-JMB/VI/2025'
    """
    validate_pattern(pattern)
    if seq < 1:
        raise ValueError(f"sequence numbers start at 1, not {seq}")
    number = pattern.format(
        seq=seq,
        org=org,
        month_roman=roman_month(date.month),
        month=date.month,
        year=date.year,
        event=event,
    )
    if len(number) > MAX_NUMBER_LENGTH:
        raise NumberFormatError("too_long")
    return number
