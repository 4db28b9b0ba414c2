"""POST evaluate-fleet caps the entries per request (issue 15 §4; documented in docs/batch.md)."""

from __future__ import annotations

from typing import Any

from roadcarbon.api.routers.rules import MAX_FLEET_ENTRIES


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
