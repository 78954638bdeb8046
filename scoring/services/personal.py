"""Rules for personal data on entries: consent, NIK, phone numbers and emails.

Each `clean_*` function takes what a person typed (or a spreadsheet cell) and returns the value
to store, or raises InvalidInput with the message to show. Forms and the spreadsheet import use
the same functions, so a value refused in one is refused in the other.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from scoring.formatting import mask_nik
from scoring.services.errors import InvalidInput

# The privacy notice participants agree to; bump it when the notice's text changes.
CONSENT_VERSION = "2025-1"

NIK_LENGTH = 16
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 9, 15
_SEPARATORS = re.compile(r"[\s\-.()/]")
YES = {"ya", "y", "yes", "iya", "setuju", "1", "true", "benar"}
NO = {"tidak", "t", "no", "n", "tidak setuju", "0", "false", "", "-"}

__all__ = [
    "CONSENT_VERSION",
    "clean_email",
    "clean_nik",
    "clean_phone",
    "mask_nik",
    "parse_consent",
]


def clean_nik(raw: str | None) -> str | None:
    """Exactly 16 digits (spaces and dots as people group them are dropped); None if empty."""
    text = _SEPARATORS.sub("", raw or "")
    if not text:
        return None
    if len(text) != NIK_LENGTH or not text.isascii() or not text.isdigit():
        raise InvalidInput("The NIK must be exactly 16 digits.")
    return text


def clean_phone(raw: str | None) -> str | None:
    """An Indonesian number as 08…/0…, or +62… (62… gets its plus); None if empty.

    Spaces, dashes, dots and brackets are removed; 9 to 15 digits must remain.
    """
    text = _SEPARATORS.sub("", raw or "")
    if not text:
        return None
    if text.startswith("62"):
        text = "+" + text
    digits = text[1:] if text.startswith("+") else text
    # 08… mobiles and 0741… landlines; +62 without the trunk 0.
    valid_prefix = (text.startswith("+62") and text[3:4] not in ("", "0")) or (
        text.startswith("0") and not text.startswith("00")
    )
    if (
        not digits.isascii()
        or not digits.isdigit()
        or not valid_prefix
        or not PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS
    ):
        raise InvalidInput(
            "Enter an Indonesian phone number starting with 08 or +62, 9 to 15 digits."
        )
    return text


def clean_email(raw: str | None) -> str | None:
    """A syntactically valid email in lower case (no DNS lookup); None if empty."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput("Enter a valid email address.") from error
    return result.normalized.lower()


def parse_consent(raw: str | None) -> bool:
    """A spreadsheet's "persetujuan" cell: ya/tidak (and the usual variants)."""
    text = " ".join((raw or "").strip().lower().split())
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidInput('Write "ya" or "tidak" for consent.')
