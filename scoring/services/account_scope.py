"""Who may see and manage an account: judges and regional operators belong to events.

A judge belongs to the events of their assignments, a regional operator to its event (if bound)
and to the events it registered entries for, a committee account to the events it is a member
of. A committee account may list, reset, deactivate or assign an account only when it is a
member of one of that account's events; an account that belongs to no event yet is managed by
the committee account that created it. Admins manage every account.

Without this rule a committee account could reset the password of any judge and, logged in as
that judge, change another event's scores. The check runs centrally for every committee route
keyed by `user_id` (scoring/auth/membership.py) and filters every list of judges or operators
a committee page offers (`account_filter`).
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, exists, select, union_all

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Entry,
    EventMember,
    Registration,
    Stage,
    User,
)
from scoring.services.membership import visible_event_ids

MANAGED_ROLES = ("judge", "regional", "committee")

__all__ = [
    "account_event_ids",
    "account_filter",
    "can_manage_account",
    "current_account_filter",
    "current_may_manage",
]


def _account_events() -> Any:
    """(user_id, event_id) for every tie of an account to an event."""
    return union_all(
        select(Assignment.judge_id.label("user_id"), Category.event_id.label("event_id"))
        .join(Stage, Stage.id == Assignment.stage_id)
        .join(Category, Category.id == Stage.category_id),
        select(User.id, User.operator_event_id).where(User.operator_event_id.is_not(None)),
        select(Registration.registered_by_id, Category.event_id)
        .join(Entry, Entry.id == Registration.entry_id)
        .join(Category, Category.id == Entry.category_id)
        .where(Registration.registered_by_id.is_not(None)),
        select(EventMember.user_id, EventMember.event_id),
    ).subquery("account_event")


def account_event_ids(user_id: int) -> set[int]:
    """The events the account belongs to (assignments, operator event, registrations, members)."""
    ties = _account_events()
    return set(db.session.scalars(select(ties.c.event_id).where(ties.c.user_id == user_id)))


def account_filter(actor: Any) -> ColumnElement[bool] | None:
    """A condition on `User.id`: the accounts `actor` may manage; None means every account."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return User.id.is_(None)
    if actor.role == "admin":
        return None
    if actor.role != "committee":
        return User.id.is_(None)
    ties = _account_events()
    events = visible_event_ids(actor) or set()
    of_my_events: Select[Any] = select(ties.c.user_id).where(ties.c.event_id.in_(events))
    belongs_nowhere = ~exists().where(ties.c.user_id == User.id)
    mine_without_event = (User.created_by_id == actor.id) & belongs_nowhere
    # Never an admin's account; a committee account only through a shared event (its members).
    return User.role.in_(MANAGED_ROLES) & (User.id.in_(of_my_events) | mine_without_event)


def current_account_filter() -> ColumnElement[bool] | None:
    """`account_filter` of the logged-in user; None outside a request (CLI, jobs, seeding)."""
    if not has_request_context() or not getattr(current_user, "is_authenticated", False):
        return None
    return account_filter(current_user)


def can_manage_account(actor: Any, user_id: int) -> bool:
    """May `actor` list, reset, deactivate, edit or assign the account `user_id`?"""
    return _within(account_filter(actor), user_id)


def current_may_manage(user_id: int) -> bool:
    """`can_manage_account` for the logged-in user; always True outside a request."""
    return _within(current_account_filter(), user_id)


def _within(condition: ColumnElement[bool] | None, user_id: int) -> bool:
    if condition is None:
        return True
    return db.session.scalar(select(User.id).where(User.id == user_id, condition)) is not None
