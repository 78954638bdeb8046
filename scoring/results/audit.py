"""The committee's audit log page, and what keeps the audit trail append-only.

Nothing in the code updates or deletes an AuditEvent: the ORM refuses it at flush time
(`_refuse_audit_changes`), and the database refuses it with a trigger. The trigger DDL is below
for the migration; the test fixture empties tables with DELETE on SQLite, so the lead's
migration and the fixture must agree on how (e.g. drop and recreate the trigger around it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, event, func, or_, select, true
from sqlalchemy.orm import Session

from scoring.auth.decorators import role_required
from scoring.extensions import db
from scoring.formfields import parse_day
from scoring.i18n import _display_zone
from scoring.models import Assignment, AuditEvent, Category, Entry, Event, ScoreSheet, User
from scoring.models.decision import StageDecision
from scoring.params import arg_id, page_number
from scoring.results.views import bp
from scoring.services.account_scope import current_account_filter
from scoring.services.membership import visible_event_ids

COMMITTEE = ("admin", "committee")
PAGE_SIZE = 50

# PostgreSQL: a trigger function that refuses every UPDATE and DELETE on audit_event.
POSTGRES_APPEND_ONLY = (
    """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER audit_event_append_only
BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
""",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
)
# SQLite: the same refusal, one trigger per statement kind.
SQLITE_APPEND_ONLY = (
    """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END
""",
    """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END
""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
)


def append_only_ddl(dialect: str) -> tuple[str, ...]:
    return POSTGRES_APPEND_ONLY if dialect == "postgresql" else SQLITE_APPEND_ONLY


def drop_append_only_ddl(dialect: str) -> tuple[str, ...]:
    return POSTGRES_DROP if dialect == "postgresql" else SQLITE_DROP


class AuditTrailIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditTrailIsAppendOnly("audit events cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditTrailIsAppendOnly("audit events cannot be changed")


def _int(name: str) -> int | None:
    return arg_id(request.args, name)


def _date(name: str) -> dt.date | None:
    """A filter day typed as dd/mm/yyyy (ISO still works); a bad one is said, then ignored."""
    text = request.args.get(name, "").strip()
    day = parse_day(text) if text else None
    if text and day is None:
        flash(_("Write the date as dd/mm/yyyy, for example 17/08/2025."), "warning")
    return day


def _objects(model: Any, column: Any, value: int, kind: str) -> ColumnElement[bool]:
    ids = select(model.id).where(column == value)
    return and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))


def _sheets_where(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    ids = select(ScoreSheet.id).join(Assignment).where(condition)
    return and_(AuditEvent.object_type == "ScoreSheet", AuditEvent.object_id.in_(ids))


def audit_query(
    event_id: int | None,
    judge_id: int | None,
    entry_id: int | None,
    start: dt.date | None,
    end: dt.date | None,
) -> Any:
    query = select(AuditEvent)
    if event_id:
        query = query.where(AuditEvent.event_id == event_id)
    if judge_id:
        query = query.where(
            or_(
                AuditEvent.actor_id == judge_id,
                _sheets_where(Assignment.judge_id == judge_id),
                _objects(Assignment, Assignment.judge_id, judge_id, "Assignment"),
            )
        )
    if entry_id:
        query = query.where(
            or_(
                and_(AuditEvent.object_type == "Entry", AuditEvent.object_id == entry_id),
                _sheets_where(Assignment.entry_id == entry_id),
                _objects(Assignment, Assignment.entry_id, entry_id, "Assignment"),
                _objects(StageDecision, StageDecision.entry_id, entry_id, "StageDecision"),
            )
        )
    zone = _display_zone()
    if start:
        begin = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
        query = query.where(AuditEvent.occurred_at >= begin)
    if end:
        stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        query = query.where(AuditEvent.occurred_at < stop.astimezone(dt.UTC))
    return query


@bp.route("/panitia/audit")
@role_required(*COMMITTEE)
def audit_log() -> str:
    filters = {
        "event_id": _int("acara"),
        "judge_id": _int("juri"),
        "entry_id": _int("peserta"),
        "start": _date("dari"),
        "end": _date("sampai"),
    }
    page = page_number(request.args)
    # Event membership: a committee account reads only the trail of its own events.
    visible = visible_event_ids(current_user)
    if visible is not None and filters["event_id"] and filters["event_id"] not in visible:
        abort(403)
    query = audit_query(**filters)
    if visible is not None:
        query = query.where(AuditEvent.event_id.in_(visible))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    actor_ids = {row.actor_id for row in rows if row.actor_id}
    actors = dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_(actor_ids))).all()
    )
    entries = []
    if filters["event_id"]:
        entries = db.session.execute(
            select(Entry.id, Entry.name, Category.name.label("category"))
            .join(Category, Category.id == Entry.category_id)
            .where(Category.event_id == filters["event_id"])
            .order_by(Category.position, Entry.name)
        ).all()
    return render_template(
        "results/audit.html",
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        filters=filters,
        args={k: v for k, v in request.args.items() if k != "halaman" and v},
        actors=actors,
        events=[
            row
            for row in db.session.execute(select(Event.id, Event.name).order_by(Event.id.desc()))
            if visible is None or row.id in visible
        ],
        judges=db.session.execute(
            select(User.id, User.name)
            .where(User.role == "judge", _judge_scope())
            .order_by(User.name)
        ).all(),
        entries=entries,
    )


def _judge_scope() -> ColumnElement[bool]:
    """The judges a committee account may see (services/account_scope.py); all for admins."""
    scope = current_account_filter()
    return true() if scope is None else scope
