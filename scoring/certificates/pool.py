"""Bulk rendering across a process pool sized to the cores.

Each worker builds its Renderer (fonts, stylesheet, templates, image cache) once, in the pool's
initializer, then renders contexts sent to it; results come back in order. Background jobs keep
one long-lived pool per process (`shared=True`) so a second job does not pay the start again.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from scoring.certificates.render import check_primitives, get_renderer


def _init_worker(media_dir: str | None, owner_pid: int) -> None:
    get_renderer(media_dir)  # fonts, stylesheet and templates once, before the first task
    threading.Thread(target=_exit_with_owner, args=(owner_pid,), daemon=True).start()


def _exit_with_owner(owner_pid: int) -> None:
    """End this worker when the process that started the pool is gone (e.g. SIGTERM, SIGKILL):
    an idle pool worker would otherwise wait on its task queue for ever."""
    while True:
        time.sleep(2)
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # the pid was reused by another user's process
            os._exit(0)


def _render_in_worker(task: tuple[str | None, Mapping[str, Any]]) -> bytes:
    media_dir, context = task
    return get_renderer(media_dir).render(context)


def worker_count() -> int:
    """Processes for bulk rendering: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def make_pool(media_dir: Path | str | None = None, workers: int | None = None) -> Executor:
    """A process pool whose workers each build their Renderer up front.

    forkserver, not fork: the web server and the job consumer run threads (and hold database
    connections) that a forked child must not inherit half-way through.
    """
    context = get_context("forkserver")
    context.set_forkserver_preload(["scoring.certificates.pool"])
    return ProcessPoolExecutor(
        max_workers=workers or worker_count(),
        mp_context=context,
        initializer=_init_worker,
        initargs=(str(media_dir) if media_dir is not None else None, os.getpid()),
    )


_shared: Executor | None = None
_shared_lock = threading.Lock()


def shared_pool(media_dir: Path | str | None = None) -> Executor:
    """This process's long-lived pool, started on first use: later jobs skip the start-up."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = make_pool(media_dir)
            atexit.register(_shared.shutdown, wait=False, cancel_futures=True)
        return _shared


def _drop_shared(pool: Executor) -> None:
    global _shared
    with _shared_lock:
        if _shared is pool:
            _shared = None
    pool.shutdown(wait=False, cancel_futures=True)


def render_many(
    contexts: Sequence[Mapping[str, Any]],
    media_dir: Path | str | None = None,
    workers: int | None = None,
    pool: Executor | None = None,
    shared: bool = False,
) -> Iterator[bytes]:
    """PDFs for `contexts`, in order, rendered across a process pool.

    With one worker (or very few certificates) it renders in this process instead: starting a
    pool costs more than it saves. Pass `pool` to use one you manage, or `shared=True` for the
    process's long-lived pool (background jobs); otherwise a pool lives for this call only.
    """
    clean = [check_primitives(c) for c in contexts]
    workers = workers or worker_count()
    if pool is None and (workers <= 1 or len(clean) < 2 * workers):
        renderer = get_renderer(media_dir)
        for context in clean:
            yield renderer.render(context)
        return
    own = pool is None and not shared
    executor = pool or (shared_pool(media_dir) if shared else make_pool(media_dir, workers))
    folder = str(media_dir) if media_dir is not None else None
    chunk = max(1, min(8, len(clean) // (4 * workers)))
    try:
        yield from executor.map(_render_in_worker, [(folder, c) for c in clean], chunksize=chunk)
    except BrokenProcessPool:
        if shared:
            _drop_shared(executor)  # a worker died (e.g. killed): start afresh next time
        raise
    finally:
        if own:
            executor.shutdown()
