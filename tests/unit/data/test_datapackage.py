"""The shipped reference-data package validates clean, and each check catches a broken copy."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roadcarbon.cli import app
from roadcarbon.io.datapackage import (
    Problem,
    default_package_path,
    package_summary,
    resolve,
    validate_package,
)

Editor = Callable[[Path, Callable[[list[dict[str, str]]], list[dict[str, str]]]], None]


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def checks(problems: list[Problem]) -> set[tuple[str, str]]:
    """(resource, check) pairs of the findings."""
    return {(p.resource, p.check) for p in problems}


def set_cell(rows: list[dict[str, str]], match: dict[str, str], **new: str) -> list[dict[str, str]]:
    """Change the first row matching ``match``; fail loudly if none does."""
    for row in rows:
        if all(row.get(k) == v for k, v in match.items()):
            row.update(new)
            return rows
    raise AssertionError(f"no row matches {match}")


def test_shipped_package_is_clean() -> None:
    problems = validate_package()
    assert problems == [], "\n".join(map(str, problems))


def test_copy_is_clean_before_breaking(package_copy: Path) -> None:
    assert validate_package(package_copy) == []


def test_summary_counts_resources_and_rows() -> None:
    n_resources, n_rows = package_summary()
    assert n_resources == 10  # nine tables + fuel_blends (issue 12)
    _, grid = read_rows(default_package_path() / "grid_intensity.csv")
    assert n_rows > len(grid) > 300


def test_schema_type_error(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "grid_intensity.csv",
        lambda rows: set_cell(
            rows, {"country": "CN", "year": "2023", "series": "production"}, g_co2e_per_kwh="abc"
        ),
    )
    problems = validate_package(package_copy)
    assert ("grid_intensity", "schema") in checks(problems)


def test_schema_duplicate_primary_key(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(package_copy / "td_losses.csv", lambda rows: [*rows, dict(rows[0])])
    assert ("td_losses", "schema") in checks(validate_package(package_copy))


def test_unknown_source_id(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "charging_efficiency"}, source_id="no_such_source"),
    )
    problems = [p for p in validate_package(package_copy) if p.check == "source"]
    assert len(problems) == 1
    assert "no_such_source" in problems[0].message
    assert problems[0].resource == "parameters"


def test_wrong_unit(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "glider_materials_kg_co2e_per_kg"}, unit="t CO2e/t"),
    )
    problems = [p for p in validate_package(package_copy) if p.check == "unit"]
    assert [p.field for p in problems] == ["unit"]
    assert "expected kg CO2e/kg" in problems[0].message


def test_parameter_not_in_registry(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "charging_efficiency"}, parameter="charging_efficency"),
    )
    messages = [p.message for p in validate_package(package_copy) if p.check == "unit"]
    assert any("not in the quantities registry" in m for m in messages)


def test_assumption_without_reason(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "process_heat_kg_co2e_per_mj"}, reason=""),
    )
    assert ("parameters", "assumption") in checks(validate_package(package_copy))


def test_td_assumption_without_reason(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "td_losses.csv", lambda rows: set_cell(rows, {"country": "CN"}, assumption="true")
    )
    assert ("td_losses", "assumption") in checks(validate_package(package_copy))


def test_low_above_value(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "charging_efficiency"}, low="0.95"),
    )
    problems = [p for p in validate_package(package_copy) if p.check == "bounds"]
    assert [p.field for p in problems] == ["low"]


def test_unknown_distribution(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "charging_efficiency"}, distribution="beta"),
    )
    assert ("parameters", "distribution") in checks(validate_package(package_copy))


def test_triangular_needs_both_bounds(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "charging_efficiency"}, high=""),
    )
    messages = [p.message for p in validate_package(package_copy) if p.check == "distribution"]
    assert messages == ["charging_efficiency: triangular needs both low and high"]


def test_lognormal_needs_positive_bounds(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(
            rows, {"parameter": "battery_end_of_life_kg_co2e_per_kwh"}, distribution="lognormal", low="0"
        ),
    )
    messages = [p.message for p in validate_package(package_copy) if p.check == "distribution"]
    assert any("lognormal needs positive" in m for m in messages)


def test_two_equally_specific_rows(package_copy: Path, edit_csv: Editor) -> None:
    def add_overlapping(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        # "lifetime_km for BEVs" is as specific as "lifetime_km for small cars": a small BEV matches both.
        template = next(r for r in rows if r["parameter"] == "lifetime_km" and r["segment"] == "small")
        return [*rows, {**template, "segment": "", "powertrain": "BEV"}]

    edit_csv(package_copy / "parameters.csv", add_overlapping)
    problems = validate_package(package_copy)
    ambiguity = [p for p in problems if p.check == "ambiguity"]
    assert ambiguity
    assert all("lifetime_km" in p.message for p in ambiguity)
    # the engine-side lookup would fail too: coverage reports the tie as "no unique row"
    assert any(p.check == "coverage" and p.field == "lifetime_km" for p in problems)


def test_more_specific_row_is_not_ambiguous(package_copy: Path, edit_csv: Editor) -> None:
    def add_specific(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        template = next(r for r in rows if r["parameter"] == "lifetime_km" and r["segment"] == "small")
        return [*rows, {**template, "powertrain": "BEV", "region": "ID"}]

    edit_csv(package_copy / "parameters.csv", add_specific)
    assert validate_package(package_copy) == []


def test_invalid_region_code(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "annual_km", "region": "CN"}, region="XX"),
    )
    problems = [p for p in validate_package(package_copy) if p.check == "country"]
    assert [(p.resource, p.field) for p in problems] == [("parameters", "region")]


def test_invalid_grid_country(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(package_copy / "td_losses.csv", lambda rows: set_cell(rows, {"country": "CN"}, country="ZZ"))
    assert ("td_losses", "country") in checks(validate_package(package_copy))


def test_missing_parameter_breaks_coverage(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: [r for r in rows if r["parameter"] != "charging_efficiency"],
    )
    problems = [p for p in validate_package(package_copy) if p.check == "coverage"]
    assert [p.field for p in problems] == ["charging_efficiency"]


def test_missing_chemistry_row_breaks_coverage(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: [
            r
            for r in rows
            if not (r["parameter"] == "battery_pack_mass_kg_per_kwh" and r["chemistry"] == "NCA")
        ],
    )
    problems = [p for p in validate_package(package_copy) if p.check == "coverage"]
    assert problems
    assert {p.field for p in problems} == {"battery_pack_mass_kg_per_kwh"}
    assert all("chemistry=NCA" in p.message for p in problems)


def test_td_levels_out_of_order(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "td_losses.csv", lambda rows: set_cell(rows, {"country": "CN"}, hv_multiplier="1.2")
    )
    assert ("td_losses", "consistency") in checks(validate_package(package_copy))


def test_uf_curve_must_not_fall(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "phev_utility_factor.csv",
        lambda rows: set_cell(rows, {"electric_range_km": "80"}, utility_factor="0.4"),
    )
    assert ("phev_utility_factor", "consistency") in checks(validate_package(package_copy))


def test_excluded_value_must_not_be_shipped(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "excluded.csv",
        lambda rows: [*rows, {"table": "grid_intensity", "key": "CN,2023,production", "reason": "test"}],
    )
    assert ("excluded", "consistency") in checks(validate_package(package_copy))


def test_implausible_grid_value(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "grid_intensity.csv",
        lambda rows: set_cell(
            rows, {"country": "FR", "year": "2023", "series": "production"}, g_co2e_per_kwh="600"
        ),
    )
    problems = [p for p in validate_package(package_copy) if p.check == "plausibility"]
    assert len(problems) == 1
    assert problems[0].message.startswith("FR 2023 production: 600 g/kWh")


def test_broken_descriptor(package_copy: Path) -> None:
    (package_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    problems = validate_package(package_copy)
    assert problems
    assert problems[0].check == "schema"


def test_missing_descriptor(tmp_path: Path) -> None:
    assert [p.check for p in validate_package(tmp_path)] == ["schema"]


# --- presets ---------------------------------------------------------------------------------

BEV_PRESET = """\
name: Test BEV
category: passenger_car
segment: small
powertrain: BEV
fuel: electricity
curb_mass_kg: 1200
battery_capacity_kwh: 40
battery_chemistry: LFP
test_cycle: WLTP
electricity_consumption_kwh_per_100km: 15
sources: [{source}]
"""


def test_valid_preset_passes(package_copy: Path) -> None:
    (package_copy.parent / "presets" / "test-bev.yaml").write_text(
        BEV_PRESET.format(source="carculator_1_9_5"), encoding="utf-8"
    )
    assert validate_package(package_copy) == []


def test_preset_with_unknown_source(package_copy: Path) -> None:
    (package_copy.parent / "presets" / "test-bev.yaml").write_text(
        BEV_PRESET.format(source="nobody_2099"), encoding="utf-8"
    )
    problems = validate_package(package_copy)
    assert [(p.resource, p.check) for p in problems] == [("presets/test-bev.yaml", "source")]


def test_preset_that_is_not_a_valid_spec(package_copy: Path) -> None:
    text = BEV_PRESET.format(source="carculator_1_9_5").replace("battery_capacity_kwh: 40\n", "")
    (package_copy.parent / "presets" / "test-bev.yaml").write_text(text, encoding="utf-8")
    problems = validate_package(package_copy)
    assert len(problems) == 1
    assert problems[0].check == "preset"
    assert "battery_capacity_kwh" in problems[0].message


def test_preset_id_must_be_kebab_case(package_copy: Path) -> None:
    (package_copy.parent / "presets" / "Test_BEV.yaml").write_text(
        BEV_PRESET.format(source="carculator_1_9_5"), encoding="utf-8"
    )
    assert [p.check for p in validate_package(package_copy)] == ["preset"]


def test_preset_without_sources(package_copy: Path) -> None:
    text = BEV_PRESET.format(source="carculator_1_9_5").replace("sources: [carculator_1_9_5]\n", "")
    (package_copy.parent / "presets" / "test-bev.yaml").write_text(text, encoding="utf-8")
    problems = validate_package(package_copy)
    assert [(p.field, p.check) for p in problems] == [("sources", "preset")]


# --- selector resolution ---------------------------------------------------------------------


def row(value: str, **selectors: str) -> dict[str, str]:
    base = dict.fromkeys(("segment", "powertrain", "fuel", "chemistry", "test_cycle", "region"), "")
    return {"parameter": "x", "value": value, **base, **selectors}


def test_resolve_prefers_the_most_specific_row() -> None:
    rows = [row("1"), row("2", segment="small"), row("3", segment="small", region="US")]
    assert resolve(rows, "x", {"segment": "small", "region": "US"})["value"] == "3"  # type: ignore[index]
    assert resolve(rows, "x", {"segment": "small", "region": "ID"})["value"] == "2"  # type: ignore[index]
    assert resolve(rows, "x", {"segment": "suv", "region": "US"})["value"] == "1"  # type: ignore[index]


def test_resolve_returns_none_on_a_tie_or_no_match() -> None:
    rows = [row("2", segment="small"), row("3", region="US")]
    assert resolve(rows, "x", {"segment": "small", "region": "US"}) is None
    assert resolve(rows, "x", {"segment": "suv", "region": "ID"}) is None


# --- CLI ---------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_validate_clean() -> None:
    result = runner.invoke(app, ["data", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 10 resources, ")


def test_cli_validate_json_lists_problems(package_copy: Path, edit_csv: Editor) -> None:
    edit_csv(
        package_copy / "parameters.csv",
        lambda rows: set_cell(rows, {"parameter": "charging_efficiency"}, source_id="no_such_source"),
    )
    result = runner.invoke(app, ["data", "validate", "--json", "--path", str(package_copy)])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    assert [p["check"] for p in document["problems"]] == ["source"]


def test_cli_validate_bad_path_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "validate", "--path", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no datapackage.json" in result.output


def test_cli_sources_json() -> None:
    result = runner.invoke(app, ["data", "sources", "--json"])
    assert result.exit_code == 0
    ids = {s["source_id"] for s in json.loads(result.stdout)}
    assert {"ember_yearly_co2js", "desnz_2025", "carculator_1_9_5"} <= ids


@pytest.mark.parametrize("licence_of", ["ember_yearly_co2js", "owid_share_elec_by_source", "desnz_2025"])
def test_open_data_licences_are_recorded(licence_of: str) -> None:
    _, sources = read_rows(default_package_path() / "sources.csv")
    licence = next(s["licence"] for s in sources if s["source_id"] == licence_of)
    expected = {
        "ember_yearly_co2js": "CC-BY-4.0",
        "owid_share_elec_by_source": "CC-BY-4.0",
        "desnz_2025": "OGL",
    }
    assert expected[licence_of] in licence
