"""Attacks on the command line: every bad input is exit 2 with one line naming the field, never a traceback.

``roadcarbon lca`` with the new spec fields, years outside the data and past int64, the market-average
word with odd suffixes and ``--powertrain``; ``roadcarbon rules evaluate-fleet`` with fleet-level
``inputs:`` that are not finite numbers, formulas that divide by zero or overflow, and YAML bombs.
"""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import roadcarbon
from roadcarbon.cli import app

runner = CliRunner()
PRESETS = Path(roadcarbon.__file__).parent / "data" / "presets"


def cli(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def one_line_exit_2(result: Any, *named: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    for text in named:
        assert text in lines[0], lines[0]
    return str(lines[0])


def spec_file(tmp_path: Path, preset: str, **changes: Any) -> str:
    spec = yaml.safe_load((PRESETS / f"{preset}.yaml").read_text(encoding="utf-8"))
    spec.pop("sources", None)
    spec.update(changes)
    path = tmp_path / f"{preset}-changed.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2009", "year 2009 is before the first grid-intensity year 2010"),
        ("2051", "year 2051 is after the last covered year 2050"),
        ("99999999999999999999", "after the last covered year"),
        ("-99999999999999999999", "before any covered year"),
    ],
)
def test_lca_years_outside_the_data(year: str, message: str) -> None:
    one_line_exit_2(cli("lca", "car-medium-bev", "-c", "ID", "-y", year), message)


def test_lca_year_2010_works() -> None:
    assert cli("lca", "car-medium-bev", "-c", "ID", "-y", "2010").exit_code == 0


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"occupancy_passengers": 0}, "occupancy_passengers"),
        ({"occupancy_passengers": -3}, "occupancy_passengers"),
        ({"occupancy_passengers": 1e9}, "occupancy_passengers"),
        ({"occupancy_passengers": 5e-324}, "occupancy_passengers"),
        ({"occupancy_passengers": float("inf")}, "occupancy_passengers"),
    ],
    ids=["0", "negative", "1e9", "5e-324", "inf"],
)
def test_lca_bus_occupancy(tmp_path: Path, changes: dict[str, Any], named: str) -> None:
    one_line_exit_2(
        cli("lca", spec_file(tmp_path, "bus-12m-bev", **changes), "-c", "ID", "-y", "2025"), named
    )


@pytest.mark.parametrize("factor", [0, 1e308, float("inf"), float("nan")])
def test_lca_swap_pool_factor(tmp_path: Path, factor: float) -> None:
    path = spec_file(tmp_path, "e-motorcycle-swappable", battery_swap_pool_factor=factor)
    one_line_exit_2(cli("lca", path, "-c", "ID", "-y", "2025"), "battery_swap_pool_factor")


def test_lca_hydrous_ethanol_outside_brazil_names_the_factor(tmp_path: Path) -> None:
    path = spec_file(tmp_path, "car-medium-petrol", fuel="ethanol_hydrous")
    one_line_exit_2(cli("lca", path, "-c", "DE", "-y", "2025"), "fuel_well_to_tank", "ethanol_hydrous")
    assert cli("lca", path, "-c", "BR", "-y", "2025").exit_code == 0


def test_lca_segment_of_another_category(tmp_path: Path) -> None:
    path = spec_file(tmp_path, "car-medium-petrol", segment="scooter")
    one_line_exit_2(cli("lca", path, "-c", "ID", "-y", "2025"), "segment scooter")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["average-"], "vehicle"),
        (["average--bev"], "vehicle"),
        (["average-../../etc-bev"], "vehicle"),
        (["average-../../etc"], "vehicle"),
        (["average", "--powertrain", "../../etc"], "--powertrain"),
        (["average", "--powertrain", "BEV"], "vehicle"),  # ID has no market-average BEV
    ],
)
def test_lca_market_average_words(args: list[str], named: str) -> None:
    one_line_exit_2(cli("lca", *args, "-c", "ID", "-y", "2025"), named)


EU_FLEET: dict[str, Any] = {
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


def evaluate_fleet(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "fleet.yaml"
    path.write_text(text, encoding="utf-8")
    return cli("rules", "evaluate-fleet", "EU.co2_standards_cars", str(path), "--year", "2022")


@pytest.mark.parametrize("raw", [".inf", "-.inf", ".nan", "abc", "true", "[1]", "null", "'120'"])
def test_fleet_inputs_that_are_not_finite_numbers(tmp_path: Path, raw: str) -> None:
    text = yaml.safe_dump(EU_FLEET).replace("wltp_co2_2020_g_per_km: 120", f"wltp_co2_2020_g_per_km: {raw}")
    one_line_exit_2(evaluate_fleet(tmp_path, text), "fleet.inputs.wltp_co2_2020_g_per_km")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"nedc_co2_2020_g_per_km": 0}, "division by zero"),
        ({"wltp_co2_2020_g_per_km": 1e307, "nedc_target_2020_g_per_km": 1e300}, "gives inf"),
    ],
)
def test_fleet_input_formulas_that_leave_the_reals(
    tmp_path: Path, inputs: dict[str, Any], message: str
) -> None:
    fleet = {**EU_FLEET, "inputs": {**EU_FLEET["inputs"], **inputs}}
    line = one_line_exit_2(evaluate_fleet(tmp_path, yaml.safe_dump(fleet)), message, "parameters.target_base")
    assert "fleet.inputs.nedc_co2_2020_g_per_km" in line  # the inputs the formula read are named


