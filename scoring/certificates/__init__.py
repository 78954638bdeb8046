"""Certificates (piagam penghargaan): rendering, public verify and download, committee pages.

`views` holds the blueprint and the public routes; `committee` adds the committee's routes to it.
The blueprint is loaded on first access to `bp`, so that `render` (used in the pool workers)
and `storage` import without the web layer, and services can import them without a cycle.
"""

from __future__ import annotations

from typing import Any

__all__ = ["bp"]


def __getattr__(name: str) -> Any:
    if name == "bp":
        from scoring.certificates import committee  # noqa: F401 - adds its routes to bp
        from scoring.certificates.views import bp

        return bp
    raise AttributeError(name)
