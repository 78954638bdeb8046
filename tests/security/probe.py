"""Walk `app.url_map` and send one request per route and method, classifying the answer.

Requests that change state run with `Session.commit` turned into `flush`, so the transaction
is rolled back when the request's app context ends: an allowed DELETE in one cell of the
matrix does not remove the object the next cell needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from scoring import jobs
from scoring.ratelimit import limiter

OK = "ok"  # the view ran (any answer that is not a refusal, 5xx excluded)
LOGIN = "login"  # sent to the login page (HTML) or 401 (API)
NO = "no"  # 403, or 404 for an object that is not theirs
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: Rule


def routes(app: Flask) -> list[Route]:
    """Every (endpoint, method) the app serves, HEAD and OPTIONS left out."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append(Route(rule.endpoint, method, rule))
    return sorted(found, key=lambda r: (r.endpoint, r.method))


def build_url(app: Flask, route: Route, params: dict[str, object]) -> str:
    missing = sorted(set(route.rule.arguments) - set(params))
    if missing:
        raise KeyError(f"{route.endpoint}: no test value for URL parameter(s) {missing}")
    with app.test_request_context():
        return url_for(route.endpoint, **{name: params[name] for name in route.rule.arguments})


def sheet_save() -> dict[str, object]:
    """A well-formed sheet save, so that only the owner check can refuse it."""
    return {"submission_id": str(uuid.uuid4()), "base_version": 0, "scores": {}, "submit": False}


def send(
    client: FlaskClient, route: Route, url: str, headers: dict[str, str] | None = None
) -> TestResponse:
    if route.method == "GET":
        return client.get(url, headers=headers)
    if url.startswith("/api/"):
        return client.open(url, method=route.method, json=sheet_save(), headers=headers)
    return client.open(url, method=route.method, data={}, headers=headers)


def classify(response: TestResponse) -> str:
    status = response.status_code
    if status == 401:
        return LOGIN
    if status in (301, 302, 303) and response.location.split("?")[0].endswith("/login"):
        return LOGIN
    if status in (403, 404):
        return NO
    if status >= 500:
        return f"error {status}"
    return OK


@contextmanager
def dry_run(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing a probe does is committed, no job runs, no rate limit counts."""
    monkeypatch.setattr(Session, "commit", Session.flush)
    monkeypatch.setattr(jobs, "enqueue_issue_all", lambda job_id: None)
    monkeypatch.setattr(limiter, "enabled", False)
    limiter.reset()
    try:
        yield
    finally:
        limiter.reset()
