"""Results: review, publishing, the public ranking page, exports and the audit log.

`views` holds the blueprint and the public page; `review`, `exports` and `audit` add their
routes to it. The pipeline modules (`inputs`, `compute`, `diagnostics`, `readings`) are used by
the services too, so importing this package stays light: the blueprint and its routes load on
first access to `bp` (which create_app does).
"""

from __future__ import annotations

from typing import Any

__all__ = ["bp"]


def __getattr__(name: str) -> Any:
    if name == "bp":
        from scoring.results import audit, exports, review  # noqa: F401 - register the routes
        from scoring.results.views import bp

        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