def test_fleet_inputs_unknown_name(tmp_path: Path) -> None:
    fleet = {**EU_FLEET, "inputs": {**EU_FLEET["inputs"], "zz": 1}}
    one_line_exit_2(evaluate_fleet(tmp_path, yaml.safe_dump(fleet)), "fleet.inputs.zz")


def test_a_fleet_nested_thousands_deep_is_one_line(tmp_path: Path) -> None:
    result = evaluate_fleet(tmp_path, "vehicles: " + "[" * 5000 + "]" * 5000)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("years", [["99999999999999999999"], ["0"], ["2022", "99999999999999999999"]])
def test_evaluate_fleet_years_outside_the_calendar(tmp_path: Path, years: list[str]) -> None:
    files = []
    for i, _ in enumerate(years):
        path = tmp_path / f"fleet{i}.yaml"
        path.write_text(yaml.safe_dump(EU_FLEET), encoding="utf-8")
        files.append(str(path))
    options = [part for year in years for part in ("--year", year)]
    one_line_exit_2(cli("rules", "evaluate-fleet", "EU.co2_standards_cars", *files, *options), "year")


def test_evaluate_fleet_whose_average_overflows(tmp_path: Path) -> None:
    fleet = {**EU_FLEET, "vehicles": [{**EU_FLEET["vehicles"][0], "sales": 1e300}]}
    fleet["vehicles"][0]["spec"] = {**fleet["vehicles"][0]["spec"], "co2_g_per_km": 1e300}
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump(fleet), encoding="utf-8")
    result = cli("rules", "evaluate-fleet", "EU.co2_standards_cars", str(path), "--year", "2025", "--json")
    one_line_exit_2(result, "fleet.vehicles", "not a finite number")


def test_every_preset_in_every_covered_country_in_2010_is_finite_and_not_negative() -> None:
    """The engine's first covered year (grid history from 2010): a loop over the packaged presets and the
    countries of the default (production) series, through the service the CLI and the API run."""
    import numpy as np

    from roadcarbon.errors import RoadcarbonError
    from roadcarbon.io.reference import load_reference
    from roadcarbon.io.specs import list_presets, load_preset
    from roadcarbon.services.assessment import run_assessment

    countries = load_reference().countries("production")
    assert len(countries) >= 30
    bad, refused = [], []
    for preset in list_presets():
        spec = load_preset(preset)
        for country in countries:
            try:
                result = run_assessment([spec], [country], [2010]).result
            except RoadcarbonError as exc:  # a named gap in the data, never a crash
                refused.append((preset, country, exc.field))
                continue
            values = [np.asarray(result.total_g_co2e_per_km)]
            values += [np.asarray(v) for v in result.stages_g_co2e_per_km.values()]
            if not all(np.all(np.isfinite(v)) for v in values) or np.any(values[0] <= 0):
                bad.append((preset, country))
    assert bad == []
    assert refused == []  # every packaged preset is covered in every country of the series from 2010


def test_fleet_files_read_country_codes_with_yaml_1_2(tmp_path: Path) -> None:
    """`NO` (Norway) in a fleet file stays a country code, as in spec files (YAML 1.1 read it as false)."""
    fleet = copy.deepcopy(EU_FLEET)
    fleet["vehicles"][0]["spec"]["battery_production_country"] = "NO"
    text = yaml.safe_dump(fleet).replace("battery_production_country: 'NO'", "battery_production_country: NO")
    assert "battery_production_country: NO" in text
    result = evaluate_fleet(tmp_path, text)
    assert result.exit_code == 0, result.output
    from roadcarbon.io.rulebook import read_yaml

    path = tmp_path / "fleet.yaml"
    assert read_yaml(path)["vehicles"][0]["spec"]["battery_production_country"] == "NO"


def test_cli_csv_cells_cannot_run_as_spreadsheet_formulas(tmp_path: Path) -> None:
    """`lca --csv` writes a hostile vehicle name as text, as the API's and the web's exports do."""
    name = '=HYPERLINK("http://example.org/x","click")'
    result = cli("lca", spec_file(tmp_path, "car-medium-bev", name=name), "-c", "ID", "-y", "2025", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["vehicle"] == "'" + name for r in rows)
    assert all(not r["value"].startswith("'") for r in rows)  # numbers stay numbers (also negative ones)


def test_unknown_preset_suggests_the_nearest_and_says_where_the_list_is() -> None:
    line = one_line_exit_2(
        cli("lca", "car-medium-bevv", "-c", "ID", "-y", "2025"), "did you mean 'car-medium-bev'"
    )
    assert "GET /api/v1/presets" in line and "file path" not in line  # the message also reaches HTTP users
