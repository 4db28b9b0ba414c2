"""Dates, conversions, traces, comparison and the legal-case runner."""

import datetime as dt

import numpy as np
import pytest

from roadcarbon.errors import RuleError
from roadcarbon.rules import evaluate
from roadcarbon.rules.cases import CaseFile, run_case, run_case_file
from roadcarbon.rules.conditions import condition_state
from roadcarbon.rules.context import Context
from roadcarbon.rules.registry import Library
from roadcarbon.rules.schema import Compare
from roadcarbon.rules.tables import CycleConversion, find_conversion

from .conftest import SOURCES, car, doc, library, scheme, value

ON = dt.date(2020, 6, 1)


def test_date_outside_every_version_is_refused_with_the_range() -> None:
    with pytest.raises(
        RuleError,
        match=r"no version of XX\.bands is in force on 2019-12-31; its versions cover 2020-01-01 to 2021-12-31",
    ):
        evaluate(scheme(), [car()], dt.date(2019, 12, 31))


def test_trace_lists_each_parameter_with_date_reference_and_status() -> None:
    lib = library(scheme())
    r = evaluate(lib.get("XX.bands"), [car()], ON, library=lib)
    entries = r.vehicle_trace(0)
    limits = next(e for e in entries if e["type"] == "parameter" and e["name"] == "co2_limits")
    assert limits["valid_from"] == "2020-01-01"
    assert limits["reference"] == {"source": "xx_test", "locator": "t", "title": "test source"}
    assert limits["status"] == "enacted"
    assert limits["value"] == [100, 150]
    band = next(e for e in entries if e["type"] == "intermediate" and e["name"] == "band")
    assert band["value"] == "B"


def test_trace_for_one_vehicle_picks_its_element() -> None:
    r = evaluate(scheme(), [car(co2_g_per_km=90, nox_g_per_km=0.001), car(co2_g_per_km=200)], ON)
    assert r.vehicle_trace(1)[-1]["value"] == "C"
    assert r.vehicle_outcome(0)["band"] == "A"


def test_three_valued_logic_any_of_true_beats_unknown() -> None:
    from roadcarbon.rules.schema import AnyOf

    d = doc()
    d["parameters"]["x"] = {"unit": "g/km", "values": {"2020-01-01": value(100.0)}}
    d["parameters"]["y"] = {"unit": "g/km", "values": {"2020-01-01": value(0.01)}}
    cols = {"co2_g_per_km": np.array([90.0, 200.0, 200.0]), "nox_g_per_km": np.array([np.nan, np.nan, 0.001])}
    ctx = Context(scheme=scheme(d), on=ON, columns=cols, n=3)
    cond = AnyOf(
        any_of=[
            Compare(input="co2_g_per_km", op="le", param="x"),
            Compare(input="nox_g_per_km", op="lt", param="y"),
        ]
    )
    true, unknown = condition_state(cond, ctx)
    assert true.tolist() == [True, False, True]
    assert unknown.tolist() == [False, True, False]


def test_cycle_conversion_is_applied_and_traced() -> None:
    conversion = CycleConversion(
        from_cycle="NEDC",
        to_cycle="WLTP",
        quantity="co2",
        powertrain="ICEV",
        factor=1.21,
        low=1.01,
        high=1.36,
        source_id="xx_test",
        locator="CF01",
    )
    lib = Library.build([(scheme(), "x.yaml")], SOURCES, conversions=[conversion])
    # 100 g/km NEDC x 1.21 = 121 g/km WLTP -> band B (100 < 121 <= 150)
    r = evaluate(lib.get("XX.bands"), [car(test_cycle="NEDC", co2_g_per_km=100)], ON, library=lib)
    assert r.vehicle_outcome(0)["band"] == "B"
    assert r.vehicle_outcome(0)["converted_inputs"] == ["co2_g_per_km"]
    step = next(s for s in r.trace.steps if s.type == "conversion")
    assert "1.21" in (step.note or "") and "CF01" in (step.note or "")


def test_missing_cycle_conversion_is_refused() -> None:
    lib = Library.build([(scheme(), "x.yaml")], SOURCES)
    with pytest.raises(RuleError, match="no CLTC->WLTP factor"):
        evaluate(lib.get("XX.bands"), [car(test_cycle="CLTC")], ON, library=lib)


def test_reversed_conversion_row_is_inverted() -> None:
    row = CycleConversion(
        from_cycle="NEDC", to_cycle="WLTP", quantity="co2", powertrain="ICEV", factor=1.25, source_id="s"
    )
    found = find_conversion(
        [row], input_name="co2_g_per_km", from_cycle="WLTP", to_cycle="NEDC", powertrain="ICEV"
    )
    assert found is not None
    assert found[1] == "inverse_reversed"


def test_packaged_conversion_table_converts_cltc_range_to_wltp() -> None:
    from roadcarbon.io.rulebook import load_library

    lib = load_library()
    found = find_conversion(
        lib.conversions, input_name="electric_range_km", from_cycle="CLTC", to_cycle="WLTP", powertrain="BEV"
    )
    assert found is not None
    assert 0.7 < found[0].factor < 1.0


