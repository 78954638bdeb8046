"""Input limits applied to every request before any view (issue 14); docs/security.md lists them.

- Body size by route kind: forms FORM_BODY_MAX, the JSON API JSON_BODY_MAX, routes marked
  `@accepts_files` the app's MAX_CONTENT_LENGTH (one 10 MB file and its form). A larger body is
  refused with 413 before it is read (Content-Length) or while it is read (chunked).
- Any one form value longer than FIELD_MAX characters is refused with 422 before the view, so
  no view or validator ever works on megabytes of text. Forms cap each field to its column
  (scoring.forms); a form refused for a too-long field answers 422 instead of 200.
- `<int:...>` URL parts beyond an INTEGER id (2^31-1) answer 404 (scoring.params.IdConverter).
- JSON deeper than scoring.jsonbody.JSON_DEPTH_MAX is never decoded.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge, UnprocessableEntity
from werkzeug.wrappers import Response

from scoring.jsonbody import DepthLimitedJSONProvider
from scoring.params import IdConverter

FORM_BODY_MAX = 1024 * 1024
JSON_BODY_MAX = 1024 * 1024
# The longest text a form may carry in one field (the longest column-less text is 5,000).
FIELD_MAX = 10_000

View = TypeVar("View", bound=Callable[..., Any])


class FieldTooLong(UnprocessableEntity):
    """A form value longer than FIELD_MAX characters."""


def accepts_files(view: View) -> View:
    """Mark a view that receives uploads: its body may be as large as MAX_CONTENT_LENGTH.

    Put it right under the route decorator, so that the function the route registers carries
    the mark (tests/security/test_input_limits.py checks every page with a file field).
    """
    view.accepts_files = True  # type: ignore[attr-defined]
    return view


def body_limit() -> int:
    """The body size allowed for the current request's route kind."""
    config = current_app.config
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "accepts_files", False):
        return int(config["MAX_CONTENT_LENGTH"])
    if request.path.startswith("/api/"):
        return int(config["JSON_BODY_MAX"])
    return int(config["FORM_BODY_MAX"])


def cap_body() -> None:
    """before_request: the route kind's body cap, before anything (CSRF included) reads it."""
    limit = body_limit()
    request.max_content_length = limit
    if request.content_length is not None:
        if request.content_length > limit:
            raise RequestEntityTooLarge()
    elif request.environ.get("wsgi.input_terminated"):
        _read_chunked_body(limit)


def _read_chunked_body(limit: int) -> None:
    """A chunked body (no Content-Length) read now, up to the cap: werkzeug would stop at
    the cap without a word, and a form would then be saved with its end cut off."""
    stream, buffer = request.environ["wsgi.input"], io.BytesIO()
    while chunk := stream.read(min(65536, limit + 1 - buffer.tell())):
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise RequestEntityTooLarge()
    buffer.seek(0)
    request.environ["wsgi.input"] = buffer


def cap_fields() -> None:
    """before_request: no form value longer than FIELD_MAX reaches a view or a validator."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    limit = int(current_app.config["FIELD_MAX"])
    if any(len(value) > limit for value in request.form.values()):
        raise FieldTooLong()


def flag_too_long() -> None:
    """Called by scoring.forms when a form refused a too-long field: the answer becomes 422."""
    g.input_too_long = True


def _too_long_is_422(response: Response) -> Response:
    if g.get("input_too_long") and response.status_code == 200:
        response.status_code = 422
    return response


def init_app(app: Flask) -> None:
    """Register before CSRF (which reads the form) and before any blueprint (converters)."""
    app.config.setdefault("FORM_BODY_MAX", FORM_BODY_MAX)
    app.config.setdefault("JSON_BODY_MAX", JSON_BODY_MAX)
    app.config.setdefault("FIELD_MAX", FIELD_MAX)
    app.url_map.converters["int"] = IdConverter
    app.json = DepthLimitedJSONProvider(app)
    app.before_request(cap_body)
    app.before_request(cap_fields)
    app.after_request(_too_long_is_422)
