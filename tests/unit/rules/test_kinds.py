"""Evaluators on hand-checkable inputs (numbers here are test inputs, not law)."""

import datetime as dt

import numpy as np
import pytest

from roadcarbon.errors import RuleError, SpecError
from roadcarbon.rules import evaluate, evaluate_fleet, multi_year
from roadcarbon.rules.kinds.band_table import band_index
from roadcarbon.rules.kinds.fleet_target import curve_target
from roadcarbon.rules.kinds.rate_scale import marginal_amount
from roadcarbon.rules.schema import Direction
from roadcarbon.specs import Fleet

from .conftest import car, doc, library, scheme, value

ON = dt.date(2020, 6, 1)


def test_band_index_inclusive_upper_bounds() -> None:
    idx = band_index(
        np.array([99.9, 100.0, 100.1, 150.0, 151.0, np.nan]),
        np.array([100.0, 150.0]),
        direction=Direction.LOWER_IS_BETTER,
        inclusive=True,
    )
    assert idx.tolist() == [0, 0, 1, 1, 2, 2]


def test_band_index_exclusive_and_higher_is_better() -> None:
    exclusive = band_index(
        np.array([100.0]), np.array([100.0, 150.0]), direction=Direction.LOWER_IS_BETTER, inclusive=False
    )
    assert exclusive.tolist() == [1]
    kmpl = band_index(
        np.array([23.5, 23.0, 19.0, 10.0]),
        np.array([23.0, 18.4]),
        direction=Direction.HIGHER_IS_BETTER,
        inclusive=False,
    )
    assert kmpl.tolist() == [0, 1, 1, 2]


def test_band_index_refuses_unordered_thresholds() -> None:
    with pytest.raises(RuleError, match="ascending"):
        band_index(
            np.array([1.0]), np.array([150.0, 100.0]), direction=Direction.LOWER_IS_BETTER, inclusive=True
        )


def test_worst_of_takes_the_worst_metric() -> None:
    # CO2 120 -> band B; NOx 0.015 -> band B; NOx 0.025 -> band C
    result = evaluate(
        scheme(), [car(), car(nox_g_per_km=0.025), car(co2_g_per_km=90, nox_g_per_km=0.001)], ON
    )
    assert result.outcome["band"].tolist() == ["B", "C", "A"]
    assert result.outcome["amount"].tolist() == [0.0, 1000.0, -1000.0]


def test_any_of_takes_the_best_metric() -> None:
    d = doc()
    d["band_table"]["combine"] = "any_of"
    result = evaluate(scheme(d), [car(co2_g_per_km=160, nox_g_per_km=0.005)], ON)
    assert result.outcome["band"].tolist() == ["A"]


def test_batch_matches_hand_bands_for_many_vehicles() -> None:
    rng = np.random.default_rng(7)
    co2 = rng.uniform(50, 200, 500)
    nox = rng.uniform(0, 0.03, 500)
    result = evaluate(
        scheme(), {"co2_g_per_km": co2, "nox_g_per_km": nox, "category": np.full(500, "passenger_car")}, ON
    )
    expected = np.maximum(
        np.where(co2 <= 100, 0, np.where(co2 <= 150, 1, 2)),
        np.where(nox <= 0.01, 0, np.where(nox <= 0.02, 1, 2)),
    )
    assert (result.outcome["band_index"] == expected).all()


def test_missing_metric_names_the_field() -> None:
    with pytest.raises(SpecError, match="lacks nox_g_per_km"):
        evaluate(scheme(), [car(nox_g_per_km=None)], ON)


def test_marginal_tiers_by_hand() -> None:
    amounts = marginal_amount(
        np.array([0.0, 10000.0, 30000.0, 100000.0]), np.array([20000.0, 40000.0]), np.array([1.0, 1.4, 1.9])
    )
    assert amounts.tolist() == pytest.approx([0.0, 10000.0, 34000.0, 20000 + 28000 + 60000 * 1.9])


