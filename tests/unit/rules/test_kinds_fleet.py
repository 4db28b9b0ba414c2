"""credits, mandate and lifecycle kinds on hand-checkable inputs (numbers are test inputs, not law)."""

import datetime as dt
from typing import Any

import pytest

from roadcarbon.errors import SpecError
from roadcarbon.rules import evaluate, evaluate_fleet
from roadcarbon.specs import Fleet

from .conftest import car, doc, scheme, value

ON = dt.date(2020, 6, 1)
BEV: dict[str, Any] = {
    "powertrain": "BEV",
    "fuel": "electricity",
    "co2_g_per_km": None,
    "nox_g_per_km": None,
    "battery_capacity_kwh": 60,
    "electricity_consumption_kwh_per_100km": 15,
}


def _credits_doc() -> dict[str, Any]:
    d = doc(
        kind="credits",
        category="credit",
        period="year",
        period_basis="compliance_year",
        inputs=["powertrain", "electric_range_km"],
    )
    del d["band_table"]
    d["parameters"] = {
        "base": {"unit": "credit", "values": {"2020-01-01": value(0.4)}},
        "slope": {"unit": "credit/km", "values": {"2020-01-01": value(0.005)}},
        "cap": {"unit": "credit", "values": {"2020-01-01": value(2.0)}},
        "ratio": {"unit": "share", "values": {"2020-01-01": value(0.1)}},
    }
    d["credits"] = {
        "rows": [
            {
                "id": "bev",
                "when": {"input": "powertrain", "op": "in", "value": ["BEV"]},
                "base": "base",
                "slope": "slope",
                "input": "electric_range_km",
                "max": "cap",
            }
        ],
        "requirement": {
            "ratio": "ratio",
            "base_when": {"input": "powertrain", "op": "in", "value": ["ICEV"]},
        },
    }
    return d


def test_credit_formula_is_clamped_per_vehicle() -> None:
    s = scheme(_credits_doc())
    r = evaluate(s, [car(**BEV, electric_range_km=300), car(**BEV, electric_range_km=400), car()], ON)
    # 0.4 + 0.005 x 300 = 1.9; 0.4 + 0.005 x 400 = 2.4 -> cap 2.0; ICEV: no row -> 0
    assert r.outcome["credits"].tolist() == pytest.approx([1.9, 2.0, 0.0])
    assert r.outcome["eligible"].tolist() == [True, True, False]


def test_credit_balance_of_a_fleet() -> None:
    fleet = Fleet.model_validate(
        {
            "name": "maker",
            "vehicles": [
                {"spec": car(**BEV, electric_range_km=300).model_dump(), "sales": 1000},
                {"spec": car().model_dump(), "sales": 20000},
            ],
        }
    )
    r = evaluate_fleet(scheme(_credits_doc()), fleet, 2020)
    # earned 1.9 x 1,000 = 1,900; required 0.1 x 20,000 = 2,000; balance -100
    assert r.outcome["target"] == pytest.approx(2000)
    assert r.outcome["credits"] == pytest.approx(-100)
    assert r.outcome["compliant"] is False


def test_bev_without_range_is_refused_by_name() -> None:
    with pytest.raises(SpecError, match="electric_range_km"):
        evaluate(scheme(_credits_doc()), [car(**BEV)], ON)


def _mandate_doc() -> dict[str, Any]:
    d = doc(kind="mandate", category="mandate", inputs=["powertrain"])
    del d["band_table"]
    d["parameters"] = {"share": {"unit": "share", "values": {"2020-01-01": value(0.3)}}}
    d["mandate"] = {
        "qualifying": {"input": "powertrain", "op": "in", "value": ["BEV"]},
        "required_share": "share",
    }
    return d


def test_mandate_share_of_a_fleet() -> None:
    fleet = Fleet.model_validate(
        {
            "name": "buyer",
            "vehicles": [
                {"spec": car(**BEV).model_dump(), "sales": 25},
                {"spec": car().model_dump(), "sales": 75},
            ],
        }
    )
    r = evaluate_fleet(scheme(_mandate_doc()), fleet, 2020)
    assert r.outcome["average"] == pytest.approx(0.25)
    assert r.outcome["target"] == pytest.approx(0.3)
    assert r.outcome["compliant"] is False


def test_partial_mandate_leaves_every_vehicle_eligible() -> None:
    r = evaluate(scheme(_mandate_doc()), [car(), car(**BEV)], ON)
    assert r.outcome["eligible"].tolist() == [True, True]
    assert r.outcome["qualifies"].tolist() == [False, True]


def _lifecycle_doc() -> dict[str, Any]:
    d = doc(kind="lifecycle", category="lifecycle", inputs=["a_kg", "b_kg", "energy_kwh"])
    del d["band_table"]
    d["parameters"] = {"limit": {"unit": "kg CO2e/kWh", "values": {"2020-01-01": value(0.1)}}}
    d["lifecycle"] = {
        "stages": {"a": "a_kg", "b": "b_kg"},
        "optional_stages": ["b"],
        "energy_delivered_input": "energy_kwh",
        "limit": "limit",
    }
    return d


def test_lifecycle_footprint_per_kwh_and_limit() -> None:
    r = evaluate(
        scheme(_lifecycle_doc()),
        [car(**BEV)],
        ON,
        extra_inputs={"a_kg": 6000, "b_kg": 3000, "energy_kwh": 100000},
    )
    out = r.vehicle_outcome(0)
    assert out["footprint"] == pytest.approx(0.09)
    assert out["footprint_a"] == pytest.approx(0.06)
    assert out["eligible"] is True
    assert out["complete"] is True


def test_lifecycle_optional_stage_missing_marks_the_declaration_incomplete() -> None:
    r = evaluate(
        scheme(_lifecycle_doc()), [car(**BEV)], ON, extra_inputs={"a_kg": 6000, "energy_kwh": 100000}
    )
    out = r.vehicle_outcome(0)
    assert out["complete"] is False
    assert out["footprint_b"] is None
    assert out["footprint"] == pytest.approx(0.06)
