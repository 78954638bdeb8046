"""Login throttling: attempts are counted per account and per client address.

An attempt is counted when it starts, before the password is checked: counted after the
answer, a burst of slow attempts sent at once would all pass the check before any of them was
counted. A successful login (302) then gives its attempt back, so a venue where every judge
sits behind one Wi-Fi address is not locked out by its own logins. The give-back needs the
fixed-window strategy (Flask-Limiter's default); with another, successes simply stay counted.
Limits are read from the config at each request (LOGIN_LIMIT_ACCOUNT, LOGIN_LIMIT_IP) so that
a deployment can tune them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, make_response, request
from flask_limiter.util import get_remote_address
from limits.strategies import FixedWindowRateLimiter
from werkzeug.wrappers import Response

from scoring.ratelimit import limiter


def _account_key() -> str:
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"login-account:{email}"


def _ip_key() -> str:
    return f"login-ip:{get_remote_address()}"


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _account_limit() -> str:
    return str(current_app.config["LOGIN_LIMIT_ACCOUNT"])


def _ip_limit() -> str:
    return str(current_app.config["LOGIN_LIMIT_IP"])


THROTTLE_KEYS = ("login-account:", "login-ip:", "password-change:")


def _give_back_attempt() -> None:
    """Undo this request's hits on the throttles of this module (the attempt did not fail)."""
    strategy = limiter.limiter
    if not isinstance(strategy, FixedWindowRateLimiter):
        return
    for current in limiter.current_limits:
        if any(str(arg).startswith(THROTTLE_KEYS) for arg in current.request_args):
            strategy.storage.incr(current.key, current.limit.get_expiry(), amount=-1)


def _give_back_unless(failed: Callable[[Response], bool]):  # type: ignore[no-untyped-def]
    """Wrap a view (inside its limits): a POST whose answer is not `failed` gives its hit back."""

    def decorate(view):  # type: ignore[no-untyped-def]
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            response = make_response(view(*args, **kwargs))
            if request.method == "POST" and not failed(response):
                _give_back_attempt()
            return response

        return wrapper

    return decorate


def throttled(view):  # type: ignore[no-untyped-def]
    """Decorate the login view with both limits (POST only), counted when the attempt starts."""
    view = _give_back_unless(_failed)(view)
    view = limiter.limit(_ip_limit, key_func=_ip_key, methods=["POST"])(view)
    return limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])(view)


def _change_key() -> str:
    from flask_login import current_user

    return f"password-change:{current_user.get_id()}"


def _wrong_current_password(response: Response) -> bool:
    return bool(g.get("wrong_current_password"))


def change_throttled(view):  # type: ignore[no-untyped-def]
    """Guessing the current password from a hijacked session is throttled too (counted when
    the attempt starts; only wrong current passwords stay counted, not a new password the
    policy refused)."""
    view = _give_back_unless(_wrong_current_password)(view)
    return limiter.limit(_account_limit, key_func=_change_key, methods=["POST"])(view)
