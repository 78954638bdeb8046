"""Password policy, applied wherever a password is chosen (CLI, account creation, change).

Length over complexity rules (NIST SP 800-63B §5.1.1.2): at least MIN_LENGTH characters,
not the account's own email or name, and not on a short list of common passwords shipped
beside this module. Generated judge passwords pass by construction.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scoring.services.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 200
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def _folded(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def check_password(password: str, *, email: str = "", name: str = "") -> None:
    """Raise InvalidInput (translatable) when `password` may not be used for this account."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput("The password must be at least %(n)d characters long.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput("The password may be at most %(n)d characters long.", n=MAX_LENGTH)
    if "\x00" in password:
        raise InvalidInput("The password contains a character that is not allowed.")
    folded = _folded(password)
    local_part = email.partition("@")[0]
    personal = {_folded(email), _folded(local_part), _folded(name)} - {""}
    if folded in personal:
        raise InvalidInput("The password must not be your email or your name.")
    if password.lower() in common_passwords() or folded in common_passwords():
        raise InvalidInput("This password is too common. Choose another one.")
