"""Security headers on every response, and the switch to HTTPS.

What flask-talisman does, in the few lines Juara needs, with one difference that matters here:
headers a view already set win (`setdefault`), so an uploaded image keeps its stricter
`default-src 'none'` and the certificate pages keep `Referrer-Policy: no-referrer`.

No inline script anywhere (templates load static/js files only), hence `script-src 'self'`.
Styles allow inline `style=""` attributes (a few templates and htmx's indicator style use them);
they cannot run code. HTTPS is forced only when FORCE_HTTPS is on (JUARA_FORCE_HTTPS; default on
in Production), because a venue LAN may serve plain http on 192.168.x.x.
"""

from __future__ import annotations

from flask import Flask, redirect, request
from werkzeug.wrappers import Response

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",  # Bootstrap draws its form icons as data: SVGs
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'self'",  # uploaded PDFs shown in <object> on the registration queue
    "frame-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{key} {value}" for key, value in CSP.items())

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=31536000"
# Health checks come from the machine itself or the load balancer, over plain http.
PLAIN_HTTP_PATHS = ("/healthz", "/readyz")


def init_app(app: Flask) -> None:
    def _force_https() -> Response | None:
        if not app.config.get("FORCE_HTTPS") or request.is_secure:
            return None
        if request.path in PLAIN_HTTP_PATHS:
            return None
        url = request.url.replace("http://", "https://", 1)
        # 308 keeps the method and body of a POST; browsers remember neither for GET.
        return redirect(url, code=301 if request.method in ("GET", "HEAD") else 308)

    # First of all before_request functions: a plain-http POST is redirected, not refused for
    # its CSRF token (Flask-WTF checks the Referer on https only).
    app.before_request_funcs.setdefault(None, []).insert(0, _force_https)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("FORCE_HTTPS") and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
