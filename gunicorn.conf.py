"""gunicorn settings for Juara: `gunicorn -c gunicorn.conf.py wsgi:app`.

Workers and threads come from the environment; the defaults suit a 2-core machine: two worker
processes (a crash or restart of one keeps the other serving) with four threads each, since a
request mostly waits on the database.
"""

import multiprocessing
import os

bind = os.environ.get("JUARA_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("JUARA_WORKERS", min(2 * multiprocessing.cpu_count(), 2) or 2))
threads = int(os.environ.get("JUARA_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("JUARA_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take the venue down. Not too often: a
# worker imports the whole app again (scipy, WeasyPrint: seconds of CPU), which at 5,000 showed
# as a latency spike every half minute under the load benchmark (docs/performance.md).
max_requests = int(os.environ.get("JUARA_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Each worker opens its own database connections after the fork.
preload_app = False
# The app logs one structured line per request itself (scoring/observability.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("JUARA_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("JUARA_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker: object) -> None:
    # A worker imports the whole app before it serves (seconds on a busy machine): say when.
    worker.log.info("Worker ready (pid: %s)", worker.pid)
