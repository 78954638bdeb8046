"""`flask --app wsgi verify-snapshot <snapshot_id>`: can a published result still be trusted?

Three checks, all reported: the snapshot recomputes from its frozen inputs to its stored hash;
that hash is the one the audit log recorded at publication (a snapshot rewritten together with
its hash fails here); and the live scores still equal the frozen ones (every change is listed as
entry, judge, criterion, old → new). Exit 0 only when all three hold.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext


def init_app(app: Flask) -> None:
    app.cli.add_command(verify_snapshot_command)


def _value(value: float | None) -> str:
    return "(none)" if value is None else f"{value:g}"


@click.command("verify-snapshot")
@click.argument("snapshot_id", type=int)
@with_appcontext
def verify_snapshot_command(snapshot_id: int) -> None:
    """Recompute a result snapshot, compare it with the audit log and the live scores (exit 0/1)."""
    from scoring.services.errors import NotFound
    from scoring.services.snapshot_checks import check_snapshot

    try:
        check = check_snapshot(snapshot_id)
    except NotFound:
        click.echo(f"Snapshot {snapshot_id} does not exist.", err=True)
        sys.exit(1)
    result = check.verification
    click.echo(f"stored     {result.stored}")
    click.echo(f"frozen     {result.frozen}")
    click.echo(f"recomputed {result.recomputed}")
    click.echo(f"audit log  {check.audit_sha256 or '(no publication record)'}")
    if not result.ok:
        if result.frozen != result.stored:
            click.echo("MISMATCH: the frozen inputs or outputs were changed after publication.")
        else:
            click.echo("MISMATCH: the frozen inputs no longer give the published outputs.")
    if check.audit_sha256 is None:
        click.echo("MISMATCH: the audit log has no publication record with a hash for it.")
    elif not check.audit_ok:
        click.echo(
            "MISMATCH: the stored hash differs from the one recorded in the audit log at "
            "publication: the snapshot was rewritten."
        )
    if check.changes:
        click.echo(f"CHANGED: {len(check.changes)} live score(s) differ from the snapshot:")
        for change in check.changes:
            click.echo(
                f"  entry {change.entry}, judge {change.judge}, criterion {change.criterion}: "
                f"{_value(change.old)} → {_value(change.new)}"
            )
    if check.ok:
        click.echo(
            f"OK: snapshot {snapshot_id} recomputes to the published hash, matches the audit "
            "log and the live scores."
        )
        sys.exit(0)
    sys.exit(1)
