"""Fleet files at scale (issue 15 §4): CSV fleets give the YAML fleet's document; presets are parsed once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from roadcarbon.cli import app
from roadcarbon.errors import SpecError
from roadcarbon.io.fleet_csv import fleet_mapping_from_csv
from roadcarbon.io.specs import _load_preset_cached, load_preset

runner = CliRunner()


def _fleet(path: Path, scheme: str, year: str) -> dict:
    r = runner.invoke(
        app, ["rules", "evaluate-fleet", scheme, str(path), "--year", year, "--allow", "all", "--json"]
    )
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_csv_fleet_equals_yaml_fleet(tmp_path: Path) -> None:
    fleet = {
        "name": "maker",
        "vehicles": [
            {"preset": "car-medium-petrol", "sales": 8000},
            {"preset": "car-medium-bev", "sales": 2000},
            {
                "spec": {
                    **load_preset("car-small-petrol").model_dump(mode="json", exclude_none=True),
                    "curb_mass_kg": 1111,
                },
                "sales": 500,
            },
        ],
    }
    (tmp_path / "maker.yaml").write_text(yaml.safe_dump(fleet), encoding="utf-8")
    (tmp_path / "maker.csv").write_text(
        "preset,curb_mass_kg,sales\ncar-medium-petrol,,8000\ncar-medium-bev,,2000\ncar-small-petrol,1111,500\n",
        encoding="utf-8",
    )
    a = _fleet(tmp_path / "maker.yaml", "CN.cafc_gb27999", "2024")
    b = _fleet(tmp_path / "maker.csv", "CN.cafc_gb27999", "2024")
    assert a == b
    assert a["outcome"]["average"] is not None


def test_csv_fleet_errors_name_the_line() -> None:
    with pytest.raises(SpecError) as err:
        fleet_mapping_from_csv("preset,sales\ncar-medium-bev,lots\n", name="x")
    assert err.value.field == "fleet.vehicles[0].sales"
    with pytest.raises(SpecError, match="sales column"):
        fleet_mapping_from_csv("preset\ncar-medium-bev\n", name="x")
    r = runner.invoke(
        app, ["rules", "evaluate-fleet", "CN.cafc_gb27999", "/nonexistent.csv", "--year", "2024"]
    )
    assert r.exit_code == 2


@pytest.mark.parametrize("sales", ["1,000", "1_000", "\u0663", "inf", "nan", "1000 units"])
def test_csv_sales_are_plain_decimal_numbers(sales: str) -> None:
    """Python's float() reads 1_000 and Arabic-Indic digits but not 1,000: one rule, plain ASCII decimals."""
    with pytest.raises(SpecError, match="plain decimal number") as err:
        fleet_mapping_from_csv(f'preset,sales\ncar-medium-bev,"{sales}"\n', name="x")
    assert err.value.field == "fleet.vehicles[0].sales"


def test_csv_sales_may_be_fractional_or_exponent() -> None:
    """Projected sales (a share times a market) are fractional; 1e3 is a plain number."""
    doc = fleet_mapping_from_csv("preset,sales\ncar-medium-bev,12.5\ncar-medium-petrol,1e3\n", name="x")
    assert [v["sales"] for v in doc["vehicles"]] == [12.5, 1000]


def test_presets_parsed_once_and_returned_as_copies() -> None:
    _load_preset_cached.cache_clear()
    a = load_preset("car-medium-bev")
    b = load_preset("car-medium-bev")
    info = _load_preset_cached.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert a == b and a is not b and a.sources is not b.sources
    a.sources.append("changed")
    assert "changed" not in load_preset("car-medium-bev").sources
