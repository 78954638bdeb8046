"""Load benchmark: the app under gunicorn, 32 concurrent clients, on SQLite and PostgreSQL.

For each database (SQLite in WAL mode in a temporary folder; PostgreSQL on 127.0.0.1:5432 when
it answers, in a database of its own created and dropped here) the script seeds N judges with
their score sheets in an open stage plus a published category, starts gunicorn (2 workers × 4
threads on 127.0.0.1, gunicorn.conf.py), and runs two timed phases of --duration seconds:

    judges    32 logged-in judges, each saving its own sheets through PUT /api/v1/sheets/<id>
              (session cookie and X-CSRFToken, as static/js/outbox.js does) and loading the
              judge home page (/juri/) once every 10 requests
    results   32 anonymous visitors loading the public results page (/hasil/<slug>)

A short warm-up before each phase is not counted. Afterwards every acknowledged save is looked
up in the database: `lost` counts acknowledged saves whose submission is missing, plus sheets
whose stored values differ from the last acknowledged save. One line per database:

    db=… save_rps=… save_p99_ms=… results_rps=… results_p99_ms=… errors=… lost=…

Client and server share the machine (the client is one asyncio process with aiohttp), so the
figures are what is left for the server after the client's share of the CPU.

Run: .venv/bin/python bench/load.py [--duration S] [--databases sqlite,postgresql] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from load_clients import Acks, run_judges, run_visitors
from load_seed import seed
from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Criterion, Score, SheetSubmission, Stage

ROOT = Path(__file__).resolve().parents[1]
PG_DATABASE = "juara_bench_load"
# A Redis database number of its own (flushed before each run): limits, jobs, results cache.
BENCH_REDIS = "redis://127.0.0.1:6379/14"


# ---- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_for(url: str, choice: str) -> str | None:
    """A national deployment runs PostgreSQL with Redis, a venue laptop SQLite without."""
    if choice == "none" or (choice == "auto" and url.startswith("sqlite")):
        return None
    if choice != "auto":
        return choice
    import redis

    try:
        redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return BENCH_REDIS


def start_gunicorn(url: str, tmp: Path, args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUARA_")}
    env.update(
        {
            # Production refuses SQLite (a venue laptop runs the development settings).
            "JUARA_ENV": "development" if url.startswith("sqlite") else "production",
            "JUARA_DATABASE_URL": url,
            "JUARA_SECRET_KEY": "bench-" + "k" * 40,
            # As behind nginx (docs/deploy/nginx.conf): the client sends what nginx would add,
            # X-Forwarded-Proto https and its own address; cookies still go over plain http.
            "JUARA_PROXY_COUNT": "1",
            "JUARA_SECURE_COOKIES": "0",
            "JUARA_BIND": f"127.0.0.1:{port}",
            "JUARA_WORKERS": str(args.workers),
            "JUARA_THREADS": str(args.threads),
            "JUARA_HUEY_FILE": str(tmp / "huey.sqlite3"),
            "JUARA_STASH_DIR": str(tmp / "stash"),
            "JUARA_UPLOAD_DIR": str(tmp / "uploads"),
        }
    )
    redis_url = _redis_for(url, args.redis)
    if redis_url:
        env["JUARA_REDIS_URL"] = redis_url
    log = (tmp / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    # The port answers before the workers have imported the app: wait for each to say so.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if (tmp / "gunicorn.log").read_text().count("Worker ready") >= args.workers:
            return process, f"http://127.0.0.1:{port}"
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start; see {tmp / 'gunicorn.log'}")


def start_profiler(pid: int, out: Path, seconds: float) -> subprocess.Popen:
    """py-spy on the master and its workers, collapsed stacks (one line per stack) to `out`."""
    py_spy = Path(sys.executable).with_name("py-spy")
    command = [str(py_spy), "record", "--pid", str(pid), "--subprocesses", "--format", "raw"]
    command += ["--duration", str(int(seconds)), "--rate", "200", "--output", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---- one database ----------------------------------------------------------------------------


def p99_ms(timings: list[float]) -> float:
    if not timings:
        return float("nan")
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000


def count_lost(acks: Acks) -> int:
    """Acknowledged saves the database does not have, and sheets not at their last values."""
    found = set()
    ids = list(acks.saves)
    for k in range(0, len(ids), 5000):
        rows = db.session.execute(
            select(
                SheetSubmission.submission_id, SheetSubmission.sheet_id, SheetSubmission.version
            ).where(SheetSubmission.submission_id.in_(ids[k : k + 5000]))
        ).all()
        found |= {
            r.submission_id for r in rows if acks.saves[r.submission_id] == (r.sheet_id, r.version)
        }
    lost = len(ids) - len(found)
    stored: dict[int, dict[str, float]] = {}
    for sheet_id, criterion_id, value in db.session.execute(
        select(Score.sheet_id, Score.criterion_id, Score.value).where(
            Score.sheet_id.in_(list(acks.last))
        )
    ):
        stored.setdefault(sheet_id, {})[str(criterion_id)] = value
    return lost + sum(1 for sheet, values in acks.last.items() if stored.get(sheet) != values)


def bench_database(name: str, url: str, tmp: Path, args: argparse.Namespace) -> str:
    from scoring import create_app

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        owned = seed(args.judges, args.sheets, args.entries)
        stage_id = db.session.scalar(select(Stage.id).where(Stage.status == "open"))
        criteria = list(db.session.scalars(select(Criterion.id).filter_by(stage_id=stage_id)))
        db.session.remove()
    load = os.getloadavg()[0]
    redis_used = _redis_for(url, args.redis)
    if redis_used == BENCH_REDIS:  # never empty a Redis given on the command line
        import redis

        redis.Redis.from_url(redis_used).flushdb()
    server, base = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp, args)
    acks = Acks()
    try:
        phases, client_cpu = {}, {}
        for kind in ("judges", "results"):
            profiler = None
            if args.profile:
                out = Path(args.profile) / f"{name}-{kind}.txt"
                profiler = start_profiler(server.pid, out, args.warmup + args.duration)
            cpu, wall = time.process_time(), time.perf_counter()
            if kind == "judges":
                phases[kind] = asyncio.run(run_judges(base, owned, criteria, args, acks))
            else:
                phases[kind] = asyncio.run(run_visitors(base, args))
            # The client's own share of the machine: what the server did not get.
            client_cpu[kind] = (time.process_time() - cpu) / (time.perf_counter() - wall)
            if profiler is not None:
                profiler.wait(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=60)
    with app.app_context():
        lost = count_lost(acks)
        db.session.remove()
        db.engine.dispose()
    judges, results = phases["judges"], phases["results"]
    saves, home = judges.timings.get("save", []), judges.timings.get("home", [])
    pages = results.timings.get("results", [])
    errors = judges.errors + results.errors
    for message in errors[:5]:
        print(f"# {name} error: {message}")
    print(
        f"# {name}: load_before={load:.2f} load_after={os.getloadavg()[0]:.2f} "
        f"home_rps={len(home) / args.duration:.0f} home_p99_ms={p99_ms(home):.0f} "
        f"saves_acknowledged={len(acks.saves)} redis={'yes' if redis_used else 'no'} "
        f"client_cpu_cores=judges:{client_cpu['judges']:.2f},results:{client_cpu['results']:.2f}"
    )
    return (
        f"db={name} save_rps={len(saves) / args.duration:.0f} save_p99_ms={p99_ms(saves):.0f} "
        f"results_rps={len(pages) / args.duration:.0f} results_p99_ms={p99_ms(pages):.0f} "
        f"errors={len(errors)} lost={lost}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument("--warmup", type=float, default=3, help="seconds not counted")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--judges", type=int, default=64, help="seeded judges (≥ clients)")
    parser.add_argument("--sheets", type=int, default=8, help="sheets per judge")
    parser.add_argument("--entries", type=int, default=100, help="entries in the results")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--redis",
        default="auto",
        help="JUARA_REDIS_URL for the server, or none (auto: PostgreSQL runs with the local "
        "Redis when it answers, SQLite without)",
    )
    parser.add_argument("--profile", help="folder for py-spy's collapsed stacks per phase")
    args = parser.parse_args()
    args.judges = max(args.judges, args.clients)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)

    from tests.support import postgres

    print(
        f"# {args.clients} clients, {args.workers} gunicorn workers × {args.threads} threads, "
        f"{args.duration:g} s per phase; client and server share this {os.cpu_count()}-core "
        f"machine (load {os.getloadavg()[0]:.2f})"
    )
    for name in args.databases.split(","):
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            os.environ["JUARA_HUEY_FILE"] = str(tmp / "huey-seed.sqlite3")
            if name == "sqlite":
                print(
                    bench_database(name, f"sqlite:///{tmp / 'juara.sqlite3'}", tmp, args),
                    flush=True,
                )
            elif name == "postgresql" and postgres.available():
                try:
                    url = postgres.create_database(PG_DATABASE)
                    print(bench_database(name, url, tmp, args), flush=True)
                finally:
                    postgres.drop_database(PG_DATABASE)
            else:
                print(f"# {name}: skipped (not available)")


if __name__ == "__main__":
    main()
