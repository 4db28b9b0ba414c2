"""Light commercial vehicles (issue 12): van and pickup segments, their reference rows and presets."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from roadcarbon.engine import assess
from roadcarbon.engine.tables import ReferenceTables
from roadcarbon.errors import SpecError
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import load_preset, spec_from_mapping
from roadcarbon.types import Category, Segment

VAN_PRESETS = ("van-diesel", "van-petrol", "van-bev")


@pytest.fixture(scope="module")
def real() -> ReferenceTables:
    return load_reference()


def _carculator_vans() -> dict[str, dict[str, float]]:
    path = resources.files("roadcarbon") / "data" / "factors" / "derivation" / "carculator_2020_vans.json"
    return json.loads(path.read_text(encoding="utf-8"))["vans"]


def test_van_presets_quote_the_carculator_van_outputs():
    """Each preset is the model output it names (mass to the kg, energy to the rounding of the file)."""
    out = _carculator_vans()
    for pid, key in zip(VAN_PRESETS, ("Van|ICEV-d", "Van|ICEV-p", "Van|BEV"), strict=True):
        spec, rec = load_preset(pid), out[key]
        assert spec.category is Category.LIGHT_COMMERCIAL and spec.segment is Segment.VAN
        assert spec.curb_mass_kg == pytest.approx(rec["curb mass"], abs=0.5)
        if spec.fuel_consumption_l_per_100km:
            litres = rec["TtW energy"] / 1000 / (rec["LHV fuel MJ per kg"] * rec["fuel density per kg"]) * 100
            assert spec.fuel_consumption_l_per_100km == pytest.approx(litres, abs=0.005)
        else:
            assert spec.electricity_consumption_kwh_per_100km == pytest.approx(
                rec["electricity consumption"] * 100, abs=0.005
            )
            assert spec.battery_capacity_kwh == pytest.approx(rec["electric energy stored"], abs=0.005)


def test_vans_and_pickups_assess_in_every_covered_country(real):
    countries = sorted({c for series, c in real.grid if series == "production"})
    pickup = load_preset("van-diesel").model_copy(update={"segment": Segment.PICKUP, "name": "pickup"})
    a = assess([*(load_preset(p) for p in VAN_PRESETS), pickup], countries, [2025], real)
    assert np.all(np.isfinite(a.total_g_co2e_per_km)) and np.all(a.total_g_co2e_per_km > 0)
    used = {u["input"]: u for u in a.setup.rows_used(0)}
    assert used["lifetime_km"]["applies_to"] == {"segment": "van"}
    assert used["maintenance_kg_co2e_per_km"]["applies_to"] == {"segment": "van"}


def test_van_maintenance_is_the_car_row_scaled_by_curb_mass(real):
    """Same derivation as the car rows (ecoinvent car maintenance x curb mass / 1,240 kg / 150,000 km)."""
    van = real.lookup("maintenance_kg_co2e_per_km", segment="van", powertrain="ICEV")
    car = real.lookup("maintenance_kg_co2e_per_km", segment="medium", powertrain="ICEV")  # 1,361 kg class
    assert van.value / car.value == pytest.approx(
        _carculator_vans()["Van|ICEV-d"]["curb mass"] / 1361, rel=1e-3
    )


def test_van_segment_refuses_a_passenger_car_category_and_the_n1_limit_applies():
    base = load_preset("van-diesel").model_dump(mode="json", exclude_none=True)
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "category": "passenger_car"})
    assert "segment van goes with category light_commercial" in info.value.message
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "curb_mass_kg": 5000})
    assert info.value.field == "vehicle.curb_mass_kg" and "legal limit" in info.value.message


def test_a_light_commercial_vehicle_may_still_use_a_car_segment():
    """Rule cases (BR IPI Verde, SG VES) describe pickups as light_commercial/medium: still accepted."""
    base = load_preset("van-diesel").model_dump(mode="json", exclude_none=True)
    assert spec_from_mapping({**base, "segment": "medium"}).segment is Segment.MEDIUM


def test_electric_van_battery_and_use_stages_have_the_expected_sign(real):
    a = assess([load_preset("van-diesel"), load_preset("van-bev")], ["FR"], [2025], real)
    s = {k: v[:, 0, 0] for k, v in a.stages_g_co2e_per_km.items()}
    assert s["battery"][0] == 0.0 and s["battery"][1] > 0.0
    assert s["tailpipe"][1] == 0.0
    # France's low-carbon grid: the electric van's energy supply is below the diesel's fuel chain + tailpipe
    assert s["energy_supply"][1] < s["energy_supply"][0] + s["tailpipe"][0]
