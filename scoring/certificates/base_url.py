"""Does the address in the certificates' QR codes work from where the committee is?

The QR encodes JUARA_BASE_URL. Left at its default (http://127.0.0.1:5000) it points at the
phone that scans it, not at the server: the verify link is dead on every printed certificate.
The committee page warns when the base URL is a loopback address while the page itself was
reached under another host (a LAN address or a domain), and names the address to use.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, a localhost name, or 0.0.0.0 / :: (no address a phone can reach)."""
    name = host.strip("[]").lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
        return address.is_loopback or address.is_unspecified
    except ValueError:
        return False


@dataclass(frozen=True)
class BaseUrlWarning:
    base_url: str  # what the QR codes encode
    seen_at: str  # the address this page was opened at (scheme://host[:port])


def loopback_warning(base_url: str, request_url_root: str) -> BaseUrlWarning | None:
    """A warning when `base_url` is loopback and the request came in under another host."""
    base_host = urlsplit(base_url).hostname or ""
    request_host = urlsplit(request_url_root).hostname or ""
    if not is_loopback(base_host) or not request_host or is_loopback(request_host):
        return None
    return BaseUrlWarning(base_url=base_url.rstrip("/"), seen_at=request_url_root.rstrip("/"))
