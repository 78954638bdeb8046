"""Time certificate rendering: the real bulk and on-demand paths against a naive baseline.

Builds a throwaway app on a temporary SQLite file with one event, one published category of
N entries and complete certificate settings whose background is a full-size A4 PNG at 300 dpi
(3508 × 2480, generated here, never committed). The app converts it once to an optimised JPEG,
as an upload would be.

* naive: what a first version does, one process: for every certificate a fresh
  FontConfiguration, a freshly parsed stylesheet and the full-size PNG background.
* bulk: the real path, `render_many` over a process pool sized to the cores, each worker with
  its one FontConfiguration, stylesheet and image cache; the optimised JPEG background.
  Timed on a started pool (the pool start is printed separately).
* CPU per certificate (process time, one process): what the machine could do when idle; the
  wall-clock figures above suffer when other work shares the cores.
* on-demand: `certificate_pdf(id)` in the warm app for certificates without a stored PDF, i.e.
  database read, context, render, store, as the download page does; p50 and p99.

The last line is

    bulk_per_s=… naive_per_s=… ondemand_p50_ms=… ondemand_p99_ms=…

Run: .venv/bin/python bench/certificates.py [--count N] [--naive N] [--ondemand N] [--workers W]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_png(path: Path) -> Path:
    """A 300 dpi A4 landscape background: paper texture, a guilloche-like border, a seal."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = 3508, 2480
    rng = random.Random(8)
    noise = Image.effect_noise((width // 4, height // 4), 18).resize((width, height))
    paper = Image.merge(
        "RGB",
        [noise.point(lambda v, base=base: base + (v - 128) // 6) for base in (248, 242, 226)],
    )
    draw = ImageDraw.Draw(paper)
    for i in range(0, 240, 6):
        colour = (24 + i // 4, 54, 94) if i % 12 else (176, 141, 44)
        draw.rectangle((60 + i, 60 + i, width - 60 - i, height - 60 - i), outline=colour, width=2)
    for _ in range(400):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(20, 220)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=(200, 180, 120), width=1)
    paper = paper.filter(ImageFilter.SMOOTH)
    paper.save(path, format="PNG")
    return path


def build(app: Any, count: int, background: Path) -> list[int]:
    from scoring.certificates.settings import update_settings
    from scoring.extensions import db
    from scoring.models import Category, CertificateSettings, Entry, Event, Region
    from scoring.services import certificates as issuing

    region = Region(code="15.71", name="Kota Jambi", level="kota")
    event = Event(name="Pemilihan Poktan Terbaik Tingkat Provinsi Jambi Tahun 2025",
                  slug="bench-2025", level="provinsi", place="Jambi",
                  starts_on=dt.date(2025, 6, 23), ends_on=dt.date(2025, 6, 27),
                  status="published")  # fmt: skip
    category = Category(event=event, name="Poktan BKB Terbaik", kind="Poktan BKB")
    entries = [
        Entry(category=category, region=region, name=f"BKB Tunas Harapan Kelurahan Nomor {i}")
        for i in range(1, count + 1)
    ]
    db.session.add_all([region, event, category, *entries])
    db.session.flush()
    db.session.add(CertificateSettings(event_id=event.id))
    db.session.commit()
    values = {
        "title": "PIAGAM PENGHARGAAN",
        "signer_name": "Dr. Drs. Munawar Ibrahim, M.Kes.",
        "signer_title": "Kepala Perwakilan BKKBN Provinsi Jambi",
        "signer_nip": "196805121994031003",
        "place": "Jambi",
        "issue_date": None,
        "org_code": "BKKBN-JMB",
        "number_format": "{seq:03d}/PIAGAM/{org}/{month_roman}/{year}",
    }
    with background.open("rb") as upload:
        update_settings(event.id, values, background=upload)
    awards = [
        SimpleNamespace(entry_id=e.id, rank=i, award="Juara I" if i == 1 else None, total=0.0)
        for i, e in enumerate(entries, start=1)
    ]
    issuing._awards_for = lambda category_id: awards  # the published result, as issue 7 gives it
    issuing.issue_category(category.id)
    from scoring.models import Certificate

    return list(db.session.scalars(db.select(Certificate.id).order_by(Certificate.seq)))


def naive(contexts: list[dict[str, Any]], media_dir: Path, png_name: str) -> float:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from scoring.certificates import render

    renderer = render.Renderer(media_dir=media_dir)  # only for its template and fetcher
    started = time.perf_counter()
    for context in contexts:
        values = {**context, "background_url": render.media_url(png_name)}
        values["qr"] = _qr_default(values["verify_url"])
        html = renderer.templates[values["kind"]].render(values)
        fonts = FontConfiguration()
        css = CSS(filename=str(render.STATIC_DIR / render.STYLESHEET), font_config=fonts,
                  url_fetcher=renderer.fetcher)  # fmt: skip
        HTML(
            string=html, base_url=f"{render.ASSET_ORIGIN}/", url_fetcher=renderer.fetcher
        ).write_pdf(stylesheets=[css], font_config=fonts)
    return len(contexts) / (time.perf_counter() - started)


def _qr_default(url: str) -> str:
    import base64
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=240, help="certificates for bulk")
    parser.add_argument("--naive", type=int, default=12, help="certificates for the baseline")
    parser.add_argument("--ondemand", type=int, default=120, help="on-demand renders timed")
    parser.add_argument("--workers", type=int, default=None, help="pool size (default: cores)")
    args = parser.parse_args()

    from scoring import create_app
    from scoring.certificates import storage
    from scoring.certificates.context import certificate_context
    from scoring.certificates.pool import make_pool, render_many, worker_count
    from scoring.certificates.render import get_renderer
    from scoring.certificates.revisions import certificate_pdf
    from scoring.extensions import db
    from scoring.models import Certificate, CertificateSettings

    workers = args.workers or worker_count()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"ENV_NAME": "testing",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                          "UPLOAD_DIR": f"{tmp}/uploads",
                          "BASE_URL": "https://juara.example.go.id"})  # fmt: skip
        with app.app_context():
            db.create_all()
            png = make_png(Path(tmp) / "background.png")
            print(f"background PNG {png.stat().st_size / 1e6:.1f} MB, 3508×2480")
            ids = build(app, max(args.count, args.ondemand), png)
            media = storage.media_dir()
            (media / "full-size.png").write_bytes(png.read_bytes())
            settings = db.session.scalar(db.select(CertificateSettings))
            jpeg = media / settings.background_name
            print(f"stored background JPEG {jpeg.stat().st_size / 1e3:.0f} kB")
            certs = [db.session.get(Certificate, i) for i in ids]
            contexts = [certificate_context(c, settings) for c in certs]

            naive_per_s = naive(contexts[: args.naive], media, "full-size.png")
            print(f"naive: {args.naive} certificates, {naive_per_s:.2f}/s (1 process)")

            started = time.perf_counter()
            pool = make_pool(media, workers)
            list(render_many(contexts[: 2 * workers], media, pool=pool))  # start and warm
            print(f"pool of {workers} started and warm in {time.perf_counter() - started:.2f} s")
            bulk = contexts[: args.count]
            started = time.perf_counter()
            rendered = sum(1 for _ in render_many(bulk, media, pool=pool))
            bulk_per_s = rendered / (time.perf_counter() - started)
            pool.shutdown()
            print(f"bulk: {rendered} certificates, {bulk_per_s:.1f}/s ({workers} processes)")

            renderer = get_renderer(media)
            renderer.render(contexts[0])
            cpu = time.process_time()
            for context in contexts[1:31]:
                renderer.render(context)
            cpu_ms = (time.process_time() - cpu) * 1000 / 30
            print(
                f"CPU per certificate {cpu_ms:.0f} ms: {workers} idle cores would render about "
                f"{workers * 1000 / cpu_ms:.0f}/s (load average now {os.getloadavg()[0]:.1f})"
            )

            for cert_id in ids[:5]:  # warm the app's renderer
                certificate_pdf(cert_id)
            times = []
            for cert_id in ids[5 : 5 + args.ondemand]:
                started = time.perf_counter()
                certificate_pdf(cert_id)  # nothing stored yet: read, render, store
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p50 = statistics.median(times)
            p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
            print(f"on-demand: {len(times)} renders, p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    print(
        f"bulk_per_s={bulk_per_s:.1f} naive_per_s={naive_per_s:.2f} "
        f"ondemand_p50_ms={p50:.0f} ondemand_p99_ms={p99:.0f}"
    )


if __name__ == "__main__":
    main()
