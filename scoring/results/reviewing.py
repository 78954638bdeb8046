"""Everything the committee's review page shows about one category, gathered in one call.

Read-only: it computes, it never writes. The ranking is computed under the chosen method; the
agreement, flags and blockers come from the raw sheet totals, which do not depend on the method,
so they are shown even when the chosen method cannot be computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from scoring.extensions import db
from scoring.models import Category
from scoring.models.results import JudgeFlagAcknowledgement, ResultSnapshot
from scoring.results import diagnostics, readings
from scoring.results.compute import Computation, Options
from scoring.results.divergence import Divergence, divergence
from scoring.services.errors import InvalidInput, NotFound, ScoringError
from scoring.services.publication import incomplete_blockers
from scoring.services.results import CategoryResults, load_category, results_from, run_pipeline
from scoring.services.snapshots import acknowledged_flags, publish_blockers


@dataclass
class FlagView:
    """One judge's flag of one kind, with the reason in each stage where it shows."""

    judge_id: int
    judge_name: str
    code: str
    label: str
    reasons: list[tuple[str, str]]  # (stage name, reason)
    acknowledged: JudgeFlagAcknowledgement | None


@dataclass(frozen=True)
class AgreementView:
    stage: diagnostics.StageAgreement
    readings: list[str]


@dataclass
class Review:
    category: Category
    method: str
    results: CategoryResults | None = None
    error: ScoringError | None = None
    comparison: diagnostics.MethodsComparison | None = None
    agreement: list[AgreementView] = field(default_factory=list)
    flags: list[FlagView] = field(default_factory=list)
    severity: list[diagnostics.Severity] = field(default_factory=list)
    blockers: list[InvalidInput] = field(default_factory=list)
    snapshots: list[ResultSnapshot] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    criteria: dict[int, str] = field(default_factory=dict)
    stage_names: list[str] = field(default_factory=list)
    judge_names: dict[int, str] = field(default_factory=dict)
    tiebreak: list[str] = field(default_factory=list)
    method_text: str = ""
    # The published version's own figures per entry id, and how the live ranking under the
    # published method differs from them (empty Divergence: it does not).
    published_rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    divergence: Divergence | None = None
    hard_blocked: bool = False  # blockers no override can pass (sheets missing a criterion)

    @property
    def current(self) -> ResultSnapshot | None:
        return next((s for s in self.snapshots if s.is_published), None)

    def tie_text(self, tie: dict[str, Any] | None) -> str:
        return readings.tie_text(tie, self.names, self.criteria)


def review_category(category_id: int, method: str) -> Review:
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("This category does not exist.")
    review = Review(category=category, method=method)
    review.snapshots = list(
        db.session.scalars(
            select(ResultSnapshot)
            .options(defer(ResultSnapshot.inputs), defer(ResultSnapshot.outputs))
            .where(ResultSnapshot.category_id == category_id)
            .order_by(ResultSnapshot.version.desc())
        )
    )
    try:
        data = load_category(category_id)
        base: Computation | None = None
        try:
            review.results = results_from(data, method)
            base = review.results.computation
        except InvalidInput as error:
            review.error = error
            base = run_pipeline(data, "raw")  # raises again if nothing can be computed
    except ScoringError as error:
        review.error = review.error or error
        return review
    review.names = {e.id: e.name for e in data.entries}
    review.criteria = {c.id: c.name for c in data.criteria}
    review.stage_names = [s.name for s in data.stages]
    review.judge_names = {j.id: j.name for j in data.judges}
    stage_name = {s.id: s.name for s in data.stages}
    review.tiebreak = [
        f"{data.criteria[k].name} ({stage_name[data.criteria[k].stage_id]})"
        for k in base.tiebreak_criteria
    ]
    review.method_text = readings.method_paragraph(method, Options().to_json(), review.tiebreak)
    review.comparison = diagnostics.compare(data)
    review.agreement = [
        AgreementView(a, _agreement_readings(a)) for a in diagnostics.agreement(base)
    ]
    review.severity = diagnostics.severity(base)
    acks = {
        (a.judge_id, a.code): a
        for a in db.session.scalars(
            select(JudgeFlagAcknowledgement).where(
                JudgeFlagAcknowledgement.category_id == category_id
            )
        )
    }
    grouped: dict[tuple[int, str], FlagView] = {}
    for f in diagnostics.flags(base):
        view = grouped.setdefault(
            (f.judge_id, f.code),
            FlagView(
                f.judge_id,
                f.judge_name,
                f.code,
                str(readings.FLAG_NAMES[f.code]),
                [],
                acks.get((f.judge_id, f.code)),
            ),
        )
        view.reasons.append((f.stage_name, readings.flag_reason(f.code, f.values)))
    review.flags = sorted(grouped.values(), key=lambda v: (v.judge_name, v.code))
    review.blockers = publish_blockers(base, acknowledged_flags(category_id))
    incomplete = incomplete_blockers(data)
    review.hard_blocked = bool(incomplete)
    review.blockers[:0] = incomplete
    _compare_with_published(review, data)
    if review.error is not None:
        review.blockers.insert(0, review.error)  # type: ignore[arg-type]
    return review


def _compare_with_published(review: Review, data: Any) -> None:
    current = review.current
    if current is None:
        return
    published = current.outputs
    review.published_rows = {row["entry_id"]: row for row in published["rows"]}
    live = review.results
    if live is None or review.method != current.method:
        try:
            live = results_from(data, current.method, Options.from_json(current.options))
        except InvalidInput:
            return
    review.divergence = divergence(published, live.outputs)


def _agreement_readings(a: diagnostics.StageAgreement) -> list[str]:
    from flask_babel import gettext as _

    from scoring.i18n import format_number

    lines = []
    if a.alpha_raw is not None:
        lines.append(
            _(
                "Krippendorff's alpha %(value)s: agreement of the raw scores is %(level)s.",
                value=format_number(a.alpha_raw, 2),
                level=readings.level_text(readings.alpha_level(a.alpha_raw)),
            )
        )
    if a.alpha_calibrated is not None and a.alpha_raw is not None:
        lines.append(
            _(
                "After calibration it is %(value)s (%(level)s): the difference is the judges' "
                "harshness or leniency that the method removes.",
                value=format_number(a.alpha_calibrated, 2),
                level=readings.level_text(readings.alpha_level(a.alpha_calibrated)),
            )
        )
    if a.icc_average is not None and a.kendall_w is not None:
        lines.append(
            _(
                "On the %(n)d entries every judge scored: the panel's mean is %(icc)s reliable "
                "(ICC(3,k) %(icc_value)s) and the judges' orders agree %(w)s "
                "(Kendall's W %(w_value)s).",
                n=a.complete_rows,
                icc=readings.level_text(readings.icc_level(a.icc_average)),
                icc_value=format_number(a.icc_average, 2),
                w=readings.level_text(readings.w_level(a.kendall_w)),
                w_value=format_number(a.kendall_w, 2),
            )
        )
    else:
        lines.append(
            _(
                "ICC and Kendall's W need at least %(min)d entries scored by every judge of the "
                "stage; there are %(n)d.",
                min=diagnostics.MIN_COMPLETE_ROWS,
                n=a.complete_rows,
            )
        )
    return lines
