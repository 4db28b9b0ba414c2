"""Fleet totals of a per-vehicle scheme (issue 9 section 6)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from roadcarbon.errors import SpecError
from roadcarbon.rules import FleetInputs, evaluate, fleet_totals

from .conftest import scheme

ON = dt.date(2020, 6, 1)


def _cols(co2: list[float]) -> dict[str, np.ndarray]:
    n = len(co2)
    return {
        "category": np.full(n, "passenger_car"),
        "powertrain": np.full(n, "ICEV"),
        "co2_g_per_km": np.asarray(co2, dtype=np.float64),
        "nox_g_per_km": np.full(n, 0.01),
    }


def test_totals_are_sales_weighted_sums_of_the_per_vehicle_amounts() -> None:
    s = scheme()
    cols, sales = _cols([90.0, 150.0, 250.0]), np.array([10.0, 20.0, 5.0])
    result, totals = fleet_totals(s, FleetInputs(cols, sales), ON)
    per_vehicle = evaluate(s, cols, ON).outcome["amount"]
    assert result.outcome["amount"].tolist() == per_vehicle.tolist()
    expected_revenue = float(np.sum(np.where(per_vehicle > 0, per_vehicle, 0) * sales))
    expected_rebates = float(-np.sum(np.where(per_vehicle < 0, per_vehicle, 0) * sales))
    assert totals["revenue"] == pytest.approx(expected_revenue)
    assert totals["rebates"] == pytest.approx(expected_rebates)
    assert totals["net"] == pytest.approx(expected_revenue - expected_rebates)
    assert sum(totals["share_by_band"].values()) == pytest.approx(1.0)
    assert totals["vehicles"] == 35.0


def test_negative_sales_are_refused_naming_the_field() -> None:
    with pytest.raises(SpecError, match="sales"):
        fleet_totals(scheme(), FleetInputs(_cols([90.0]), np.array([-1.0])), ON)


def test_a_fleet_with_no_rebate_shows_zero_not_minus_zero() -> None:
    """-sum(nothing) is -0.0, which JSON, CSV and the web wrote as "-0.0" rebates."""
    s = scheme()
    cols, sales = _cols([250.0]), np.array([3.0])
    _, totals = fleet_totals(s, FleetInputs(cols, sales), ON)
    assert totals["rebates"] == 0.0
    assert str(totals["rebates"]) == "0.0"
    assert not np.signbit(totals["rebates"])
