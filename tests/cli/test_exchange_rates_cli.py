"""`roadcarbon rules evaluate` on a vehicle priced in another currency than the scheme's (the design's example).

Hand check: 500,000,000 IDR / 15,841 IDR per USD (2024, Bank Indonesia) x 1.3363 SGD per USD (2024, FRED
AEXSIUS) = S$42,178.52 OMV; ARF (S 70/2023 tiers) = 20,000 + 28,000 + 2,178.52 x 1.9 = S$52,139.20.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from roadcarbon.cli import app

runner = CliRunner()

EXAMPLE = {
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
    "hc_g_per_km": 0.02,
    "co_g_per_km": 0.15,
    "nox_g_per_km": 0.008,
    "pm_mg_per_km": 0.1,
    "seats": 5,
    "price": 500000000,
    "price_currency": "IDR",
}


@pytest.fixture
def example(tmp_path: Path) -> str:
    path = tmp_path / "example.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    return str(path)


def rules(*args: str) -> Any:
    return runner.invoke(app, ["rules", *args], env={"COLUMNS": "200", "NO_COLOR": "1"})


def test_evaluate_converts_an_idr_price_for_the_singapore_arf(example: str) -> None:
    result = rules("evaluate", "SG.additional_registration_fee", example, "--on", "2024-06-01", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["outcome"]["currency"] == "SGD"
    omv = 500_000_000 / 15841 * 1.3363
    assert doc["outcome"]["amount"] == pytest.approx(20000 + 28000 + (omv - 40000) * 1.9, rel=1e-12)
    by_name = {entry["name"]: entry for entry in doc["trace"]}
    assert by_name["price as given"] == {
        "type": "intermediate",
        "name": "price as given",
        "value": 500000000.0,
        "unit": "IDR",
        "note": "price_currency",
    }
    assert by_name["exchange rate IDR per USD, 2024"]["value"] == 15841
    assert by_name["exchange rate SGD per USD, 2024"]["value"] == 1.3363
    assert by_name["price"]["type"] == "conversion"
    assert by_name["price"]["value"] == pytest.approx(omv)
    assert "tax base" in by_name["price"]["note"]


def test_evaluate_refuses_an_unsourced_currency_year_in_one_line(example: str) -> None:
    result = rules("evaluate", "SG.additional_registration_fee", example, "--on", "2025-06-01", "--json")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "no sourced exchange rate for IDR in 2025" in result.output
    assert "price_currency" in result.output
