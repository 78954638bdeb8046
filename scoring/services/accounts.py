"""Accounts: authentication and creation."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from scoring.database import begin_write, committing, get_for_update
from scoring.extensions import db
from scoring.models import User
from scoring.models.user import LOCALES, ROLES
from scoring.services.audit import record
from scoring.services.errors import InvalidInput, NotFound

MIN_PASSWORD_LENGTH = 8  # kept for callers; the rules live in scoring.auth.policy


class WrongPassword(InvalidInput):
    """The current password given for a change is not the account's."""


@contextmanager
def creating_accounts() -> Iterator[None]:
    """A write transaction that adds accounts: committed at the end, rolled back on error.

    `add_user` refuses a taken email; the unique index still catches the same email created at
    the same moment by another request, which becomes the same message instead of a 500.
    """
    try:
        begin_write()
        yield
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise InvalidInput("An account with this email already exists.") from error
    except Exception:
        db.session.rollback()
        raise


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (in constant-ish time)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        User.check_password_of_nobody(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def create_user(
    email: str,
    name: str,
    role: str,
    password: str,
    *,
    locale: str = "id",
    home_region_id: int | None = None,
) -> User:
    """Create and commit an account; raises InvalidInput with a translatable message."""
    user = add_user(email, name, role, password, locale=locale, home_region_id=home_region_id)
    db.session.commit()
    return user


def add_user(
    email: str,
    name: str,
    role: str,
    password: str,
    *,
    locale: str = "id",
    home_region_id: int | None = None,
) -> User:
    """Check, add and audit an account in the current transaction (the caller commits)."""
    email = normalise_email(email)
    name = name.strip()
    if role not in ROLES:
        raise InvalidInput("Unknown role %(role)s.", role=role)
    if locale not in LOCALES:
        raise InvalidInput("Unknown language %(locale)s.", locale=locale)
    if "@" not in email or len(email) > 254:
        raise InvalidInput("Enter a valid email.")
    if not name:
        raise InvalidInput("Enter a name.")
    _check_policy(password, email=email, name=name)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput("An account with this email already exists.")
    user = User(email=email, name=name, role=role, locale=locale, home_region_id=home_region_id)
    # The creator manages the account until it belongs to an event (services/account_scope.py).
    user.created_by_id = _logged_in_user_id()
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user.create", user, after={"email": email, "role": role})
    return user


def _logged_in_user_id() -> int | None:
    if not has_request_context() or not getattr(current_user, "is_authenticated", False):
        return None  # the CLI, seeding, an invitation accepted by a visitor
    return current_user.id


def _check_policy(password: str, *, email: str, name: str) -> None:
    # Imported here: scoring.auth's package imports its views, which import this module.
    from scoring.auth.policy import check_password

    check_password(password, email=email, name=name)


def change_password(user_id: int, current: str, new: str) -> User:
    """The user's own change; every other session of the account stops working."""
    with committing():
        user = get_for_update(User, user_id)
        if user is None or not user.active:
            raise NotFound("Account not found.")
        if not user.check_password(current):
            raise WrongPassword("The current password is wrong.")
        _check_policy(new, email=user.email, name=user.name)
        user.set_password(new)
        user.session_version += 1
        record("user.password_change", user, after={"email": user.email})
    return user


def end_sessions(user_id: int) -> None:
    """Logout: every cookie issued to the account so far stops working, a copied one too.

    The session holds "id:session_version" and every request compares it with the account's
    (scoring/security.py, and the sheet save's own query), so one UPDATE ends them all.
    """
    with committing():
        db.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(session_version=User.session_version + 1)
            .execution_options(synchronize_session=False)
        )


def sign_out_everywhere(user_id: int) -> User:
    """End every session of the account (lost tablet, shared computer): an admin's action."""
    with committing():
        user = get_for_update(User, user_id)
        if user is None:
            raise NotFound("Account not found.")
        before = user.session_version
        user.session_version += 1
        record(
            "user.sign_out_everywhere",
            user,
            before={"session_version": before},
            after={"session_version": user.session_version},
        )
    return user


def change_role(user_id: int, role: str) -> User:
    """A new role takes effect on the next login: the account's sessions are ended."""
    if role not in ROLES:
        raise InvalidInput("Unknown role %(role)s.", role=role)
    with committing():
        user = get_for_update(User, user_id)
        if user is None:
            raise NotFound("Account not found.")
        if user.role != role:
            record("user.role_change", user, before={"role": user.role}, after={"role": role})
            user.role = role
            user.session_version += 1
    return user


# No 0/O, 1/l/I: passwords are printed on a sheet and typed on a tablet.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet, not a secret


def generate_password(groups: int = 3, length: int = 4) -> str:
    """A new random password like "k7mq-x4pd-r9tb" (about 59 bits), easy to type."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length)) for _ in range(groups)
    )
