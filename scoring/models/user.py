"""Accounts: committee staff, judges and administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from scoring.extensions import db
from scoring.orm import TimestampMixin, enum_check

if TYPE_CHECKING:
    from scoring.models.region import Region

# "regional": a kabupaten/kota operator bound to home_region (and optionally operator_event).
ROLES = ("admin", "committee", "judge", "regional")
LOCALES = ("id", "en")

# A hash no password matches, compared against when the email is unknown so that a wrong
# email and a wrong password take the same time.
_DUMMY_HASH = generate_password_hash("juara-timing-equaliser", method="scrypt")


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(enum_check("role", ROLES), name="role"),
        CheckConstraint(enum_check("locale", LOCALES), name="locale"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    locale: Mapped[str] = mapped_column(String(5), default="id", nullable=False)
    home_region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    # Regional operators only: the one event they register for (None: every event).
    operator_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    # Who created the account (judges, operators): until a judge is assigned to an event, only
    # this committee account (and admins) may manage it (scoring/services/account_scope.py).
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Bumped to sign the account out everywhere: it is part of the session's user id.
    session_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    home_region: Mapped[Region | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @staticmethod
    def check_password_of_nobody(password: str) -> bool:
        """Spend the same time as a real check; always False."""
        check_password_hash(_DUMMY_HASH, password)
        return False

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
