"""Time the scoring core's whole pipeline against a straightforward loop version.

10,000 entries × 50 judges × 10 criteria, 30% of the score sheets missing. Pipeline: weighted
criterion total per sheet → additive normalisation → mean per entry → a second stage (field
visit for the top 30) → combined total → ranks with criterion tie-breaks → award tiers →
agreement (ICC and Kendall's W on the complete rows of a 5-judge panel, Krippendorff's interval
alpha on all sheets with missing values, judge flags). Both versions must give the same answer;
the script checks that before printing. The last line is

    pipeline_s=… naive_s=… speedup=…

Run: .venv/bin/python bench/core.py [--entries N] [--repeat R]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.core.agreement import icc, judge_flags, kendall_w, krippendorff_alpha
from scoring.core.normalise import aggregate, normalise
from scoring.core.ranking import (
    award_tiers,
    combine_stages,
    rank_entries,
    round_published,
    weighted_total,
)

JUDGES, CRITERIA, MISSING, PANEL, VISITS = 50, 10, 0.30, 5, 30
WEIGHTS = np.array([20, 15, 15, 10, 10, 10, 5, 5, 5, 5], dtype=float)
STAGE_WEIGHTS = np.array([60.0, 40.0])


@dataclass
class Data:
    scores: np.ndarray  # entries × judges × criteria, NaN where the sheet is missing
    field: np.ndarray  # field-visit score per entry (only the visited ones are used)


@dataclass
class Result:
    total: np.ndarray
    ranks: np.ndarray
    awards: list[str | None]
    icc: dict[str, float]
    w: float
    alpha: float
    flags: list[tuple[str, int]]


def make_data(entries: int, seed: int = 2025) -> Data:
    rng = np.random.default_rng(seed)
    quality = rng.normal(72, 8, entries)
    severity = rng.normal(0, 6, JUDGES)
    crit_skill = rng.normal(0, 3, (entries, 1, CRITERIA))
    noise = rng.normal(0, 7, (entries, JUDGES, CRITERIA))
    raw = quality[:, None, None] + severity[None, :, None] + crit_skill + noise
    scores = np.clip(np.rint(raw), 1, 100)
    scores[rng.random((entries, JUDGES)) < MISSING] = np.nan
    field = np.clip(np.rint(quality + rng.normal(0, 4, entries)), 1, 100)
    return Data(scores, field)


# --------------------------------------------------------------------------- vectorised


def pipeline(d: Data) -> Result:
    sheet = weighted_total(d.scores, WEIGHTS)
    stage1 = aggregate(normalise(sheet, "additive"), "mean")
    observed = ~np.isnan(d.scores)
    crit = np.where(observed, d.scores, 0.0).sum(axis=1) / observed.sum(axis=1)
    visited = np.argpartition(-stage1, VISITS)[:VISITS]
    stage2 = np.full(stage1.shape, np.nan)
    stage2[visited] = d.field[visited]
    total = combine_stages(np.column_stack([stage1, stage2]), STAGE_WEIGHTS)
    ranks = rank_entries(total, crit)
    panel = sheet[:, :PANEL]
    complete = panel[~np.isnan(panel).any(axis=1)]
    return Result(
        total=np.asarray(total),
        ranks=ranks,
        awards=award_tiers(ranks),
        icc=icc(complete),
        w=kendall_w(complete).w,
        alpha=krippendorff_alpha(sheet, "interval"),
        flags=[(f.code, f.judge) for f in judge_flags(sheet)],
    )


# --------------------------------------------------------------------------- naive loops


def naive_pipeline(d: Data) -> Result:
    n_e, n_j, n_k = d.scores.shape
    w = WEIGHTS.tolist()
    sheet = [[math.nan] * n_j for _ in range(n_e)]
    crit = [[0.0] * n_k for _ in range(n_e)]
    cells: list[list[tuple[int, float]]] = [[] for _ in range(n_e)]
    scores = d.scores.tolist()
    for i in range(n_e):
        for j in range(n_j):
            row = scores[i][j]
            if math.isnan(row[0]):
                continue
            sheet[i][j] = sum(w[k] * row[k] for k in range(n_k)) / sum(w)
            cells[i].append((j, sheet[i][j]))
            for k in range(n_k):
                crit[i][k] += row[k]
        for k in range(n_k):
            crit[i][k] /= len(cells[i])

    # Additive model: reduced normal equations accumulated entry by entry.
    cmat = [[0.0] * n_j for _ in range(n_j)]
    q = [0.0] * n_j
    for i in range(n_e):
        r = len(cells[i])
        mean_i = sum(y for _, y in cells[i]) / r
        for j, y in cells[i]:
            cmat[j][j] += 1.0
            q[j] += y - mean_i
            for k, _ in cells[i]:
                cmat[j][k] -= 1.0 / r
    for j in range(n_j):
        for k in range(n_j):
            cmat[j][k] += 1.0
    bias = np.linalg.solve(np.array(cmat), np.array(q)).tolist()
    stage1 = [sum(y - bias[j] for j, y in cells[i]) / len(cells[i]) for i in range(n_e)]

    visited = set(sorted(range(n_e), key=lambda i: -stage1[i])[:VISITS])
    sw = STAGE_WEIGHTS.tolist()
    total = [
        (sw[0] * stage1[i] + (sw[1] * d.field[i] if i in visited else 0.0)) / sum(sw)
        for i in range(n_e)
    ]
    tier = [2 if i in visited else 1 for i in range(n_e)]

    def key(i: int) -> tuple[float, ...]:
        rounded = [round_published(v, 2).item() for v in [total[i], *crit[i]]]
        return (-tier[i], *(-v for v in rounded))

    order = sorted(range(n_e), key=key)
    ranks = [0] * n_e
    for pos, i in enumerate(order):
        prev = order[pos - 1] if pos else None
        ranks[i] = ranks[prev] if prev is not None and key(prev) == key(i) else pos + 1
    labels = ("Juara I", "Juara II", "Juara III", "Harapan I", "Harapan II", "Harapan III")
    awards = [labels[r - 1] if r <= len(labels) else None for r in ranks]

    complete = [row[:PANEL] for row in sheet if not any(math.isnan(v) for v in row[:PANEL])]
    return Result(
        total=np.array(total),
        ranks=np.array(ranks),
        awards=awards,
        icc=_naive_icc(complete),
        w=_naive_kendall(complete),
        alpha=_naive_alpha(sheet),
        flags=_naive_flags(sheet),
    )


def _naive_icc(x: list[list[float]]) -> dict[str, float]:
    n, k = len(x), len(x[0])
    grand = sum(map(sum, x)) / (n * k)
    rows = [sum(r) / k for r in x]
    cols = [sum(r[j] for r in x) / n for j in range(k)]
    sst = sum((v - grand) ** 2 for r in x for v in r)
    ssr = k * sum((m - grand) ** 2 for m in rows)
    ssc = n * sum((m - grand) ** 2 for m in cols)
    bms, jms = ssr / (n - 1), ssc / (k - 1)
    ems = (sst - ssr - ssc) / ((n - 1) * (k - 1))
    wms = (sst - ssr) / (n * (k - 1))
    return {
        "ICC1": (bms - wms) / (bms + (k - 1) * wms),
        "ICC2": (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC3": (bms - ems) / (bms + (k - 1) * ems),
        "ICC1k": (bms - wms) / bms,
        "ICC2k": (bms - ems) / (bms + (jms - ems) / n),
        "ICC3k": (bms - ems) / bms,
    }


def _avg_ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for p in range(start, end + 1):
            ranks[order[p]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def _naive_kendall(x: list[list[float]]) -> float:
    n, m = len(x), len(x[0])
    rank_cols = [_avg_ranks([row[j] for row in x]) for j in range(m)]
    ties = 0.0
    for j in range(m):
        counts: dict[float, int] = {}
        for v in (row[j] for row in x):
            counts[v] = counts.get(v, 0) + 1
        ties += sum(t**3 - t for t in counts.values())
    sums = [sum(rank_cols[j][i] for j in range(m)) for i in range(n)]
    s = sum((r - m * (n + 1) / 2) ** 2 for r in sums)
    return 12 * s / (m * m * (n**3 - n) - m * ties)


def _naive_alpha(sheet: list[list[float]]) -> float:
    d_obs, values = 0.0, []
    for row in sheet:
        unit = [v for v in row if not math.isnan(v)]
        if len(unit) < 2:
            continue
        values.extend(unit)
        pairs = sum((a - b) ** 2 for a in unit for b in unit)
        d_obs += pairs / (len(unit) - 1)
    n = len(values)
    mean = sum(values) / n
    d_exp = 2 * n * sum((v - mean) ** 2 for v in values)
    return 1 - (n - 1) * d_obs / d_exp


def _naive_flags(sheet: list[list[float]]) -> list[tuple[str, int]]:
    n_j = len(sheet[0])
    sds, stats = [], []
    for j in range(n_j):
        own, loo, allv = [], [], []
        for row in sheet:
            if math.isnan(row[j]):
                continue
            allv.append(row[j])
            others = [v for k, v in enumerate(row) if k != j and not math.isnan(v)]
            if others:
                own.append(row[j])
                loo.append(sum(others) / len(others))
        mean = sum(allv) / len(allv)
        sds.append(math.sqrt(sum((v - mean) ** 2 for v in allv) / (len(allv) - 1)))
        ra, rb = _avg_ranks(own), _avg_ranks(loo)
        ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
        cov = sum((a - ma) * (b - mb) for a, b in zip(ra, rb, strict=True))
        den = math.sqrt(sum((a - ma) ** 2 for a in ra) * sum((b - mb) ** 2 for b in rb))
        stats.append((sum(own) / len(own) - sum(loo) / len(loo), cov / den, len(own)))
    flags = []
    for j, (offset, rho, n) in enumerate(stats):
        if abs(offset) >= 10:
            flags.append(("harsh" if offset < 0 else "lenient", j))
        if n >= 5 and rho < 0.3:
            flags.append(("disagrees", j))
        if sds[j] < 0.35 * statistics.median(sds[:j] + sds[j + 1 :]):
            flags.append(("flat", j))
    return flags


# --------------------------------------------------------------------------- main


def check_same(a: Result, b: Result) -> None:
    np.testing.assert_allclose(a.total, b.total, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    assert a.awards == b.awards
    for k in a.icc:
        assert abs(a.icc[k] - b.icc[k]) < 1e-9, k
    assert abs(a.w - b.w) < 1e-9
    assert abs(a.alpha - b.alpha) < 1e-9
    assert a.flags == b.flags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    data = make_data(args.entries)
    print(f"entries={args.entries} judges={JUDGES} criteria={CRITERIA} missing={MISSING:.0%}")
    pipeline(data)  # warm-up: imports, BLAS threads, caches
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fast = pipeline(data)
        times.append(time.perf_counter() - t0)
    pipeline_s = statistics.median(times)
    print(f"vectorised runs: {', '.join(f'{t:.3f}' for t in times)} s (median reported)")

    t0 = time.perf_counter()
    slow = naive_pipeline(data)
    naive_s = time.perf_counter() - t0
    check_same(fast, slow)
    icc_txt = " ".join(f"{k}={v:.3f}" for k, v in fast.icc.items())
    panel = ~np.isnan(data.scores[:, :PANEL, 0]).any(axis=1)
    print(
        f"same results in both versions: yes (panel of {PANEL} judges, {panel.sum()} complete rows)"
    )
    print(f"agreement: {icc_txt} W={fast.w:.3f} alpha_interval={fast.alpha:.3f}")
    print(f"flags: {fast.flags}")
    winners = [i for i, a in enumerate(fast.awards) if a is not None]
    print(f"awarded entries: {winners}")
    print(f"pipeline_s={pipeline_s:.3f} naive_s={naive_s:.2f} speedup={naive_s / pipeline_s:.0f}x")


if __name__ == "__main__":
    main()
