"""`flask --app wsgi verify-snapshot <snapshot_id>`: does a published result still recompute?"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext


def init_app(app: Flask) -> None:
    app.cli.add_command(verify_snapshot_command)


@click.command("verify-snapshot")
@click.argument("snapshot_id", type=int)
@with_appcontext
def verify_snapshot_command(snapshot_id: int) -> None:
    """Recompute a result snapshot from its frozen inputs and compare the SHA-256 (exit 0 or 1)."""
    from scoring.services.errors import NotFound
    from scoring.services.snapshots import verify_snapshot

    try:
        result = verify_snapshot(snapshot_id)
    except NotFound:
        click.echo(f"Snapshot {snapshot_id} does not exist.", err=True)
        sys.exit(1)
    click.echo(f"stored     {result.stored}")
    click.echo(f"frozen     {result.frozen}")
    click.echo(f"recomputed {result.recomputed}")
    if result.ok:
        click.echo(f"OK: snapshot {snapshot_id} recomputes to the published hash.")
        sys.exit(0)
    if result.frozen != result.stored:
        click.echo("MISMATCH: the frozen inputs or outputs were changed after publication.")
    else:
        click.echo("MISMATCH: the frozen inputs no longer give the published outputs.")
    sys.exit(1)
