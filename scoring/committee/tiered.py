"""Committee routes: take the top entries of a published kabupaten/kota ranking (tiered selection).

The page is a preview first (GET with the chosen categories and N); the copy is a POST of the
same three values. New access codes are shown once, as after an import.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from scoring.auth.decorators import role_required
from scoring.committee.entries import _reveal
from scoring.committee.views import COMMITTEE, bp, flash_error, get_or_404
from scoring.models import Entry, Event
from scoring.params import arg_int
from scoring.services import tiered, tiered_lookup
from scoring.services.errors import ScoringError
from scoring.services.membership import can_open_event


def _int_arg(values: dict, name: str, default: int | None = None) -> int | None:
    return arg_int(values, name, default)


@bp.app_template_global("entry_origin")
def _entry_origin(entry: Entry) -> tiered_lookup.Origin | None:
    if not entry.origin_entry_id:
        return None
    cache = g.setdefault("entry_origin_cache", {})
    return tiered_lookup.entry_origin(entry, cache)


def _ensure_source_allowed(source_id: int | None) -> None:
    """The source event's entries (with their personal data) are read only by its members."""
    event_id = tiered_lookup.source_event_id(source_id) if source_id else None
    if event_id is not None and not can_open_event(current_user, event_id):
        abort(403)


@bp.route("/acara/<int:event_id>/seleksi-berjenjang")
@role_required(*COMMITTEE)
def tier_copy(event_id: int) -> str:
    event = get_or_404(Event, event_id)
    target_id = _int_arg(request.args, "target")
    categories = {c.id: c for c in event.categories}
    if target_id not in categories:
        target_id = event.categories[0].id if event.categories else None
    sources = [
        choice
        for choice in (tiered_lookup.source_choices(target_id) if target_id else [])
        if can_open_event(current_user, choice.event_id)
    ]
    source_id = _int_arg(request.args, "source")
    _ensure_source_allowed(source_id)
    top = _int_arg(request.args, "top", 3)
    preview = None
    if source_id and target_id and top is not None and request.args.get("preview"):
        try:
            preview = tiered.preview_tier_copy(source_id, target_id, top)
        except ScoringError as error:
            flash_error(error)
    return render_template(
        "committee/tiered/copy.html",
        event=event,
        target_id=target_id,
        sources=sources,
        source_id=source_id,
        top=top,
        preview=preview,
        max_top=tiered.MAX_TOP,
    )


@bp.route("/acara/<int:event_id>/seleksi-berjenjang", methods=["POST"])
@role_required(*COMMITTEE)
def tier_copy_confirm(event_id: int) -> Response:
    event = get_or_404(Event, event_id)
    target_id = _int_arg(request.form, "target")
    source_id = _int_arg(request.form, "source")
    top = _int_arg(request.form, "top")
    back = url_for(
        ".tier_copy", event_id=event.id, target=target_id, source=source_id, top=top, preview=1
    )
    if target_id not in {c.id for c in event.categories} or not source_id or top is None:
        flash(_("Choose the category, the source and how many entries to take."), "danger")
        return redirect(url_for(".tier_copy", event_id=event.id))
    _ensure_source_allowed(source_id)
    try:
        result = tiered.copy_tier_entries(source_id, target_id, top)
    except ScoringError as error:
        flash_error(error)
        return redirect(back)
    if not result.created:
        flash(_("Nothing new to copy: these entries are already in the category."), "info")
        return redirect(url_for(".entries", category_id=target_id))
    flash(
        _(
            "%(n)d entries have been taken from the lower level, with %(files)d files.",
            n=len(result.created),
            files=result.attachments,
        ),
        "success",
    )
    if result.missing_files:
        flash(
            _(
                "%(n)d files could not be found on the disk and were not copied.",
                n=result.missing_files,
            ),
            "warning",
        )
    _reveal(target_id, result.created)
    return redirect(url_for(".access_codes", category_id=target_id))
