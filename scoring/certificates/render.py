"""Certificate PDFs with WeasyPrint, fetching nothing but the app's own files.

Three rules keep rendering safe and fast:

* `AssetFetcher` is the only way WeasyPrint can load anything. It serves files under static/
  and the certificate uploads (logo, background) through a private origin, decodes data: URIs,
  and refuses everything else: file://, http(s) to any host (127.0.0.1 included), ftp ....
  So neither a crafted name nor a crafted setting can read a local file or reach the network.
* The template gets a flat mapping of primitive values (str, int, float, bool, None) and is
  autoescaped: a name like `<img src="file:///etc/passwd">` is printed, never parsed.
* Per process there is ONE FontConfiguration, ONE parsed stylesheet, one Jinja environment and
  one image cache (so an event's background JPEG is decoded once), kept in a `Renderer`.
  Bulk rendering spreads contexts over a process pool whose initializer builds that Renderer
  once per worker (see `scoring.certificates.pool`).

No Flask here: pool workers render without an application.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
import threading
from collections.abc import Mapping
from hashlib import md5
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import jinja2
import segno
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = ROOT / "static"
TEMPLATE_DIR = ROOT / "templates" / "certificates" / "pdf"
STYLESHEET = "css/certificate.css"
# A reserved name (RFC 2606 .invalid): never resolves, so even a fetcher bug cannot go online.
ASSET_HOST = "assets.juara.invalid"
ASSET_ORIGIN = f"https://{ASSET_HOST}"
TEMPLATES = {"winner": "winner.html", "participant": "participant.html", "judge": "judge.html"}
PRIMITIVES = (str, int, float, bool, type(None))
_MEDIA_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}\.(jpg|png)$")
_KEEP_IMAGES = 32  # distinct logos/backgrounds kept decoded per process


class RefusedURL(ValueError):
    """The fetcher does not serve this URL."""


def static_url(path: str) -> str:
    """The URL a certificate template uses for a file under static/."""
    return f"{ASSET_ORIGIN}/static/{path.lstrip('/')}"


def media_url(name: str | None) -> str | None:
    """The URL of a stored certificate upload (optimised JPEG), or None."""
    return f"{ASSET_ORIGIN}/media/{name}" if name else None


class AssetFetcher(URLFetcher):
    """Serves static/ and the certificate uploads through ASSET_ORIGIN, and data: URIs.

    Every refused URL is remembered in `refused` (tests read it) and raises RefusedURL, which
    WeasyPrint reports as a missing resource: the certificate renders without it.
    """

    def __init__(self, static_dir: Path, media_dir: Path | None) -> None:
        super().__init__(timeout=1, allowed_protocols=("data", "https"), allow_redirects=False)
        self.roots = {"static": static_dir.resolve()}
        if media_dir is not None:
            self.roots["media"] = media_dir.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return _decode_data_uri(url)
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"certificate renderer refuses {url[:200]!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )

    def _local_path(self, url: str) -> Path | None:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme != "https" or parts.netloc != ASSET_HOST or parts.query:
            return None
        area, _, rest = unquote(parts.path).lstrip("/").partition("/")
        root = self.roots.get(area)
        if root is None or not rest or "\\" in rest or "\0" in rest:
            return None
        if any(piece in ("", ".", "..") for piece in rest.split("/")):
            return None
        if area == "media" and not _MEDIA_NAME.match(rest):
            return None
        target = (root / rest).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target


def _decode_data_uri(url: str) -> URLFetcherResponse:
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise RefusedURL("malformed data: URI")
    media_type, *params = header.split(";")
    if params and params[-1].lower() == "base64":
        body = base64.b64decode(payload)
    else:
        body = unquote_to_bytes(payload)
    return URLFetcherResponse(
        url[:64], body, headers={"Content-Type": media_type or "text/plain"}, status=200
    )


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as a PNG data: URI, one pixel per module (CSS scales it up, crisp).

    Raster, so pdfimages can pull it out of the PDF again; 8-bit grey, which WeasyPrint embeds
    as it is (a 1-bit PNG would be converted to RGB and re-encoded for every certificate).
    """
    # A fixed mask skips segno's mask scoring (~5 ms); every mask is valid, just less tuned.
    code = segno.make(url, error="m", mask=0, micro=False, boost_error=False)
    rows = [bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(border=4)]
    image = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def check_primitives(context: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `context`, refusing anything but primitive values (no ORM objects)."""
    clean = {}
    for key, value in context.items():
        if not isinstance(key, str) or not isinstance(value, PRIMITIVES):
            raise TypeError(f"certificate context {key!r} must be a primitive, not {type(value)}")
        clean[key] = value
    return clean


class Renderer:
    """Everything a process needs to render certificates, built once and reused."""

    def __init__(self, static_dir: Path = STATIC_DIR, media_dir: Path | None = None) -> None:
        self.font_config = FontConfiguration()
        self.fetcher = AssetFetcher(static_dir, media_dir)
        self.stylesheet = CSS(
            filename=str(static_dir / STYLESHEET),
            base_url=static_url("css/"),
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates = {kind: self.env.get_template(name) for kind, name in TEMPLATES.items()}
        self._images: dict[str, Any] = {}
        # Pango's font objects are not meant for concurrent use; web threads take turns.
        self._lock = threading.Lock()

    def html(self, context: Mapping[str, Any]) -> str:
        values = check_primitives(context)
        template = self.templates.get(str(values.get("kind")))
        if template is None:
            raise ValueError(f"unknown certificate kind {values.get('kind')!r}")
        values.setdefault("qr", qr_data_uri(str(values["verify_url"])))
        return template.render(values)

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The PDF of one certificate."""
        return self.render_source(self.html(context))

    def render_source(self, source: str, extra_css: str | None = None) -> bytes:
        """The PDF of an HTML source built by `html` (plus our own CSS, e.g. a revoked mark)."""
        stylesheets = [self.stylesheet]
        if extra_css:
            stylesheets.append(CSS(string=extra_css, font_config=self.font_config))
        with self._lock:
            cache = dict(self._images)
            pdf = HTML(
                string=source, base_url=f"{ASSET_ORIGIN}/", url_fetcher=self.fetcher
            ).write_pdf(stylesheets=stylesheets, font_config=self.font_config, cache=cache)
            self._keep_images(cache)
        return pdf

    def _keep_images(self, cache: dict[str, Any]) -> None:
        """Keep decoded files (logo, background) for the next render, not one-off data: QRs."""
        one_off = {
            md5(k.encode(), usedforsecurity=False).hexdigest() for k in cache if k[:5] == "data:"
        }
        if len(self._images) > _KEEP_IMAGES:
            self._images.clear()
        for key, value in cache.items():
            if key[:5] != "data:" and key.split("-", 1)[0] not in one_off:
                self._images.setdefault(key, value)


_renderers: dict[tuple[str, str | None], Renderer] = {}
_renderers_lock = threading.Lock()


def get_renderer(
    media_dir: Path | str | None = None, static_dir: Path | str = STATIC_DIR
) -> Renderer:
    """This process's Renderer for these folders (built on first use)."""
    key = (str(static_dir), str(media_dir) if media_dir is not None else None)
    with _renderers_lock:
        renderer = _renderers.get(key)
        if renderer is None:
            renderer = _renderers[key] = Renderer(
                Path(static_dir), Path(media_dir) if media_dir is not None else None
            )
    return renderer


def render_pdf(context: Mapping[str, Any], media_dir: Path | str | None = None) -> bytes:
    """Render one certificate in this process with the shared Renderer."""
    return get_renderer(media_dir).render(context)
