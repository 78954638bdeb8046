"""JSON request bodies read with a depth limit.

Python's json decoder recurses once per `[` or `{`: a body of 50,000 brackets ends in
RecursionError (a 500), and a body just under the interpreter's limit still makes every
recursive walker after it (the NUL guard in scoring.errors) fail. The depth is therefore
counted first, by a linear scan that skips strings, and anything deeper than JSON_DEPTH_MAX
is refused before it is decoded. The size of the body is capped per route by scoring.limits.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request
from flask.json.provider import DefaultJSONProvider

from scoring.services.errors import InvalidInput

# A score sheet is 3 levels deep ({"scores": {"12": 80}}); 32 leaves room for any API to come.
JSON_DEPTH_MAX = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


class JsonTooDeep(ValueError):
    """JSON nested deeper than JSON_DEPTH_MAX (a ValueError, like any other bad JSON)."""


def too_deep(data: bytes | str, limit: int = JSON_DEPTH_MAX) -> bool:
    """Whether `data` opens more than `limit` arrays/objects inside each other."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class DepthLimitedJSONProvider(DefaultJSONProvider):
    """app.json: `loads` refuses JSON nested too deeply, so request.get_json() never recurses
    into a RecursionError (silent=True then answers None, like for any bad JSON)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if too_deep(s):
            raise JsonTooDeep(f"JSON nested deeper than {JSON_DEPTH_MAX} levels")
        return super().loads(s, **kwargs)


def json_body() -> Any:
    """The request's JSON, None when it is not JSON; a 422 InvalidInput when nested too deeply.

    The body was already capped by the route kind's size (413) when it is read here.
    """
    if request.is_json and too_deep(request.get_data(cache=True)):
        raise InvalidInput(
            "The data is nested too deeply (at most %(n)d levels).", n=JSON_DEPTH_MAX
        )
    return request.get_json(silent=True)
