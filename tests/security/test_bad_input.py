"""Bad input everywhere: every form field of every page, the sheet API, sizes and file names.

The form walk is generated: for each route that answers GET and POST, the page is opened as a
role the matrix lets in, the fields of its POST forms are read from the HTML, and the form is
sent back with every field set to one value of BAD_VALUES (with a valid CSRF token). Each
answer must be a clear refusal or a normal page, never a 500; NUL is refused centrally (400);
HTML-ish text never comes back unescaped. Saves are flushed (so PostgreSQL sees the values)
and then rolled back (probe.dry_run).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter

from scoring.extensions import db
from scoring.params import ID_MAX
from tests.security.probe import OK, Route, build_url, dry_run, routes, send
from tests.security.test_matrix import MATRIX
from tests.security.world import ROLES, World, build_world

SCRIPT = "<script>alert('x')</script>"
BAD_VALUES = {
    "nul": "abc\x00def",
    "huge": "x" * 100_000,
    "rtl": "\u202egnp.exe\u202c \u200f\u200e",
    "emoji": "🏆👩‍👧‍👦 Juara",
    "sql": "'; DROP TABLE entry; -- \" OR 1=1",
    "html": SCRIPT,
    "path": "../../../etc/passwd",
    "number-ish": "-1e309",
}
NUL_MESSAGE = "karakter yang tidak diizinkan (NUL)"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.I)
HIDDEN = re.compile(r"type=\"(hidden|submit|file|checkbox|radio)\"", re.I)


def _form_fields(html: str, url: str) -> list[str]:
    """Names of the text-like fields of the page's POST forms that post back to `url`."""
    names: list[str] = []
    for attrs, body in FORM.findall(html):
        if 'method="post"' not in attrs.lower():
            continue
        action = re.search(r'action="([^"]*)"', attrs)
        if action and action.group(1) not in ("", url):
            continue
        for tag in re.finditer(r"<(?:input|textarea|select)\b[^>]*>", body, re.I):
            match = FIELD.match(tag.group(0))
            if match and not HIDDEN.search(tag.group(0)) and match.group(1) not in names:
                names.append(match.group(1))
    return names


def _role_for(endpoint: str) -> str:
    row = MATRIX.get(f"{endpoint} POST", MATRIX.get(endpoint))
    return ROLES[row.index(OK)] if row and OK in row else "admin"