def test_compare_gives_one_row_per_scheme_and_the_emission_standard() -> None:
    from roadcarbon.io.rulebook import load_library
    from roadcarbon.rules import compare

    lib = load_library()
    bev = car(
        powertrain="BEV",
        fuel="electricity",
        co2_g_per_km=None,
        nox_g_per_km=None,
        battery_capacity_kwh=60,
        electricity_consumption_kwh_per_100km=15,
        emission_standard="Euro 6",
    )
    rows = compare(bev, ["SG"], dt.date(2024, 6, 1), library=lib, allow_status="all")
    by_id = {r["scheme"]: r for r in rows}
    assert by_id["SG.vehicular_emissions_scheme"]["outcome"]["band"] == "A1"
    assert by_id["SG.emission_standard"]["outcome"]["eligible"] is True
    assert all(r["market"] == "SG" for r in rows)


def test_case_runner_reports_a_wrong_expectation() -> None:
    lib = library(scheme())
    case_file = CaseFile.model_validate(
        {
            "scheme": "XX.bands",
            "cases": [
                {
                    "name": "wrong",
                    "version": "v1",
                    "origin": "constructed",
                    "date": "2020-06-01",
                    "vehicle": car().model_dump(mode="json"),
                    "expected": {"band": "A"},
                }
            ],
        }
    )
    result = run_case(lib, case_file, case_file.cases[0])
    assert not result.passed
    assert "expected 'A', got 'B'" in result.message


def test_case_runner_requires_a_case_per_version() -> None:
    lib = library(scheme())
    case_file = CaseFile.model_validate(
        {
            "scheme": "XX.bands",
            "cases": [
                {
                    "name": "v1 only",
                    "version": "v1",
                    "origin": "constructed",
                    "date": "2020-06-01",
                    "vehicle": car().model_dump(mode="json"),
                    "expected": {"band": "B"},
                }
            ],
        }
    )
    results = run_case_file(lib, case_file)
    assert [r.passed for r in results] == [True, False]
    assert results[1].message == "no case covers this version"


def test_only_values_deciding_a_vehicle_count_in_its_status() -> None:
    from roadcarbon.io.rulebook import default_library
    from roadcarbon.rules.inputs import rule_columns

    lib = default_library()
    ves = lib.get("SG.vehicular_emissions_scheme")
    petrol = {
        "category": "passenger_car",
        "powertrain": "ICEV",
        "fuel": "petrol",
        "co2_g_per_km": 150,
        "hc_g_per_km": 0.02,
        "co_g_per_km": 0.2,
        "nox_g_per_km": 0.01,
        "pm_mg_per_km": 0.2,
    }
    bev = {"category": "passenger_car", "powertrain": "BEV", "electricity_consumption_kwh_per_100km": 15}
    cols, _ = rule_columns([petrol, bev], ves)
    result = evaluate(ves, cols, dt.date(2024, 6, 1), library=lib)
    assert "ev_co2_g_per_wh" not in result.vehicle_outcome(0)["non_enacted_parameters"]
    assert "ev_co2_g_per_wh" in result.vehicle_outcome(1)["non_enacted_parameters"]
    alone, _ = rule_columns(petrol, ves)
    single = evaluate(ves, alone, dt.date(2024, 6, 1), library=lib).vehicle_outcome(0)
    assert "ev_co2_g_per_wh" not in single["non_enacted_parameters"]


def test_super_credit_values_do_not_touch_a_fleet_without_such_cars() -> None:
    from roadcarbon.io.rulebook import default_library
    from roadcarbon.rules import evaluate_fleet
    from roadcarbon.rules.inputs import rule_fleet

    lib = default_library()
    eu = lib.get("EU.co2_standards_cars")
    petrol = {"category": "passenger_car", "powertrain": "ICEV", "curb_mass_kg": 1425, "test_cycle": "NEDC"}
    only_petrol = rule_fleet({"vehicles": [{"spec": {**petrol, "co2_g_per_km": 110}, "sales": 100}]}, eu)
    names = [u.name for u in evaluate_fleet(eu, only_petrol, 2020, library=lib).trace.parameters]
    assert "supercredit_factor" not in names and "supercredit_cap_g_per_km" not in names
    bev = {"category": "passenger_car", "powertrain": "BEV", "curb_mass_kg": 1700, "test_cycle": "NEDC"}
    mixed = rule_fleet(
        {"vehicles": [{"spec": {**petrol, "co2_g_per_km": 110}, "sales": 100}, {"spec": bev, "sales": 5}]}, eu
    )
    names = [u.name for u in evaluate_fleet(eu, mixed, 2020, library=lib).trace.parameters]
    assert "supercredit_factor" in names


def test_the_eeai_share_does_not_touch_a_car_whose_rebate_the_cap_decides() -> None:
    from roadcarbon.io.rulebook import default_library
    from roadcarbon.rules.inputs import rule_columns

    lib = default_library()
    eeai = lib.get("SG.ev_early_adoption_incentive")
    bev = {"category": "passenger_car", "powertrain": "BEV", "price_currency": "SGD"}
    # OMV S$40,000: ARF S$48,000 x 45 % = S$21,600 > the S$15,000 cap; OMV S$20,000: ARF S$20,000 x 45 % = S$9,000
    cols, _ = rule_columns([{**bev, "price": 40000}, {**bev, "price": 20000}], eeai)
    result = evaluate(eeai, cols, dt.date(2024, 6, 1), library=lib)
    capped = [e["name"] for e in result.vehicle_trace(0) if e["type"] == "parameter"]
    shared = [e["name"] for e in result.vehicle_trace(1) if e["type"] == "parameter"]
    assert "eeai_share_of_arf" not in capped and "eeai_cap_sgd" in capped
    assert "eeai_share_of_arf" in shared and "eeai_cap_sgd" not in shared
    assert result.outcome["amount"].tolist() == [-15000.0, -9000.0]
