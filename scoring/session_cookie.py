"""The session cookie, re-signed only when it changed or has grown old.

Flask re-signs a permanent session's cookie on every request (SESSION_REFRESH_EACH_REQUEST), so
each sheet save paid for an HMAC, a JSON dump and a Set-Cookie header that told the tablet
nothing new. Here an unchanged cookie is re-issued only when it was signed more than
`SESSION_REFRESH_AFTER` seconds ago: the 3-day lifetime still slides with use (a judge who
works every day stays logged in), to within that interval.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature

DEFAULT_REFRESH_AFTER = 3600


class TimedSession(SecureCookieSession):
    signed_at: dt.datetime | None = None


class SessionInterface(SecureCookieSessionInterface):
    session_class = TimedSession

    def open_session(self, app: Flask, request: Request) -> TimedSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        if signed_at is None:
            return True
        age = dt.datetime.now(dt.UTC) - signed_at
        return age.total_seconds() >= app.config.get("SESSION_REFRESH_AFTER", DEFAULT_REFRESH_AFTER)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
