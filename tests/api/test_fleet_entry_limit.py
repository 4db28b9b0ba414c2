"""POST evaluate-fleet caps the entries per request (issue 15 §4; documented in docs/batch.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from roadcarbon_platform_fixtures import fresh_database, migrated_and_seeded

from roadcarbon.api.routers.rules import MAX_FLEET_ENTRIES

_API_CONFTEST = "roadcarbon_api_conftest"  # the same module tests/fleet loads: server start and stop helpers
if _API_CONFTEST not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_API_CONFTEST, Path(__file__).parent / "conftest.py")
    assert _spec is not None and _spec.loader is not None
    sys.modules[_API_CONFTEST] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_API_CONFTEST])
start_server = sys.modules[_API_CONFTEST].start_server
stop_server = sys.modules[_API_CONFTEST].stop_server


def test_fleet_entries_beyond_the_limit_are_413(server: Any) -> None:
    at = {"name": "m", "vehicles": [{"preset": "car-medium-petrol", "sales": 1}] * MAX_FLEET_ENTRIES}
    over = {"name": "m", "vehicles": at["vehicles"] + [{"preset": "car-medium-bev", "sales": 1}]}
    with server.client() as c:
        r = c.post(
            "/api/v1/rules/CN.cafc_gb27999/evaluate-fleet",
            json={"fleet": over, "year": 2024, "allow": ["all"]},
        )
        assert r.status_code == 413, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "fleet.vehicles" in r.json()["detail"] and f"{MAX_FLEET_ENTRIES:,}" in r.json()["detail"]
        ok = c.post(
            "/api/v1/rules/CN.cafc_gb27999/evaluate-fleet", json={"fleet": at, "year": 2024, "allow": ["all"]}
        )
        assert ok.status_code == 200, ok.text[:300]


def test_each_fleet_entry_counts_against_the_calculation_quota(tmp_path: Path) -> None:
    # a server allowing 30 calculations a minute: a 25-entry fleet uses 25, the next 10-entry fleet is 429
    with fresh_database("sqlite", tmp_path) as url:
        seed = migrated_and_seeded(url)
        live = start_server(url, seed, "sqlite", tmp_path, calculations_per_minute=30)
        try:
            fleet = {"name": "m", "vehicles": [{"preset": "car-medium-petrol", "sales": 1}] * 25}
            with live.client() as c:
                ok = c.post(
                    "/api/v1/rules/CN.cafc_gb27999/evaluate-fleet", json={"fleet": fleet, "year": 2024}
                )
                assert ok.status_code == 200, ok.text[:300]
                fleet["vehicles"] = fleet["vehicles"][:10]
                over = c.post(
                    "/api/v1/rules/CN.cafc_gb27999/evaluate-fleet", json={"fleet": fleet, "year": 2024}
                )
            assert over.status_code == 429, over.text[:300]
            assert over.headers["content-type"].startswith("application/problem+json")
            assert "calculations" in over.json()["detail"]
        finally:
            stop_server(live)
