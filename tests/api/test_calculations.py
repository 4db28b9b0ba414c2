"""Calculations over HTTP: the CLI's numbers, problem+json for bad input, exports."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import olca_schema
import pytest
from platform_helpers import BEV_SPEC
from typer.testing import CliRunner

from roadcarbon.cli import app as cli_app

# The design's example vehicle (design.md, "Vehicle spec").
EXAMPLE: dict[str, Any] = {
    "name": "Example hybrid SUV",
    "category": "passenger_car",
    "segment": "medium",
    "powertrain": "HEV",
    "fuel": "petrol",
    "curb_mass_kg": 1450,
    "engine_displacement_cc": 1998,
    "battery_capacity_kwh": 1.4,
    "battery_chemistry": "NMC",
    "battery_production_country": "CN",
    "assembly_country": "ID",
    "test_cycle": "WLTP",
    "fuel_consumption_l_per_100km": 4.8,
    "co2_g_per_km": 110,
    "seats": 5,
}
PROBLEM = "application/problem+json"


def _cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_lca_gives_the_cli_numbers(server: Any, tmp_path: Path) -> None:
    spec = tmp_path / "example.json"
    spec.write_text(json.dumps(EXAMPLE))
    expected = _cli_json("lca", str(spec), "--country", "ID", "--year", "2025")
    with server.client() as c:
        r = c.post("/api/v1/lca", json={"vehicle": EXAMPLE, "country": "IDN", "year": 2025})
    assert r.status_code == 200, r.text
    assert r.json() == expected


def test_lca_with_samples_gives_the_cli_numbers(server: Any, tmp_path: Path) -> None:
    spec = tmp_path / "bev.json"
    spec.write_text(json.dumps(BEV_SPEC))
    expected = _cli_json(
        "lca", str(spec), "--country", "TH", "--year", "2024", "--samples", "200", "--seed", "7"
    )
    with server.client() as c:
        r = c.post(
            "/api/v1/lca",
            json={"vehicle": BEV_SPEC, "country": "TH", "year": 2024, "samples": 200, "seed": 7},
        )
    assert r.status_code == 200, r.text
    assert r.json()["uncertainty"] == expected["uncertainty"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"vehicle": dict(EXAMPLE, curb_mass_kg=-1), "country": "ID", "year": 2025}, "vehicle.curb_mass_kg"),
        ({"vehicle": dict(EXAMPLE, powertrain="steam"), "country": "ID", "year": 2025}, "vehicle.powertrain"),
        ({"vehicle": EXAMPLE, "country": "Atlantis", "year": 2025}, "country"),
        ({"vehicle": EXAMPLE, "country": "ID", "year": "soon"}, "year"),
        ({"vehicle": EXAMPLE, "country": "ID"}, "year"),
        ({"vehicle": EXAMPLE, "country": "ID", "year": 2025, "samples": 10**9}, "samples"),
        ({"vehicle": EXAMPLE, "country": "ID", "year": 2025, "colour": "red"}, "colour"),
        ({"vehicle": "no-such-preset", "country": "ID", "year": 2025}, "vehicle"),
        ({"vehicle": EXAMPLE, "country": "ID", "year": 2025, "gwp": "AR7"}, "gwp"),
        ({"vehicle": EXAMPLE, "country": "ID", "year": 2025, "grid_projection": "utopia"}, "grid_projection"),
        (
            {"vehicle": dict(EXAMPLE, curb_mass_kg=175_000), "country": "ID", "year": 2025},
            "vehicle.curb_mass_kg",
        ),
    ],
)
def test_bad_lca_input_is_a_problem_naming_the_field(server: Any, body: dict[str, Any], field: str) -> None:
    with server.client() as c:
        r = c.post("/api/v1/lca", json=body)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["status"] == r.status_code
    assert problem["field"] == field
    assert problem["detail"]


def test_market_average_vehicle_gives_the_cli_numbers(server: Any) -> None:
    """`average-bev` over HTTP is the country's market-average preset, as `roadcarbon lca average-bev`."""
    expected = _cli_json("lca", "average-bev", "--country", "US", "--year", "2024")
    assert expected["vehicle"].startswith("Market-average new car, US")
    with server.client() as c:
        r = c.post("/api/v1/lca", json={"vehicle": "average-bev", "country": "USA", "year": 2024})
        assert r.status_code == 200, r.text
        assert r.json() == expected
        r = c.post(
            "/api/v1/compare", json={"vehicles": ["average-bev", "average"], "country": "IN", "year": 2024}
        )
        assert r.status_code == 200, r.text
        assert [v["vehicle"] for v in r.json()["vehicles"]] == [
            "Market-average new car, IN, bev (GFEI 2017, WLTP-calibrated)",
            "Market-average new car, IN, petrol (GFEI 2017, WLTP-calibrated)",
        ]
        missing = c.post("/api/v1/lca", json={"vehicle": "average-bev", "country": "BR", "year": 2024})
        bad = c.post(
            "/api/v1/compare", json={"vehicles": ["average", "average-steam"], "country": "US", "year": 2024}
        )
    assert missing.status_code == 422 and missing.json()["field"] == "vehicle", missing.text
    assert "markets with averages" in missing.json()["detail"]
    assert bad.status_code == 422 and bad.json()["field"] == "vehicles.1", bad.text


