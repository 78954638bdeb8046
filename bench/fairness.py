"""Which calibration method recovers the true order best? A small simulation.

Entries have a true quality; judges differ in severity (a shift of a few points) and a little in
spread; every score carries noise and is rounded to a whole number between 1 and 100. Three
designs:

* complete: 30 entries, 5 judges, every judge scores every entry;
* random: 36 entries, 9 judges, each entry scored by 3 judges drawn at random;
* banded: 36 entries split by a preliminary selection into 3 strength bands; each band has its
  own panel of 3 judges, and 2 head judges (ketua) score a random third of all entries, which
  is what links the panels;

For each method (normalise → mean per entry) it prints the mean Spearman correlation with the
true quality and how often the truly best entry is ranked first (Juara I), as a Markdown table
ready for docs/normalisation.md.

Run: .venv/bin/python bench/fairness.py [--reps N] [--seed S]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.core.errors import DisconnectedDesignError
from scoring.core.normalise import METHODS, aggregate, normalise

SEVERITY_SD = 6.0  # points between judges
SPREAD_SD = 0.15  # log-scale spread differences between judges
NOISE_SD = 5.0
QUALITY_SD = 8.0


def _scores(quality: np.ndarray, seen: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n_e, n_j = seen.shape
    severity = rng.normal(0, SEVERITY_SD, n_j)
    spread = np.exp(rng.normal(0, SPREAD_SD, n_j))
    raw = 72 + spread * (quality[:, None] - 72) + severity + rng.normal(0, NOISE_SD, (n_e, n_j))
    return np.where(seen, np.clip(np.rint(raw), 1, 100), np.nan)


def complete(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    quality = rng.normal(72, QUALITY_SD, 30)
    return quality, _scores(quality, np.ones((30, 5), bool), rng)


def random_panels(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    quality = rng.normal(72, QUALITY_SD, 36)
    picks = np.argsort(rng.random((36, 9)), axis=1)[:, :3]
    seen = np.zeros((36, 9), bool)
    seen[np.arange(36)[:, None], picks] = True
    return quality, _scores(quality, seen, rng)


def banded(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    quality = rng.normal(72, QUALITY_SD, 36)
    preliminary = quality + rng.normal(0, 3, 36)  # the earlier selection that formed the bands
    band = np.empty(36, int)
    band[np.argsort(-preliminary)] = np.repeat([0, 1, 2], 12)
    seen = np.zeros((36, 11), bool)
    for b in range(3):  # 3 loops to lay out the design; not library code
        seen[band == b, 3 * b : 3 * b + 3] = True
    seen[:, 9:] = rng.random((36, 2)) < 1 / 3
    return quality, _scores(quality, seen, rng)


DESIGNS: dict[str, Callable[[np.random.Generator], tuple[np.ndarray, np.ndarray]]] = {
    "lengkap": complete,
    "acak": random_panels,
    "berjenjang": banded,
}


def run(reps: int, seed: int) -> tuple[dict[str, dict[str, tuple[float, float]]], dict[str, int]]:
    """Mean Spearman rho and Juara-I hit rate per method and design, and skipped counts."""
    rng = np.random.default_rng(seed)
    rho: dict[str, dict[str, list[float]]] = {m: {d: [] for d in DESIGNS} for m in METHODS}
    hit: dict[str, dict[str, list[bool]]] = {m: {d: [] for d in DESIGNS} for m in METHODS}
    skipped = dict.fromkeys(DESIGNS, 0)
    for _ in range(reps):
        for dname, make in DESIGNS.items():
            quality, scores = make(rng)
            try:
                totals = {m: aggregate(normalise(scores, m)) for m in METHODS}
            except DisconnectedDesignError:  # panels not linked: every method skips it
                skipped[dname] += 1
                continue
            for method, total in totals.items():
                rho[method][dname].append(float(spearmanr(total, quality).statistic))
                hit[method][dname].append(bool(np.argmax(total) == np.argmax(quality)))
    table = {
        m: {d: (float(np.mean(rho[m][d])), float(np.mean(hit[m][d]))) for d in DESIGNS}
        for m in METHODS
    }
    return table, skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    t0 = time.perf_counter()
    table, skipped = run(args.reps, args.seed)
    names = list(DESIGNS)
    print(f"{args.reps} ulangan per desain, seed {args.seed}")
    print("rho = rata-rata korelasi Spearman dengan mutu sebenarnya; J1 = juara I tepat")
    print()
    head = " | ".join(f"{d}: rho | {d}: J1" for d in names)
    print(f"| metode | {head} |")
    print("|---" * (1 + 2 * len(names)) + "|")
    for method, per in table.items():
        cells = " | ".join(f"{per[d][0]:.3f} | {per[d][1]:.0%}" for d in names)
        print(f"| {method} | {cells} |")
    if any(skipped.values()):
        print(f"\nreplications skipped (design not connected): {skipped}")
    print(f"\nruntime_s={time.perf_counter() - t0:.1f}")


if __name__ == "__main__":
    main()
