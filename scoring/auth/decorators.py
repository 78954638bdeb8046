"""Access control helpers shared by every blueprint."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, url_for
from flask_login import current_user

from scoring.extensions import login_manager
from scoring.models.user import ROLES

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow only logged-in users whose role is one of `roles`.

    Anonymous users are sent to the login page (401 for the API); a logged-in user with another
    role gets 403. Admin is not implied: list it where it is meant.
    """
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"role_required: unknown roles {sorted(unknown)}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def home_url_for(user: Any) -> str:
    """Where a user lands after login: their role's home page."""
    if user.role in ("admin", "committee"):
        return url_for("committee.home")
    if user.role == "judge":
        return url_for("judge.home")
    if user.role == "regional":
        return url_for("regional.home")
    return url_for("public.index")
