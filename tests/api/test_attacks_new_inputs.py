"""Attacks on the inputs added this round, over real HTTP (SQLite, and PostgreSQL when configured).

``POST /api/v1/lca`` with the new spec fields (``occupancy_passengers``, ``battery_swap_pool_factor``),
hydrous ethanol outside Brazil, segment/category mismatches, years outside the data and past int64, the
market-average word with odd suffixes; and ``GET /supply-chain/aggregates`` after a recomputation of an
empty database.  Every bad input is a 422 problem+json naming the field, never a 500.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from roadcarbon_platform_fixtures import fresh_database, migrated_and_seeded

import roadcarbon

PRESETS = Path(roadcarbon.__file__).parent / "data" / "presets"


def preset(name: str) -> dict[str, Any]:
    spec = yaml.safe_load((PRESETS / f"{name}.yaml").read_text(encoding="utf-8"))
    spec.pop("sources", None)
    return dict(spec)


BUS, SWAP, CAR = preset("bus-12m-bev"), preset("e-motorcycle-swappable"), preset("car-medium-petrol")


def post_lca(server: Any, body: dict[str, Any] | str) -> Any:
    with server.client() as c:
        if isinstance(body, str):
            return c.post("/api/v1/lca", content=body, headers={"content-type": "application/json"})
        return c.post("/api/v1/lca", json=body)


def problem(r: Any, field: str, *, status: int = 422) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:400])
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    named = [body.get("field"), body.get("detail"), *(e.get("field") for e in body.get("errors") or [])]
    assert any(field in str(n) for n in named), body
    return body


@pytest.mark.parametrize(
    ("vehicle", "field"),
    [
        ({**BUS, "occupancy_passengers": 0}, "occupancy_passengers"),
        ({**BUS, "occupancy_passengers": -1}, "occupancy_passengers"),
        ({**BUS, "occupancy_passengers": 1e9}, "occupancy_passengers"),
        ({**BUS, "occupancy_passengers": 5e-324}, "occupancy_passengers"),  # > 0, but g/pkm is infinite
        ({**BUS, "occupancy_passengers": 1e-300}, "occupancy_passengers"),  # finite but absurd: 8.8e302 g/pkm
        ({**BUS, "occupancy_passengers": 0.3}, "occupancy_passengers"),  # a 30 % load factor, not a count
        ({**SWAP, "category": "two_wheeler", "segment": "suv"}, "segment"),  # car data for a scooter
        ({**SWAP, "battery_swap_pool_factor": 0}, "battery_swap_pool_factor"),
        ({**SWAP, "battery_swap_pool_factor": 1e308}, "battery_swap_pool_factor"),
        ({**CAR, "battery_swap_pool_factor": 2}, "battery_swap_pool_factor"),
        ({**CAR, "segment": "scooter"}, "segment"),
        ({**SWAP, "category": "passenger_car"}, "segment"),
    ],
    ids=[
        "occupancy 0",
        "occupancy -1",
        "occupancy 1e9",
        "occupancy 5e-324",
        "occupancy 1e-300",
        "occupancy 0.3",
        "scooter as suv",
        "swap 0",
        "swap 1e308",
        "swap without battery",
        "car as scooter",
        "motorcycle segment on a car",
    ],
)
def test_new_spec_fields_out_of_range_are_422_naming_the_field(server: Any, vehicle: Any, field: str) -> None:
    problem(
        post_lca(server, {"vehicle": vehicle, "country": "ID", "year": 2025, "samples": 20, "seed": 1}), field
    )


@pytest.mark.parametrize("raw", ["Infinity", "-Infinity", "NaN", "1e400"])
@pytest.mark.parametrize("name", ["occupancy_passengers", "battery_swap_pool_factor"])
def test_non_finite_numbers_in_the_json_are_422(server: Any, raw: str, name: str) -> None:
    vehicle = json.dumps({**(BUS if name == "occupancy_passengers" else SWAP), name: 1.5})
    body = (
        '{"vehicle": '
        + vehicle.replace(f'"{name}": 1.5', f'"{name}": {raw}')
        + ', "country": "ID", "year": 2025}'
    )
    problem(post_lca(server, body), name)


def test_a_bus_occupancy_gives_a_finite_per_passenger_block(server: Any) -> None:
    r = post_lca(server, {"vehicle": {**BUS, "occupancy_passengers": 12.5}, "country": "ID", "year": 2025})
    assert r.status_code == 200, r.text
    block = r.json()["per_passenger"]
    assert block["occupancy_passengers"] == 12.5
    assert block["total_g_co2e_per_pkm"] == pytest.approx(r.json()["total_g_co2e_per_km"] / 12.5, abs=1e-3)


def test_hydrous_ethanol_outside_brazil_names_the_missing_factor(server: Any) -> None:
    ethanol = {**CAR, "fuel": "ethanol_hydrous"}
    body = problem(post_lca(server, {"vehicle": ethanol, "country": "DE", "year": 2025}), "fuel_well_to_tank")
    assert "ethanol_hydrous" in body["detail"]
    assert post_lca(server, {"vehicle": ethanol, "country": "BR", "year": 2025}).status_code == 200


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2009, "year 2009 is before the first grid-intensity year 2010"),
        (2051, "year 2051 is after the last covered year 2050"),
        (10**20, "after the last covered year"),
        (-(10**20), "before any covered year"),
    ],
)
def test_years_outside_the_data_are_422_naming_year(server: Any, year: int, message: str) -> None:
    body = problem(post_lca(server, {"vehicle": "car-medium-bev", "country": "ID", "year": year}), "year")
    assert message in body["detail"]


def test_year_2010_is_answered(server: Any) -> None:
    r = post_lca(server, {"vehicle": "car-medium-bev", "country": "ID", "year": 2010})
    assert r.status_code == 200 and r.json()["total_g_co2e_per_km"] > 0


@pytest.mark.parametrize(
    "vehicle",
    ["average-", "average--bev", "average-../../etc-bev", "average-../../etc", "../../etc/passwd", "avg-"],
)
def test_odd_vehicle_words_are_422_naming_vehicle(server: Any, vehicle: str) -> None:
    problem(post_lca(server, {"vehicle": vehicle, "country": "ID", "year": 2025}), "vehicle")


def test_aggregates_of_an_empty_database_after_a_recomputation(tmp_path: Path) -> None:
    start_server = (
        sys.modules["roadcarbon_api_conftest"].start_server
        if "roadcarbon_api_conftest" in sys.modules
        else None
    )
    if start_server is None:
        from importlib.util import module_from_spec, spec_from_file_location

        spec = spec_from_file_location("roadcarbon_api_conftest", Path(__file__).parent / "conftest.py")
        assert spec is not None and spec.loader is not None
        sys.modules["roadcarbon_api_conftest"] = module_from_spec(spec)
        spec.loader.exec_module(sys.modules["roadcarbon_api_conftest"])
    helpers = sys.modules["roadcarbon_api_conftest"]
    with fresh_database("sqlite", tmp_path) as url:
        seed = migrated_and_seeded(url)
        exe = Path(sys.executable).with_name("roadcarbon")
        env = dict(os.environ, ROADCARBON_DATABASE_URL=url, HOME=str(tmp_path))
        refreshed = subprocess.run(
            [str(exe), "db", "refresh-aggregates", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert refreshed.returncode == 0, refreshed.stderr
        assert "Traceback" not in refreshed.stderr
        server = helpers.start_server(url, seed, "sqlite", tmp_path, aggregates_refresh_seconds=0)
        try:
            with server.client() as c:  # the conformance hook checks the body against the response model
                r = c.get("/api/v1/supply-chain/aggregates")
            assert r.status_code == 200, r.text
            assert r.json() == []
        finally:
            helpers.stop_server(server)


FLEET = {
    "vehicles": [
        {
            "spec": {
                "category": "passenger_car",
                "powertrain": "ICEV",
                "fuel": "petrol",
                "test_cycle": "WLTP",
                "curb_mass_kg": 1475,
                "co2_g_per_km": 115.0,
            },
            "sales": 1000,
        }
    ],
    "inputs": {
        "mean_mass_2020_kg": 1500,
        "wltp_co2_2020_g_per_km": 120,
        "nedc_co2_2020_g_per_km": 100,
        "nedc_target_2020_g_per_km": 99,
    },
}


def post_fleet(server: Any, text: str) -> Any:
    with server.client() as c:
        return c.post(
            "/api/v1/rules/EU.co2_standards_cars/evaluate-fleet",
            content=text,
            headers={"content-type": "application/json"},
        )


@pytest.mark.parametrize("year", [10**20, 0, -1])
def test_evaluate_fleet_year_outside_the_calendar_is_422(server: Any, year: int) -> None:
    problem(post_fleet(server, json.dumps({"fleet": FLEET, "year": year})), "year")


@pytest.mark.parametrize("raw", ["Infinity", "NaN", "1e400", '"abc"', "true", "[1]", "null"])
def test_evaluate_fleet_inputs_that_are_not_finite_numbers_are_422(server: Any, raw: str) -> None:
    text = json.dumps({"fleet": FLEET, "year": 2022})
    text = text.replace('"wltp_co2_2020_g_per_km": 120', f'"wltp_co2_2020_g_per_km": {raw}')
    problem(post_fleet(server, text), "fleet.inputs.wltp_co2_2020_g_per_km")


def test_evaluate_fleet_formula_dividing_by_zero_names_the_parameter(server: Any) -> None:
    fleet = {**FLEET, "inputs": {**FLEET["inputs"], "nedc_co2_2020_g_per_km": 0}}
    body = problem(post_fleet(server, json.dumps({"fleet": fleet, "year": 2022})), "parameters.target_base")
    assert "division by zero" in body["detail"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_name_with_characters_xml_cannot_hold_downloads(server: Any, fmt: str) -> None:
    vehicle = {**CAR, "name": "a\ufffeb\uffffc\x01d"}
    with server.client() as c:
        r = c.post(f"/api/v1/lca?format={fmt}", json={"vehicle": vehicle, "country": "ID", "year": 2025})
    assert r.status_code == 200, r.text[:300]
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        import io

        sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
        assert "abcd" in {c.value for row in sheet.iter_rows() for c in row}
