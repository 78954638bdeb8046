"""The central event-membership check for the committee's pages.

Registered as a `before_request` on the blueprints that hold committee pages (committee,
results, certificates, files). It finds the event a request is about from the route's
arguments (an event id, or an object that belongs to one: category, stage, criterion, entry,
attachment, assignment, conflict, sheet, snapshot, job, certificate) and refuses a committee
account that is not a member of it with 403. A route keyed by an account (`user_id`: a judge,
an operator, a fellow member) is refused unless the committee account may manage that account:
it shares an event with it, or created it before it belonged to any event
(scoring/services/account_scope.py). Admins pass; judges and visitors are left to each route's
own checks (role_required, the judge's assignment).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, request
from flask_login import current_user
from sqlalchemy import Select, func, select

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Attachment,
    Category,
    Certificate,
    ConflictOfInterest,
    Criterion,
    Entry,
    Event,
    Job,
    ResultSnapshot,
    ScoreSheet,
    Stage,
)
from scoring.services.account_scope import can_manage_account
from scoring.services.membership import can_open_event

# Route argument -> query for the id of the event the object belongs to.
_EVENT_OF: dict[str, Callable[[Any], Select[Any]]] = {
    "event_id": lambda v: select(Event.id).where(Event.id == v),
    "event_slug": lambda v: select(Event.id).where(Event.slug == v),
    "category_id": lambda v: select(Category.event_id).where(Category.id == v),
    "stage_id": lambda v: select(Category.event_id).join(Stage.category).where(Stage.id == v),
    "criterion_id": lambda v: (
        select(Category.event_id)
        .select_from(Criterion)
        .join(Criterion.stage)
        .join(Stage.category)
        .where(Criterion.id == v)
    ),
    "entry_id": lambda v: select(Category.event_id).join(Entry.category).where(Entry.id == v),
    "attachment_id": lambda v: (
        select(Category.event_id)
        .select_from(Attachment)
        .join(Attachment.entry)
        .join(Entry.category)
        .where(Attachment.id == v)
    ),
    "assignment_id": lambda v: (
        select(Category.event_id)
        .select_from(Assignment)
        .join(Assignment.stage)
        .join(Stage.category)
        .where(Assignment.id == v)
    ),
    "conflict_id": lambda v: (
        select(Category.event_id)
        .select_from(ConflictOfInterest)
        .join(ConflictOfInterest.entry)
        .join(Entry.category)
        .where(ConflictOfInterest.id == v)
    ),
    "sheet_id": lambda v: (
        select(Category.event_id)
        .select_from(ScoreSheet)
        .join(ScoreSheet.assignment)
        .join(Assignment.stage)
        .join(Stage.category)
        .where(ScoreSheet.id == v)
    ),
    "snapshot_id": lambda v: (
        select(Category.event_id).join(ResultSnapshot.category).where(ResultSnapshot.id == v)
    ),
    # A job without an event (none is made so, but the column allows it) is nobody's: -1.
    "job_id": lambda v: select(func.coalesce(Job.event_id, -1)).where(Job.id == v),
    "certificate_id": lambda v: select(Certificate.event_id).where(Certificate.id == v),
}
# Route arguments that name an account: checked by `can_manage_account`, not by event.
ACCOUNT_ARGS = frozenset({"user_id"})
# Route arguments that name nothing inside an event.
_NOT_EVENT_SCOPED = frozenset({"kind", "filename"}) | ACCOUNT_ARGS
# The blueprints holding committee pages, and the paths of those pages (the rest are public).
GUARDED_BLUEPRINTS = frozenset({"committee", "results", "certificates", "files"})
COMMITTEE_PATHS = ("/panitia", "/berkas")


def event_ids_of_request(view_args: dict[str, Any]) -> set[int] | None:
    """The events the route's arguments point at; None when an argument is unknown here."""
    found: set[int] = set()
    for name, value in view_args.items():
        if name in _NOT_EVENT_SCOPED:
            continue
        query = _EVENT_OF.get(name)
        if query is None:
            return None
        event_id = db.session.scalar(query(value))
        if event_id is not None:  # a missing object is the route's 404 to give
            found.add(event_id)
    return found


def require_event_member() -> None:
    """before_request: a committee account may only open the events it is a member of."""
    if request.blueprint not in GUARDED_BLUEPRINTS or not request.path.startswith(COMMITTEE_PATHS):
        return
    if not current_user.is_authenticated or current_user.role != "committee":
        return
    event_ids = event_ids_of_request(request.view_args or {})
    if event_ids is None:
        # A route whose argument this module does not know: refuse rather than guess.
        abort(403)
    if not all(can_open_event(current_user, event_id) for event_id in event_ids):
        abort(403)
    for name in ACCOUNT_ARGS & set(request.view_args or {}):
        if not can_manage_account(current_user, request.view_args[name]):  # type: ignore[index]
            abort(403)


def event_query_arg_allowed(event_id: int | None) -> bool:
    """For filters such as ?acara=ID: may the current user look at that event?"""
    return event_id is None or can_open_event(current_user, event_id)
