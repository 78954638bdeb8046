"""All models, importable from one place (and registered with the metadata on import)."""

from scoring.models.advancement import StageAdvancement
from scoring.models.attachment import Attachment
from scoring.models.audit import AuditEvent
from scoring.models.certificate import Certificate, CertificateRevision, CertificateSettings
from scoring.models.conflict import ConflictOfInterest
from scoring.models.decision import StageDecision
from scoring.models.entry import Entry
from scoring.models.event import Category, Criterion, Event, Stage
from scoring.models.job import Job
from scoring.models.judging import Assignment, Score, ScoreSheet, SheetSubmission
from scoring.models.membership import EventMember
from scoring.models.region import Region
from scoring.models.registration import (
    OperatorInvitation,
    Registration,
    RegistrationDocument,
    RegistrationExtension,
    RegistrationWindow,
    RequiredDocument,
)
from scoring.models.results import JudgeFlagAcknowledgement, ResultSnapshot
from scoring.models.user import User

__all__ = [
    "Assignment",
    "Attachment",
    "AuditEvent",
    "Category",
    "Certificate",
    "CertificateRevision",
    "CertificateSettings",
    "ConflictOfInterest",
    "Criterion",
    "Entry",
    "Event",
    "EventMember",
    "Job",
    "JudgeFlagAcknowledgement",
    "OperatorInvitation",
    "Region",
    "Registration",
    "RegistrationDocument",
    "RegistrationExtension",
    "RegistrationWindow",
    "RequiredDocument",
    "ResultSnapshot",
    "Score",
    "ScoreSheet",
    "SheetSubmission",
    "Stage",
    "StageAdvancement",
    "StageDecision",
    "User",
]
