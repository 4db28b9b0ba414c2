"""Hand-checked life-cycle results on the synthetic tables of conftest.py."""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.engine import assess, break_even_km
from roadcarbon.errors import DataError, SpecError, UnknownCountryError, YearOutOfRangeError
from roadcarbon.types import STAGES

from .conftest import bev, make_tables, petrol, row


def _stages(a, i=0):
    return {s: float(a.result.stages_kg_co2e[s][i]) for s in STAGES}


def test_bev_stages_match_hand_calculation(tables):
    a = assess([bev()], ["AD"], [2021], tables)
    s = _stages(a)
    # battery mass 50 kWh × 5 kg/kWh = 250 kg → glider 1250 kg × 4 = 5000 kg
    assert s["materials"] == pytest.approx(5000.0)
    # 50 × (50 + 20 kWh × 500 g × 1.0 / 1000 + 100 MJ × 0.07) = 50 × 67 = 3350
    assert s["battery"] == pytest.approx(3350.0)
    # 1000 kWh × 0.5 kg + 1000 MJ × 0.07 = 570
    assert s["assembly"] == pytest.approx(570.0)
    # 2000 × 15 × 1.1 kWh × 0.5 kg/kWh × 1.1 (LV losses) = 18150
    assert s["energy_supply"] == pytest.approx(18150.0)
    assert s["tailpipe"] == 0.0
    # 200000 × 0.01 = 2000, no replacement (battery life = lifetime)
    assert s["maintenance"] == pytest.approx(2000.0)
    # 1250 × 0.1 + 50 × 2 = 225
    assert s["end_of_life"] == pytest.approx(225.0)
    assert float(a.result.recycling_credit_kg_co2e[0]) == pytest.approx(1000.0)
    assert float(a.total_g_co2e_per_km[0, 0, 0]) == pytest.approx(sum(s.values()) * 1000 / 200_000)


def test_petrol_stages_match_hand_calculation(tables):
    a = assess([petrol()], ["AD"], [2021], tables)
    s = _stages(a)
    assert s["materials"] == pytest.approx(1300 * 4.0)
    assert s["battery"] == 0.0
    # 2000 × 6 L × 1.2 = 14400 L; WTT 0.6 → 8640; TTW 2.3 → 33120
    assert s["energy_supply"] == pytest.approx(8640.0)
    assert s["tailpipe"] == pytest.approx(33120.0)
    assert float(a.result.recycling_credit_kg_co2e[0]) == 0.0


def test_battery_production_country_changes_only_battery_stage(tables):
    clean = assess([bev(battery_production_country="BB")], ["AD"], [2021], tables)
    dirty = assess([bev(battery_production_country="AD")], ["AD"], [2021], tables)
    diff = {s: _stages(dirty)[s] - _stages(clean)[s] for s in STAGES}
    # 50 kWh × 20 kWh/kWh × (500 − 100) g/kWh = 400 kg, plus the same in the (no) replacement → battery only
    assert diff["battery"] == pytest.approx(400.0)
    assert all(diff[s] == pytest.approx(0.0) for s in STAGES if s != "battery")
    assert clean.setup.battery_country == ("BB",)


def test_assembly_country_changes_only_assembly_stage(tables):
    a = assess([petrol(assembly_country="BB"), petrol(assembly_country="AD")], ["AD"], [2021], tables)
    assert float(
        a.result.stages_kg_co2e["assembly"][1] - a.result.stages_kg_co2e["assembly"][0]
    ) == pytest.approx(400.0)


def test_grid_averaged_over_use_years_with_projection(tables):
    # CC: 800, 700, 600, 500 then held at 500; 10 years of use from 2021 → mean (2600 + 6 × 500) / 10 = 560
    a = assess([bev()], ["CC"], [2021], tables)
    assert float(a.setup.inputs.grid_use_g_co2e_per_kwh[0]) == pytest.approx(560.0)
    assert float(a.setup.grid_projected_share[0]) == pytest.approx(0.6)


