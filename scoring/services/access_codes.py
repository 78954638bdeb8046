"""Participant access codes: shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from random import Random

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4  # 12 symbols of 31: about 59 bits


def generate_code(rng: Random | None = None) -> str:
    """A new code like "7KQM-4XPD-R9TB"; `rng` only for reproducible demo data."""
    choose = rng.choice if rng is not None else secrets.choice
    symbols = [choose(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH)]
    return "-".join(
        "".join(symbols[i : i + GROUP_LENGTH]) for i in range(0, len(symbols), GROUP_LENGTH)
    )


def normalise_code(code: str) -> str:
    """Forgive case, spaces and dashes as people type them."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """SHA-256 of the normalised code; the codes are random, so no slow hash is needed."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()
