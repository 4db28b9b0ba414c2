"""``roadcarbon fleet run|compare`` through the real console script (exit codes, JSON shapes, CSV)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROADCARBON = [sys.executable, "-m", "roadcarbon.cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ROADCARBON, *args], capture_output=True, text=True, timeout=120, check=False)


def test_fleet_run_json_has_contract_keys() -> None:
    out = _run("fleet", "run", "cl_santiago_ebus", "--json", "--samples", "20", "--seed", "4")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    for key in ("country", "years", "stock", "sales", "scrappage", "energy", "emissions_t_co2e", "fiscal"):
        assert key in doc
    assert doc["country"] == "CL"
    assert set(doc["emissions_t_co2e"]) == {"ttw", "wtw", "lifecycle"}
    assert set(doc["stock"]) == {"diesel", "electric"}
    assert len(doc["stock"]["electric"]) == len(doc["years"])
    assert doc["uncertainty"]["samples"] == 20 and doc["uncertainty"]["seed"] == 4
    assert "electricity_kwh" in doc["energy"] and "diesel_l" in doc["energy"]
    assert doc["fiscal"]["purchase_cost"][1] > 0


def test_fleet_run_csv_one_row_per_year() -> None:
    out = _run("fleet", "run", "sg_cleaner_energy_2030", "--csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [int(r["year"]) for r in rows] == list(range(2023, 2051))
    assert float(rows[-1]["sales_petrol"]) == 0.0


def test_fleet_compare_json_abatement() -> None:
    out = _run("fleet", "compare", "th_cars_baseline", "th_ev35", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) >= {"baseline", "policy", "abatement_t_co2e", "waterfall", "fiscal_change"}
    ab = doc["abatement_t_co2e"]["ttw"]
    assert len(ab["per_year"]) == len(doc["years"]) and ab["cumulative"][-1] > 0
    # EV 3.5 pays rebates: the public cost is positive, revenue change negative.
    assert doc["fiscal_change"]["revenue_total"] < 0


def test_bad_scenario_file_exit_2_one_line_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\ncountry: ID\nsegment: passenger_car\nbase_year: 2023\nend_year: 2030\n"
        "sources: [{title: t}]\ntechnologies: {petrol: {preset: car-medium-petrol}}\n"
        "initial_stock: {values: {petrol: 1}, source: t}\n"
        "sales: {total: {2023: 1}, shares: {2023: {petrol: 0.5}, 2030: {petrol: 1}}, source: t}\n"
        "survival: {mean_life_years: 10, weibull_shape: 3, source: t}\n"
        "activity: {annual_km_new: 1, age_profile: [1], source: t}\n"
        "policy: {schemes: [{id: ZZ.nothing}], choice: {price_elasticity: -1, source: t}}\n",
        encoding="utf-8",
    )
    out = _run("fleet", "run", str(bad))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    for needle in ("sales.total", "missing years 2030", "sales.shares.2023", "ZZ.nothing", "currency"):
        assert needle in lines[0]
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("arg", ["no_such_scenario", "--samples=1"])
def test_fleet_run_usage_errors(arg: str) -> None:
    args = ["fleet", "run", arg] if not arg.startswith("--") else ["fleet", "run", "sg_cars_baseline", arg]
    out = _run(*args)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1


def test_infinite_nan_and_overflowing_numbers_are_one_line_errors(tmp_path: Path) -> None:
    from roadcarbon.io.scenarios import scenario_path

    text = scenario_path("sg_cars_baseline").read_text(encoding="utf-8")
    cases = {
        "inf": text.replace("annual_km_new: 9000", "annual_km_new: .inf"),
        "nan": text.replace("mean_life_years: 10", "mean_life_years: .nan"),
        "huge": text.replace("  - 1.0\n", "  - 1.0e+300\n", 1).replace(
            "annual_km_new: 9000", "annual_km_new: 400000"
        ),
        "overflow": text.replace("2023: 36670", "2023: 1.0e+305").replace("2050: 36670", "2050: 1.0e+305"),
    }
    for name, body in cases.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(body, encoding="utf-8")
        out = _run("fleet", "run", str(path), "--json")
        assert out.returncode == 2, (name, out.stdout[:200], out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_copied_scenario_finds_its_bundled_baseline(tmp_path: Path) -> None:
    from roadcarbon.io.scenarios import load_baseline, scenario_path

    mine = tmp_path / "mine.yaml"
    mine.write_text(scenario_path("th_ev35").read_text(encoding="utf-8"), encoding="utf-8")
    from roadcarbon.io.scenarios import load_scenario

    sc = load_scenario(str(mine))
    base = load_baseline(str(mine), sc)
    assert base is not None and base.name.startswith("Thailand passenger cars, baseline")
    out = _run("fleet", "compare", "th_cars_baseline", str(mine), "--json")
    assert out.returncode == 0, out.stderr
