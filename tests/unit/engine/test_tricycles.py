"""Issue 12: L5e powered tricycles (segment ``tricycle``), their rows and the Piaggio Ape E-City FX preset."""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.engine import assess
from roadcarbon.engine.tables import ReferenceTables
from roadcarbon.errors import SpecError
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import load_preset, spec_from_mapping
from roadcarbon.types import Category, Segment

PRESET = "e-tricycle-piaggio-ape-e-city-fx"


@pytest.fixture(scope="module")
def real() -> ReferenceTables:
    return load_reference()


def test_preset_is_an_l_category_tricycle_whose_consumption_gives_the_published_range():
    spec = load_preset(PRESET)
    assert spec.category is Category.TWO_WHEELER and spec.segment is Segment.TRICYCLE
    assert spec.electricity_consumption_basis == "battery"
    # ElectricVehicleWeb spec table: 7.5 kWh, 110 +/- 5 km
    assert spec.battery_capacity_kwh / spec.electricity_consumption_kwh_per_100km * 100 == pytest.approx(
        110, abs=0.5
    )


def test_tricycle_assesses_in_the_target_markets_with_its_own_rows(real):
    a = assess([load_preset(PRESET)], ["ID", "TH", "PH", "VN"], [2025], real)
    total = a.total_g_co2e_per_km
    # bounds: ~0.11 kWh/km at the plug (6.82 x 1.37 / 0.85) on 0.4-0.8 kg/kWh grids + ~25 g/km production
    assert np.all(np.isfinite(total)) and np.all((total > 40) & (total < 150))
    used = {u["input"]: u for u in a.setup.rows_used(0)}
    for name in ("lifetime_km", "battery_life_km", "assembly_electricity_kwh_per_vehicle"):
        assert used[name]["applies_to"]["segment"] == "tricycle"
    assert used["glider_materials_kg_co2e_per_kg"]["applies_to"] == {
        "segment": "tricycle",
        "powertrain": "BEV",
    }
    # no battery replacement: 3,000 cycles x 110 km = 330,000 km > the 273,750 km life
    assert used["battery_life_km"]["value"] == pytest.approx(3000 * 110, rel=1e-6)
    assert used["lifetime_km"]["value"] < used["battery_life_km"]["value"]


def test_tricycle_rows_that_are_motorcycle_proxies_say_so(real):
    trike = real.lookup("maintenance_kg_co2e_per_km", segment="tricycle", powertrain="BEV")
    moto = real.lookup("maintenance_kg_co2e_per_km", segment="motorcycle", powertrain="BEV")
    assert trike.value == moto.value and trike.assumption


def test_tricycle_segment_refuses_a_car_category_and_the_l5e_limit_applies():
    base = load_preset(PRESET).model_dump(mode="json", exclude_none=True)
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "category": "passenger_car"})
    assert "segment tricycle goes with category two_wheeler" in info.value.message
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "curb_mass_kg": 1200})
    assert info.value.field == "vehicle.curb_mass_kg"


def test_monte_carlo_draws_the_new_rows_for_tricycle_pickups_and_country_lifetimes(real):
    """The tricycle rows, the pickup presets and the per-country two-wheeler lifetimes carry distributions the
    sampler accepts: p05 < p50 < p95 for each vehicle in each target country."""
    specs = [
        load_preset(p)
        for p in (
            PRESET,
            "pickup-ford-ranger-3-0-tdci-nedc",
            "pickup-isuzu-d-max-ev-wltp",
            "motorcycle-125cc-petrol",
        )
    ]
    a = assess(specs, ["ID", "TH", "PH", "VN"], [2025], real, samples=300, rng=np.random.default_rng(11))
    u = a.uncertainty
    assert u is not None
    p05, p50, p95 = (np.asarray(u.total_g_co2e_per_km[k]) for k in range(3))
    assert np.all(np.isfinite(p50)) and np.all(p05 < p50) and np.all(p50 < p95)
