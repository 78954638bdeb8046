"""Issue all certificates of a category (or all judge appreciations) as a background job.

`start_issue_all` checks what can be checked at once (published? settings complete? already
running?), records a Job and enqueues it; `run_issue_job` (in the huey worker) numbers the
certificates, renders the missing PDFs across a process pool, reporting progress on the Job
row as it goes, and finishes with a ZIP of every valid certificate in scope.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from scoring.certificates import revisions, storage
from scoring.certificates.context import certificate_context
from scoring.certificates.pool import render_many
from scoring.certificates.settings import get_settings, require_complete
from scoring.database import begin_write, get_for_update
from scoring.extensions import db
from scoring.models import Category, Certificate, CertificateSettings, Event, Job
from scoring.orm import utcnow
from scoring.services import certificates as issuing
from scoring.services.audit import record
from scoring.services.errors import Conflict, NotFound, ScoringError

KIND = "certificates.issue_all"
# A job untouched this long is presumed dead (its worker stopped) and no longer blocks a new one.
STALE_AFTER = dt.timedelta(minutes=10)
PROGRESS_EVERY = 0.5  # seconds between progress commits
# Stored on the Job as a msgid and translated by the page (a ScoringError so Babel extracts it).
FAILED = ScoringError("The certificates could not be issued. Please try again.").message


def _scope(category_id: int | None) -> dict[str, Any]:
    return {"category_id": category_id}


def active_job(event_id: int, category_id: int | None) -> Job | None:
    """A queued or running issue-all job for the same scope that still shows signs of life."""
    jobs = db.session.scalars(
        select(Job).where(
            Job.kind == KIND, Job.event_id == event_id, Job.status.in_(("queued", "running"))
        )
    )
    now = utcnow()
    for job in jobs:
        if job.params.get("category_id") == category_id and now - job.updated_at < STALE_AFTER:
            return job
    return None


def start_issue_all(event_id: int, category_id: int | None, actor_id: int | None) -> Job:
    """Queue the issuing of a category's certificates (category_id None: the judges')."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found.")
    if category_id is not None:
        category = db.session.get(Category, category_id)
        if category is None or category.event_id != event_id:
            raise NotFound("Category not found.")
        if issuing._awards_for(category_id) is None:
            raise Conflict(
                "The results of %(category)s are not published yet; certificates can be issued "
                "once they are.",
                category=category.name,
            )
    require_complete(get_settings(event_id))
    begin_write()
    running = active_job(event_id, category_id)
    if running is not None:
        db.session.rollback()
        raise Conflict("These certificates are already being issued; follow the progress below.")
    job = Job(kind=KIND, event_id=event_id, params=_scope(category_id), created_by=actor_id)
    db.session.add(job)
    db.session.flush()
    record(
        "job.start", job, after={"kind": KIND, **job.params}, event_id=event_id, actor_id=actor_id
    )
    db.session.commit()
    job_id = job.id
    from scoring import jobs

    jobs.enqueue_issue_all(job_id)
    return db.session.get(Job, job_id) or job


def _plain_params(params: dict[str, object]) -> dict[str, object]:
    return {k: v if isinstance(v, (str, int, float)) else str(v) for k, v in params.items()}


def _set(job_id: int, **values: Any) -> None:
    begin_write()
    db.session.execute(update(Job).where(Job.id == job_id).values(updated_at=utcnow(), **values))
    db.session.commit()


def _in_scope(event_id: int, category_id: int | None) -> Any:
    if category_id is None:
        return (Certificate.event_id == event_id) & (Certificate.kind == "judge")
    return Certificate.category_id == category_id


def run_issue_job(job_id: int) -> None:
    """The worker's side: number, render with progress, zip. Never raises for a domain error."""
    job = get_for_update(Job, job_id)
    if job is None or job.status != "queued":
        db.session.rollback()
        return
    job.status, job.started_at = "running", utcnow()
    event_id, category_id, actor_id = job.event_id, job.params.get("category_id"), job.created_by
    db.session.commit()
    assert event_id is not None
    try:
        if category_id is None:
            issuing.issue_judges(event_id, actor_id)
        else:
            issuing.issue_category(category_id, actor_id)
        _render_missing(job_id, event_id, category_id)
        result = _zip(job_id, event_id, category_id)
    except ScoringError as error:
        db.session.rollback()
        params = {"category_id": category_id, "error_params": _plain_params(error.params)}
        _set(job_id, status="failed", error=error.message, params=params, finished_at=utcnow())
        return
    except Exception:
        db.session.rollback()
        current_app.logger.exception("certificate job %s failed", job_id)
        _set(job_id, status="failed", error=FAILED, finished_at=utcnow())
        return
    _set(job_id, status="done", result_name=result, finished_at=utcnow())


def _render_missing(job_id: int, event_id: int, category_id: int | None) -> None:
    settings = db.session.scalar(select(CertificateSettings).filter_by(event_id=event_id))
    assert settings is not None
    todo = list(
        db.session.scalars(
            select(Certificate)
            .where(_in_scope(event_id, category_id), Certificate.status == "valid")
            .where(Certificate.pdf_name.is_(None))
            .order_by(Certificate.seq)
        )
    )
    _set(job_id, total=len(todo), done=0)
    if not todo:
        return
    targets = [(c.id, c.token) for c in todo]
    contexts = [certificate_context(c, settings) for c in todo]
    db.session.rollback()  # end the read transaction before the long rendering
    pending: list[tuple[int, str, str, str]] = []
    last = time.monotonic()
    pdfs = render_many(contexts, storage.media_dir(), shared=True)
    for done, ((cert_id, token), pdf) in enumerate(zip(targets, pdfs, strict=True), start=1):
        name, sha256 = storage.store_pdf(token, pdf)
        pending.append((cert_id, token, name, sha256))
        if time.monotonic() - last >= PROGRESS_EVERY or done == len(targets):
            _save_progress(job_id, done, pending)
            pending, last = [], time.monotonic()


def _save_progress(job_id: int, done: int, rendered: list[tuple[int, str, str, str]]) -> None:
    begin_write()
    for cert_id, token, name, sha256 in rendered:
        db.session.execute(
            update(Certificate)
            .where(Certificate.id == cert_id, Certificate.token == token)
            .values(pdf_name=name, pdf_sha256=sha256)
        )
    db.session.execute(update(Job).where(Job.id == job_id).values(done=done, updated_at=utcnow()))
    db.session.commit()


def _zip(job_id: int, event_id: int, category_id: int | None) -> str:
    certs = list(
        db.session.scalars(
            select(Certificate)
            .where(_in_scope(event_id, category_id), Certificate.status == "valid")
            .order_by(Certificate.seq)
        )
    )
    items = [(c.id, storage.download_name(c.number, c.name)) for c in certs]
    db.session.rollback()
    pdfs = ((name, revisions.certificate_pdf(cert_id)) for cert_id, name in items)
    return storage.write_zip(job_id, pdfs)
