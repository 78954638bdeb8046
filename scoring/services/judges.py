"""Judge accounts: created one by one or from a spreadsheet, passwords reset, deactivated.

Passwords are generated here and returned once for the printable login sheet; only their hash
is stored. A reset or a deactivation also signs the judge out everywhere (session_version).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from scoring.database import committing, get_for_update
from scoring.extensions import db
from scoring.models import Assignment, Region, User
from scoring.services.account_scope import current_account_filter
from scoring.services.accounts import (
    add_user,
    creating_accounts,
    generate_password,
    normalise_email,
)
from scoring.services.audit import record
from scoring.services.entries import Problem
from scoring.services.errors import Conflict, InvalidInput, NotFound, ScoringError
from scoring.services.personal import clean_email
from scoring.services.spreadsheets import normalise_region_code, read_table, template_workbook

JUDGE_COLUMNS = ("nama", "email", "kode_wilayah")
JUDGE_ALIASES = {
    "nama_juri": "nama",
    "e_mail": "email",
    "surel": "email",
    "asal_wilayah": "kode_wilayah",
    "wilayah": "kode_wilayah",
}


@dataclass(frozen=True)
class LoginCard:
    """What the login sheet prints for one judge (the password exists only here)."""

    user_id: int
    name: str
    email: str
    password: str
    region: str


@dataclass(frozen=True)
class JudgeRow:
    user: User
    assignments: int


NOTHING_SAVED = InvalidInput(
    "Nothing was saved: correct the rows listed below and upload again."
).message


class InvalidJudges(InvalidInput):
    """Spreadsheet rows with problems; nothing was saved. `problems` is [(row, Problem)]."""

    def __init__(self, problems: list[tuple[int, Problem]]) -> None:
        super().__init__(NOTHING_SAVED)
        self.problems = problems


def list_judges() -> list[JudgeRow]:
    """The judge accounts the logged-in account may manage (every one for an admin), active
    first, with how many sheets each is assigned (services/account_scope.py)."""
    query = select(User).where(User.role == "judge").order_by(User.active.desc(), User.name)
    scope = current_account_filter()
    if scope is not None:
        query = query.where(scope)
    counts = dict(
        db.session.execute(
            select(Assignment.judge_id, func.count()).group_by(Assignment.judge_id)
        ).all()
    )
    users = db.session.scalars(query).all()
    return [JudgeRow(user, counts.get(user.id, 0)) for user in users]


def create_judge(name: str, email: str, home_region_id: int | None) -> LoginCard:
    """A new judge with a generated password, returned once for the login sheet."""
    with creating_accounts():
        card = _add_judge(name, email, home_region_id)
    return card


def _add_judge(name: str, email: str, home_region_id: int | None) -> LoginCard:
    cleaned = clean_email(email)
    if not cleaned:
        raise InvalidInput("Enter a valid email address.")
    region = db.session.get(Region, home_region_id) if home_region_id else None
    if home_region_id and region is None:
        raise InvalidInput("Choose a region.")
    password = generate_password()
    user = add_user(cleaned, name, "judge", password, home_region_id=home_region_id)
    return LoginCard(user.id, user.name, user.email, password, region.name if region else "")


def read_judge_rows(data: bytes) -> list[dict[str, Any]]:
    return read_table(data, ("nama", "email"), JUDGE_COLUMNS, JUDGE_ALIASES).rows


def import_judges(rows: Sequence[dict[str, Any]]) -> list[LoginCard]:
    """Create every judge of the spreadsheet, or none when any row has a problem."""
    with creating_accounts():
        regions = dict(db.session.execute(select(Region.code, Region.id)).all())
        taken = set(db.session.scalars(select(User.email)))
        problems: list[tuple[int, Problem]] = []
        planned: list[tuple[str, str, int | None]] = []
        seen: dict[str, int] = {}
        for raw in rows:
            number, values = raw["row"], raw["values"]
            row_problems = _judge_row_problems(values, regions, taken, seen, number)
            problems += [(number, p) for p in row_problems]
            if not row_problems:
                code = normalise_region_code(values.get("kode_wilayah", ""))
                email = normalise_email(values["email"])
                seen[email] = number
                planned.append((" ".join(values["nama"].split()), email, regions.get(code)))
        if problems:
            raise InvalidJudges(problems)
        cards = [_add_judge(name, email, region_id) for name, email, region_id in planned]
    return cards


def _judge_row_problems(
    values: dict[str, str],
    regions: dict[str, int],
    taken: set[str],
    seen: dict[str, int],
    number: int,
) -> list[Problem]:
    problems = []
    if not " ".join(values.get("nama", "").split()):
        problems.append(Problem.of("nama", InvalidInput("Enter the judge's name.")))
    try:
        email = clean_email(values.get("email"))
    except ScoringError as error:
        problems.append(Problem.of("email", error))
        email = None
    else:
        if not email:
            problems.append(Problem.of("email", InvalidInput("Enter a valid email address.")))
        elif email in taken:
            taken_error = InvalidInput("An account with this email already exists.")
            problems.append(Problem.of("email", taken_error))
        elif email in seen:
            again = InvalidInput("Same email as row %(row)d.", row=seen[email])
            problems.append(Problem.of("email", again))
    code = normalise_region_code(values.get("kode_wilayah", ""))
    if code and code not in regions:
        unknown = InvalidInput("Unknown region code %(code)s.", code=code)
        problems.append(Problem.of("kode_wilayah", unknown))
    return problems


def reset_judge_password(user_id: int) -> LoginCard:
    """A new generated password; the old one and every open session stop working."""
    with committing():
        user = _judge_for_update(user_id)
        password = generate_password()
        user.set_password(password)
        user.session_version += 1
        record("user.password_reset", user, after={"email": user.email})
    region = user.home_region.name if user.home_region else ""
    return LoginCard(user.id, user.name, user.email, password, region)


def set_judge_active(user_id: int, active: bool) -> None:
    """Deactivate (signs the judge out, keeps their sheets) or reactivate a judge."""
    try:
        user = _judge_for_update(user_id)
        if user.active == active:
            db.session.rollback()
            return
        user.active = active
        user.session_version += 1
        action = "user.activate" if active else "user.deactivate"
        record(action, user, before={"active": not active}, after={"active": active})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _judge_for_update(user_id: int) -> User:
    user = get_for_update(User, user_id)
    if user is None:
        raise NotFound("Judge not found.")
    if user.role != "judge":
        raise Conflict("Only judge accounts are managed here.")
    return user


def judge_template_xlsx() -> bytes:
    """The spreadsheet template for creating judge accounts, with the region codes."""
    columns = [
        ("nama", _("Full name with academic titles, as printed on the minutes."), True),
        ("email", _("Email address; the judge logs in with it."), True),
        (
            "kode_wilayah",
            _("Home region code (optional). A judge never scores entries from it."),
            False,
        ),
    ]
    instructions = [
        _("Template for creating judge accounts"),
        _("Fill in one judge per row on the first sheet, starting from row 2."),
        _("Passwords are generated and shown once, on a printable login sheet."),
    ]
    regions = db.session.execute(
        select(Region.code, Region.name).where(Region.level != "nasional").order_by(Region.code)
    ).all()
    return template_workbook("Juri", columns, instructions, [(c, n) for c, n in regions])
