"""The committee's workspace: one blueprint, its routes split by concept across modules.

`events`, `rubrics`, `decisions`, `dashboard`, `entries`, `attachments`, `panel`,
`assignments` and `sheets` add routes to `bp`; importing them registers them.
"""

from scoring.committee import (
    assignments,
    attachments,
    dashboard,
    decisions,
    entries,
    events,
    panel,
    rubrics,
    sheets,
)
from scoring.committee.views import bp

__all__ = [
    "assignments",
    "attachments",
    "bp",
    "dashboard",
    "decisions",
    "entries",
    "events",
    "panel",
    "rubrics",
    "sheets",
]
