"""Parameter formulas and fleet-level inputs (EU 2021-2024 target from the maker's 2020 figures)."""

import copy
from typing import Any

import pytest

from roadcarbon.errors import RoadcarbonError, RuleError
from roadcarbon.io.rulebook import default_library
from roadcarbon.rules import evaluate_fleet
from roadcarbon.rules.documents import evaluate_fleet_document
from roadcarbon.rules.expressions import evaluate_formula, formula_names, parse_formula
from roadcarbon.rules.inputs import rule_fleet
from roadcarbon.rules.registry import parse_scheme

INPUTS = {
    "wltp_co2_2020_g_per_km": 120.0,
    "nedc_co2_2020_g_per_km": 100.0,
    "nedc_target_2020_g_per_km": 98.999996,
    "mean_mass_2020_kg": 1500.0,
}


def fleet(inputs: Any = None, mass: float = 1475.0, co2: float = 115.0) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "vehicles": [
            {
                "spec": {
                    "category": "passenger_car",
                    "powertrain": "ICEV",
                    "fuel": "petrol",
                    "test_cycle": "WLTP",
                    "curb_mass_kg": mass,
                    "co2_g_per_km": co2,
                },
                "sales": 100000,
            }
        ]
    }
    if inputs is not None:
        doc["inputs"] = inputs
    return doc


