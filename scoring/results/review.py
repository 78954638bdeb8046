"""The committee's review of a category's results, and publishing, withdrawing, acknowledging."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.extensions import db
from scoring.formfields import parse_day_time
from scoring.i18n import format_number
from scoring.models import Category, Entry, Event
from scoring.models.results import ResultSnapshot
from scoring.params import arg_id
from scoring.results import readings
from scoring.results.compute import DEFAULT_METHOD, METHODS
from scoring.results.reviewing import review_category
from scoring.results.views import bp
from scoring.services import snapshots
from scoring.services.errors import InvalidInput, ScoringError
from scoring.services.snapshot_checks import SnapshotCheck, check_snapshot

COMMITTEE = ("admin", "committee")


def message(error: ScoringError) -> str:
    """The error in the user's language, floats formatted the local way."""
    params = {
        k: format_number(v, 2) if isinstance(v, float) else v for k, v in error.params.items()
    }
    return _(error.message, **params)


def flash_error(error: ScoringError) -> None:
    flash(message(error), "danger")
    for problem in getattr(error, "problems", ()):
        if isinstance(problem, ScoringError):
            flash(message(problem), "warning")


def _review_url(category_id: int, method: str | None = None) -> str:
    method = method if method in METHODS else None
    return url_for(".review", category_id=category_id, metode=method)


@bp.route("/panitia/hasil/acara/<int:event_id>")
@role_required(*COMMITTEE)
def event_results(event_id: int) -> str:
    event = db.session.get(Event, event_id) or abort(404)
    published = dict(
        db.session.execute(
            select(ResultSnapshot.category_id, func.max(ResultSnapshot.version))
            .join(Category, Category.id == ResultSnapshot.category_id)
            .where(Category.event_id == event_id, ResultSnapshot.status == "published")
            .group_by(ResultSnapshot.category_id)
        ).all()
    )
    counts = dict(
        db.session.execute(
            select(Entry.category_id, func.count())
            .join(Category, Category.id == Entry.category_id)
            .where(Category.event_id == event_id)
            .group_by(Entry.category_id)
        ).all()
    )
    return render_template("results/event.html", event=event, published=published, counts=counts)


@bp.route("/panitia/hasil/kategori/<int:category_id>")
@role_required(*COMMITTEE)
def review(category_id: int) -> str:
    # Published results are reviewed under their own method unless another one is asked for:
    # the ranking under the "Published" heading is then computed the way it was announced.
    published_method = db.session.scalar(
        select(ResultSnapshot.method).where(
            ResultSnapshot.category_id == category_id, ResultSnapshot.status == "published"
        )
    )
    method = request.args.get("metode") or published_method or DEFAULT_METHOD
    if method not in METHODS:
        method = DEFAULT_METHOD
    try:
        data = review_category(category_id, method)
    except ScoringError:
        abort(404)
    return render_template(
        "results/review.html",
        review=data,
        category=data.category,
        event=data.category.event,
        methods=METHODS,
        method_names=readings.METHOD_NAMES,
        level_text=readings.level_text,
        alpha_level=readings.alpha_level,
        message=message,
        now=dt.datetime.now(dt.UTC),
    )


def _embargo(value: str | None) -> dt.datetime | None:
    """The announcement time typed as dd/mm/yyyy hh.mm (or ISO), in the event's zone (WIB)."""
    text = (value or "").strip()
    if not text:
        return None
    local = parse_day_time(text)
    if local is None:
        raise InvalidInput(
            "Write the date and time as dd/mm/yyyy hh.mm, for example 17/08/2025 08.00."
        )
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta"))
    return local.replace(tzinfo=zone).astimezone(dt.UTC)


@bp.route("/panitia/hasil/kategori/<int:category_id>/terbitkan", methods=["POST"])
@role_required(*COMMITTEE)
def publish(category_id: int) -> Response:
    method = request.form.get("method", DEFAULT_METHOD)
    try:
        snapshot = snapshots.publish_results(
            category_id,
            current_user.id,
            method=method,
            override_reason=request.form.get("override_reason") or None,
            embargo_until=_embargo(request.form.get("embargo")),
        )
    except ScoringError as error:
        flash_error(error)
        return redirect(_review_url(category_id, method))
    flash(
        _(
            "Version %(version)d of the results is published (SHA-256 %(code)s…).",
            version=snapshot.version,
            code=snapshot.sha256[:12],
        ),
        "success",
    )
    return redirect(_review_url(category_id, method))


@bp.route("/panitia/hasil/kategori/<int:category_id>/tarik", methods=["POST"])
@role_required(*COMMITTEE)
def unpublish(category_id: int) -> Response:
    try:
        snapshot = snapshots.unpublish_results(
            category_id, current_user.id, request.form.get("reason", "")
        )
    except ScoringError as error:
        flash_error(error)
    else:
        flash(
            _(
                "Version %(version)d has been withdrawn. The score sheets can be reopened; "
                "publishing again creates a new version.",
                version=snapshot.version,
            ),
            "success",
        )
    return redirect(_review_url(category_id, request.form.get("method")))


@bp.route("/panitia/hasil/kategori/<int:category_id>/tanda", methods=["POST"])
@role_required(*COMMITTEE)
def acknowledge(category_id: int) -> Response:
    judge_id = arg_id(request.form, "judge_id")
    try:
        if judge_id is None:
            raise InvalidInput("Unknown flag.")
        snapshots.acknowledge_flag(
            category_id,
            judge_id,
            request.form.get("code", ""),
            request.form.get("note", ""),
            current_user.id,
        )
    except ScoringError as error:
        flash_error(error)
    else:
        flash(_("The flag has been acknowledged."), "success")
    return redirect(_review_url(category_id, request.form.get("method")) + "#tanda-juri")


@bp.route("/panitia/hasil/snapshot/<int:snapshot_id>/periksa")
@role_required(*COMMITTEE)
def verify(snapshot_id: int) -> Response:
    try:
        check = check_snapshot(snapshot_id)
    except ScoringError:
        abort(404)
    result = check.verification
    category_id = db.session.scalar(
        select(ResultSnapshot.category_id).where(ResultSnapshot.id == snapshot_id)
    )
    if result.ok:
        flash(
            _(
                "Checked: the frozen scores recompute to the published fingerprint %(code)s….",
                code=result.stored[:12],
            ),
            "success",
        )
    else:
        flash(
            _(
                "Warning: the snapshot no longer recomputes to its published fingerprint "
                "(stored %(stored)s…, recomputed %(recomputed)s…).",
                stored=result.stored[:12],
                recomputed=result.recomputed[:12],
            ),
            "danger",
        )
    _flash_outside_checks(check)
    return redirect(_review_url(category_id) + "#versi")


def _flash_outside_checks(check: SnapshotCheck) -> None:
    """The audit log's hash and the live scores (the full list: `flask verify-snapshot`)."""
    if not check.audit_ok:
        flash(
            _(
                "Warning: the fingerprint differs from the one recorded in the audit log at "
                "publication (%(logged)s…): this version was rewritten afterwards.",
                logged=(check.audit_sha256 or "–")[:12],
            ),
            "danger",
        )
    if check.changes:
        flash(
            _(
                "%(n)d scores in the database differ from this version, for example %(entry)s, "
                "%(judge)s, %(criterion)s: %(old)s → %(new)s.",
                n=len(check.changes),
                entry=check.changes[0].entry,
                judge=check.changes[0].judge,
                criterion=check.changes[0].criterion,
                old=format_number(check.changes[0].old),
                new=format_number(check.changes[0].new),
            ),
            "warning",
        )
