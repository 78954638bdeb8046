"""verify-snapshot also checks the audit log's hash and the live scores (both backends)."""

from __future__ import annotations

import copy
from typing import Any

from flask import Flask
from sqlalchemy import select

from scoring.extensions import db as _db
from scoring.models import Score
from scoring.models.results import ResultSnapshot
from scoring.results.canonical import digest, plain
from scoring.results.compute import Options, outputs_of
from scoring.results.inputs import from_inputs
from scoring.services.results import run_pipeline
from scoring.services.snapshot_checks import check_snapshot
from scoring.services.snapshots import publish_results, verify_snapshot
from tests.results.support import build_category


def _publish(app: Flask) -> dict[str, Any]:
    with app.app_context():
        ids = build_category()
        ids["snapshot_id"] = publish_results(ids["category_id"], None, method="raw").id
    return ids


def _rewrite_consistently(snapshot_id: int) -> str:
    """What a careful forger does: change a frozen score, recompute the outputs and the hash.
    Returns the hash published (and logged) before."""
    snapshot = _db.session.get(ResultSnapshot, snapshot_id)
    published = snapshot.sha256
    inputs = copy.deepcopy(snapshot.inputs)
    inputs["scores"][0]["value"] += 5
    options = Options.from_json(snapshot.options)
    outputs = plain(outputs_of(run_pipeline(from_inputs(inputs), snapshot.method, options)))
    snapshot.inputs, snapshot.outputs = inputs, outputs
    snapshot.sha256 = digest(
        snapshot.code_version, inputs, snapshot.method, snapshot.options, outputs
    )
    _db.session.commit()
    return published


def test_a_score_changed_in_the_database_after_publication_is_reported(app: Flask) -> None:
    ids = _publish(app)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["verify-snapshot", str(ids["snapshot_id"])])
    assert ok.exit_code == 0, ok.output
    with app.app_context():
        sheet = ids["sheets"][("E2", 1, 2)]  # E2, judge 2, stage "Dokumen"
        score = _db.session.scalar(
            select(Score).where(Score.sheet_id == sheet, Score.criterion_id == ids["criteria"]["A"])
        )
        assert score.value == 78.0
        score.value = 98.0  # behind the application's back: the sheet is locked
        _db.session.commit()
        check = check_snapshot(ids["snapshot_id"])
        assert check.verification.ok and check.audit_ok  # the snapshot itself is untouched
        assert [(c.old, c.new) for c in check.changes] == [(78.0, 98.0)]
    bad = runner.invoke(args=["verify-snapshot", str(ids["snapshot_id"])])
    assert bad.exit_code == 1, bad.output
    assert "CHANGED: 1 live score(s)" in bad.output
    assert (
        f"entry {ids['names']['E2']} (#{ids['entries']['E2']}), "
        f"judge Juri 2 (#{ids['judges'][1]}), "
        f"criterion A (#{ids['criteria']['A']}): 78 → 98"
    ) in bad.output


def test_a_snapshot_rewritten_together_with_its_hash_is_reported(app: Flask) -> None:
    ids = _publish(app)
    with app.app_context():
        published = _rewrite_consistently(ids["snapshot_id"])
        assert verify_snapshot(ids["snapshot_id"]).ok  # self-consistent: the old check passes
        check = check_snapshot(ids["snapshot_id"])
        assert check.audit_sha256 == published and not check.audit_ok
        assert len(check.changes) == 1  # the live score still has the published value
    bad = app.test_cli_runner().invoke(args=["verify-snapshot", str(ids["snapshot_id"])])
    assert bad.exit_code == 1, bad.output
    assert f"audit log  {published}" in bad.output
    assert "the snapshot was rewritten" in bad.output


def test_the_recompute_button_also_reports_a_rewrite_and_changed_scores(
    app: Flask, client: Any, login_as: Any
) -> None:
    ids = _publish(app)
    with app.app_context():
        logged = _rewrite_consistently(ids["snapshot_id"])
    login_as("committee")
    page = client.get(
        f"/panitia/hasil/snapshot/{ids['snapshot_id']}/periksa", follow_redirects=True
    )
    assert "Sudah diperiksa" in page.text  # self-consistent...
    assert "tercatat di log audit saat diterbitkan (" + logged[:12] in page.text  # ...but rewritten
    assert "1 nilai di basis data berbeda dengan versi ini" in page.text
