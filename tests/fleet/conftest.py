"""Fixtures of the policy-lab HTTP tests: a real uvicorn server per database (helpers of tests/api)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_API_CONFTEST = "roadcarbon_api_conftest"
if _API_CONFTEST not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        _API_CONFTEST, Path(__file__).parents[1] / "api" / "conftest.py"
    )
    assert _spec is not None and _spec.loader is not None
    sys.modules[_API_CONFTEST] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_API_CONFTEST])

_api: Any = sys.modules[_API_CONFTEST]
_fixtures: Any = sys.modules["roadcarbon_platform_fixtures"]


@pytest.fixture(scope="module", params=_fixtures.DB_KINDS)
def fleet_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A seeded server (SQLite always; PostgreSQL when configured)."""
    kind = str(request.param)
    folder = tmp_path_factory.mktemp(f"fleet-{kind}")
    with _fixtures.fresh_database(kind, folder) as url:
        seed = _fixtures.migrated_and_seeded(url)
        live = _api.start_server(
            url, seed, kind, folder, login_attempts_per_minute=100_000, calculations_per_minute=1_000_000
        )
        try:
            yield live
        finally:
            _api.stop_server(live)
