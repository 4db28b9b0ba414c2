"""A small, hand-checkable reference table set for engine unit tests.

The numbers here are round test inputs chosen so results can be checked by
hand; they are NOT reference data (that lives in roadcarbon/data/factors).
"""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.engine.tables import SELECTORS, GridTrajectory, ParameterRow, ReferenceTables
from roadcarbon.specs import VehicleSpec


def row(
    parameter: str, value: float, unit: str = "1", dist: str = "none", low=None, high=None, **sel: str
) -> ParameterRow:
    return ParameterRow(
        parameter, tuple((k, sel.get(k, "")) for k in SELECTORS), value, unit, dist, low, high
    )


def make_tables(extra: list[ParameterRow] | None = None) -> ReferenceTables:
    rows = [
        row("lifetime_km", 200_000, "km", "triangular", 150_000, 250_000),
        row("annual_km", 20_000, "km/year"),
        row("battery_pack_mass_kg_per_kwh", 5.0, "kg/kWh", chemistry="NMC"),
        row("battery_pack_mass_kg_per_kwh", 6.0, "kg/kWh", chemistry="LFP"),
        row("glider_materials_kg_co2e_per_kg", 4.0, "kg CO2e/kg", "uniform", 3.0, 5.0),
        row("battery_materials_kg_co2e_per_kwh", 50.0, "kg CO2e/kWh", "uniform", 40.0, 60.0),
        row("battery_manufacturing_electricity_kwh_per_kwh", 20.0, "kWh/kWh"),
        row("battery_manufacturing_heat_mj_per_kwh", 100.0, "MJ/kWh"),
        row("process_heat_kg_co2e_per_mj", 0.07, "kg CO2e/MJ"),
        row("assembly_electricity_kwh_per_vehicle", 1000.0, "kWh/vehicle"),
        row("assembly_heat_mj_per_vehicle", 1000.0, "MJ/vehicle"),
        row("real_world_consumption_factor", 1.2, "1"),
        row("real_world_consumption_factor", 1.1, "1", test_cycle="WLTP", fuel="electricity"),
        row("charging_efficiency", 0.8, "1"),
        row("fuel_well_to_tank_kg_co2e_per_unit", 0.6, "kg CO2e/L", fuel="petrol"),
        row("fuel_combustion_kg_co2_per_unit", 2.3, "kg CO2/L", fuel="petrol"),
        row("fuel_energy_mj_per_unit", 32.0, "MJ/L", fuel="petrol"),
        row("tailpipe_ch4_n2o_kg_co2e_per_mj", 0.0, "kg CO2e/MJ"),
        row("maintenance_kg_co2e_per_km", 0.01, "kg CO2e/km"),
        row("battery_life_km", 200_000, "km"),
        row("vehicle_end_of_life_kg_co2e_per_kg", 0.1, "kg CO2e/kg"),
        row("battery_end_of_life_kg_co2e_per_kwh", 2.0, "kg CO2e/kWh"),
        row("battery_recycling_credit_kg_co2e_per_kwh", 20.0, "kg CO2e/kWh"),
        row("grid_intensity_relative_uncertainty", 0.1, "1"),
    ] + (extra or [])
    grouped: dict[str, list[ParameterRow]] = {}
    for r in rows:
        grouped.setdefault(r.parameter, []).append(r)

    def traj(country: str, values: list[float]) -> GridTrajectory:
        return GridTrajectory(
            country, "production", np.arange(2021, 2021 + len(values)), np.array(values, float)
        )

    grid = {
        ("production", "AD"): traj("AD", [500.0, 500.0, 500.0, 500.0]),
        ("production", "BB"): traj("BB", [100.0, 100.0, 100.0, 100.0]),
        ("production", "CC"): traj("CC", [800.0, 700.0, 600.0, 500.0]),
    }
    return ReferenceTables(
        version="test",
        parameters={k: tuple(v) for k, v in grouped.items()},
        grid=grid,
        td_multipliers={c: {"lv": 1.1, "mv": 1.0, "hv": 1.0} for c in ("AD", "BB", "CC")},
        phev_range_km=np.array([20.0, 40.0, 60.0, 80.0]),
        phev_utility_factor=np.array([0.30, 0.50, 0.65, 0.75]),
    )


@pytest.fixture
def tables() -> ReferenceTables:
    return make_tables()


def bev(**changes) -> VehicleSpec:
    base = dict(
        name="test BEV",
        category="passenger_car",
        segment="medium",
        powertrain="BEV",
        fuel="electricity",
        curb_mass_kg=1500,
        battery_capacity_kwh=50,
        battery_chemistry="NMC",
        test_cycle="WLTP",
        electricity_consumption_kwh_per_100km=15,
    )
    return VehicleSpec(**{**base, **changes})


def petrol(**changes) -> VehicleSpec:
    base = dict(
        name="test petrol",
        category="passenger_car",
        segment="medium",
        powertrain="ICEV",
        fuel="petrol",
        curb_mass_kg=1300,
        test_cycle="WLTP",
        fuel_consumption_l_per_100km=6.0,
    )
    return VehicleSpec(**{**base, **changes})
