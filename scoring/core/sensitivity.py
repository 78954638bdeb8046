"""Does the result depend on the calibration method? Rank under each method and compare awards.

The committee sees, per entry, the rank and award under every method, and the list of entries
whose award is not the same under all methods. An empty list means the choice of method does not
change who wins what.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from scoring.core._arrays import as_matrix
from scoring.core.errors import CoreError
from scoring.core.normalise import METHODS, Aggregation, Method, aggregate, normalise
from scoring.core.ranking import AWARD_LABELS, NanPolicy, SharedRule, award_tiers, rank_entries


@dataclass(frozen=True)
class AwardChange:
    """An entry whose award differs between methods; ``awards`` maps method → label or None."""

    entry: int
    awards: dict[str, str | None]


@dataclass(frozen=True)
class MethodComparison:
    """Totals, ranks and awards per method, and the entries whose award changes.

    ``winner_stable`` is True when every method gives rank 1 to the same set of entries.
    """

    methods: tuple[str, ...]
    totals: dict[str, np.ndarray]
    ranks: dict[str, np.ndarray]
    awards: dict[str, list[str | None]]
    changes: tuple[AwardChange, ...]
    winner_stable: bool


def compare_methods(
    scores: ArrayLike,
    methods: Sequence[Method] = METHODS,
    *,
    how: Aggregation = "mean",
    tiebreak: ArrayLike | None = None,
    decimals: int = 2,
    labels: Sequence[str] = AWARD_LABELS,
    shared: SharedRule = "competition",
    nan_policy: NanPolicy = "raise",
) -> MethodComparison:
    """Run normalise → aggregate → rank_entries → award_tiers for each method and compare.

    ``scores`` is entries × judges (NaN = not scored). Errors of the individual steps propagate
    (e.g. DisconnectedDesignError for "additive", MissingScoresError for an unscored entry unless
    ``nan_policy="last"``, which ranks such entries last and gives them no award): a comparison
    that silently skipped a method would mislead.
    """
    x = as_matrix(scores)
    if not methods:
        raise CoreError("give at least one method")
    totals = {m: aggregate(normalise(x, m), how) for m in methods}
    ranks = {
        m: rank_entries(t, tiebreak, decimals, nan_policy=nan_policy) for m, t in totals.items()
    }
    awards = {
        m: award_tiers(r, labels, shared, eligible=~np.isnan(totals[m])) for m, r in ranks.items()
    }
    table = np.array([[a or "" for a in awards[m]] for m in methods], dtype=object)
    differs = np.flatnonzero((table != table[0]).any(axis=0))
    changes = tuple(
        AwardChange(int(i), {m: awards[m][i] for m in methods}) for i in differs.tolist()
    )
    winners = {frozenset(np.flatnonzero(r == 1).tolist()) for r in ranks.values()}
    return MethodComparison(
        methods=tuple(methods),
        totals=totals,
        ranks=ranks,
        awards=awards,
        changes=changes,
        winner_stable=len(winners) == 1,
    )
