"""`flask --app wsgi issue-certificates --event <slug> [--category <id>] --out <dir>`."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from scoring.certificates import storage
from scoring.certificates.context import certificate_context
from scoring.certificates.pool import render_many, worker_count
from scoring.certificates.settings import get_settings
from scoring.extensions import db
from scoring.models import Category, Certificate, Event
from scoring.services import certificates as issuing
from scoring.services.errors import ScoringError


def init_app(app: Flask) -> None:
    app.cli.add_command(issue_certificates_command)


@click.command("issue-certificates")
@click.option("--event", "event_slug", required=True, help="The event's slug, e.g. jambi-2025.")
@click.option("--category", "category_id", type=int, help="Only this category (its id).")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the PDFs are written to (created if missing).",
)
@click.option("--workers", type=int, default=None, help="Rendering processes (default: cores).")
@with_appcontext
def issue_certificates_command(
    event_slug: str, category_id: int | None, out_dir: Path, workers: int | None
) -> None:
    """Issue the certificates of published categories (and judges) and write their PDFs.

    Numbers already issued are kept; only entries and judges without a certificate get one.
    Without --category: every published category of the event and its judges.
    """
    event = db.session.scalar(select(Event).filter_by(slug=event_slug))
    if event is None:
        raise click.ClickException(f"No event with slug {event_slug!r}.")
    event_id = event.id
    if category_id is not None:
        category = db.session.get(Category, category_id)
        if category is None or category.event_id != event_id:
            raise click.ClickException(f"Category {category_id} is not part of {event_slug}.")
        category_ids = [category_id]
    else:
        category_ids = [c.id for c in event.categories if issuing._awards_for(c.id) is not None]
    try:
        issued = sum(issuing.issue_category(cid) for cid in category_ids)
        if category_id is None:
            issued += issuing.issue_judges(event_id)
    except ScoringError as error:
        raise click.ClickException(str(error)) from error

    scope = Certificate.category_id.in_(category_ids)
    if category_id is None:
        scope = scope | ((Certificate.event_id == event_id) & (Certificate.kind == "judge"))
    certs = list(
        db.session.scalars(
            select(Certificate)
            .where(scope, Certificate.status == "valid")
            .order_by(Certificate.seq)
        )
    )
    settings = get_settings(event_id)
    names = [storage.download_name(c.number, c.name) for c in certs]
    contexts = [certificate_context(c, settings) for c in certs]
    db.session.rollback()

    out_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or worker_count()
    started = time.perf_counter()
    for name, pdf in zip(
        names, render_many(contexts, storage.media_dir(), workers=workers), strict=True
    ):
        (out_dir / name).write_bytes(pdf)
    seconds = time.perf_counter() - started
    rate = len(certs) / seconds if seconds > 0 else 0.0
    click.echo(f"Newly numbered: {issued}.")
    click.echo(
        f"Wrote {len(certs)} certificates to {out_dir} in {seconds:.2f} s "
        f"({rate:.1f} per second, {workers} process(es))."
    )
