"""Invariants of the engine on the shipped reference data (hypothesis).

Physics gives these without reference numbers: stages are non-negative (credits apart), stages sum to
the total, and the total rises with grid intensity, battery size and consumption.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadcarbon.engine import build_setup, lifecycle_emissions
from roadcarbon.io.reference import load_reference
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import STAGES

TABLES = load_reference()
COUNTRIES = TABLES.countries("production")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

segments = st.sampled_from(["small", "medium", "large", "suv"])
chemistries = st.sampled_from(["NMC", "LFP", "NCA"])
cycles = st.sampled_from(["NEDC", "WLTP", "CLTC", "EPA"])
countries = st.sampled_from(COUNTRIES)
years = st.integers(min_value=2022, max_value=2035)


@st.composite
def vehicles(draw: st.DrawFn) -> VehicleSpec:
    kind = draw(st.sampled_from(["BEV", "PHEV", "ICEV", "HEV"]))
    common = {
        "name": f"random {kind}",
        "category": "passenger_car",
        "segment": draw(segments),
        "test_cycle": draw(cycles),
        "curb_mass_kg": draw(st.floats(900, 2600)),
        "battery_production_country": draw(countries),
        "assembly_country": draw(countries),
    }
    if kind == "BEV":
        return VehicleSpec(
            **common,
            powertrain="BEV",
            fuel="electricity",
            battery_chemistry=draw(chemistries),
            battery_capacity_kwh=draw(st.floats(20, 90)),
            electricity_consumption_kwh_per_100km=draw(st.floats(10, 28)),
        )
    if kind == "PHEV":
        return VehicleSpec(
            **common,
            powertrain="PHEV",
            fuel="petrol",
            battery_chemistry=draw(chemistries),
            battery_capacity_kwh=draw(st.floats(8, 25)),
            electric_range_km=draw(st.floats(20, 120)),
            electricity_consumption_kwh_per_100km=draw(st.floats(12, 25)),
            fuel_consumption_l_per_100km=draw(st.floats(4, 9)),
        )
    return VehicleSpec(
        **common,
        powertrain=kind,
        fuel=draw(st.sampled_from(["petrol", "diesel"])),
        fuel_consumption_l_per_100km=draw(st.floats(3, 12)),
    )


@SETTINGS
@given(vehicle=vehicles(), country=countries, year=years)
def test_stages_non_negative_and_sum_to_total(vehicle: VehicleSpec, country: str, year: int) -> None:
    r = lifecycle_emissions(build_setup([vehicle], [country], [year], TABLES).inputs)
    for stage in STAGES:
        assert float(r.stages_kg_co2e[stage][0]) >= 0.0, stage
    assert float(r.recycling_credit_kg_co2e[0]) >= 0.0
    assert float(r.total_kg_co2e[0]) == pytest.approx(sum(float(r.stages_kg_co2e[s][0]) for s in STAGES))
    per_km = r.total_g_co2e_per_km[0]
    assert float(per_km) == pytest.approx(sum(float(v[0]) for v in r.stages_g_co2e_per_km.values()))


@SETTINGS
@given(vehicle=vehicles(), country=countries, year=years, factor=st.floats(1.01, 3.0))
def test_total_rises_with_grid_intensity(
    vehicle: VehicleSpec, country: str, year: int, factor: float
) -> None:
    x = build_setup([vehicle], [country], [year], TABLES).inputs
    dirtier = x.replace(
        grid_use_g_co2e_per_kwh=x.grid_use_g_co2e_per_kwh * factor,
        grid_battery_g_co2e_per_kwh=x.grid_battery_g_co2e_per_kwh * factor,
        grid_assembly_g_co2e_per_kwh=x.grid_assembly_g_co2e_per_kwh * factor,
    )
    assert float(lifecycle_emissions(dirtier).total_kg_co2e[0]) > float(
        lifecycle_emissions(x).total_kg_co2e[0]
    )


@SETTINGS
@given(vehicle=vehicles(), country=countries, extra_kwh=st.floats(1, 30))
def test_total_rises_with_battery_size(vehicle: VehicleSpec, country: str, extra_kwh: float) -> None:
    if not vehicle.battery_capacity_kwh:
        return
    bigger = vehicle.model_copy(
        update={
            "battery_capacity_kwh": vehicle.battery_capacity_kwh + extra_kwh,
            "curb_mass_kg": vehicle.curb_mass_kg + 10 * extra_kwh,
        }
    )
    base = lifecycle_emissions(build_setup([vehicle], [country], [2025], TABLES).inputs).total_kg_co2e[0]
    more = lifecycle_emissions(build_setup([bigger], [country], [2025], TABLES).inputs).total_kg_co2e[0]
    assert float(more) > float(base)


@SETTINGS
@given(vehicle=vehicles(), country=countries, factor=st.floats(1.01, 2.0))
def test_total_rises_with_consumption(vehicle: VehicleSpec, country: str, factor: float) -> None:
    update = {}
    if vehicle.electricity_consumption_kwh_per_100km:
        update["electricity_consumption_kwh_per_100km"] = (
            vehicle.electricity_consumption_kwh_per_100km * factor
        )
    if vehicle.fuel_consumption_l_per_100km:
        update["fuel_consumption_l_per_100km"] = vehicle.fuel_consumption_l_per_100km * factor
    base = lifecycle_emissions(build_setup([vehicle], [country], [2025], TABLES).inputs).total_kg_co2e[0]
    more = lifecycle_emissions(
        build_setup([vehicle.model_copy(update=update)], [country], [2025], TABLES).inputs
    )
    assert float(more.total_kg_co2e[0]) > float(base)