def test_formula_precedence_and_arithmetic_shown() -> None:
    names = {"a": 120.0, "b": 99.0, "c": 100.0, "d": 0.0333, "e": 1500.0, "f": 1379.88}
    value, shown = evaluate_formula("a * b / c - d * (e - f)", names.__getitem__)
    assert value == pytest.approx(120.0 * 99.0 / 100.0 - 0.0333 * (1500.0 - 1379.88))
    assert shown.startswith("120 x 99 / 100 - 0.0333 x (1,500 - 1,379.88) = ")
    assert formula_names("-a + b") == {"a", "b"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a * 2", "not literals"),
        ("a ** b", "only \\+ - \\* /"),
        ("f(a)", "Call is not allowed"),
        ("a.b", "Attribute is not allowed"),
        ("a +", "not an arithmetic expression"),
    ],
)
def test_formula_refuses_anything_but_names_and_arithmetic(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_formula(text)


def test_division_by_zero_is_an_error_not_inf() -> None:
    with pytest.raises(RuleError, match="division by zero"):
        evaluate_formula("a / b", {"a": 1.0, "b": 0.0}.__getitem__)


def test_scheme_with_a_formula_reading_an_undeclared_name_is_refused() -> None:
    lib = default_library()
    doc = lib.get("EU.co2_standards_cars").model_dump(mode="json", exclude_none=True)
    bad = copy.deepcopy(doc)
    del bad["fleet_inputs"]["mean_mass_2020_kg"]
    with pytest.raises(RuleError, match="reads 'mean_mass_2020_kg', which is neither a parameter"):
        parse_scheme(bad, origin="x.yaml")
    value = bad["parameters"]["target_base_g_per_km"]["values"]["2021-01-01"]
    value["value"] = 1.0
    with pytest.raises(RuleError, match="exactly one of 'value' or 'formula'"):
        parse_scheme(bad, origin="x.yaml")


def test_eu_2022_target_from_the_2020_figures_and_its_trace() -> None:
    lib = default_library()
    scheme = lib.get("EU.co2_standards_cars")
    result = evaluate_fleet(scheme, rule_fleet(fleet(INPUTS), scheme), 2022, library=lib)
    # 120 x 98.999996 / 100 + 0.0333 x ((1550 - 1379.88) - (1500 - 1379.88))
    assert result.outcome["target"] == pytest.approx(118.7999952 + 0.0333 * 50, abs=1e-9)
    assert result.version == "2021"
    trace = result.trace.to_list()
    inputs = {e["name"]: e for e in trace if e["type"] == "input"}
    assert inputs["fleet.mean_mass_2020_kg"]["value"] == 1500.0
    assert inputs["fleet.mean_mass_2020_kg"]["unit"] == "kg"
    base = next(e for e in trace if e["type"] == "parameter" and e["name"] == "target_base_g_per_km")
    assert base["status"] == "enacted"
    assert base["value"] == pytest.approx(118.7999952 - 0.0333 * (1500 - 1379.88))
    assert "120 x 99 / 100 - 0.0333 x (1,500 - 1,379.88)" in base["note"]
    used = {e["name"] for e in trace if e["type"] == "parameter"}
    assert {"mass_pivot_2020_kg", "mass_slope_g_per_km_per_kg", "mass_pivot_kg"} <= used
    # M0 of 2021-2024 is an assumption: the outcome says so
    assert result.outcome["status"] == "assumption"


def test_every_bad_or_missing_fleet_input_named_at_once() -> None:
    lib = default_library()
    scheme = lib.get("EU.co2_standards_cars")
    with pytest.raises(RoadcarbonError) as err:
        rule_fleet(fleet({"wltp_co2_2020": 1.0, "nedc_co2_2020_g_per_km": "high"}), scheme)
    assert err.value.field == "fleet.inputs.wltp_co2_2020, fleet.inputs.nedc_co2_2020_g_per_km"
    partial = {k: v for k, v in INPUTS.items() if k != "mean_mass_2020_kg" and k != "nedc_co2_2020_g_per_km"}
    with pytest.raises(RoadcarbonError) as err:
        evaluate_fleet(scheme, rule_fleet(fleet(partial), scheme), 2024, library=lib)
    assert err.value.field == "fleet.inputs.mean_mass_2020_kg, fleet.inputs.nedc_co2_2020_g_per_km"
    assert "Mø2020" in err.value.message


def test_2020_needs_no_fleet_inputs_and_the_keyword_adds_them() -> None:
    lib = default_library()
    scheme = lib.get("EU.co2_standards_cars")
    nedc = fleet(mass=1425.0, co2=100.0)
    nedc["vehicles"][0]["spec"]["test_cycle"] = "NEDC"
    assert evaluate_fleet(scheme, rule_fleet(nedc, scheme), 2020, library=lib).outcome[
        "target"
    ] == pytest.approx(98.999996)
    result = evaluate_fleet(scheme, rule_fleet(fleet(), scheme), 2021, library=lib, fleet_inputs=INPUTS)
    assert result.outcome["target"] == pytest.approx(120.4649952, abs=1e-9)


def test_fleet_document_carries_the_inputs() -> None:
    doc = evaluate_fleet_document(default_library(), "EU.co2_standards_cars", fleet(INPUTS), 2021)
    assert doc["version"] == "2021"
    assert doc["outcome"]["target"] == pytest.approx(120.4649952, abs=1e-9)
    assert doc["outcome"]["credit_balance"] == pytest.approx(546499.52, abs=1e-3)


def cn_fleet(ice_l_per_100km: float, bev: dict[str, Any]) -> dict[str, Any]:
    ice = {
        "category": "passenger_car",
        "powertrain": "ICEV",
        "fuel": "petrol",
        "test_cycle": "WLTP",
        "curb_mass_kg": 1500,
        "fuel_consumption_l_per_100km": ice_l_per_100km,
    }
    ev = {
        "category": "passenger_car",
        "powertrain": "BEV",
        "fuel": "electricity",
        "curb_mass_kg": 1800,
        **bev,
    }
    return {"vehicles": [{"spec": ice, "sales": 100000}, {"spec": ev, "sales": 20000}]}


BEV_500 = {
    "test_cycle": "CLTC",
    "battery_capacity_kwh": 70,
    "electricity_consumption_kwh_per_100km": 13,
    "electric_range_km": 500,
}


def test_cafc_deficit_offset_with_own_nev_credits_counts_their_status() -> None:
    doc = evaluate_fleet_document(default_library(), "CN.cafc_gb27999", cn_fleet(7.0, BEV_500), 2024)
    out = doc["outcome"]
    carried, received, row = out["offsets"]
    assert carried["surplus_available"] == received["surplus_available"] == 0.0  # none given: 0 is read
    assert row["scheme"] == "CN.nev_credits"
    assert row["surplus_available"] == pytest.approx(10000.0)
    assert out["credit_balance_after_offsets"] == pytest.approx(out["credit_balance"] + 10000.0)
    assert out["compliant"] is False  # the CAFC comparison itself is unchanged
    names = set(out["non_enacted_parameters"])
    assert {"nev_credit_offset_ratio", "CN.nev_credits.bev_credit_cap"} <= names


def test_cafc_surplus_reads_no_nev_scheme_and_no_offset_ratio() -> None:
    doc = evaluate_fleet_document(default_library(), "CN.cafc_gb27999", cn_fleet(5.0, {}), 2024)
    out = doc["outcome"]
    assert out["credit_balance"] > 0
    assert out["offsets"] == []
    assert out["credit_balance_after_offsets"] == out["credit_balance"]
    assert "nev_credit_offset_ratio" not in out["non_enacted_parameters"]


def test_offset_that_cannot_be_evaluated_is_explained_not_an_error() -> None:
    doc = evaluate_fleet_document(default_library(), "CN.cafc_gb27999", cn_fleet(7.0, {}), 2024)
    out = doc["outcome"]
    row = out["offsets"][-1]
    assert "electric_range_km" in row["not_evaluated"]
    assert "credit_balance_after_offsets" not in out


def test_carried_credits_are_used_before_nev_credits_with_the_article_24_ratios() -> None:
    fleet = cn_fleet(9.0, BEV_500)  # a deficit in 2021 and 2022
    fleet["inputs"] = {"cafc_credits_earned_1_year_before": 30000, "cafc_credits_earned_3_years_before": 1000}
    doc = evaluate_fleet_document(default_library(), "CN.cafc_gb27999", fleet, 2021)
    carried = doc["outcome"]["offsets"][0]
    assert carried["surplus_available"] == pytest.approx(30000 * 0.9 + 1000 * 0.8**3)  # a 2018 credit in 2021
    doc = evaluate_fleet_document(default_library(), "CN.cafc_gb27999", fleet, 2022)
    assert doc["outcome"]["offsets"][0]["surplus_available"] == pytest.approx(30000 * 0.9 + 1000 * 0.9**3)
    inputs = {e["name"]: e for e in doc["trace"] if e["type"] == "input"}
    assert inputs["fleet.cafc_credits_received"]["note"] == "not given: 0 is read"
    with pytest.raises(RoadcarbonError) as err:
        rule_fleet(
            {**fleet, "inputs": {"cafc_credits_received": -1e400}}, default_library().get("CN.cafc_gb27999")
        )
    assert err.value.field == "fleet.inputs.cafc_credits_received"