def test_every_form_field_survives_bad_values(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        world = build_world(app.config["UPLOAD_DIR"])
    client = app.test_client()
    problems, forms = [], 0
    with dry_run(app, monkeypatch):
        for route in routes(app):
            if route.method != "POST" or "GET" not in (route.rule.methods or ()):
                continue
            if route.endpoint in ("auth.logout", "public.set_language"):
                continue
            try:
                url = build_url(app, route, world.url_params(route.endpoint))
            except KeyError:
                continue  # a route whose ids the world lacks: test_matrix reports it
            world.enter(client, _role_for(route.endpoint))
            page = client.get(url)
            html = page.get_data(as_text=True)
            fields = _form_fields(html, url)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
            if page.status_code != 200 or not fields or not token:
                continue
            forms += 1
            for label, value in BAD_VALUES.items():
                data = {name: value for name in fields} | {"csrf_token": token.group(1)}
                response = client.post(url, data=data)
                body = response.get_data(as_text=True)
                where = f"{route.endpoint} [{label}] → {response.status_code}"
                if response.status_code >= 500 or "Traceback" in body:
                    problems.append(where)
                elif label == "nul" and (response.status_code != 400 or NUL_MESSAGE not in body):
                    problems.append(f"{where}: NUL not refused")
                elif SCRIPT in body:
                    problems.append(f"{where}: HTML came back unescaped")
    with app.app_context():
        db.session.remove()
    assert forms >= 15, f"only {forms} forms were found: the walk is broken"
    assert problems == [], "\n".join(["", *problems])


# --- the sheet API ------------------------------------------------------------------------

BAD_BODIES: dict[str, Any] = {
    "not json": b"{scores: 1",
    "a list": b"[1, 2, 3]",
    "a string": b'"hello"',
    "wrong types": {"submission_id": 5, "base_version": "x", "scores": [], "submit": "yes"},
    "score not a number": {"scores": {"{c}": "delapan puluh"}},
    "score a bool": {"scores": {"{c}": True}},
    "huge comment": {"comments": {"{c}": "x" * 100_000}},
    "nul comment": {"comments": {"{c}": "baik\x00sekali"}},
    "unknown criterion": {"scores": {"999999": 80}},
    "sql key": {"scores": {"1; DROP TABLE score": 80}},
    "nan": b'{"scores": {"{c}": NaN}}',
    "infinity": b'{"scores": {"{c}": 1e999}}',
    "deeply nested": b"[" * 100_000,
    "nested 50,000 deep": b"[" * 50_000 + b"]" * 50_000,
    "objects nested 50,000 deep": b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    "33 levels": b'{"scores": {"{c}": ' + b"[" * 31 + b"1" + b"]" * 31 + b"}}",
    "not utf-8": b'{"comments": {"{c}": "\xff\xfe"}}',
}


@pytest.mark.parametrize("case", list(BAD_BODIES))
def test_sheet_api_refuses_bad_bodies_and_keeps_the_saved_scores(
    app: Flask, tmp_path: Path, case: str
) -> None:
    import uuid

    app.config["UPLOAD_DIR"] = str(tmp_path)
    with app.app_context():
        world = build_world(str(tmp_path))
    client: FlaskClient = app.test_client()
    world.enter(client, "judge")
    # With the CSRF token, so that the body itself is what gets refused.
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get("/api/v1/session").get_json()["csrf_token"]
    url = f"/api/v1/sheets/{world.params['sheet_id']}"
    before = client.get(url).get_json()
    criterion = str(before["criteria"][0]["id"]) if "criteria" in before else "1"
    body = BAD_BODIES[case]
    base = {"submission_id": str(uuid.uuid4()), "base_version": before["version"]}
    if isinstance(body, bytes):
        raw = body.replace(b"{c}", criterion.encode())
        if raw.startswith(b"{") and b"scores" in raw:
            raw = raw[:-1] + f', "submission_id": "{base["submission_id"]}"}}'.encode()
        response = client.put(url, data=raw, content_type="application/json")
    else:
        payload = {**base, **_fill(body, criterion)}
        response = client.put(url, json=payload)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer and answer.get("message"), "a JSON error with a message"
    assert "kedaluwarsa" not in answer["message"], "refused by CSRF, not for its body"
    if "nested" in case or "levels" in case:
        assert response.status_code == 422 and "32" in answer["message"]
    assert client.get(url).get_json() == before  # nothing saved was lost


def _fill(value: Any, criterion: str) -> Any:
    if isinstance(value, dict):
        return {k.replace("{c}", criterion): _fill(v, criterion) for k, v in value.items()}
    return value


# --- sizes, file names, NUL in URLs ---------------------------------------------------------


def test_oversize_request_gets_413_in_indonesian(client: FlaskClient, login_as: Any) -> None:
    login_as("committee")
    big = b"x" * (12 * 1024 * 1024 + 1)
    response = client.post("/panitia/acara/baru", data=big, content_type="text/plain")
    assert response.status_code == 413
    assert "Berkas atau permintaan terlalu besar." in response.get_data(as_text=True)


def test_nul_in_a_url_is_refused_not_a_500(client: FlaskClient) -> None:
    response = client.get("/hasil/jambi%002025")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
    api = client.get("/api/v1/sheets?q=a%00b")
    assert api.status_code == 400 and NUL_MESSAGE in api.get_json()["detail"]


def test_path_traversal_in_an_upload_name_stays_inside_the_upload_dir(
    app: Flask, tmp_path: Path
) -> None:
    from scoring.models import Attachment
    from tests.security.world import PDF_BYTES

    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    with app.app_context():
        world = build_world(app.config["UPLOAD_DIR"])
    client = app.test_client()
    world.enter(client, "committee")
    entry_id = world.params["entry_id"]
    page = client.get(f"/panitia/peserta/{entry_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    response = client.post(
        f"/panitia/peserta/{entry_id}/berkas",
        data={
            "csrf_token": token.group(1),
            "kind": "proposal",
            "label": "",
            "file": (io.BytesIO(PDF_BYTES), "../../../../etc/cron.d/evil.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code < 500
    with app.app_context():
        names = [a.original_name for a in db.session.query(Attachment).all()]
        stored = [a.stored_name for a in db.session.query(Attachment).all()]
    assert all("/" not in n and ".." not in n for n in names)
    uploads = Path(app.config["UPLOAD_DIR"]).resolve()
    for name in stored:
        assert (uploads / name).resolve().parent == uploads
    assert not Path("/etc/cron.d/evil.pdf").exists()


# --- ids beyond the id columns -------------------------------------------------------------------

HUGE = 99_999_999_999_999_999_999_999


def _int_routes(app: Flask) -> list[Route]:
    return [
        route
        for route in routes(app)
        if any(isinstance(c, IntegerConverter) for c in route.rule._converters.values())
    ]


def _with_ints(app: Flask, world: World, route: Route, value: int) -> str:
    params = dict(world.url_params(route.endpoint))
    for name, converter in route.rule._converters.items():
        if isinstance(converter, IntegerConverter):
            params[name] = value
    return build_url(app, route, params)


def test_every_int_route_answers_404_beyond_the_id_range_and_no_500_at_the_edge(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        world = build_world(app.config["UPLOAD_DIR"])
    client = app.test_client()
    int_routes = _int_routes(app)
    assert len(int_routes) >= 60, f"only {len(int_routes)} int routes: the walk is broken"
    problems = []
    with dry_run(app, monkeypatch):
        for route in int_routes:
            world.enter(client, _role_for(route.endpoint))
            for value, wanted in ((ID_MAX + 1, 404), (HUGE, 404), (ID_MAX, None)):
                try:
                    url = _with_ints(app, world, route, value)
                except KeyError:
                    continue  # a route whose other ids the world lacks: test_matrix reports it
                status = send(client, route, url).status_code
                if status >= 500 or (wanted and status != wanted):
                    problems.append(f"{route.method} {url} → {status}")
    assert problems == [], "\n".join(["", *problems])


def test_ids_and_page_numbers_in_the_query_string_never_overflow(
    client: FlaskClient, login_as: Any
) -> None:
    login_as("admin")
    for query in (f"halaman={HUGE}", f"acara={HUGE}&juri={HUGE}&peserta={HUGE}", "halaman=-3"):
        response = client.get(f"/panitia/audit?{query}")
        assert response.status_code == 200, query


def test_page_numbers_and_ids_from_text() -> None:
    from scoring.params import PAGE_MAX, arg_int, page_number, to_id

    for bad in (str(HUGE), "-3", "0", "abc", "", "١٢", str(PAGE_MAX + 1)):
        assert page_number({"halaman": bad}) == 1, bad
    assert page_number({"halaman": "7"}) == 7 and page_number({}) == 1
    values = ("42", str(ID_MAX), str(ID_MAX + 1), "0", "-1", "4.2")
    assert [to_id(v) for v in values] == [42, ID_MAX, None, None, None, None]
    assert arg_int({"top": "0"}, "top", 3) == 0 and arg_int({"top": str(HUGE)}, "top", 3) == 3
