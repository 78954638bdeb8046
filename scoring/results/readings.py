"""Plain words for the numbers: methods, agreement levels, judge flags and tie notes.

Thresholds and their sources:
* Krippendorff's alpha: ≥ 0.800 reliable, 0.667–0.800 tentative conclusions only, lower is low
  (Krippendorff, *Content Analysis: An Introduction to Its Methodology*, 2nd ed. 2004, §11.4.4).
* ICC: < 0.50 poor, 0.50–0.75 moderate, 0.75–0.90 good, ≥ 0.90 excellent (Koo & Li 2016,
  J. Chiropractic Medicine 15(2), "A guideline of selecting and reporting ICC").
* Kendall's W: < 0.30 weak, 0.30–0.70 moderate, ≥ 0.70 strong (after Schmidt 1997, Decision
  Sciences 28(3), who reads 0.1 very weak, 0.3 weak, 0.5 moderate, 0.7 strong).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scoring.i18n import format_number

METHOD_NAMES = {
    "raw": _l("Raw scores"),
    "zscore": _l("Standard scores (z)"),
    "rank": _l("Percentile ranks"),
    "additive": _l("Additive model (default)"),
}

METHOD_TEXT = {
    "raw": _l("The judges' scores are used as given."),
    "zscore": _l(
        "Each judge's scores are standardised (minus the judge's mean, divided by the judge's "
        "standard deviation) and brought back to the common mean and spread."
    ),
    "rank": _l(
        "Each judge's scores are replaced by their position among the entries that judge scored "
        "(0–100; equal scores share the average position)."
    ),
    "additive": _l(
        "How much harsher or more lenient each judge is than the average judge is estimated "
        "from all scores together (entry quality + judge tendency + chance), and subtracted "
        "from that judge's scores."
    ),
}

AGGREGATE_TEXT = {
    "mean": _l("the mean of the judges"),
    "median": _l("the median of the judges"),
    "trimmed": _l("the mean of the judges without the highest and lowest score (4 or more)"),
}

LEVELS = {
    "good": _l("very good"),
    "tentative": _l("enough for tentative conclusions"),
    "low": _l("low"),
    "excellent": _l("excellent"),
    "moderate": _l("moderate"),
    "poor": _l("poor"),
    "strong": _l("strong"),
    "weak": _l("weak"),
}

FLAG_NAMES = {
    "harsh": _l("much harsher than the others"),
    "lenient": _l("much more lenient than the others"),
    "disagrees": _l("order differs from the others"),
    "flat": _l("almost the same score for everyone"),
}


def method_paragraph(method: str, options: dict[str, Any], tiebreak: list[str]) -> str:
    """The whole method in one paragraph (review page and berita acara)."""
    parts = [
        _(
            "Each score sheet counts as its weighted percentage of the maximum score of the "
            "criteria."
        ),
        str(METHOD_TEXT[method]),
        _(
            "A stage score is %(how)s; stage scores are combined by the stage weights, and an "
            "entry that reached a later stage (e.g. the field visit) ranks above every entry "
            "that did not.",
            how=AGGREGATE_TEXT.get(options.get("aggregate", "mean"), AGGREGATE_TEXT["mean"]),
        ),
        _(
            "Totals are compared at %(n)d decimals (rounded half up).",
            n=int(options.get("decimals", 2)),
        ),
    ]
    if tiebreak:
        parts.append(
            _(
                "Equal totals are decided by these criteria in this order: %(list)s; entries "
                "still equal share the rank.",
                list="; ".join(tiebreak),
            )
        )
    else:
        parts.append(_("Entries with equal totals share the rank."))
    return " ".join(parts)


def alpha_level(value: float | None) -> str | None:
    if value is None:
        return None
    return "good" if value >= 0.8 else "tentative" if value >= 0.667 else "low"


def icc_level(value: float | None) -> str | None:
    if value is None:
        return None
    if value >= 0.9:
        return "excellent"
    return "good" if value >= 0.75 else "moderate" if value >= 0.5 else "poor"


def w_level(value: float | None) -> str | None:
    if value is None:
        return None
    return "strong" if value >= 0.7 else "moderate" if value >= 0.3 else "weak"


def level_text(level: str | None) -> str:
    return str(LEVELS[level]) if level else ""


def flag_reason(code: str, values: dict[str, float]) -> str:
    """Why a judge is flagged, with the numbers, in one sentence."""
    n = int(values.get("n_entries", 0))
    if code in ("harsh", "lenient"):
        numbers = {
            "n": n,
            "points": format_number(abs(values["offset"]), 1),
            "own": format_number(values["own_mean"], 1),
            "others": format_number(values["others_mean"], 1),
        }
        if code == "harsh":
            return _(
                "On the %(n)d entries also scored by others, this judge gave on average "
                "%(points)s points less than the others (%(own)s against %(others)s).",
                **numbers,
            )
        return _(
            "On the %(n)d entries also scored by others, this judge gave on average "
            "%(points)s points more than the others (%(own)s against %(others)s).",
            **numbers,
        )
    if code == "disagrees":
        return _(
            "On %(n)d shared entries, the order this judge gave differs from the others' order "
            "(Spearman correlation %(rho)s, below %(threshold)s).",
            n=n,
            rho=format_number(values["rho"], 2),
            threshold=format_number(values["threshold"], 2),
        )
    return _(
        "This judge gave almost the same score to everyone: spread %(sd)s points against "
        "%(others)s for the other judges.",
        sd=format_number(values["sd"], 1),
        others=format_number(values["others_sd"], 1),
    )


def tie_text(tie: dict[str, Any] | None, names: dict[int, str], criteria: dict[int, str]) -> str:
    """ "Equal total with X; decided by criterion Y" or "Shares the rank with X"."""
    if not tie:
        return ""
    parts = []
    decided = [names.get(e, "?") for e in tie["tied_with"] if e not in tie["shared_with"]]
    if decided and tie.get("decided_by") is not None:
        parts.append(
            _(
                "Equal total with %(names)s; decided by the criterion “%(criterion)s”.",
                names=", ".join(decided),
                criterion=criteria.get(tie["decided_by"], "?"),
            )
        )
    if tie["shared_with"]:
        parts.append(
            _(
                "Shares the rank with %(names)s (equal on every tie-break criterion).",
                names=", ".join(names.get(e, "?") for e in tie["shared_with"]),
            )
        )
    return " ".join(parts)
