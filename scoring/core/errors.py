"""Errors raised by the pure scoring core.

They subclass ``ValueError`` so a caller that only knows the standard library still catches them;
the service layer maps ``CoreError`` onto its own ``ScoringError`` family and a translated message.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class CoreError(ValueError):
    """Base class of every error the scoring core raises on purpose."""


class ShapeError(CoreError):
    """An input array has the wrong number of dimensions or mismatched lengths."""


class MissingScoresError(CoreError):
    """A value is NaN where the function refuses to guess (e.g. a total to be ranked)."""

    def __init__(self, message: str, indices: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.indices: tuple[int, ...] = tuple(int(i) for i in indices)


class IncompleteRatingsError(CoreError):
    """An agreement statistic that needs complete rows (ICC, Kendall's W) got NaN or too little."""


class DisconnectedDesignError(CoreError):
    """The entry–judge graph falls apart, so judge severities are not comparable across groups.

    ``groups`` lists one ``(entries, judges)`` pair of index tuples per connected group, in order
    of the smallest entry index; entries or judges without any score are left out.
    """

    def __init__(self, groups: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        self.groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
            (tuple(int(i) for i in e), tuple(int(j) for j in g)) for e, g in groups
        ]
        parts = "; ".join(
            f"group {n + 1}: entries {_short(e)} with judges {_short(j)}"
            for n, (e, j) in enumerate(self.groups)
        )
        super().__init__(
            f"the judging design is split into {len(self.groups)} unconnected groups, so judge "
            f"severity cannot be compared between them ({parts}); add a judge who scores entries "
            "in more than one group, or rank the groups separately"
        )


def _short(idx: tuple[int, ...], limit: int = 8) -> str:
    shown = ", ".join(str(i) for i in idx[:limit])
    return f"[{shown}{', …' if len(idx) > limit else ''}]"
