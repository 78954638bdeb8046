"""The authorisation matrix: every route of `app.url_map` × every role → the expected outcome.

OK    the view ran (a page, a redirect elsewhere, a form error, a 409)
LOGIN sent to the login page, or 401 from the API
NO    403, or 404 where an object that is not theirs must not even be confirmed to exist

"participant" is a visitor who entered an entry's access code on /sertifikat; "judge" is
judge A, assigned to the sheet, entry and attachment in the URL; "other_judge" is judge B,
who is not. "committee" is a member of the demo event every id in the URLs belongs to;
"other_committee" (column c.other) is a committee member of another event only: every route
with an id argument refuses it (`test_every_id_route_refuses_another_events_committee`). A route missing from MATRIX fails `test_every_route_is_in_the_matrix`: add one
line for it. Each method of a route is probed (GET, and POST/PUT/DELETE with an empty body,
without CSRF and with nothing committed, see probe.dry_run).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scoring.extensions import db
from tests.security.probe import LOGIN, NO, OK, build_url, classify, dry_run, routes, send
from tests.security.world import ROLES, build_world

# fmt: off
#  endpoint                                  anonym. partic. judge  judge_B commit. c.other admin  operat. operator_B
MATRIX: dict[str, tuple[str, ...]] = {
    "api.put_sheet":                          (LOGIN, LOGIN, OK,    NO,    NO,    NO,    NO,    NO,    NO),
    "api.session_info":                       (LOGIN, LOGIN, OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "api.sheet":                              (LOGIN, LOGIN, OK,    NO,    NO,    NO,    NO,    NO,    NO),
    "api.sheets":                             (LOGIN, LOGIN, OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "auth.accounts":                          (LOGIN, LOGIN, NO,    NO,    NO,    NO,    OK,    NO,    NO),
    "auth.change_own_password":               (LOGIN, LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "auth.login":                             (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "auth.logout GET":                        (LOGIN, LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # POST /logout logs out, then sends everyone to the login page
    "auth.logout POST":                       (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "auth.sign_out_user":                     (LOGIN, LOGIN, NO,    NO,    NO,    NO,    OK,    NO,    NO),
    "certificates.download":                  (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "certificates.download_pdf":              (NO,    OK,    NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.event":                     (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.events":                    (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "certificates.forget":                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "certificates.issue_all":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.job":                       (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.job_json":                  (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.job_zip":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.mine":                      (LOGIN, LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "certificates.preview":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.reissue":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.revoke":                    (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.settings":                  (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "certificates.verify":                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "committee.access_codes":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.attachment_delete":            (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.attachment_upload":            (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.conflict_declare":             (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.conflict_withdraw":            (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.copy_event":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.delete_category":              (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.delete_criterion":             (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.delete_stage":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.edit_category":                (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.edit_criterion":               (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.edit_event":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.edit_stage":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entries":                      (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entries_import":               (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entries_import_confirm":       (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entries_import_preview":       (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entries_template":             (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entry_delete":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entry_edit":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entry_new":                    (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.entry_new_code":               (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.event_detail":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.event_status":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.home":                         (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.judge_login_sheet":            (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.judge_new":                    (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.judge_reset_password":         (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.judge_set_active":             (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.judges":                       (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.judges_import":                (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.judges_template":              (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.move_criterion":               (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.move_stage":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.new_category":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.new_event":                    (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.new_stage":                    (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.progress":                     (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.progress_latest":              (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "committee.progress_live":                (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.reopen_rubric":                (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.reopen_sheet":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.rubric_preview":               (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.sheet_detail":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_assignment_add":         (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_assignment_remove":      (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_assignments":            (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_assignments_generate":   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_decisions_page":         (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_detail":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_reopen_confirm":         (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_sheets_page":            (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_status":                 (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_weights":                (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "files.download":                         (LOGIN, LOGIN, OK,    NO,    OK,    NO,    OK,    NO,    NO),
    "judge.home":                             (LOGIN, LOGIN, OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "judge.service_worker":                   (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "judge.sheet":                            (LOGIN, LOGIN, OK,    NO,    NO,    NO,    NO,    NO,    NO),
    "ops.healthz":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "ops.readyz":                             (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "public.index":                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "public.set_language":                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "results.acknowledge":                    (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.audit_log":                      (LOGIN, LOGIN, NO,    NO,    OK,    OK,    OK,    NO,    NO),
    "results.event_results":                  (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.export_csv":                     (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.export_pdf":                     (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.export_xlsx":                    (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.public_results":                 (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "results.publish":                        (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.review":                         (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.unpublish":                      (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "results.verify":                         (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.add_member":                   (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.personal_erase":               (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.personal_export":              (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_extend":          (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_operators":       (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_overview":        (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_queue":           (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_requirement_add": (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_requirement_remove":(LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_review":          (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.registration_window_set":      (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.remove_member":                (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_advancement":            (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_advancement_apply":      (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.stage_advancement_set":        (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.tier_copy":                    (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "committee.tier_copy_confirm":            (LOGIN, LOGIN, NO,    NO,    OK,    NO,    OK,    NO,    NO),
    "public.privacy":                         (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # A regional operator's own region only: another region's registration is a 404.
    "regional.delete_document":               (LOGIN, LOGIN, NO,    NO,    NO,    NO,    NO,    OK,    NO),
    "regional.home":                          (LOGIN, LOGIN, NO,    NO,    NO,    NO,    NO,    OK,    OK),
    # A valid invitation link opens for anyone not logged in; the logged-in are sent home.
    "regional.invitation":                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "regional.register":                      (LOGIN, LOGIN, NO,    NO,    NO,    NO,    NO,    OK,    OK),
    "regional.registration":                  (LOGIN, LOGIN, NO,    NO,    NO,    NO,    NO,    OK,    NO),
    "regional.send":                          (LOGIN, LOGIN, NO,    NO,    NO,    NO,    NO,    OK,    NO),
    "regional.upload":                        (LOGIN, LOGIN, NO,    NO,    NO,    NO,    NO,    OK,    NO),
    "static":                                 (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
}
# fmt: on


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    served = {route.endpoint for route in routes(app)}
    listed = {key.split(" ")[0] for key in MATRIX}  # "endpoint" or "endpoint METHOD"
    assert sorted(served - listed) == [], "routes without a line in MATRIX"
    assert sorted(listed - served) == [], "lines in MATRIX for routes that are gone"


# URL arguments that name no object, and the public pages an id may open for anyone.
NOT_IDS = frozenset({"kind", "filename", "version"})
PUBLIC_BY_ID = frozenset({"certificates.verify", "results.public_results", "regional.invitation"})


def test_every_id_route_refuses_another_events_committee(app: Flask) -> None:
    """A route naming an object (user, judge, certificate, file, job ...) by id or token is
    closed to a committee account of another event, unless it is a public page."""
    column = ROLES.index("other_committee")
    open_to_them = [
        key
        for key, row in MATRIX.items()
        for route in routes(app)
        if route.endpoint == key.split(" ")[0]
        and set(route.rule.arguments) - NOT_IDS
        and route.endpoint not in PUBLIC_BY_ID
        and row[column] != NO
    ]
    assert sorted(set(open_to_them)) == []
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


@pytest.mark.strict_membership  # the two committee accounts are members of their events only
def test_matrix(app: Flask, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        world = build_world(app.config["UPLOAD_DIR"])
    client: FlaskClient = app.test_client()
    wrong = []
    with dry_run(app, monkeypatch):
        for route in routes(app):
            expected = MATRIX.get(f"{route.endpoint} {route.method}", MATRIX.get(route.endpoint))
            try:
                url = build_url(app, route, world.url_params(route.endpoint))
            except KeyError as error:  # a new URL parameter: add its id to world.py
                wrong.append(str(error))
                continue
            for index, role in enumerate(ROLES):
                world.enter(client, role)
                world.restore_files()
                got = classify(send(client, route, url))
                if expected is None or got != expected[index]:
                    want = expected[index] if expected else "?"
                    wrong.append(f"{route.method:6} {route.endpoint:40} {role:12} {want} → {got}")
    with app.app_context():
        db.session.remove()
    assert wrong == [], "\n".join(["", *wrong])