def test_battery_replacement_counted_in_maintenance(tables):
    # Pack life 200,000 km, car life 300,000 km: on average half a second pack per car (fleet average,
    # carculator's rule), charged to maintenance and treated at end of life.
    a = assess([bev(lifetime_km=300_000)], ["AD"], [2021], tables)
    s = _stages(a)
    assert s["maintenance"] == pytest.approx(300_000 * 0.01 + 0.5 * s["battery"])
    assert float(a.result.recycling_credit_kg_co2e[0]) == pytest.approx(1.5 * 50 * 20.0)


def test_no_replacement_when_the_pack_outlives_the_car(tables):
    a = assess([bev(lifetime_km=150_000), bev(lifetime_km=200_000)], ["AD"], [2021], tables)
    maintenance = a.result.stages_kg_co2e["maintenance"]
    assert maintenance.tolist() == pytest.approx([150_000 * 0.01, 200_000 * 0.01])


def test_phev_utility_factor_splits_energy(tables):
    phev = bev(
        name="phev",
        powertrain="PHEV",
        fuel="petrol",
        fuel_consumption_l_per_100km=6.0,
        electric_range_km=40,
        battery_capacity_kwh=10,
    )
    a = assess([phev], ["AD"], [2021], tables)
    s = _stages(a)
    # UF(40 km) = 0.5: tailpipe 2000 × 6 × 1.2 × 0.5 × 2.3
    assert s["tailpipe"] == pytest.approx(2000 * 6 * 1.2 * 0.5 * 2.3)
    fuel_wtt = 2000 * 6 * 1.2 * 0.5 * 0.6
    elec = 2000 * 15 * 1.1 * 0.5 * 0.5 * 1.1
    assert s["energy_supply"] == pytest.approx(fuel_wtt + elec)


def test_battery_side_consumption_divided_by_charging_efficiency(tables):
    plug = assess([bev()], ["AD"], [2021], tables)
    batt = assess(
        [bev(electricity_consumption_kwh_per_100km=12, electricity_consumption_basis="battery")],
        ["AD"],
        [2021],
        tables,
    )
    assert _stages(batt)["energy_supply"] == pytest.approx(_stages(plug)["energy_supply"])  # 12 / 0.8 = 15


def test_fuel_derived_from_type_approval_co2_when_consumption_missing(tables):
    a = assess([petrol(fuel_consumption_l_per_100km=None, co2_g_per_km=138)], ["AD"], [2021], tables)
    b = assess([petrol()], ["AD"], [2021], tables)  # 138 g/km / 23 g per (L/100 km) = 6 L/100 km
    assert _stages(a)["tailpipe"] == pytest.approx(_stages(b)["tailpipe"])


def test_cartesian_shape_and_order(tables):
    a = assess([bev(), petrol()], ["AD", "BB", "CC"], [2021, 2022], tables)
    assert a.total_g_co2e_per_km.shape == (2, 3, 2)
    single = assess([petrol()], ["BB"], [2022], tables)
    assert a.total_g_co2e_per_km[1, 1, 1] == pytest.approx(single.total_g_co2e_per_km[0, 0, 0])


def test_unknown_country_is_an_error_not_a_fallback(tables):
    with pytest.raises(UnknownCountryError, match="ZZ"):
        assess([bev()], ["ZZ"], [2021], tables)


def test_year_before_data_is_an_error(tables):
    with pytest.raises(YearOutOfRangeError, match="2019"):
        assess([bev()], ["AD"], [2019], tables)


def test_missing_factor_is_named(tables):
    cng = petrol(fuel="cng", fuel_consumption_l_per_100km=None, fuel_consumption_kg_per_100km=4.0)
    with pytest.raises(DataError, match="fuel_well_to_tank_kg_co2e_per_unit"):
        assess([cng], ["AD"], [2021], tables)


def test_equally_specific_rows_are_an_error():
    t = make_tables([row("maintenance_kg_co2e_per_km", 0.02, "kg CO2e/km")])
    with pytest.raises(DataError, match="equally specific"):
        assess([bev()], ["AD"], [2021], t)


def test_more_specific_row_wins():
    t = make_tables([row("maintenance_kg_co2e_per_km", 0.02, "kg CO2e/km", powertrain="BEV")])
    a = assess([bev(), petrol()], ["AD"], [2021], t)
    assert _stages(a, 0)["maintenance"] == pytest.approx(4000.0)
    assert _stages(a, 1)["maintenance"] == pytest.approx(2000.0)


