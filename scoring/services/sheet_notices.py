"""Sending sheets back to their judges when the rubric grew a criterion after they were sent.

Called inside the transaction that opens a stage for scoring (`stages.change_stage_status`):
each sent sheet of that stage without a score for some criterion goes back to draft, with a
notice naming the missing criteria for the judge's sheet page, and one audit row.
"""

from __future__ import annotations

from scoring.extensions import db
from scoring.models import ScoreSheet, Stage
from scoring.results.completeness import IncompleteSheet, incomplete_sheets
from scoring.results.loading import load_category
from scoring.services.audit import record


def reopen_incomplete_sheets(stage: Stage) -> list[IncompleteSheet]:
    """Reopen the stage's sent (not locked) sheets that lack a criterion; the ones reopened."""
    reopened = []
    for found in incomplete_sheets(load_category(stage.category_id), stage.id):
        sheet = db.session.get(ScoreSheet, found.sheet_id)
        if sheet is None or sheet.status != "submitted":
            continue  # a locked sheet belongs to published results and stays as it is
        before = {
            "status": sheet.status,
            "version": sheet.version,
            "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None,
        }
        sheet.status = "draft"
        sheet.submitted_at = None
        # A new version: a tablet still holding the sent sheet learns of the change on sync.
        sheet.version += 1
        sheet.reopen_notice = {"missing": list(found.missing)}
        record(
            "sheet.reopen",
            sheet,
            before=before,
            after={
                "status": "draft",
                "version": sheet.version,
                "reason": "criterion_added",
                "missing": list(found.missing),
            },
            event_id=stage.category.event_id,
        )
        reopened.append(found)
    return reopened
