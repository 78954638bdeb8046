"""The clients of bench/load.py: judges saving sheets as static/js/outbox.js does, visitors."""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import time
import uuid
from dataclasses import dataclass, field

import aiohttp
from load_seed import PASSWORD, SLUG

HOME_EVERY = 10
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Phase:
    start: float
    stop: float
    errors: list[str] = field(default_factory=list)
    timings: dict[str, list[float]] = field(default_factory=dict)

    def record(self, kind: str, started: float, ok: bool, what: str) -> None:
        if started < self.start:
            return  # warm-up
        if not ok:
            self.errors.append(what)
            return
        self.timings.setdefault(kind, []).append(time.perf_counter() - started)


@dataclass
class Acks:
    saves: dict[str, tuple[int, int]] = field(default_factory=dict)  # submission → sheet, version
    last: dict[int, dict[str, float]] = field(default_factory=dict)  # sheet → values


def _session(base: str, client: int) -> aiohttp.ClientSession:
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": f"10.1.{client // 200}.{client % 200 + 1}",
        # Over https Flask-WTF also wants a same-origin Referer, which a browser sends.
        "Referer": base.replace("http://", "https://", 1) + "/juri/",
    }
    return aiohttp.ClientSession(
        base,
        headers=forwarded,
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        connector=aiohttp.TCPConnector(limit=1),
        timeout=aiohttp.ClientTimeout(total=30),
    )


async def login(http: aiohttp.ClientSession, judge: int) -> str:
    async with http.get("/login") as response:
        token = CSRF_RE.search(await response.text()).group(1)
    form = {"email": f"juri{judge}@bench.juara.id", "password": PASSWORD, "csrf_token": token}
    async with http.post("/login", data=form, allow_redirects=False) as response:
        if response.status != 302:
            text = re.sub(r"\s+", " ", await response.text())[:2000]
            raise SystemExit(f"login of judge {judge} answered {response.status}: {text}")
    async with http.get("/api/v1/session") as response:
        return (await response.json())["csrf_token"]


async def judge_client(
    http: aiohttp.ClientSession, token: str, sheets: list[int], criteria: list[int],
    phase: Phase, acks: Acks, rng: random.Random,
) -> None:  # fmt: skip
    versions = dict.fromkeys(sheets, 0)
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    n = 0
    while (started := time.perf_counter()) < phase.stop:
        n += 1
        try:
            if n % HOME_EVERY == 0:
                async with http.get("/juri/") as response:
                    await response.read()
                    phase.record("home", started, response.status == 200, f"home {response.status}")
                continue
            sheet = sheets[n % len(sheets)]
            values = {str(c): float(rng.randint(1, 100)) for c in criteria}
            submission = str(uuid.uuid4())
            body = {
                "submission_id": submission,
                "base_version": versions[sheet],
                "scores": values,
                "comments": {},
                "submit": False,
            }
            async with http.put(f"/api/v1/sheets/{sheet}", json=body, headers=headers) as response:
                data = await response.json(content_type=None)
                ok = response.status == 200
                phase.record("save", started, ok, f"save {response.status} {data}"[:300])
            if ok:
                versions[sheet] = data["version"]
                if data["changed"]:
                    acks.saves[submission] = (sheet, data["version"])
                    acks.last[sheet] = values
        except (aiohttp.ClientError, TimeoutError) as error:
            phase.record("save", started, False, f"client error {error!r}")


async def visitor(http: aiohttp.ClientSession, phase: Phase) -> None:
    while (started := time.perf_counter()) < phase.stop:
        try:
            async with http.get(f"/hasil/{SLUG}") as response:
                await response.read()
                phase.record(
                    "results", started, response.status == 200, f"results {response.status}"
                )
        except (aiohttp.ClientError, TimeoutError) as error:
            phase.record("results", started, False, f"client error {error!r}")


async def run_judges(
    base: str,
    owned: dict[int, list[int]],
    criteria: list[int],
    args: argparse.Namespace,
    acks: Acks,
) -> Phase:
    sessions = [_session(base, k) for k in range(args.clients)]
    try:
        tokens = await asyncio.gather(*(login(s, k) for k, s in enumerate(sessions)))
        start = time.perf_counter() + args.warmup
        phase = Phase(start, start + args.duration)
        await asyncio.gather(
            *(
                judge_client(s, t, owned[k], criteria, phase, acks, random.Random(k))
                for k, (s, t) in enumerate(zip(sessions, tokens, strict=True))
            )
        )
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return phase


async def run_visitors(base: str, args: argparse.Namespace) -> Phase:
    sessions = [_session(base, k) for k in range(args.clients)]
    start = time.perf_counter() + args.warmup
    phase = Phase(start, start + args.duration)
    try:
        await asyncio.gather(*(visitor(s, phase) for s in sessions))
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return phase
