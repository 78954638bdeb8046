"""seed-demo and create-user."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Event,
    Region,
    Score,
    ScoreSheet,
    Stage,
    User,
)
from scoring.models.results import JudgeFlagAcknowledgement, ResultSnapshot
from scoring.services.access_codes import hash_code
from scoring.services.demo import EVENT_SLUG
from tests.conftest import login

MODELS = (
    Region,
    User,
    Category,
    Stage,
    Criterion,
    Entry,
    Assignment,
    ScoreSheet,
    Score,
    ResultSnapshot,
    JudgeFlagAcknowledgement,
)


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def test_seed_demo_twice_gives_the_same_rows(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "juri1@demo.juara.id" in first.output
    after_first = _counts(app)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "created: nothing" in second.output
    assert _counts(app) == after_first
    assert after_first["Region"] == 12  # Jambi and its 11 kabupaten/kota
    assert after_first["User"] == 9  # and the two regional operators (issue 11)
    assert after_first["ResultSnapshot"] == 1  # Poktan BKB is published (issue 7)


def test_seed_demo_content(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        bkb, doth = db.session.scalars(
            select(Category)
            .join(Event)
            .where(Event.slug == EVENT_SLUG)  # jambi-2026 is the registration demo (issue 11)
            .order_by(Category.position)
        ).all()
        assert bkb.event.slug == EVENT_SLUG and bkb.event.status == "scoring"
        assert len(bkb.entries) == 11 and {e.region.code for e in bkb.entries} >= {"15.01", "15.72"}
        scored = [s for s in bkb.stages if s.kind == "scored"]
        assert sum(s.weight for s in scored) == 100
        # Every BKB sheet is sent, and locked by the published results; the field visit has
        # exactly the three finalists.
        bkb_sheets = db.session.scalars(
            select(ScoreSheet).join(Assignment).join(Stage).where(Stage.category_id == bkb.id)
        ).all()
        assert bkb_sheets and all(s.status == "locked" for s in bkb_sheets)
        field_visit = scored[-1]
        finalists = db.session.scalars(
            select(Assignment.entry_id).where(Assignment.stage_id == field_visit.id).distinct()
        ).all()
        assert len(finalists) == 3
        # Nobody judges their own region.
        conflicts = db.session.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(User, User.id == Assignment.judge_id)
            .join(Entry, Entry.id == Assignment.entry_id)
            .where(User.home_region_id == Entry.region_id)
        )
        assert conflicts == 0
        # Duta Orang Tua Hebat: person entries with consent; presentation open and partly done.
        assert doth.entry_kind == "person" and len(doth.entries) >= 8
        assert all(e.consent_at and e.consent_version for e in doth.entries)
        presentation = doth.stages[-1]
        assert presentation.status == "open"
        statuses = db.session.scalars(
            select(ScoreSheet.status).join(Assignment).where(Assignment.stage_id == presentation.id)
        ).all()
        assert "submitted" in statuses and "draft" in statuses
        assert statuses.count("draft") > statuses.count("submitted")
        assert all(e.access_code_hash for e in bkb.entries + doth.entries)


def test_seed_demo_prints_working_access_codes(app: Flask) -> None:
    output = app.test_cli_runner().invoke(args=["seed-demo"]).output
    code = next(
        line.split()[0] for line in output.splitlines() if line.startswith("  ") and "·" in line
    )
    with app.app_context():
        assert db.session.scalar(select(Entry).where(Entry.access_code_hash == hash_code(code)))
        assert db.session.scalar(
            select(Entry).where(Entry.access_code_hash == hash_code(code.lower().replace("-", " ")))
        )


def test_every_demo_account_can_log_in(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    accounts = [("admin@demo.juara.id", "demo-admin", "/panitia/"),
                ("panitia@demo.juara.id", "demo-panitia", "/panitia/")]  # fmt: skip
    accounts += [(f"juri{i}@demo.juara.id", "demo-juri", "/juri/") for i in range(1, 6)]
    for email, password, home in accounts:
        client = app.test_client()
        response = login(client, email, password)
        assert response.headers.get("Location") == home, email
        assert client.get(home).status_code == 200


def test_demo_judge_sees_open_presentation_sheets(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    client = app.test_client()
    login(client, "juri3@demo.juara.id", "demo-juri")
    html = client.get("/juri/").text
    assert "Duta Orang Tua Hebat · Presentasi dan Wawancara" in html
    assert "Dibuka untuk penilaian" in html and "Belum" in html and "Terkirim" in html
    # The open stage comes first.
    assert html.index("Presentasi dan Wawancara") < html.index("Penilaian Dokumen")


def test_committee_home_shows_progress(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    client = app.test_client()
    login(client, "panitia@demo.juara.id", "demo-panitia")
    html = client.get("/panitia/").text
    assert "Pemilihan Poktan Terbaik dan Duta Orang Tua Hebat" in html
    assert "Poktan BKB Terbaik" in html and "Duta Orang Tua Hebat" in html
    assert "Penilaian" in html  # the event status label


def test_create_user_command(app: Flask) -> None:
    runner = app.test_cli_runner()
    args = ["create-user", "--email", "Baru@Test.id", "--name", "Juri Baru", "--role", "judge"]
    result = runner.invoke(args=[*args, "--password", "rahasia-panjang"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "baru@test.id"))
        assert user is not None and user.role == "judge" and user.check_password("rahasia-panjang")
    duplicate = runner.invoke(args=[*args, "--password", "rahasia-panjang"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output


def test_create_user_prompts_for_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "--email", "p@test.id", "--name", "P", "--role", "committee"],
        input="rahasia-panjang\nrahasia-panjang\n",
    )
    assert result.exit_code == 0, result.output
    short = runner.invoke(
        args=["create-user", "--email", "q@test.id", "--name", "Q", "--role", "committee"],
        input="pendek\npendek\n",
    )
    assert short.exit_code != 0 and "at least 8" in short.output


def test_create_user_refuses_unknown_role(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "r@test.id",
            "--name",
            "R",
            "--role",
            "owner",
            "--password",
            "rahasia-panjang",
        ]
    )
    assert result.exit_code != 0


def test_create_user_regional_operator_needs_a_known_region(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo", "--quiet"])
    base = ["create-user", "--email", "op@test.id", "--name", "Operator", "--role", "regional"]
    base += ["--password", "rahasia-panjang"]
    missing = runner.invoke(args=base)
    assert missing.exit_code != 0 and "needs --region" in missing.output
    unknown = runner.invoke(args=[*base, "--region", "15.99"])
    assert unknown.exit_code != 0 and "unknown region code 15.99" in unknown.output
    created = runner.invoke(args=[*base, "--region", "15.71"])
    assert created.exit_code == 0, created.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "op@test.id"))
        assert user is not None and user.role == "regional"
        assert user.home_region is not None and user.home_region.code == "15.71"
    client = app.test_client()
    login(client, "op@test.id", "rahasia-panjang")
    assert client.get("/wilayah/").status_code == 200  # bound to Kota Jambi: the page opens
