"""Accounts: authentication and creation."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from scoring.extensions import db
from scoring.models import User
from scoring.models.user import LOCALES, ROLES
from scoring.services.audit import record
from scoring.services.errors import InvalidInput

MIN_PASSWORD_LENGTH = 8


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
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH
        )
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput("An account with this email already exists.")
    user = User(email=email, name=name, role=role, locale=locale, home_region_id=home_region_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user.create", user, after={"email": email, "role": role})
    return user


# No 0/O, 1/l/I: passwords are printed on a sheet and typed on a tablet.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet, not a secret


def generate_password(groups: int = 3, length: int = 4) -> str:
    """A new random password like "k7mq-x4pd-r9tb" (about 59 bits), easy to type."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length)) for _ in range(groups)
    )