def _rate_doc() -> dict:
    d = doc(
        kind="rate_scale", category="fiscal", inputs=["powertrain", "co2_g_per_km", "price", "price_currency"]
    )
    del d["band_table"]
    d["parameters"] = {
        "bev_rate": {"unit": "share", "values": {"2020-01-01": value(0.15)}},
        "bev_share": {"unit": "share", "values": {"2020-01-01": value(0.0)}},
        "low_co2": {"unit": "g/km", "values": {"2020-01-01": value(100)}},
        "low_rate": {"unit": "share", "values": {"2020-01-01": value(0.10)}},
        "high_rate": {"unit": "share", "values": {"2020-01-01": value(0.30, "unverified", "secondary")}},
    }
    d["rate_scale"] = {
        "base": "price",
        "rows": [
            {
                "id": "bev",
                "when": {"input": "powertrain", "op": "in", "value": ["BEV"]},
                "tax_rate": "bev_rate",
                "tax_base_share": "bev_share",
            },
            {
                "id": "low",
                "when": {"input": "co2_g_per_km", "op": "le", "param": "low_co2"},
                "tax_rate": "low_rate",
            },
            {"id": "high", "tax_rate": "high_rate"},
        ],
    }
    return d


def test_rate_rows_first_match_and_amount() -> None:
    s = scheme(_rate_doc())
    r = evaluate(s, [car(co2_g_per_km=90, price=1000, price_currency="SGD")], ON)
    assert r.vehicle_outcome(0)["tax_rate"] == 0.10
    assert r.vehicle_outcome(0)["amount"] == pytest.approx(100.0)
    assert r.vehicle_outcome(0)["status"] == "enacted"


def test_rate_rows_after_the_match_are_not_read() -> None:
    s = scheme(_rate_doc())
    r = evaluate(s, [car(co2_g_per_km=90, price=1000, price_currency="SGD")], ON)
    assert "high_rate" not in [p.name for p in r.trace.parameters]


def test_non_enacted_value_is_used_and_labelled_by_default() -> None:
    s = scheme(_rate_doc())
    r = evaluate(s, [car(co2_g_per_km=130, price=1000, price_currency="SGD")], ON)
    out = r.vehicle_outcome(0)
    assert out["tax_rate"] == 0.30
    assert out["status"] == "unverified"
    assert out["provisional"] is True
    assert [(e["parameter"], e["status"]) for e in out["non_enacted"]] == [("high_rate", "unverified")]
    assert out["non_enacted_parameters"] == ["high_rate"]


def test_strict_refuses_a_non_enacted_value_unless_allowed() -> None:
    s = scheme(_rate_doc())
    v = [car(co2_g_per_km=130, price=1000, price_currency="SGD")]
    with pytest.raises(RuleError, match=r"high_rate \(unverified\)"):
        evaluate(s, v, ON, strict=True)
    r = evaluate(s, v, ON, strict=True, allow_status=["unverified"])
    assert r.vehicle_outcome(0)["status"] == "unverified"


def test_status_counts_only_the_values_deciding_each_vehicle() -> None:
    s = scheme(_rate_doc())
    low, high = (car(co2_g_per_km=c, price=1000, price_currency="SGD") for c in (90, 130))
    batch = evaluate(s, [low, high], ON)
    assert batch.outcome["status"].tolist() == ["enacted", "unverified"]
    assert batch.outcome["provisional"].tolist() == [False, True]
    assert batch.vehicle_outcome(0)["non_enacted"] == []
    assert "high_rate" not in [e["name"] for e in batch.vehicle_trace(0)]
    assert evaluate(s, [low], ON, strict=True).vehicle_outcome(0)["provisional"] is False


def test_amount_in_another_currency_is_left_empty_with_a_note() -> None:
    s = scheme(_rate_doc())
    r = evaluate(s, [car(co2_g_per_km=90, price=1000, price_currency="IDR")], ON)
    assert r.vehicle_outcome(0)["amount"] is None
    assert any("no exchange rates" in step.name for step in r.trace.steps)


def test_undecidable_row_names_the_missing_input() -> None:
    s = scheme(_rate_doc())
    with pytest.raises(SpecError, match=r"lacks co2_g_per_km.*row low"):
        evaluate(
            s,
            [car(co2_g_per_km=None, fuel_consumption_l_per_100km=5.0, price=1000, price_currency="SGD")],
            ON,
        )


