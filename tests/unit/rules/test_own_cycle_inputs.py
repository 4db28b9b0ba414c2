"""A figure on the scheme's own cycle beside a spec on another one (China PHEV: CAFC on WLTP, NEV range on CLTC)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
import pytest

from roadcarbon.errors import RuleError
from roadcarbon.io.rulebook import default_library
from roadcarbon.rules import evaluate
from roadcarbon.rules.documents import evaluate_fleet_document
from roadcarbon.rules.registry import parse_scheme

LIB = default_library()

PHEV_WLTP = {
    "category": "passenger_car",
    "powertrain": "PHEV",
    "fuel": "petrol",
    "test_cycle": "WLTP",
    "curb_mass_kg": 1700,
    "fuel_consumption_l_per_100km": 1.5,
    "electricity_consumption_kwh_per_100km": 16,
    "electric_range_km": 80,
}
ICE_WLTP = {
    "category": "passenger_car",
    "powertrain": "ICEV",
    "fuel": "petrol",
    "test_cycle": "WLTP",
    "curb_mass_kg": 1500,
    "fuel_consumption_l_per_100km": 8.0,
}


def fleet(phev: dict[str, Any]) -> dict[str, Any]:
    return {"vehicles": [{"spec": ICE_WLTP, "sales": 100000}, {"spec": phev, "sales": 40000}]}


def test_one_spec_serves_cafc_and_its_nev_offset() -> None:
    """Without the CLTC range the NEV offset of CAFC cannot be evaluated; with it, it is, and CAFC is unchanged."""
    without = evaluate_fleet_document(LIB, "CN.cafc_gb27999", fleet(PHEV_WLTP), 2024)["outcome"]
    nev_without = next(o for o in without["offsets"] if o.get("scheme") == "CN.nev_credits")
    assert "not_evaluated" in nev_without
    assert "nev_electric_range_km" in nev_without["not_evaluated"]
    with_range = evaluate_fleet_document(
        LIB, "CN.cafc_gb27999", fleet({**PHEV_WLTP, "nev_electric_range_km": 105}), 2024
    )["outcome"]
    for key in ("target", "average", "credit_balance"):
        assert with_range[key] == pytest.approx(without[key], rel=1e-12)  # CAFC reads the WLTP figures
    nev = next(o for o in with_range["offsets"] if o.get("scheme") == "CN.nev_credits")
    # NEV balance 2024: 40,000 PHEV x 1.0 (unverified) - 28 % x 100,000 = +12,000
    assert nev["surplus_available"] == pytest.approx(12000.0)


def test_batch_mixes_own_cycle_and_converted_ranges() -> None:
    cols = {
        "category": np.array(["passenger_car"] * 3, dtype=object),
        "powertrain": np.array(["BEV", "BEV", "BEV"], dtype=object),
        "test_cycle": np.array(["WLTP", "WLTP", "CLTC"], dtype=object),
        "electric_range_km": np.array([80.0, 80.0, 300.0]),
        "nev_electric_range_km": np.array([105.0, np.nan, 200.0]),
    }
    out = evaluate(LIB.get("CN.nev_credits"), cols, dt.date(2024, 6, 1), library=LIB).outcome
    # own CLTC figure 105 km; converted 80 / 0.85 = 94.1 km < 100 km; the own figure wins even on CLTC
    np.testing.assert_allclose(out["credits"], [0.2 + 0.0034 * 105, 0.0, 0.2 + 0.0034 * 200], atol=1e-9)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"own_cycle_inputs": {"electric_range_km": "nev_range_km"}}, "must be listed in inputs"),
        ({"own_cycle_inputs": {"curb_mass_kg": "nev_electric_range_km"}}, "not a cycle-dependent input"),
        ({"own_cycle_inputs": {"electric_range_km": "powertrain"}}, "not a rule-only numeric input"),
    ],
)
def test_own_cycle_inputs_are_validated(change: dict[str, Any], message: str) -> None:
    doc = copy.deepcopy(LIB.get("CN.nev_credits").model_dump(mode="json", exclude_none=True))
    doc.update(change)
    if "nev_range_km" not in str(change):
        doc["inputs"] = [*doc["inputs"], "curb_mass_kg"]
    with pytest.raises(RuleError, match=message):
        parse_scheme(doc, origin="x.yaml")
