"""`roadcarbon serve`: the platform (API + web) on the embedded database."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the app (implemented with the platform, issue 4)."""
