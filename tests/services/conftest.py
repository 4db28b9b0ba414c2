"""Fixtures of the platform tests (databases: SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

for _name, _file in (
    ("roadcarbon_platform_fixtures", "platform_fixtures.py"),
    ("platform_helpers", "platform_helpers.py"),
):
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_name, Path(__file__).parents[1] / "db" / _file)
        assert _spec is not None
        assert _spec.loader is not None
        sys.modules[_name] = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules[_name])

from roadcarbon_platform_fixtures import db_engine, db_kind, seeded_database, session  # noqa: E402

__all__ = ["db_engine", "db_kind", "seeded_database", "session"]
