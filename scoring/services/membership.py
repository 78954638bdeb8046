"""Event membership for committee accounts: who works on which event.

An admin sees every event; a committee account sees only the events it is a member of. The
account that creates (or copies) an event becomes its first member; members and admins add and
remove the others. The check itself runs centrally (scoring/auth/membership.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Event, EventMember, User
from scoring.services.audit import record
from scoring.services.errors import Conflict, InvalidInput, NotFound

__all__ = [
    "add_creator",
    "add_member",
    "can_open_event",
    "event_members",
    "remove_member",
    "visible_event_ids",
]


def can_open_event(user: Any, event_id: int) -> bool:
    """Admins open every event; committee accounts only their own; nobody else any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    if user.role != "committee":
        return False
    return _is_member(event_id, user.id)


def _is_member(event_id: int, user_id: int) -> bool:
    found = db.session.scalar(
        select(EventMember.id).where(
            EventMember.event_id == event_id, EventMember.user_id == user_id
        )
    )
    return found is not None


def visible_event_ids(user: Any) -> set[int] | None:
    """The ids of the events `user` may open, or None for "all of them" (admins)."""
    if user.role == "admin":
        return None
    if user.role != "committee":
        return set()
    return set(
        db.session.scalars(select(EventMember.event_id).where(EventMember.user_id == user.id))
    )


def add_creator(event: Event, user_id: int | None) -> None:
    """Inside the creating transaction: the committee account that made `event` joins it."""
    if user_id is None:
        return
    user = db.session.get(User, user_id)
    if user is None or user.role != "committee" or _is_member(event.id, user_id):
        return  # admins see everything anyway; the CLI has no user
    db.session.add(EventMember(event_id=event.id, user_id=user_id, added_by=user_id))


def event_members(event_id: int) -> list[EventMember]:
    """The event's members by name."""
    return list(
        db.session.scalars(
            select(EventMember)
            .join(User, User.id == EventMember.user_id)
            .where(EventMember.event_id == event_id)
            .order_by(User.name)
        )
    )


def add_member(event_id: int, email: str, added_by: int | None) -> EventMember:
    """Add the committee account with `email` to the event (audited)."""
    with committing():
        event = get_for_update(Event, event_id)
        if event is None:
            raise NotFound("Event not found.")
        address = (email or "").strip().lower()
        user = db.session.scalar(select(User).where(User.email == address)) if address else None
        if user is None or user.role != "committee":
            raise InvalidInput(
                "There is no committee account with the email %(email)s.", email=address
            )
        if _is_member(event_id, user.id):
            raise Conflict("%(name)s is already a member of this event.", name=user.name)
        member = EventMember(event_id=event_id, user_id=user.id, added_by=added_by)
        db.session.add(member)
        db.session.flush()
        record("event.member_add", member, after={"user_id": user.id}, event_id=event_id)
    return member


def remove_member(event_id: int, user_id: int) -> str:
    """Remove a member (audited); returns their name."""
    with committing():
        if get_for_update(Event, event_id) is None:
            raise NotFound("Event not found.")
        member = db.session.scalar(
            select(EventMember).where(
                EventMember.event_id == event_id, EventMember.user_id == user_id
            )
        )
        if member is None:
            raise NotFound("This account is not a member of the event.")
        name = member.user.name
        record("event.member_remove", member, before={"user_id": user_id}, event_id=event_id)
        db.session.delete(member)
    return name
