"""Object-level access: a judge sees and changes only their own sheets; attachments are for
the committee and the judges assigned to the entry. Real commits here (no dry run), so a
refused write is shown to leave the stored sheet as it was."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.security.world import PDF_BYTES, World, build_world


def _world(app: Flask, tmp_path: Path) -> World:
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    with app.app_context():
        return build_world(app.config["UPLOAD_DIR"])


def test_judge_b_cannot_read_or_write_judge_a_sheet(app: Flask, tmp_path: Path) -> None:
    world = _world(app, tmp_path)
    sheet_id = world.params["sheet_id"]
    owner, outsider = app.test_client(), app.test_client()
    world.enter(owner, "judge")
    world.enter(outsider, "other_judge")
    before = owner.get(f"/api/v1/sheets/{sheet_id}").get_json()
    criterion = str(before["criteria"][0]["id"])

    assert outsider.get(f"/juri/lembar/{sheet_id}").status_code == 404
    assert outsider.get(f"/api/v1/sheets/{sheet_id}").status_code == 404
    listed = [s["id"] for s in outsider.get("/api/v1/sheets").get_json()["sheets"]]
    assert sheet_id not in listed and listed  # judge B has sheets, just not this one
    write = {
        "submission_id": str(uuid.uuid4()),
        "base_version": before["version"],
        "scores": {criterion: before["criteria"][0]["max"]},
        "submit": False,
    }
    token = outsider.get("/api/v1/session").get_json()["csrf_token"]
    refused = outsider.put(f"/api/v1/sheets/{sheet_id}", json=write, headers={"X-CSRFToken": token})
    assert refused.status_code == 404
    assert owner.get(f"/api/v1/sheets/{sheet_id}").get_json() == before

    # the owner can, with the same body: the refusal above was about who, not what
    token = owner.get("/api/v1/session").get_json()["csrf_token"]
    saved = owner.put(f"/api/v1/sheets/{sheet_id}", json=write, headers={"X-CSRFToken": token})
    assert saved.status_code == 200, saved.get_json()
    assert owner.get(f"/juri/lembar/{sheet_id}").status_code == 200


def test_attachment_only_for_committee_and_assigned_judges(app: Flask, tmp_path: Path) -> None:
    world = _world(app, tmp_path)
    url = f"/berkas/{world.params['attachment_id']}"
    client: FlaskClient = app.test_client()
    expected = {
        "anonymous": 302,  # to the login page
        "participant": 302,
        "judge": 200,  # assigned to the entry
        "other_judge": 404,  # not assigned: not even told it exists
        "committee": 200,
        "admin": 200,
    }
    for role, status in expected.items():
        world.enter(client, role)
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response.data == PDF_BYTES
            assert response.headers["X-Content-Type-Options"] == "nosniff"
