"""`roadcarbon rules ...`: contract JSON, readable tables, one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from roadcarbon.cli import app

runner = CliRunner()

CAR_X = {
    "name": "Car X",
    "category": "passenger_car",
    "segment": "medium",
    "powertrain": "HEV",
    "fuel": "petrol",
    "curb_mass_kg": 1400,
    "test_cycle": "WLTP",
    "co2_g_per_km": 118,
    "hc_g_per_km": 0.020,
    "co_g_per_km": 0.15,
    "nox_g_per_km": 0.008,
    "pm_mg_per_km": 0.1,
}


def rules(*args: str) -> Any:
    return runner.invoke(app, ["rules", *args], env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.fixture
def car_x(tmp_path: Path) -> str:
    path = tmp_path / "car_x.yaml"
    path.write_text(yaml.safe_dump(CAR_X), encoding="utf-8")
    return str(path)


def one_line_error(result: Any) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_list_json_has_the_contract_keys() -> None:
    result = rules("list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows, "the library is empty"
    for row in rows:
        assert set(row) == {"id", "market", "title", "category", "valid_from", "valid_to"}
    sg = json.loads(rules("list", "--market", "Singapore", "--json").output)
    assert sg and {r["market"] for r in sg} == {"SG"}


def test_show_prints_dated_parameters_with_references() -> None:
    result = rules("show", "SG.vehicular_emissions_scheme")
    assert result.exit_code == 0, result.output
    assert "thresholds_co2_g_per_km" in result.output
    assert "2024-01-01" in result.output
    assert "sg_sso_r5_rule10_2024" in result.output


def test_evaluate_json_contract_and_outcome(car_x: str) -> None:
    result = rules(
        "evaluate",
        "SG.vehicular_emissions_scheme",
        car_x,
        "--on",
        "2024-06-01",
        "--json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert {"scheme", "on", "outcome", "trace"} <= set(doc)
    assert doc["outcome"]["band"] == "A2"
    assert doc["outcome"]["amount"] == -5000
    assert doc["outcome"]["currency"] == "SGD"
    assert doc["outcome"]["provisional"] is (doc["outcome"]["status"] != "enacted")
    assert {e["status"] for e in doc["outcome"]["non_enacted"]} <= {doc["outcome"]["status"], "announced"}
    assert all(e["reason"] for e in doc["outcome"]["non_enacted"] if e["status"] == "unverified")
    params = [e for e in doc["trace"] if e["type"] == "parameter"]
    assert {"name", "value", "valid_from", "reference", "status"} <= set(params[0])


def test_evaluate_preset_in_every_market_gives_outcome_or_a_reason() -> None:
    result = rules("compare", "byd-atto-3-wltp", "--on", "2025-06-01", "--allow", "all", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert {r["market"] for r in rows} >= {"SG", "ID", "EU"}
    for row in rows:
        assert ("outcome" in row) != ("error" in row)
    assert any("outcome" in r for r in rows if r["market"] == "SG")


def test_evaluate_labels_by_default_and_strict_refuses(car_x: str) -> None:
    on = "2021-06-01"  # VES 2021 rests on values not verified against the Rules
    shown = rules("evaluate", "SG.vehicular_emissions_scheme", car_x, "--on", on)
    assert shown.exit_code == 0, shown.output
    assert "provisional (" in shown.output and "not enacted" in shown.output
    line = one_line_error(rules("evaluate", "SG.vehicular_emissions_scheme", car_x, "--on", on, "--strict"))
    assert "not enacted" in line and "--allow" in line
    allowed = rules(
        "evaluate", "SG.vehicular_emissions_scheme", car_x, "--on", on, "--strict", "--allow", "all", "--json"
    )
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.output)["outcome"]["provisional"] is True


def test_evaluate_unknown_scheme_is_one_line(car_x: str) -> None:
    line = one_line_error(rules("evaluate", "SG.vehicular_emission_scheme", car_x, "--on", "2024-06-01"))
    assert "unknown scheme id" in line and "SG.vehicular_emissions_scheme" in line


def test_evaluate_date_outside_every_version_is_one_line(car_x: str) -> None:
    line = one_line_error(
        rules("evaluate", "SG.vehicular_emissions_scheme", car_x, "--on", "2010-01-01", "--allow", "all")
    )
    assert "no version" in line


def test_evaluate_bad_date_is_one_line(car_x: str) -> None:
    line = one_line_error(rules("evaluate", "SG.vehicular_emissions_scheme", car_x, "--on", "2024-13-01"))
    assert "YYYY-MM-DD" in line


def test_evaluate_missing_field_is_named(tmp_path: Path) -> None:
    spec = {k: v for k, v in CAR_X.items() if k != "pm_mg_per_km"}
    path = tmp_path / "no_pm.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    line = one_line_error(
        rules("evaluate", "SG.vehicular_emissions_scheme", str(path), "--on", "2024-06-01", "--allow", "all")
    )
    assert "pm_mg_per_km" in line


def test_evaluate_fleet_json_contract(tmp_path: Path) -> None:
    fleet = {
        "name": "Example maker 2020",
        "vehicles": [
            {
                "spec": {
                    "name": "petrol car",
                    "category": "passenger_car",
                    "segment": "medium",
                    "powertrain": "ICEV",
                    "fuel": "petrol",
                    "curb_mass_kg": 1425,
                    "test_cycle": "NEDC",
                    "co2_g_per_km": 100.0,
                },
                "sales": 200000,
            }
        ],
    }
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump(fleet), encoding="utf-8")
    result = rules(
        "evaluate-fleet", "EU.co2_standards_cars", str(path), "--year", "2020", "--allow", "all", "--json"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert {"scheme", "year", "outcome", "trace"} <= set(doc)
    out = doc["outcome"]
    assert {"target", "average", "unit", "compliant", "penalty", "currency"} <= set(out)
    assert out["penalty"] == pytest.approx(
        18_050_000
    )  # 1.000 x EUR 95 x the 190,000 cars counted (Art. 8(2))
    assert out["currency"] == "EUR"


def test_evaluate_fleet_2022_reads_the_fleet_inputs_and_names_every_missing_one(tmp_path: Path) -> None:
    car = {
        "category": "passenger_car",
        "powertrain": "ICEV",
        "fuel": "petrol",
        "test_cycle": "WLTP",
        "curb_mass_kg": 1475,
        "co2_g_per_km": 115.0,
    }
    fleet: dict[str, Any] = {
        "vehicles": [{"spec": car, "sales": 1000}],
        "inputs": {"mean_mass_2020_kg": 1500},
    }
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump(fleet), encoding="utf-8")
    result = rules("evaluate-fleet", "EU.co2_standards_cars", str(path), "--year", "2022")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    for name in ("wltp_co2_2020_g_per_km", "nedc_co2_2020_g_per_km", "nedc_target_2020_g_per_km"):
        assert f"fleet.inputs.{name}" in lines[0]
    assert "Traceback" not in result.output
    fleet["inputs"].update(
        wltp_co2_2020_g_per_km=120, nedc_co2_2020_g_per_km=100, nedc_target_2020_g_per_km=98.999996
    )
    path.write_text(yaml.safe_dump(fleet), encoding="utf-8")
    result = rules("evaluate-fleet", "EU.co2_standards_cars", str(path), "--year", "2022", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["version"] == "2021"
    # 120 x 98.999996 / 100 + 0.0333 x ((1,550 - 1,379.88) - (1,500 - 1,379.88))
    assert doc["outcome"]["target"] == pytest.approx(120.4649952, abs=1e-6)


def test_validate_passes_on_the_packaged_library() -> None:
    result = rules("validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:")


def test_validate_names_file_and_key_of_a_malformed_scheme(tmp_path: Path) -> None:
    root = tmp_path / "regulations"
    (root / "XX").mkdir(parents=True)
    (root / "sources.yaml").write_text("xx_a: {title: a}\n", encoding="utf-8")
    (root / "XX" / "broken.yaml").write_text("id: XX.broken\nmarket: XX\ntitel: typo\n", encoding="utf-8")
    line = one_line_error(rules("validate", str(root)))
    assert "broken.yaml" in line and "titel" in line


def test_test_command_runs_the_legal_cases() -> None:
    result = rules("test", "--market", "SG", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["failed"] == 0
    assert doc["passed"] >= 10


def test_battery_footprint_for_a_preset_uses_the_engine() -> None:
    result = rules(
        "evaluate",
        "EU.battery_carbon_footprint",
        "byd-atto-3-wltp",
        "--on",
        "2025-06-01",
        "--allow",
        "unverified",
        "--json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    out, engine = doc["outcome"], doc["inputs_from_engine"]
    stages = [k for k in out if k.startswith("footprint_")]
    assert len(stages) == 4
    assert out["complete"] is False  # distribution is not modelled by the engine
    assert out["footprint_distribution"] is None
    # the per-kWh footprint is the sum of the given stages over the energy delivered
    given = (
        engine["battery_cf_raw_material_kg_co2e"]
        + engine["battery_cf_production_kg_co2e"]
        + engine["battery_cf_end_of_life_kg_co2e"]
    )
    assert out["footprint"] == pytest.approx(given / engine["battery_energy_delivered_kwh"])


def test_reform_overlay_changes_the_outcome_not_the_library(tmp_path: Path, car_x: str) -> None:
    reform = {
        "name": "a2_rebate_10k",
        "description": "What if Band A2 earned S$10,000 in 2024?",
        "changes": [
            {
                "scheme": "SG.vehicular_emissions_scheme",
                "parameter": "amounts_sgd",
                "values": {
                    "2024-01-01": {
                        "value": [-25000, -10000, 0, 15000, 25000],
                        "reference": {"source": "reform:a2_rebate_10k", "locator": "what-if"},
                        "status": "assumption",
                        "note": "policy scenario",
                    }
                },
            }
        ],
    }
    path = tmp_path / "reform.yaml"
    path.write_text(yaml.safe_dump(reform), encoding="utf-8")
    args = (
        "evaluate",
        "SG.vehicular_emissions_scheme",
        car_x,
        "--on",
        "2024-06-01",
        "--allow",
        "all",
        "--json",
    )
    changed = json.loads(rules(*args, "--reform", str(path)).output)
    assert changed["outcome"]["amount"] == -10000
    assert changed["reform"] == "a2_rebate_10k"
    assert json.loads(rules(*args).output)["outcome"]["amount"] == -5000


def test_evaluate_fleet_over_2025_2027_averages_the_years(tmp_path: Path) -> None:
    files = []
    for year, co2 in ((2025, 95.0), (2026, 93.0), (2027, 92.0)):
        fleet = {
            "name": f"maker {year}",
            "vehicles": [
                {
                    "spec": {
                        "name": "petrol car",
                        "category": "passenger_car",
                        "segment": "medium",
                        "powertrain": "ICEV",
                        "fuel": "petrol",
                        "curb_mass_kg": 1400,
                        "test_cycle": "WLTP",
                        "co2_g_per_km": co2,
                    },
                    "sales": 1000,
                }
            ],
        }
        path = tmp_path / f"fleet_{year}.yaml"
        path.write_text(yaml.safe_dump(fleet), encoding="utf-8")
        files.append(str(path))
    result = rules(
        "evaluate-fleet",
        "EU.co2_standards_cars",
        *files,
        "--year",
        "2025",
        "--year",
        "2026",
        "--year",
        "2027",
        "--allow",
        "all",
        "--json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["per_year"][0]["outcome"]["compliant"] is False  # 2025 alone exceeds 93.6 g/km
    assert doc["outcome"]["average"] == pytest.approx((95 + 93 + 92) / 3)
    assert doc["outcome"]["target"] == pytest.approx(93.6)
    assert doc["outcome"]["compliant"] is True


def test_evaluate_fleet_needs_one_file_per_year(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("name: x\nvehicles: []\n", encoding="utf-8")
    line = one_line_error(
        rules("evaluate-fleet", "EU.co2_standards_cars", str(path), "--year", "2025", "--year", "2026")
    )
    assert "one fleet file per --year" in line


def _write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return str(path)


def test_a_bev_without_battery_size_is_a_valid_ves_input(tmp_path: Path) -> None:
    # VES reads Wh/km for an EV (x 0.4 g/Wh), never the battery size (issue 9 section 2)
    bev = {"category": "passenger_car", "powertrain": "BEV", "electricity_consumption_kwh_per_100km": 15.0}
    result = rules(
        "evaluate",
        "SG.vehicular_emissions_scheme",
        _write(tmp_path, "bev.yaml", bev),
        "--on",
        "2024-06-01",
        "--json",
    )
    assert result.exit_code == 0, result.output
    trace = json.loads(result.output)["trace"]
    assert any(e["name"] == "ev_co2_g_per_wh" for e in trace if e["type"] == "parameter")


def test_every_missing_field_is_named_in_one_line(tmp_path: Path) -> None:
    spec = {k: v for k, v in CAR_X.items() if k not in ("pm_mg_per_km", "nox_g_per_km")}
    line = one_line_error(
        rules(
            "evaluate",
            "SG.vehicular_emissions_scheme",
            _write(tmp_path, "c.yaml", spec),
            "--on",
            "2024-06-01",
        )
    )
    assert "vehicle.nox_g_per_km" in line and "vehicle.pm_mg_per_km" in line


def test_a_price_without_currency_is_refused_naming_price_currency(tmp_path: Path) -> None:
    spec = {"category": "passenger_car", "powertrain": "BEV", "price": 30000}
    line = one_line_error(
        rules("evaluate", "TH.ev_subsidy", _write(tmp_path, "p.yaml", spec), "--on", "2024-06-01")
    )
    assert "price_currency" in line


def test_a_per_vehicle_scheme_on_a_fleet_gives_totals(tmp_path: Path) -> None:
    line = {k: v for k, v in CAR_X.items() if k != "name"}  # entries need no name
    big = {**line, "co2_g_per_km": 200, "pm_mg_per_km": 0.2}
    fleet = {"vehicles": [{"spec": line, "sales": 300}, {"spec": big, "sales": 100}]}
    path = _write(tmp_path, "fleet.yaml", fleet)
    result = rules(
        "evaluate-fleet",
        "SG.vehicular_emissions_scheme",
        path,
        "--year",
        "2024",
        "--currency",
        "USD",
        "--json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    amounts = [v["amount"] for v in doc["vehicles"]]
    sales = [v["sales"] for v in doc["vehicles"]]
    totals = doc["outcome"]
    assert totals["revenue"] == sum(a * s for a, s in zip(amounts, sales, strict=True) if a > 0)
    assert totals["rebates"] == -sum(a * s for a, s in zip(amounts, sales, strict=True) if a < 0)
    assert sum(totals["share_by_band"].values()) == pytest.approx(1.0)
    assert totals["converted"]["currency"] == "USD"
    assert totals["converted"]["net"] == pytest.approx(totals["net"] * totals["converted"]["rate"])
    table = rules("evaluate-fleet", "SG.vehicular_emissions_scheme", path, "--year", "2024")
    assert table.exit_code == 0 and "per vehicle" in table.output
    assert "e+0" not in table.output


_BLOCK_SERVER_LIBS = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("sqlalchemy", "fastapi", "alembic", "psycopg"):
            raise ImportError(f"core install: {name} is not installed")
sys.meta_path.insert(0, Block())
from roadcarbon.cli import app
app(prog_name="roadcarbon")
"""


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "SG.vehicular_emissions_scheme", "car-medium-bev", "--on", "2024-06-01", "--json"],
        ["test", "--market", "ID"],
    ],
)
def test_rules_commands_run_on_the_core_install(tmp_path: Path, args: list[str]) -> None:
    import subprocess
    import sys

    script = tmp_path / "core.py"
    script.write_text(_BLOCK_SERVER_LIBS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), "rules", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-500:] + done.stderr[-500:]
    assert "Traceback" not in done.stderr