def test_battery_heavier_than_vehicle_is_refused(tables):
    with pytest.raises(SpecError, match="curb_mass_kg"):
        # within the plausibility bounds of a spec, but the 100 kWh pack outweighs the 310 kg vehicle
        assess([bev(curb_mass_kg=310, battery_capacity_kwh=100)], ["AD"], [2021], tables)


def test_battery_chemistry_required_with_battery(tables):
    with pytest.raises(SpecError, match="battery_chemistry"):
        assess([bev(battery_chemistry=None)], ["AD"], [2021], tables)


def test_break_even_between_bev_and_petrol(tables):
    a = assess([bev(), petrol()], ["AD"], [2021], tables)
    r = a.result
    km = float(
        break_even_km(
            r.production_kg_co2e[0], r.use_kg_co2e_per_km[0], r.production_kg_co2e[1], r.use_kg_co2e_per_km[1]
        )
    )
    # at km the two cumulative lines meet
    lhs = r.production_kg_co2e[0] + r.use_kg_co2e_per_km[0] * km
    rhs = r.production_kg_co2e[1] + r.use_kg_co2e_per_km[1] * km
    assert 0 < km < 200_000
    assert float(lhs) == pytest.approx(float(rhs))


def test_inputs_are_not_modified(tables):
    a = assess([bev()], ["AD"], [2021], tables)
    before = a.setup.inputs.glider_materials_kg_co2e_per_kg.copy()
    assess([bev()], ["AD"], [2021], tables, samples=50, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(before, a.setup.inputs.glider_materials_kg_co2e_per_kg)


def test_sensitivity_ranks_by_swing_and_brackets_central(tables):
    from roadcarbon.engine import one_at_a_time

    a = assess([bev()], ["AD"], [2021], tables)
    items = one_at_a_time(a.setup, 0, grid_relative_uncertainty=0.1)
    swings = [it.swing_g_co2e_per_km for it in items]
    assert swings == sorted(swings, reverse=True)
    names = {it.input for it in items}
    # lifetime (triangular 150k–250k) and the use-phase grid are the two ranged inputs of a BEV here
    assert {"lifetime_km", "grid_use_g_co2e_per_kwh", "glider_materials_kg_co2e_per_kg"} <= names
    central = float(a.total_g_co2e_per_km[0, 0, 0])
    grid = next(it for it in items if it.input == "grid_use_g_co2e_per_kwh")
    assert grid.total_at_low_g_co2e_per_km < central < grid.total_at_high_g_co2e_per_km


def _with_projection(default: tuple[str, ...]):
    from dataclasses import replace

    from roadcarbon.engine.tables import GridProjection

    t = make_tables()
    halving = GridProjection("AD", "halving", np.array([2024, 2034]), np.array([1.0, 0.5]))
    return replace(t, projections={("halving", "AD"): halving}, default_projections=default)


def test_scenario_projection_scales_the_last_observed_value():
    t = _with_projection(("halving",))
    a = assess([bev()], ["AD", "BB"], [2021], t)
    # AD: 500 observed 2021-2024, then 500 × (1 − 0.05 k) for 2025..2030 → mean (4×500 + 500×(0.95+…+0.70)) / 10
    projected = sum(500 * (1 - 0.05 * k) for k in range(1, 7))
    assert float(a.setup.inputs.grid_use_g_co2e_per_kwh[0]) == pytest.approx((4 * 500 + projected) / 10)
    # BB has no scenario data: the default falls back to the constant method, and says so
    assert a.setup.grid_projection == ("halving", "constant")
    assert float(a.setup.inputs.grid_use_g_co2e_per_kwh[1]) == pytest.approx(100.0)


def test_constant_projection_can_be_forced():
    t = _with_projection(("halving",))
    a = assess([bev()], ["AD"], [2021], t, grid_projection="constant")
    assert float(a.setup.inputs.grid_use_g_co2e_per_kwh[0]) == pytest.approx(500.0)
    assert a.setup.grid_projection == ("constant",)


def test_named_scenario_without_data_is_an_error():
    t = _with_projection(())
    with pytest.raises(DataError, match="halving"):
        assess([bev()], ["BB"], [2021], t, grid_projection="halving")
