"""What makes an entry acceptable: names, regions, contacts, consent and the NIK, duplicates.

`check_entry` is shared by the entry form and the spreadsheet import, which reports its
problems per row and column; a form shows the same messages beside its fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from scoring.extensions import db
from scoring.models import Category, Entry
from scoring.services.errors import InvalidInput, ScoringError
from scoring.services.personal import clean_email, clean_nik, clean_phone

NAME_MAX = 200
CONTACT_MAX = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an entry: the column (spreadsheet name) and a msgid with params.

    Built from a ScoringError (`Problem.of`) so that babel extracts every message.
    """

    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, column: str, error: ScoringError) -> Problem:
        return cls(column, error.message, dict(error.params))


# A message built once so that babel extracts it (a bare string in super() would be missed).
CORRECT_FIELDS = InvalidInput("Please correct the marked fields.").message


class InvalidEntry(InvalidInput):
    """Raised with every problem at once, so a form can mark each field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(CORRECT_FIELDS)
        self.problems = problems


@dataclass
class EntryData:
    """What a person typed (or a spreadsheet row held), before checking."""

    name: str = ""
    region_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    consent: bool = False
    nik: str = ""  # empty on an edit: keep the stored NIK
    clear_nik: bool = False


@dataclass
class CleanEntry:
    name: str
    region_id: int
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    consent: bool
    nik: str | None


def normalise_name(name: str) -> str:
    """Spaces collapsed, ends trimmed: "  BKB  Melati " -> "BKB Melati"."""
    return " ".join((name or "").split())


def name_key(name: str) -> str:
    """Duplicates ignore case and spacing."""
    return normalise_name(name).casefold()


def check_entry(
    category: Category, data: EntryData, existing: Entry | None = None
) -> tuple[CleanEntry | None, list[Problem]]:
    """Clean `data` for `category`; returns the clean values or the problems (never both)."""
    problems: list[Problem] = []
    name = normalise_name(data.name)
    if not name:
        problems.append(Problem.of("nama", InvalidInput("Enter the entry's name.")))
    elif len(name) > NAME_MAX:
        problems.append(Problem.of("nama", _too_long(NAME_MAX)))
    if data.region_id is None:
        problems.append(Problem.of("kode_wilayah", InvalidInput("Choose a region.")))
    contact_name = normalise_name(data.contact_name) or None
    if contact_name and len(contact_name) > CONTACT_MAX:
        problems.append(Problem.of("nama_kontak", _too_long(CONTACT_MAX)))
    phone = _cleaned(clean_phone, data.contact_phone, "telepon", problems)
    email = _cleaned(clean_email, data.contact_email, "email", problems)
    nik = _cleaned(clean_nik, data.nik, "nik", problems)
    if category.is_person:
        if not data.consent and not (existing is not None and existing.has_consent):
            missing = InvalidInput(
                "Consent is missing: a person entry needs the participant's recorded consent."
            )
            problems.append(Problem.of("persetujuan", missing))
    elif nik:
        not_here = InvalidInput("A NIK is recorded only for person entries; leave it empty.")
        problems.append(Problem.of("nik", not_here))
    if problems:
        return None, problems
    if existing is not None and not data.nik and not data.clear_nik:
        nik = existing.nik
    assert data.region_id is not None
    clean = CleanEntry(name, data.region_id, contact_name, phone, email, data.consent, nik)
    return clean, []


def _too_long(limit: int) -> InvalidInput:
    return InvalidInput("The name is too long (at most %(n)d characters).", n=limit)


def _cleaned(clean: Any, raw: str, column: str, problems: list[Problem]) -> Any:
    try:
        return clean(raw)
    except ScoringError as error:
        problems.append(Problem.of(column, error))
        return None


def existing_keys(category_id: int, exclude_entry_id: int | None = None) -> dict[tuple, str]:
    """(region_id, name key) -> stored name, for the duplicate check."""
    query = select(Entry.id, Entry.region_id, Entry.name).where(Entry.category_id == category_id)
    return {
        (region_id, name_key(name)): name
        for entry_id, region_id, name in db.session.execute(query)
        if entry_id != exclude_entry_id
    }


def duplicate_problem(stored_name: str) -> Problem:
    return Problem.of(
        "nama",
        InvalidInput(
            "The category already has this entry from the same region: %(name)s.",
            name=stored_name,
        ),
    )
