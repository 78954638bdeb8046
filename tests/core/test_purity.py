"""scoring/core must stay pure: numpy, scipy and the standard library only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "scoring" / "core"
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "scoring.models", "flask_sqlalchemy")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _is_forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


CORE_FILES = sorted(CORE.rglob("*.py"))


def test_core_has_modules() -> None:
    assert {p.name for p in CORE_FILES} >= {
        "normalise.py",
        "ranking.py",
        "agreement.py",
        "sensitivity.py",
        "errors.py",
    }


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_no_framework_imports(path: Path) -> None:
    bad = [name for name in _imports(path) if _is_forbidden(name)]
    assert not bad, f"{path.name} imports {bad}; scoring/core must stay framework-free"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_only_numpy_scipy_stdlib(path: Path) -> None:
    import sys

    allowed = set(sys.stdlib_module_names) | {"numpy", "scipy", "scoring"}
    for name in _imports(path):
        top = name.split(".")[0]
        assert top in allowed, f"{path.name} imports {name}"
        if top == "scoring":
            assert name.startswith("scoring.core"), f"{path.name} imports {name}"


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import current_app\nimport scoring.models.entry\n")
    assert [n for n in _imports(bad) if _is_forbidden(n)] == [
        "flask",
        "flask.current_app",
        "scoring.models.entry",
    ]