def test_the_trace_shows_inputs_numbers_and_arithmetic(tmp_path: Path) -> None:
    lcgc = {
        "category": "passenger_car",
        "powertrain": "ICEV",
        "fuel": "petrol",
        "engine_displacement_cc": 1198,
        "fuel_consumption_l_per_100km": 5.263,
        "co2_g_per_km": 118,
        "price": 130_000_000,
        "price_currency": "IDR",
    }
    path = _write(tmp_path, "lcgc.yaml", lcgc)
    result = rules("evaluate", "ID.ppnbm_motor_vehicles", path, "--on", "2024-03-01", "--json")
    assert result.exit_code == 0, result.output
    trace = json.loads(result.output)["trace"]
    assert trace[0]["type"] == "input"
    economy = next(e for e in trace if e["type"] == "input" and e["name"] == "fuel_economy_km_per_l")
    assert round(economy["value"], 1) == 19.0 and "5.263" in economy["note"]
    numbers = next(e["value"] for e in trace if e["name"] == "row art25_lcgc: the numbers")
    assert "118 g/km ≤ 120 g/km" in numbers and "19.0006 km/L" in numbers
    arithmetic = next(e["value"] for e in trace if e["name"] == "amount arithmetic")
    assert arithmetic == "tax base (price) IDR 130,000,000 x 20 % tax-base share x 15 % rate = IDR 3,900,000"
    table = rules("evaluate", "ID.ppnbm_motor_vehicles", path, "--on", "2024-03-01")
    assert "3 %" in table.output and "15 %" in table.output
