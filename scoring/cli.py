"""Command-line tools: `flask --app wsgi seed-demo`, `create-user`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from scoring.models.user import LOCALES, ROLES
from scoring.results import cli as results_cli

DEMO_LOGINS = [
    ("admin", "admin@demo.juara.id", "demo-admin"),
    ("panitia", "panitia@demo.juara.id", "demo-panitia"),
    ("juri", "juri1@demo.juara.id … juri5@demo.juara.id", "demo-juri"),
]


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    results_cli.init_app(app)
    from scoring.certificates.cli import init_app as init_certificates_cli  # issue 8

    init_certificates_cli(app)
    from scoring import backup  # issue 9: backup, restore

    backup.init_app(app)
    app.cli.add_command(purge_personal_data_command)


@click.command("seed-demo")
@click.option("--quiet", is_flag=True, help="Print only the summary line.")
@with_appcontext
def seed_demo_command(quiet: bool) -> None:
    """Create the Jambi 2025 demo (idempotent: running it again changes nothing)."""
    from scoring.services.demo import seed_demo

    report = seed_demo()
    created = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items())) or "nothing"
    click.echo(f"Demo data ready (created: {created}).")
    if quiet:
        return
    click.echo("Demo logins:")
    for role, email, password in DEMO_LOGINS:
        click.echo(f"  {role:<8} {email:<45} {password}")
    click.echo("Participant access codes (for /sertifikat), first three:")
    for label, code in list(report.access_codes.items())[:3]:
        click.echo(f"  {code}  {label}")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--locale", default="id", type=click.Choice(LOCALES), show_default=True)
@click.option(
    "--region",
    "region_code",
    default=None,
    help="Kemendagri code of the home region (e.g. 15.71): required for regional operators.",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for when omitted.",
)
@with_appcontext
def create_user_command(
    email: str, name: str, role: str, locale: str, region_code: str | None, password: str
) -> None:
    """Create an account."""
    from sqlalchemy import select

    from scoring.extensions import db
    from scoring.models import Region
    from scoring.services.accounts import create_user
    from scoring.services.errors import ScoringError

    region_id = None
    if region_code:
        region_id = db.session.scalar(select(Region.id).where(Region.code == region_code))
        if region_id is None:
            raise click.BadParameter(f"unknown region code {region_code}", param_hint="--region")
    elif role == "regional":
        raise click.BadParameter("a regional operator needs --region", param_hint="--region")
    try:
        user = create_user(email, name, role, password, locale=locale, home_region_id=region_id)
    except ScoringError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("purge-personal-data")
@click.option("--days", type=int, default=None, help="Default: JUARA_RETENTION_DAYS (365).")
@click.option("--dry-run", is_flag=True, help="Only list the entries that would be erased.")
@with_appcontext
def purge_personal_data_command(days: int | None, dry_run: bool) -> None:
    """Erase the person data of entries whose event was published more than N days ago."""
    from flask import current_app

    from scoring.services.privacy import purge_personal_data

    days = current_app.config["RETENTION_DAYS"] if days is None else days
    if days < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--days")
    ids = purge_personal_data(days, dry_run=dry_run)
    verb = "Would erase" if dry_run else "Erased"
    click.echo(f"{verb} the person data of {len(ids)} entries (published > {days} days ago).")
    for entry_id in ids:
        click.echo(f"  entry {entry_id}")
