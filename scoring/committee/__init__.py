"""The committee's workspace: one blueprint, its routes split by concept across modules.

`events`, `members`, `rubrics`, `stage_status`, `decisions`, `dashboard`, `entries`,
`attachments`, `panel`, `assignments`, `sheets`, `privacy`, `advancement`, `tiered` and
`registration` add routes to `bp`; importing them registers them.
"""

from scoring.auth.membership import require_event_member
from scoring.committee import (
    advancement,
    assignments,
    attachments,
    dashboard,
    decisions,
    entries,
    events,
    members,
    panel,
    privacy,
    registration,
    rubrics,
    sheets,
    stage_status,
    tiered,
)
from scoring.committee.views import bp

# Event membership, checked once for every committee page (committee, results, certificates
# and files blueprints): see scoring/auth/membership.py.
bp.before_app_request(require_event_member)

__all__ = [
    "advancement",
    "assignments",
    "attachments",
    "bp",
    "dashboard",
    "decisions",
    "entries",
    "events",
    "members",
    "panel",
    "privacy",
    "registration",
    "rubrics",
    "sheets",
    "stage_status",
    "tiered",
]
