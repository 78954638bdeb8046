"""The results rules in plain words for people who are not statisticians.

Used by the public results page and the berita acara, so both say the same thing. The numbers
quoted (weights, highest possible score, rounding unit) come from the snapshot.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scoring.i18n import format_number
from scoring.results.breakdown import cuts, shares

PLAIN_METHOD = {
    "raw": _l("The judges' scores are used as they are, without any correction."),
    "zscore": _l(
        "Some judges give higher numbers than others, so each judge's scores are first put on "
        "the same scale: what counts is how far an entry is above or below that judge's own "
        "average, not the bare number."
    ),
    "rank": _l(
        "Each judge's scores are replaced by the entry's place in that judge's order (best = "
        "100), so only the order each judge gave counts, not the size of the gaps."
    ),
    "additive": _l(
        "Some judges are stricter than others. From all the scores together the system works "
        "out how many points each judge gives above or below the average judge, and takes that "
        "difference out of the judge's scores, so no entry gains or loses because of which "
        "judges it happened to get."
    ),
}

PLAIN_AGGREGATE = {
    "mean": _l("the average of its judges"),
    "median": _l("the middle value of its judges"),
    "trimmed": _l("the average of its judges without the highest and the lowest score"),
}


def whole(value: float) -> str:
    """60 -> "60", 33.3333 -> "33,33"."""
    return format_number(value, 0 if float(value).is_integer() else 2)


def stage_rule(stages: list[dict[str, Any]], decimals: int) -> list[str]:
    """How stage scores make the final score, why some totals stop at 60, how rounding works."""
    weights = shares(stages)
    listing = ", ".join(f"{s['name']} {whole(w)}%" for s, w in zip(stages, weights, strict=True))
    text = [
        _(
            "The final score is the sum of what each stage contributes: the stage score (0–100) "
            "times the weight of the stage (%(list)s).",
            list=listing,
        )
    ]
    if len(stages) > 1:
        limits = "; ".join(
            _(
                "at most %(maximum)s if it stopped after %(stage)s",
                maximum=whole(c.maximum),
                stage=c.stage,
            )
            for c in cuts(stages)
        )
        text.append(
            _(
                "Not every entry goes on to every stage: only the best ones are chosen for the "
                "next stage. A stage an entry did not reach adds nothing, so its final score is "
                "%(limits)s. That is why an entry that reached a later stage always ranks above "
                "every entry that stopped earlier, even with a lower final score.",
                limits=limits,
            )
        )
    unit = format_number(10.0**-decimals, decimals)
    text.append(
        _(
            "Final scores are rounded to %(n)d decimals (half up) and the ranking uses these "
            "rounded numbers. The stage contributions are rounded so that they add up exactly "
            "to the printed final score: each is first rounded down, and the %(unit)s still "
            "missing go to the stages with the largest remainder, so no contribution differs "
            "from its exact value by more than %(unit)s.",
            n=decimals,
            unit=unit,
        )
    )
    return text


def plain_method(method: str, options: dict[str, Any], tiebreak: list[str]) -> str:
    """The whole judging method in words a member of the public understands."""
    how = PLAIN_AGGREGATE.get(options.get("aggregate", "mean"), PLAIN_AGGREGATE["mean"])
    parts = [
        _(
            "Each judge scores each entry on every criterion. A score sheet is worth the "
            "criterion scores weighted by the rubric, as a percentage of the highest possible "
            "score (0–100)."
        ),
        str(PLAIN_METHOD.get(method, PLAIN_METHOD["raw"])),
        _("The score of an entry in a stage is %(how)s.", how=how),
    ]
    if tiebreak:
        parts.append(
            _(
                "When two entries have the same final score, the criteria below decide, in this "
                "order: %(list)s. Entries still equal share the same rank.",
                list="; ".join(tiebreak),
            )
        )
    else:
        parts.append(_("Entries with the same final score share the same rank."))
    return " ".join(parts)
