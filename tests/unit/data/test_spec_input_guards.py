"""Input that cannot poison a result (issue 12): finite numbers, plausibility bounds, did-you-mean,
YAML 1.2 country codes, file size cap, every problem named at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from roadcarbon.errors import SpecError
from roadcarbon.io.specs import MAX_SPEC_FILE_BYTES, load_vehicle, read_yaml_text, spec_from_mapping
from roadcarbon.specs import plausibility_bounds

PETROL = {
    "name": "Petrol medium car",
    "category": "passenger_car",
    "segment": "medium",
    "powertrain": "ICEV",
    "fuel": "petrol",
    "curb_mass_kg": 1400,
    "test_cycle": "WLTP",
    "fuel_consumption_l_per_100km": 6.0,
}


def _error(data: dict) -> SpecError:
    with pytest.raises(SpecError) as info:
        spec_from_mapping(data)
    return info.value


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan"), 1e309])
def test_infinite_and_nan_numbers_are_refused_naming_the_field(bad):
    err = _error({**PETROL, "fuel_consumption_l_per_100km": bad})
    assert err.field == "vehicle.fuel_consumption_l_per_100km"
    assert "finite" in err.message


def test_a_175_tonne_medium_car_is_refused_with_the_bound_and_its_basis():
    err = _error({**PETROL, "curb_mass_kg": 175_000})
    assert err.field == "vehicle.curb_mass_kg"
    assert "175000 kg" in err.message and "300-5000 kg" in err.message and "assumption" in err.message


def test_a_bus_heavier_than_its_legal_maximum_mass_is_refused_citing_the_law():
    bus = {
        **PETROL,
        "category": "bus",
        "segment": "bus_12m",
        "fuel": "diesel",
        "curb_mass_kg": 25_000,
        "fuel_consumption_l_per_100km": 40,
    }
    err = _error(bus)
    assert err.field == "vehicle.curb_mass_kg" and "legal limit" in err.message
    assert spec_from_mapping({**bus, "curb_mass_kg": 12_000}).curb_mass_kg == 12_000


def test_every_bound_row_has_a_source_or_a_reason_and_is_ordered():
    bounds = plausibility_bounds()
    assert ("passenger_car", "curb_mass_kg") in bounds
    for (category, field), (low, high, unit, status, basis) in bounds.items():
        assert low < high, (category, field)
        assert unit and basis, (category, field)
        assert status in {"legal_limit", "assumption"}


def test_misspelt_field_says_which_field_was_meant_and_all_problems_come_at_once():
    data = {k: v for k, v in PETROL.items() if k != "curb_mass_kg"}
    data["curb_mas_kg"] = 1400
    data["fuel_consumption_l_per_100km"] = float("nan")
    err = _error(data)
    assert "did you mean `curb_mass_kg`" in err.message
    assert "fuel_consumption_l_per_100km" in err.message and "curb_mass_kg" in err.message
    assert err.message.startswith("3 problems")  # unknown field, missing curb mass, NaN consumption


def test_yaml_reads_country_codes_with_yaml_1_2_booleans():
    data = read_yaml_text("battery_production_country: NO\nassembly_country: ON\nflag: true\nother: no\n")
    assert data == {"battery_production_country": "NO", "assembly_country": "ON", "flag": True, "other": "no"}


def test_a_spec_file_with_country_no_loads(tmp_path: Path):
    path = tmp_path / "bev.yaml"
    path.write_text(
        "name: Norwegian-battery BEV\ncategory: passenger_car\nsegment: medium\npowertrain: BEV\n"
        "fuel: electricity\ncurb_mass_kg: 1700\ntest_cycle: WLTP\n"
        "electricity_consumption_kwh_per_100km: 16\nbattery_capacity_kwh: 60\nbattery_chemistry: NMC\n"
        "battery_production_country: NO\n",
        encoding="utf-8",
    )
    assert load_vehicle(str(path)).battery_production_country == "NO"


def test_oversized_spec_file_is_refused_before_it_is_parsed(tmp_path: Path):
    path = tmp_path / "padded.yaml"
    path.write_text("#" * (MAX_SPEC_FILE_BYTES + 10) + "\nname: x\n", encoding="utf-8")
    with pytest.raises(SpecError, match="read up to"):
        load_vehicle(str(path))


def _lca_json(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "roadcarbon.cli", "lca", str(path), "--country", "ID", "--year", "2025"]
    return subprocess.run([*command, "--json"], capture_output=True, text=True, check=False)


def test_cli_exit_2_one_line_for_an_infinite_mass_and_valid_json_otherwise(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "\n".join(f"{k}: {v}" for k, v in {**PETROL, "curb_mass_kg": "1e309"}.items()), encoding="utf-8"
    )
    run = _lca_json(bad)
    assert run.returncode == 2
    assert (
        run.stderr.strip().count("\n") == 0 and "curb_mass_kg" in run.stderr and "Traceback" not in run.stderr
    )
    good = tmp_path / "good.yaml"
    good.write_text("\n".join(f"{k}: {v}" for k, v in PETROL.items()), encoding="utf-8")
    run = _lca_json(good)
    assert run.returncode == 0, run.stderr
    json.loads(run.stdout, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))
