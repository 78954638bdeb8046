"""Numbers from URLs and query strings, kept inside what the database can hold.

An id of 20 digits is a valid Python int but no id column holds it: SQLite raises
OverflowError beyond 64 bits, PostgreSQL "integer out of range" beyond 2^31-1 (every id column
is an INTEGER, PostgreSQL's int4), each a 500. Every `<int:...>` route therefore uses
`IdConverter` (registered as the default `int`), which answers 404 beyond ID_MAX; ids and page
numbers read from `request.args` / `request.form` go through `to_id()`, `arg_int()` and
`page_number()`.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest value of an INTEGER column on PostgreSQL (int4); SQLite holds more.
ID_MAX = 2**31 - 1
# A page far beyond any list: (page - 1) * page size must still fit an OFFSET.
PAGE_MAX = 1_000_000


def _at_most(bound: int) -> str:
    """A regex of the digit strings (leading zeros allowed) whose value is at most `bound`."""
    digits = str(bound)
    n = len(digits)
    parts = [rf"\d{{1,{n - 1}}}"] if n > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = rf"\d{{{n - 1 - i}}}" if i < n - 1 else ""
            parts.append(f"{digits[:i]}[0-{int(digit) - 1}]{rest}")
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """`<int:x>` limited to 0..ID_MAX unless the rule says otherwise; beyond it the URL is 404.

    The limit is in the regex, not only in `to_python`: werkzeug answers 405 instead of 404
    when a path matches a rule of another method whose converter then refuses the value.
    """

    regex = _at_most(ID_MAX)

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        low = -ID_MAX - 1 if signed else 0
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=low if min is None else builtins.max(min, low),
            max=ID_MAX if max is None else builtins.min(max, ID_MAX),
            signed=signed,
        )


def to_int(raw: Any) -> int | None:
    """A whole number 0..ID_MAX from text ("42"), or None when it is not one."""
    text = str(raw if raw is not None else "").strip()
    # Longer text than ID_MAX's digits is refused before int() does any work.
    if not text.isdigit() or not text.isascii() or len(text) > len(str(ID_MAX)):
        return None
    value = int(text)
    return value if value <= ID_MAX else None


def to_id(raw: Any) -> int | None:
    """A database id (1..ID_MAX) from text, or None when it is not one."""
    value = to_int(raw)
    return value if value else None


def arg_int(values: Mapping[str, Any], name: str, default: int | None = None) -> int | None:
    """`to_int()` of `values[name]` (request.args or request.form), else `default`."""
    value = to_int(values.get(name))
    return default if value is None else value


def arg_id(values: Mapping[str, Any], name: str) -> int | None:
    """`to_id()` of `values[name]` (request.args or request.form), None when missing."""
    return to_id(values.get(name))


def page_number(values: Mapping[str, Any], name: str = "halaman") -> int:
    """The page asked for in `values[name]`; anything that is not 1..PAGE_MAX is page 1."""
    text = str(values.get(name) or "").strip()
    if not text.isdigit() or not text.isascii() or len(text) > 7:
        return 1
    page = int(text)
    return page if 1 <= page <= PAGE_MAX else 1
