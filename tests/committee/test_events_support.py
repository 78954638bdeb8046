"""Builders shared by the committee's event, rubric and dashboard tests (no tests here)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from scoring.committee.views import error_text
from scoring.extensions import db
from scoring.models import Category, Criterion, Event, Region, Stage
from scoring.services.errors import ScoringError


def make_event(status: str = "draft", slug: str = "uji-2025", **fields: Any) -> Event:
    event = Event(
        name=fields.pop("name", "Lomba Uji Tahun 2025"), slug=slug, level="provinsi", status=status
    )
    for key, value in fields.items():
        setattr(event, key, value)
    db.session.add(event)
    db.session.flush()
    return event


def make_category(
    event: Event, weights: tuple[float, ...] = (40, 60), *, with_criteria: bool = True
) -> Category:
    """A category with a pass/fail stage first, then one scored stage per weight."""
    category = Category(
        event=event,
        position=len(event.categories) + 1,
        name=f"Poktan BKB {len(event.categories) + 1}",
        kind="Poktan BKB",
        entry_kind="group",
    )
    Stage(category=category, position=1, name="Seleksi Administrasi", kind="pass_fail", weight=0)
    for i, weight in enumerate(weights, start=2):
        stage = Stage(category=category, position=i, name=f"Tahap {i}", weight=weight)
        if with_criteria:
            Criterion(stage=stage, position=1, name="Kelembagaan", weight=40, tiebreak_order=1)
            Criterion(stage=stage, position=2, name="Inovasi", weight=60)
    db.session.add(category)
    db.session.flush()
    return category


def region(code: str = "15.71", name: str = "Kota Jambi") -> Region:
    row = db.session.query(Region).filter_by(code=code).one_or_none()
    if row is None:
        row = Region(code=code, name=name, level="kota")
        db.session.add(row)
        db.session.flush()
    return row


def indonesian(app: Flask, error: ScoringError) -> str:
    """The message the committee reads (Indonesian is the default locale)."""
    with app.test_request_context("/"):
        return error_text(error)


def all_indonesian(app: Flask, error: ScoringError) -> list[str]:
    with app.test_request_context("/"):
        return [error_text(error)] + [
            error_text(p) for p in getattr(error, "problems", ()) if isinstance(p, ScoringError)
        ]
