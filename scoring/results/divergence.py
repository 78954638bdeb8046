"""How the live ranking differs from the published one (pure: plain JSON outputs in, no database).

The committee's review recomputes from the current sheets, weights and rubric. Under a
"Published, version N" heading that is only honest while both agree; this lists every entry
whose rank, award or total differs, and every stage whose weight differs, so the review can
say "different from what was announced" and show exactly what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Placing:
    rank: int | None
    award: str | None
    total: float | None


@dataclass(frozen=True)
class EntryDifference:
    entry_id: int
    name: str
    published: Placing | None  # None: not in the published ranking
    live: Placing | None  # None: no longer in the ranking


@dataclass(frozen=True)
class WeightDifference:
    stage: str
    published: float | None  # None: the stage did not exist then
    live: float | None  # None: the stage is gone


@dataclass(frozen=True)
class Divergence:
    entries: list[EntryDifference]
    weights: list[WeightDifference]
    sheets: tuple[int, int]  # counted sheets (published, live)

    def __bool__(self) -> bool:
        return bool(self.entries or self.weights or self.sheets[0] != self.sheets[1])


def _placing(row: dict[str, Any]) -> Placing:
    return Placing(row.get("rank"), row.get("award"), row.get("total"))


def divergence(published: dict[str, Any], live: dict[str, Any]) -> Divergence:
    """Compare two outputs (`outputs_of`): the snapshot's, and the live one under its method."""
    before = {row["entry_id"]: row for row in published.get("rows", [])}
    after = {row["entry_id"]: row for row in live.get("rows", [])}
    entries = []
    for entry_id in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(entry_id), after.get(entry_id)
        old_p = _placing(old) if old else None
        new_p = _placing(new) if new else None
        if old_p != new_p:
            name = (new or old or {}).get("name", "")
            entries.append(EntryDifference(entry_id, name, old_p, new_p))
    old_w = {s["id"]: s for s in published.get("stages", [])}
    new_w = {s["id"]: s for s in live.get("stages", [])}
    weights = []
    for stage_id in [*old_w, *(k for k in new_w if k not in old_w)]:
        old_s, new_s = old_w.get(stage_id), new_w.get(stage_id)
        a = old_s["weight"] if old_s else None
        b = new_s["weight"] if new_s else None
        if a != b:
            weights.append(WeightDifference((new_s or old_s or {}).get("name", ""), a, b))
    sheets = (
        int(published.get("sheets", {}).get("counted", 0)),
        int(live.get("sheets", {}).get("counted", 0)),
    )
    return Divergence(entries, weights, sheets)
