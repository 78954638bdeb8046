"""Login throttling: failed attempts are counted per account and per client address.

Only failures count (a successful login answers 302), so a venue where every judge sits behind
one Wi-Fi address is not locked out by its own logins. Limits are read from the config at each
request (LOGIN_LIMIT_ACCOUNT, LOGIN_LIMIT_IP) so that a deployment can tune them.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
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


def throttled(view):  # type: ignore[no-untyped-def]
    """Decorate the login view with both limits (POST only)."""
    view = limiter.limit(_ip_limit, key_func=_ip_key, methods=["POST"], deduct_when=_failed)(view)
    return limiter.limit(
        _account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed
    )(view)


def _change_key() -> str:
    from flask_login import current_user

    return f"password-change:{current_user.get_id()}"


def _wrong_current_password(response: Response) -> bool:
    return bool(g.get("wrong_current_password"))


def change_throttled(view):  # type: ignore[no-untyped-def]
    """Guessing the current password from a hijacked session is throttled too (only wrong
    current passwords count, not a new password the policy refused)."""
    return limiter.limit(
        _account_limit, key_func=_change_key, methods=["POST"], deduct_when=_wrong_current_password
    )(view)
