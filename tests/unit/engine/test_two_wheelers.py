"""Two-wheelers (issue 12): segments, plausibility, swap pools, reference coverage and sourced presets."""

from __future__ import annotations

import csv
import io
from importlib import resources

import numpy as np
import pytest

from roadcarbon.engine import assess
from roadcarbon.engine.maintenance import battery_replacements
from roadcarbon.engine.tables import ReferenceTables
from roadcarbon.errors import SpecError
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import load_preset, spec_from_mapping
from roadcarbon.types import Category, Segment

TWO_WHEELER_PRESETS = (
    "motorcycle-125cc-petrol",
    "scooter-125cc-petrol",
    "e-motorcycle",
    "e-motorcycle-swappable",
    "e-scooter",
)


@pytest.fixture(scope="module")
def real() -> ReferenceTables:
    return load_reference()


def _sources() -> set[str]:
    text = (resources.files("roadcarbon") / "data" / "factors" / "sources.csv").read_text(encoding="utf-8")
    return {r["source_id"] for r in csv.DictReader(io.StringIO(text))}


def test_every_two_wheeler_preset_is_l_category_and_cites_known_sources():
    known = _sources()
    for pid in TWO_WHEELER_PRESETS:
        spec = load_preset(pid)
        assert spec.category is Category.TWO_WHEELER, pid
        assert spec.segment in (Segment.MOTORCYCLE, Segment.SCOOTER), pid
        assert spec.sources and set(spec.sources) <= known, (pid, spec.sources)


def test_every_two_wheeler_preset_assesses_in_every_covered_country(real):
    """Reference rows exist for every factor a two-wheeler needs, in every country (no DataError)."""
    countries = sorted({c for series, c in real.grid if series == "production"})
    specs = [load_preset(p) for p in TWO_WHEELER_PRESETS]
    a = assess(specs, countries, [2025], real)
    total = a.total_g_co2e_per_km
    assert np.all(np.isfinite(total)) and np.all(total > 0)
    # the ecoinvent scooter datasets include assembly: no separate assembly term for two-wheelers
    assert np.all(a.stages_g_co2e_per_km["assembly"] == 0.0)


def test_two_wheeler_rows_win_over_the_car_rows(real):
    """Lifetime, materials and tailpipe CH4/N2O come from the two-wheeler rows, not the car defaults."""
    a = assess([load_preset("motorcycle-125cc-petrol")], ["ID"], [2025], real)
    used = {u["input"]: u for u in a.setup.rows_used(0)}
    assert used["lifetime_km"]["applies_to"] == {"segment": "motorcycle", "region": "ID"}  # ICCT ID 17 yr
    assert used["glider_materials_kg_co2e_per_kg"]["applies_to"] == {"segment": "motorcycle"}
    assert used["tailpipe_ch4_n2o_kg_co2e_per_mj"]["applies_to"]["segment"] == "motorcycle"
    car = real.lookup("tailpipe_ch4_n2o_kg_co2e_per_mj", fuel="petrol", gwp="AR5", segment="medium")
    # EMEP/EEA two-wheeler CH4 is an order of magnitude above a catalysed car's (per MJ)
    assert used["tailpipe_ch4_n2o_kg_co2e_per_mj"]["value"] > 10 * car.value


def test_swap_pool_multiplies_the_battery_stage_and_nothing_else(real):
    plug_in = load_preset("e-motorcycle-swappable").model_copy(update={"battery_swap_pool_factor": None})
    pooled = load_preset("e-motorcycle-swappable")
    a = assess([plug_in, pooled], ["ID"], [2025], real)
    s = {k: v[:, 0, 0] for k, v in a.stages_g_co2e_per_km.items()}
    assert s["battery"][1] == pytest.approx(s["battery"][0] * pooled.battery_swap_pool_factor)
    for stage in ("materials", "energy_supply", "maintenance"):
        assert s[stage][1] == pytest.approx(s[stage][0]), stage
    # end of life treats the pooled packs too
    assert s["end_of_life"][1] > s["end_of_life"][0]


