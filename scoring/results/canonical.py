"""Canonical JSON and the fingerprint of a result snapshot (pure: no Flask, no database).

The hashed document is {code_version, inputs, method, options, outputs} as canonical JSON:
sorted keys, no spaces, UTF-8 (ensure_ascii off), and numbers normalised by `plain` so that the
same numbers give the same bytes on SQLite and PostgreSQL (JSON vs JSONB) and across machines:
floats rounded to 6 decimals, whole floats written as integers, NaN as null.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import subprocess
from pathlib import Path
from typing import Any

ALGORITHM = "juara-results/1"
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def code_version() -> str:
    """ALGORITHM, the package version and the git commit when there is one (fixed per process)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607 - fixed command, no input
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("juara")
    except PackageNotFoundError:
        package = _pyproject_version()
    return f"{ALGORITHM} juara-{package}" + (f"+g{commit}" if commit else "")


def _pyproject_version() -> str:
    import tomllib

    try:
        return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    except (OSError, KeyError, ValueError):
        return "unknown"


def plain(value: Any) -> Any:
    """Numbers as JSON can hold them on every backend: floats rounded to 6 decimals, whole
    floats as ints, NaN as null; tuples as lists; recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = round(value, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    raise TypeError(f"cannot freeze {type(value).__name__}")


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(plain(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(
    code: str, inputs: dict[str, Any], method: str, options: dict[str, Any], outputs: dict[str, Any]
) -> str:
    document = {
        "code_version": code,
        "inputs": inputs,
        "method": method,
        "options": options,
        "outputs": outputs,
    }
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
