"""Downloads of a result snapshot for the committee: CSV, XLSX and the berita acara PDF."""

from __future__ import annotations

from babel.dates import format_date
from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from scoring.auth.decorators import role_required
from scoring.i18n import _display_zone, format_date_long
from scoring.results.pdf import render_pdf
from scoring.results.views import bp
from scoring.services import exports
from scoring.services.errors import NotFound

COMMITTEE = ("admin", "committee")


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _snapshot(snapshot_id: int):  # type: ignore[no-untyped-def]
    try:
        return exports.load_snapshot(snapshot_id)
    except NotFound:
        abort(404)


@bp.route("/panitia/hasil/snapshot/<int:snapshot_id>.csv")
@role_required(*COMMITTEE)
def export_csv(snapshot_id: int) -> Response:
    """?format=excel-id (default: `;` and decimal comma) or ?format=standard (`,` and point)."""
    variant = request.args.get("format", "excel-id")
    if variant not in exports.CSV_FORMATS:
        abort(400, description=_("Unknown CSV format."))
    snapshot = _snapshot(snapshot_id)
    name = exports.export_name(snapshot, "csv")
    if variant == "standard":
        name = name.replace(".csv", "-standar.csv")
    return _download(exports.csv_bytes(snapshot, variant), "text/csv", name)


@bp.route("/panitia/hasil/snapshot/<int:snapshot_id>.xlsx")
@role_required(*COMMITTEE)
def export_xlsx(snapshot_id: int) -> Response:
    snapshot = _snapshot(snapshot_id)
    return _download(
        exports.xlsx_bytes(snapshot),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.export_name(snapshot, "xlsx"),
    )


@bp.route("/panitia/hasil/snapshot/<int:snapshot_id>.pdf")
@role_required(*COMMITTEE)
def export_pdf(snapshot_id: int) -> Response:
    snapshot = _snapshot(snapshot_id)
    context = exports.berita_acara_context(snapshot)
    day = snapshot.published_at.astimezone(_display_zone()).date()
    place = context["event"]["place"] or ""
    date_text = format_date_long(day)
    context.update(
        day=format_date(day, "EEEE", locale=str(get_locale() or "id")),
        date_text=date_text,
        place_date=f"{place}, {date_text}" if place else date_text,
    )
    html = render_template("results/berita_acara.html", **context)
    return _download(render_pdf(html), "application/pdf", exports.export_name(snapshot, "pdf"))
