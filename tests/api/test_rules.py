"""Rule evaluation over HTTP gives the CLI's documents (vehicle, fleet, cross-market), with traces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from platform_helpers import BEV_SPEC
from typer.testing import CliRunner

from roadcarbon.cli import app as cli_app


def _cli(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(cli_app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout) if result.exit_code == 0 else result.output


@pytest.mark.parametrize(
    ("scheme", "preset", "on"),
    [
        ("SG.vehicular_emissions_scheme", "car-medium-petrol", "2024-06-01"),
        ("ID.ppnbm_motor_vehicles", "car-medium-hev", "2025-03-01"),
        ("EU.battery_carbon_footprint", "car-medium-bev", "2026-06-01"),
        ("EU.battery_carbon_footprint", BEV_SPEC, "2026-06-01"),
    ],
)
def test_evaluate_gives_the_cli_document(
    server: Any, tmp_path: Path, scheme: str, preset: Any, on: str
) -> None:
    vehicle_arg = preset
    if isinstance(preset, dict):
        vehicle_arg = str(tmp_path / "vehicle.json")
        Path(vehicle_arg).write_text(json.dumps(preset))
    code, expected = _cli("rules", "evaluate", scheme, vehicle_arg, "--on", on, "--allow", "all")
    with server.client() as c:
        r = c.post(f"/api/v1/rules/{scheme}/evaluate", json={"vehicle": preset, "on": on, "allow": ["all"]})
    if code == 0:
        assert r.status_code == 200, r.text
        assert r.json() == expected
        assert r.json()["trace"]
    else:  # the same refusal: a one-line CLI error, a 4xx problem naming the reason
        assert 400 <= r.status_code < 500, r.text
        field = r.json()["field"]
        assert expected.startswith(f"error: {field}: ")


def test_evaluate_fleet_gives_the_cli_document(server: Any, tmp_path: Path) -> None:
    fleet = {
        "name": "Test maker 2024",
        "vehicles": [
            {"preset": "car-medium-petrol", "sales": 8000},
            {"preset": "car-medium-bev", "sales": 2000},
        ],
    }
    path = tmp_path / "fleet.json"
    path.write_text(json.dumps(fleet))
    code, expected = _cli(
        "rules", "evaluate-fleet", "CN.cafc_gb27999", str(path), "--year", "2024", "--allow", "all"
    )
    assert code == 0, expected
    with server.client() as c:
        r = c.post(
            "/api/v1/rules/CN.cafc_gb27999/evaluate-fleet",
            json={"fleet": fleet, "year": 2024, "allow": ["all"]},
        )
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert {"target", "average", "unit", "compliant"} <= set(r.json()["outcome"])


def test_cross_market_compare_gives_the_cli_document(server: Any) -> None:
    code, expected = _cli(
        "rules", "compare", "car-medium-bev", "--on", "2025-01-01", "--market", "SG", "--market", "TH"
    )
    assert code == 0, expected
    with server.client() as c:
        r = c.post(
            "/api/v1/rules/compare",
            json={"vehicle": "car-medium-bev", "on": "2025-01-01", "markets": ["SG", "TH"]},
        )
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert {row["market"] for row in r.json()["rows"]} <= {"SG", "TH"}


def test_bad_rule_requests_are_problems(server: Any) -> None:
    with server.client() as c:
        unknown = c.post(
            "/api/v1/rules/XX.nothing/evaluate", json={"vehicle": "car-medium-bev", "on": "2025-01-01"}
        )
        bad_date = c.post(
            "/api/v1/rules/SG.vehicular_emissions_scheme/evaluate",
            json={"vehicle": "car-medium-bev", "on": "June"},
        )
        fleet_path = c.post(
            "/api/v1/rules/CN.cafc_gb27999/evaluate-fleet",
            json={"fleet": {"name": "x", "vehicles": [{"spec": "/etc/passwd", "sales": 1}]}, "year": 2024},
        )
    assert unknown.status_code == 404
    assert bad_date.status_code == 422
    assert bad_date.json()["field"] == "on"
    assert fleet_path.status_code == 422
    assert fleet_path.json()["field"] == "fleet.vehicles.0.spec"


def test_labelled_by_default_strict_refuses_and_inline_specs_need_only_what_is_read(server: Any) -> None:
    bev = {"category": "passenger_car", "powertrain": "BEV", "electricity_consumption_kwh_per_100km": 15}
    url = "/api/v1/rules/SG.vehicular_emissions_scheme/evaluate"
    with server.client() as c:
        labelled = c.post(url, json={"vehicle": bev, "on": "2024-06-01"})
        strict = c.post(url, json={"vehicle": bev, "on": "2024-06-01", "strict": True})
        missing = c.post(
            url, json={"vehicle": {"category": "passenger_car", "powertrain": "ICEV"}, "on": "2024-06-01"}
        )
    assert labelled.status_code == 200, labelled.text
    outcome = labelled.json()["outcome"]
    assert outcome["provisional"] is True and outcome["status"] == "unverified"
    assert "ev_co2_g_per_wh" in [e["parameter"] for e in outcome["non_enacted"]]
    assert strict.status_code == 422 and strict.json()["field"] == "allow_status"
    assert missing.status_code == 422
    for name in ("co2_g_per_km", "hc_g_per_km", "nox_g_per_km", "pm_mg_per_km"):
        assert f"vehicle.{name}" in missing.json()["field"]


def test_a_per_vehicle_scheme_on_a_fleet_gives_totals_over_http(server: Any) -> None:
    line = {
        "category": "passenger_car",
        "powertrain": "ICEV",
        "fuel": "petrol",
        "co2_g_per_km": 200,
        "hc_g_per_km": 0.03,
        "co_g_per_km": 0.2,
        "nox_g_per_km": 0.01,
        "pm_mg_per_km": 0.2,
    }
    fleet = {"vehicles": [{"spec": line, "sales": 10}, {"preset": "car-medium-bev", "sales": 5}]}
    with server.client() as c:
        r = c.post(
            "/api/v1/rules/SG.vehicular_emissions_scheme/evaluate-fleet",
            json={"fleet": fleet, "year": 2024, "currency": "USD"},
        )
    assert r.status_code == 200, r.text
    doc = r.json()
    amounts = [v["amount"] * v["sales"] for v in doc["vehicles"]]
    assert doc["outcome"]["net"] == sum(amounts)
    assert doc["outcome"]["converted"]["currency"] == "USD"
