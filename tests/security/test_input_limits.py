"""Input limits (issue 14): every form field capped before validation, body caps by route kind,
login attempts counted when they start. Bad values in every form field: test_bad_input.py."""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
import threading
from pathlib import Path
from typing import Any

import pytest
import wtforms
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import Email

import scoring
from scoring.forms import KIND_CAPS, column_length, column_of
from scoring.ratelimit import limiter
from tests.conftest import csrf_token_from
from tests.security.probe import build_url, dry_run, routes
from tests.security.test_bad_input import _role_for
from tests.security.world import build_world

MiB = 1024 * 1024


def _form_classes() -> list[type[wtforms.Form]]:
    """Every WTForms form class the app defines (all of scoring/ imported first)."""
    for info in pkgutil.walk_packages(scoring.__path__, "scoring."):
        importlib.import_module(info.name)
    found: set[type] = set()
    stack: list[type] = [wtforms.Form]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    ours = [
        c for c in found if c.__module__.startswith("scoring.") and c.__module__ != "scoring.forms"
    ]
    return sorted(ours, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _text_fields(form: wtforms.Form) -> list[tuple[type, Any]]:
    """(class of the form that declares it, field) for every text field, nested ones too."""
    found = []
    for field in form:
        if isinstance(field, wtforms.FormField):
            found += _text_fields(field.form)
        elif isinstance(field, wtforms.FieldList):
            for entry in field.entries:
                found += _text_fields(entry.form) if isinstance(entry, wtforms.FormField) else []
        elif isinstance(field, wtforms.StringField):
            found.append((type(form), field))
    return found


def _documented_cap(owner: type, field: Any) -> int:
    """The column's size when the field is saved in a String column, else its kind's cap."""
    length = column_length(column_of(owner, field.short_name))
    if length is not None:
        return length
    return next(cap for kind, cap in KIND_CAPS if isinstance(field, kind))


def test_every_form_refuses_text_longer_than_its_column_or_documented_cap(app: Flask) -> None:
    classes = _form_classes()
    assert len(classes) >= 30, f"only {len(classes)} form classes found: the walk is broken"
    problems, checked = [], 0
    for cls in classes:
        meta = {"csrf": False}
        with app.test_request_context():
            fields = [
                (owner, f.name, _documented_cap(owner, f))
                for owner, f in _text_fields(cls(meta=meta))
            ]
        for _owner, name, cap in fields:
            checked += 1
            with app.test_request_context(method="POST"):
                form = cls(formdata=MultiDict({name: "x" * (cap + 1)}), meta=meta)
                target = next(f for _, f in _text_fields(form) if f.name == name)
                refused = form.validate() is False and target in form.too_long_fields()
            if not refused:
                problems.append(
                    f"{cls.__module__}.{cls.__qualname__}.{name}: {cap + 1} characters accepted"
                )
    assert checked >= 40, f"only {checked} text fields checked"
    assert problems == [], "\n".join(["", *problems])


def test_every_form_class_derives_from_the_capped_base() -> None:
    from scoring.forms import CappedFields

    loose = [c.__qualname__ for c in _form_classes() if not issubclass(c, CappedFields)]
    assert loose == [], f"forms that skip the length caps (derive from JuaraForm): {loose}"
    assert all(
        not issubclass(c, FlaskForm) or c.validate is not FlaskForm.validate
        for c in _form_classes()
    )


# --- the login --------------------------------------------------------------------------------


@pytest.fixture
def email_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every email the Email validator is run on."""
    seen: list[int] = []
    original = Email.__call__

    def spy(self: Email, form: Any, field: Any) -> None:
        seen.append(len(field.data or ""))
        original(self, form, field)

    monkeypatch.setattr(Email, "__call__", spy)
    return seen


def test_a_huge_email_is_refused_quickly_without_the_email_check(
    client: FlaskClient, email_checks: list[int]
) -> None:
    limiter.reset()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    huge = client.post(
        "/login", data={"email": "a" * 1_000_000 + "@x.id", "password": "x", "csrf_token": token}
    )
    assert huge.status_code == 422
    assert "lebih dari 10000 karakter" in huge.get_data(as_text=True)
    long = client.post(
        "/login", data={"email": "a" * 300 + "@x.id", "password": "x", "csrf_token": token}
    )
    assert long.status_code == 422  # above the 254 of RFC 5321: the form refuses it first
    assert "Terlalu panjang" in long.get_data(as_text=True)
    assert email_checks == []
    normal = client.post("/login", data={"email": "a@x.id", "password": "x", "csrf_token": token})
    assert normal.status_code == 200 and email_checks == [6]  # the check still runs on others


def test_login_attempts_are_counted_when_they_start(
    app: Flask, client: FlaskClient, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second attempt that arrives while the first is still being checked is refused."""
    from scoring.auth import views

    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", "1 per minute")
    limiter.reset()
    user = make_user("judge")
    real, second = views.authenticate, []

    def attempt(test_client: FlaskClient) -> int:
        token = csrf_token_from(test_client.get("/login").get_data(as_text=True))
        data = {"email": user.email, "password": "salah-sekali", "csrf_token": token}
        return test_client.post("/login", data=data).status_code

    def slow_authenticate(email: str, password: str) -> Any:
        if not second:
            second.append(None)
            worker = threading.Thread(target=lambda: second.append(attempt(app.test_client())))
            worker.start()
            worker.join()
        return real(email, password)

    monkeypatch.setattr(views, "authenticate", slow_authenticate)
    assert attempt(client) == 200
    assert second == [None, 429]
    limiter.reset()


def test_password_change_attempts_are_counted_when_they_start(
    app: Flask, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring.auth import views
    from tests.conftest import login

    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", "1 per minute")
    limiter.reset()
    user = make_user("judge")
    tablet, laptop = app.test_client(), app.test_client()
    for test_client in (tablet, laptop):
        assert login(test_client, user.email, user.plain_password).status_code == 302
    limiter.reset()
    real, second = views.change_password, []

    def attempt(test_client: FlaskClient) -> int:
        token = csrf_token_from(test_client.get("/kata-sandi").get_data(as_text=True))
        data = {"current": "tebak-tebakan", "new": "kuda-laut-berenang"}
        data |= {"confirm": "kuda-laut-berenang", "csrf_token": token}
        return test_client.post("/kata-sandi", data=data).status_code

    def slow_change(*args: Any) -> Any:
        if not second:
            second.append(None)
            worker = threading.Thread(target=lambda: second.append(attempt(laptop)))
            worker.start()
            worker.join()
        return real(*args)

    monkeypatch.setattr(views, "change_password", slow_change)
    assert attempt(tablet) == 200
    assert second == [None, 429]
    limiter.reset()


# --- body caps ----------------------------------------------------------------------------------


def test_bodies_are_capped_by_route_kind(client: FlaskClient, login_as: Any) -> None:
    login_as("committee")
    form = client.post(
        "/panitia/acara/baru",
        data=b"a=" + b"x" * MiB,
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 413
    assert "Berkas atau permintaan terlalu besar." in form.get_data(as_text=True)
    api = client.put(
        "/api/v1/sheets/1", data=b'{"a": "' + b"x" * MiB + b'"}', content_type="application/json"
    )
    assert api.status_code == 413 and api.get_json()["message"]
    upload = client.post(
        "/panitia/peserta/1/berkas",
        data={"files": (io.BytesIO(b"%PDF-1.4\n" + b"x" * 2 * MiB), "besar.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code != 413  # an upload route takes a 10 MB file


def test_a_chunked_body_without_length_is_capped_while_it_is_read(
    client: FlaskClient, login_as: Any
) -> None:
    login_as("committee")
    response = client.post(
        "/panitia/acara/baru",
        input_stream=io.BytesIO(b"a=" + b"x" * 2 * MiB),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # what gunicorn sets for chunked
    )
    assert response.status_code == 413


FILE_FORM = re.compile(r"<form\b([^>]*)>((?:(?!</form>).)*?type=\"file\".*?)</form>", re.S | re.I)


def test_every_upload_form_posts_to_a_route_marked_for_files(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        world = build_world(app.config["UPLOAD_DIR"])
    client = app.test_client()
    adapter = app.url_map.bind("localhost")
    targets: dict[str, bool] = {}
    with dry_run(app, monkeypatch):
        for route in routes(app):
            if route.method != "GET":
                continue
            try:
                url = build_url(app, route, world.url_params(route.endpoint))
            except KeyError:
                continue
            world.enter(client, _role_for(route.endpoint))
            page = client.get(url)
            if page.status_code != 200 or "text/html" not in page.content_type:
                continue
            for attrs, _body in FILE_FORM.findall(page.get_data(as_text=True)):
                action = re.search(r'action="([^"]*)"', attrs)
                path = (action.group(1) if action and action.group(1) else url).split("?")[0]
                endpoint, _args = adapter.match(path, method="POST")
                targets[endpoint] = bool(
                    getattr(app.view_functions[endpoint], "accepts_files", False)
                )
    assert len(targets) >= 4, f"only {sorted(targets)} upload forms found: the walk is broken"
    assert [e for e, marked in targets.items() if not marked] == []
