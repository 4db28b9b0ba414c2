"""Fixtures of the platform tests (databases: SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_NAME = "roadcarbon_platform_fixtures"
if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        _NAME, Path(__file__).parents[1] / "db" / "platform_fixtures.py"
    )
    assert _spec is not None and _spec.loader is not None
    sys.modules[_NAME] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_NAME])

from roadcarbon_platform_fixtures import db_engine, db_kind, seeded_database, session  # noqa: E402

__all__ = ["db_engine", "db_kind", "seeded_database", "session"]