def test_curve_target_segments_by_hand() -> None:
    x = np.array([1000.0, 1500.0, 2600.0])
    t = curve_target(
        x,
        np.array([1090.0, 2510.0]),
        np.array([4.02, 4.60, 6.57]),
        np.array([0.0, 0.0018, 0.0]),
        np.array([0.0, 1415.0, 0.0]),
    )
    assert t.tolist() == pytest.approx([4.02, 4.60 + 0.0018 * 85, 6.57])


def _fleet_doc(averaging: str) -> dict:
    d = doc(
        kind="fleet_target",
        category="fleet_target",
        period="year",
        period_basis="compliance_year",
        inputs=["fuel_economy_km_per_l", "curb_mass_kg"],
        currency="XXX",
    )
    del d["band_table"]
    d["parameters"] = {
        "base": {"unit": "km/L", "values": {"2020-01-01": value(15.0)}},
        "fine": {"unit": "XXX", "values": {"2020-01-01": value(10.0)}},
    }
    d["fleet_target"] = {
        "metric": "fuel_economy_km_per_l",
        "unit": "km/L",
        "averaging": averaging,
        "limit": "min",
        "curve": {"input": "curb_mass_kg", "bases": "base"},
        "penalty": {"rate": "fine"},
    }
    return d


def _fleet() -> Fleet:
    return Fleet.model_validate(
        {
            "name": "two models",
            "vehicles": [
                {
                    "spec": car(co2_g_per_km=None, fuel_consumption_l_per_100km=10.0).model_dump(),
                    "sales": 100,
                },
                {"spec": car(co2_g_per_km=None, fuel_consumption_l_per_100km=5.0).model_dump(), "sales": 100},
            ],
        }
    )


def test_harmonic_fleet_average_by_hand() -> None:
    # 10 km/L and 20 km/L, equal sales: harmonic mean 13.333 km/L (= 200 / (100/10 + 100/20))
    r = evaluate_fleet(scheme(_fleet_doc("harmonic")), _fleet(), 2020)
    assert r.outcome["average"] == pytest.approx(40 / 3)
    assert r.outcome["compliant"] is False
    assert r.outcome["penalty"] == pytest.approx((15 - 40 / 3) * 10 * 200)


def test_arithmetic_fleet_average_by_hand() -> None:
    r = evaluate_fleet(scheme(_fleet_doc("arithmetic")), _fleet(), 2020)
    assert r.outcome["average"] == pytest.approx(15.0)
    assert r.outcome["compliant"] is True


def test_fleet_kind_is_not_evaluated_per_vehicle() -> None:
    with pytest.raises(RuleError, match="evaluate it on a fleet"):
        evaluate(scheme(_fleet_doc("arithmetic")), [car()], ON)


def test_multi_year_weights_by_registrations() -> None:
    r = multi_year([{"target": 100.0, "average": 110.0}, {"target": 100.0, "average": 95.0}], [1.0, 3.0])
    assert r["average"] == pytest.approx((110 + 3 * 95) / 4)
    assert r["compliant"] is True


def test_library_scheme_out_of_scope_is_refused() -> None:
    with pytest.raises(RuleError, match="does not apply"):
        evaluate(library(scheme()).get("XX.bands"), [car(category="light_commercial")], ON)


def test_every_missing_field_is_named_at_once() -> None:
    with pytest.raises(SpecError) as caught:
        evaluate(scheme(), [car(nox_g_per_km=None, co2_g_per_km=None, fuel_consumption_l_per_100km=5.0)], ON)
    assert "co2_g_per_km" in str(caught.value) and "nox_g_per_km" in str(caught.value)
    assert caught.value.field == "vehicle.co2_g_per_km, vehicle.nox_g_per_km"


def test_a_price_without_currency_is_an_error_naming_price_currency() -> None:
    with pytest.raises(SpecError, match="price_currency") as caught:
        evaluate(scheme(_rate_doc()), [car(co2_g_per_km=90, price=1000)], ON)
    assert caught.value.field == "vehicle.price_currency"