def test_pooled_packs_share_the_kilometres_before_any_replacement():
    # one pack lasting 100,000 km on a 250,000 km vehicle: 1.5 replacements; a pool of 2 packs: 0.5
    assert battery_replacements(250_000.0, 100_000.0).item() == pytest.approx(1.5)
    assert battery_replacements(250_000.0, 100_000.0, 2.0).item() == pytest.approx(0.5)
    assert battery_replacements(150_000.0, 100_000.0, 2.0).item() == 0.0


def test_pool_factor_needs_a_battery_and_stays_within_its_bounds():
    base = load_preset("motorcycle-125cc-petrol").model_dump(mode="json", exclude_none=True)
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "battery_swap_pool_factor": 1.2})
    assert "battery_swap_pool_factor" in info.value.message
    ev = load_preset("e-motorcycle").model_dump(mode="json", exclude_none=True)
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**ev, "battery_swap_pool_factor": 0.5})
    assert "battery_swap_pool_factor" in info.value.field


def test_two_wheeler_segment_refuses_a_car_category():
    base = load_preset("e-scooter").model_dump(mode="json", exclude_none=True)
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "category": "passenger_car"})
    assert "segment scooter goes with category two_wheeler" in info.value.message


def test_segment_bound_is_checked_beside_the_category_bound():
    base = load_preset("e-scooter").model_dump(mode="json", exclude_none=True)
    # 400 kg passes the L-category limit (1,000 kg, Regulation (EU) 168/2013) but not the scooter screen
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "curb_mass_kg": 400})
    assert info.value.field == "vehicle.curb_mass_kg"
    assert "two_wheeler (scooter)" in info.value.message and "assumption" in info.value.message
    # 1,200 kg breaks the legal limit of the category as well
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "curb_mass_kg": 1200})
    assert "legal limit" in info.value.message


def test_electric_two_wheeler_beats_petrol_on_indonesia_s_grid_but_not_on_production(real):
    """Direction check with the data's own stages: production is higher for the BEV (battery), use lower."""
    a = assess([load_preset("motorcycle-125cc-petrol"), load_preset("e-motorcycle")], ["ID"], [2025], real)
    s = {k: v[:, 0, 0] for k, v in a.stages_g_co2e_per_km.items()}
    production = s["materials"] + s["battery"] + s["assembly"]
    use = s["energy_supply"] + s["tailpipe"]
    assert production[1] > production[0]
    assert use[1] < use[0]


def test_monte_carlo_draws_the_two_wheeler_rows_and_the_pool_scales_every_draw(real):
    """The new rows carry distributions the sampler accepts; the pool factor is fixed (not sampled)."""
    spec = load_preset("e-motorcycle-swappable")
    plain = spec.model_copy(update={"battery_swap_pool_factor": None})
    rng = np.random.default_rng(7)
    a = assess([spec, plain], ["VN"], [2025], real, samples=400, rng=rng, keep_samples=True)
    u = a.uncertainty
    assert u is not None
    p05, p50, p95 = (u.total_g_co2e_per_km[k] for k in range(3))
    assert np.all(p05 < p50) and np.all(p50 < p95)
    battery = np.asarray(u.stage_samples_g_co2e_per_km["battery"], dtype=np.float64)
    np.testing.assert_allclose(battery[:, 0], battery[:, 1] * spec.battery_swap_pool_factor, rtol=1e-5)


@pytest.mark.parametrize("segment", ["small", "medium", "large", "suv"])
def test_a_car_segment_refuses_a_two_wheeler(segment: str) -> None:
    """A two-wheeler with a car size class got car reference data (59 g/km for an 'suv' e-scooter)."""
    base = load_preset("e-scooter").model_dump(mode="json", exclude_none=True)
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "segment": segment})
    assert f"segment {segment} goes with category" in info.value.message
    assert "not two_wheeler" in info.value.message
