"""One sheet save in-process: CPU milliseconds and statements per PUT /api/v1/sheets/<id>.

Flask's test client, one thread, a file SQLite database (WAL, the configured synchronous) and
PostgreSQL on 127.0.0.1:5432 when it answers. Prints one line per database:

    db=… save_cpu_ms=… statements_per_save=… wall_ms=…

Run: .venv/bin/python bench/save_cost.py [--saves N]  (bench/compare.sh runs it on both sides)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# The checkout in the current folder is measured (bench/compare.sh runs it in the base one).
sys.path.insert(0, str(Path.cwd()))

from sqlalchemy import event

from scoring.extensions import db
from tests.conftest import make_test_app
from tests.judge.support import api_login, body, build_open_sheet, put
from tests.support import postgres

PG_DATABASE = "juara_bench_save_cost"


def measure(url: str, saves: int) -> str:
    app = make_test_app(url, SQLITE_SYNCHRONOUS="FULL")
    with app.app_context():
        db.create_all()
        engine = db.engine
    graph = build_open_sheet(app)
    client = app.test_client()
    token = api_login(client, graph.judge_email)
    count = [0]

    def on_execute(*_args: object) -> None:
        count[0] += 1

    version = 0
    for warm in range(20):  # caches, prepared statements
        version = put(client, graph.sheet_id, token, body(version, {graph.criteria[0]: warm + 1}))
        version = version.get_json()["version"]
    event.listen(engine, "before_cursor_execute", on_execute)
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(saves):
        answer = put(client, graph.sheet_id, token, body(version, {graph.criteria[0]: n % 99 + 1}))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        version = answer.get_json()["version"]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    event.remove(engine, "before_cursor_execute", on_execute)
    with app.app_context():
        db.engine.dispose()
    return (
        f"save_cpu_ms={cpu * 1000 / saves:.1f} statements_per_save={count[0] / saves:.1f} "
        f"wall_ms={wall * 1000 / saves:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'cost.sqlite3'}"
        print(f"db=sqlite {measure(url, args.saves)}", flush=True)
    if postgres.available():
        try:
            url = postgres.create_database(PG_DATABASE)
            print(f"db=postgresql {measure(url, args.saves)}", flush=True)
        finally:
            postgres.drop_database(PG_DATABASE)


if __name__ == "__main__":
    main()