@pytest.mark.parametrize("number", ["1e309", "NaN", "Infinity"])
def test_infinite_or_nan_numbers_are_a_422_problem_naming_the_field(server: Any, number: str) -> None:
    body = json.dumps({"vehicle": dict(EXAMPLE, curb_mass_kg=0), "country": "ID", "year": 2025})
    body = body.replace('"curb_mass_kg": 0', f'"curb_mass_kg": {number}')
    with server.client() as c:
        r = c.post("/api/v1/lca", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["field"] == "vehicle.curb_mass_kg"
    json.loads(r.text, parse_constant=lambda name: pytest.fail(f"bare {name} in the problem body"))
    assert "finite" in r.json()["detail"]


def test_year_outside_the_data_is_a_4xx_problem(server: Any) -> None:
    with server.client() as c:
        r = c.post("/api/v1/lca", json={"vehicle": EXAMPLE, "country": "ID", "year": 1900})
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"] == PROBLEM
    assert "year" in r.json()["detail"]


def test_malformed_json_and_unknown_routes_are_problems(server: Any) -> None:
    with server.client() as c:
        r = c.post("/api/v1/lca", content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 422
        assert r.headers["content-type"] == PROBLEM
        r = c.get("/api/v1/nowhere")
        assert r.status_code == 404
        assert r.headers["content-type"] == PROBLEM
        r = c.get("/api/v1/rules/XX.no_such_scheme")
        assert r.status_code == 404
        assert r.json()["field"] == "scheme"


def test_compare_gives_the_cli_numbers(server: Any, tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(EXAMPLE))
    b.write_text(json.dumps(BEV_SPEC))
    expected = _cli_json("compare", str(a), str(b), "--country", "ID", "--year", "2025")
    with server.client() as c:
        r = c.post("/api/v1/compare", json={"vehicles": [EXAMPLE, BEV_SPEC], "country": "ID", "year": 2025})
    assert r.status_code == 200, r.text
    assert r.json() == expected


def test_rules_list_and_scheme_document(server: Any) -> None:
    expected = (
        _cli_json("rules", "list")
        if "list" in CliRunner().invoke(cli_app, ["rules", "--help"]).output
        else None
    )
    with server.client() as c:
        listed = c.get("/api/v1/rules").json()
        assert listed
        for entry in listed:
            assert set(entry) == {"id", "market", "title", "category", "valid_from", "valid_to"}
        if expected is not None:
            assert listed == expected
        market = listed[0]["market"]
        only = c.get("/api/v1/rules", params={"market": market}).json()
        assert {e["market"] for e in only} == {market}
        scheme = c.get(f"/api/v1/rules/{listed[0]['id']}").json()
    assert scheme["id"] == listed[0]["id"]
    assert scheme["parameters"]
    for param in scheme["parameters"].values():
        for value in param["values"].values():
            if value is not None:
                assert value["reference"]["source"] in scheme["sources"]


def test_lca_exports_as_csv_and_openlca_jsonld(server: Any) -> None:
    body = {"vehicle": BEV_SPEC, "country": "ID", "year": 2024}
    with server.client() as c:
        doc = c.post("/api/v1/lca", json=body).json()
        csv_text = c.post("/api/v1/lca", params={"format": "csv"}, json=body).text
        package = c.post("/api/v1/lca/olca", json=body)
    header, row = csv_text.splitlines()[:2]
    columns = header.split(",")
    assert "stages_g_co2e_per_km.battery" in columns
    assert float(row.split(",")[columns.index("total_g_co2e_per_km")]) == doc["total_g_co2e_per_km"]
    assert package.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(package.content)) as zf:
        assert json.loads(zf.read("olca-schema.json")) == {"version": 2}
        results = [
            olca_schema.Result.from_json(zf.read(n)) for n in zf.namelist() if n.startswith("results/")
        ]
        [category_file] = [n for n in zf.namelist() if n.startswith("lcia_categories/")]
        category = olca_schema.ImpactCategory.from_json(zf.read(category_file))
    assert category.ref_unit == "kg CO2 eq"
    by_stage = {r.tags[1]: r.impact_results[0].amount for r in results}
    assert set(by_stage) == {*doc["stages_g_co2e_per_km"], "total"}
    for stage, grams in doc["stages_g_co2e_per_km"].items():
        assert by_stage[stage] == pytest.approx(grams / 1000.0, abs=1e-9)
    assert sum(v for k, v in by_stage.items() if k != "total") == pytest.approx(by_stage["total"], abs=1e-5)
    assert all(r.impact_results[0].indicator.id == category.id for r in results)


def test_gwp_and_grid_projection_give_the_cli_numbers(server: Any, tmp_path: Path) -> None:
    spec = tmp_path / "example.json"
    spec.write_text(json.dumps(EXAMPLE))
    expected = _cli_json(
        "lca", str(spec), "--country", "ID", "--year", "2025", "--gwp", "AR6", "--grid-projection", "constant"
    )
    with server.client() as c:
        r = c.post(
            "/api/v1/lca",
            json={
                "vehicle": EXAMPLE,
                "country": "ID",
                "year": 2025,
                "gwp": "AR6",
                "grid_projection": "constant",
            },
        )
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert r.json()["gwp"]["metric"] == "AR6"
