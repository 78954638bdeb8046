"""The berita acara PDF (WeasyPrint, A4 portrait) with a fetcher that loads nothing.

The template carries its stylesheet inline and uses the fonts installed on the system (DejaVu,
Liberation), so the only thing WeasyPrint may fetch is a data: URI. Every other URL (file://,
http(s) to any host, ...) is refused and the document renders without it: an entry name such
as `<img src="file:///etc/passwd">` is escaped by Jinja anyway, and even a template mistake
cannot read a local file or reach the network.
"""

from __future__ import annotations

import base64
import threading
from typing import Any
from urllib.parse import unquote_to_bytes

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

_lock = threading.Lock()  # Pango is not meant for concurrent use: web threads take turns


class RefusedURL(ValueError):
    """The berita acara fetcher serves data: URIs only."""


class DataOnlyFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url[:5].lower() != "data:":
            self.refused.append(url)
            raise RefusedURL(f"berita acara refuses {url[:200]!r}")
        header, comma, payload = url[5:].partition(",")
        if not comma:
            raise RefusedURL("malformed data: URI")
        media_type, *params = header.split(";")
        body = (
            base64.b64decode(payload)
            if params and params[-1].lower() == "base64"
            else unquote_to_bytes(payload)
        )
        return URLFetcherResponse(
            url[:64], body, headers={"Content-Type": media_type or "text/plain"}, status=200
        )


def render_pdf(html: str, fetcher: DataOnlyFetcher | None = None) -> bytes:
    fetcher = fetcher or DataOnlyFetcher()
    with _lock:
        return HTML(string=html, url_fetcher=fetcher).write_pdf()
