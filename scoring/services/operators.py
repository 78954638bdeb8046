"""Regional operator accounts: created by the committee, or through an expiring invitation link.

An invitation is for one region (and optionally one event); its token is shown once, only its
SHA-256 is stored, and it works for one account until it expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import or_, select

from scoring.database import committing
from scoring.extensions import db
from scoring.models import Event, OperatorInvitation, Region, User
from scoring.services.account_scope import current_account_filter
from scoring.services.accounts import add_user, creating_accounts, generate_password
from scoring.services.audit import record
from scoring.services.errors import InvalidInput, NotFound
from scoring.services.personal import clean_email

MAX_INVITATION_DAYS = 60


@dataclass(frozen=True)
class OperatorLogin:
    """A new operator's login, shown once to the committee."""

    user_id: int
    name: str
    email: str
    password: str
    region: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def list_operators(event_id: int | None = None) -> list[User]:
    """Operators of every region, or those who may register for `event_id`; on a committee
    page only those the logged-in account may manage (services/account_scope.py)."""
    query = select(User).where(User.role == "regional").order_by(User.home_region_id, User.name)
    scope = current_account_filter()
    if scope is not None:
        query = query.where(scope)
    if event_id is not None:
        query = query.where(
            or_(User.operator_event_id.is_(None), User.operator_event_id == event_id)
        )
    return list(db.session.scalars(query))


def create_operator(name: str, email: str, region_id: int, event_id: int | None) -> OperatorLogin:
    """A new operator with a generated password (returned once)."""
    with creating_accounts():
        region = _region(region_id)
        cleaned = clean_email(email)
        if not cleaned:
            raise InvalidInput("Enter a valid email address.")
        password = generate_password()
        user = _add_operator(cleaned, name, password, region, event_id)
    return OperatorLogin(user.id, user.name, user.email, password, region.name)


def create_invitation(
    region_id: int, event_id: int | None, days: int, actor_id: int | None, now: dt.datetime
) -> str:
    """A new invitation; returns its token (for the link), which is never stored."""
    if not 1 <= days <= MAX_INVITATION_DAYS:
        raise InvalidInput("The link must be valid for 1 to %(n)d days.", n=MAX_INVITATION_DAYS)
    token = secrets.token_urlsafe(24)
    with committing():
        region = _region(region_id)
        _event(event_id)
        invitation = OperatorInvitation(
            token_hash=token_hash(token),
            region_id=region.id,
            event_id=event_id,
            expires_at=now + dt.timedelta(days=days),
            created_by_id=actor_id,
            created_at=now,
        )
        db.session.add(invitation)
        db.session.flush()
        record(
            "operator.invite",
            invitation,
            after={"region_id": region.id, "expires_at": invitation.expires_at.isoformat()},
            event_id=event_id,
            actor_id=actor_id,
        )
    return token


def invitation_for(token: str, now: dt.datetime) -> OperatorInvitation:
    """The usable invitation of this token, else NotFound (unknown, used and expired alike)."""
    invitation = db.session.scalar(
        select(OperatorInvitation).where(OperatorInvitation.token_hash == token_hash(token or ""))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise NotFound("This invitation link is not valid or has expired.")
    return invitation


def accept_invitation(token: str, name: str, email: str, password: str, now: dt.datetime) -> User:
    """Create the operator account of the invitation; the link then stops working."""
    with creating_accounts():
        invitation = invitation_for(token, now)
        cleaned = clean_email(email)
        if not cleaned:
            raise InvalidInput("Enter a valid email address.")
        user = _add_operator(cleaned, name, password, invitation.region, invitation.event_id)
        # Whoever sent the link manages the account until it belongs to an event.
        user.created_by_id = invitation.created_by_id
        invitation.used_at, invitation.used_by_id = now, user.id
        record(
            "operator.invitation_accept",
            invitation,
            after={"user_id": user.id, "region_id": invitation.region_id},
            event_id=invitation.event_id,
            actor_id=user.id,
        )
    return user


def _add_operator(
    email: str, name: str, password: str, region: Region, event_id: int | None
) -> User:
    _event(event_id)
    user = add_user(email, name, "regional", password, home_region_id=region.id)
    user.operator_event_id = event_id
    db.session.flush()
    record(
        "operator.create",
        user,
        after={"email": email, "region_id": region.id, "event_id": event_id},
        event_id=event_id,
    )
    return user


def _region(region_id: int) -> Region:
    region = db.session.get(Region, region_id)
    if region is None or region.level not in ("kabupaten", "kota"):
        raise InvalidInput("Choose a kabupaten or kota.")
    return region


def _event(event_id: int | None) -> None:
    if event_id is not None and db.session.get(Event, event_id) is None:
        raise NotFound("Event not found.")
