"""Composition of the seven stages into a life-cycle result (pure, vectorised, broadcasting)."""

from __future__ import annotations

import numpy as np

from roadcarbon.engine.assembly import assembly_emissions
from roadcarbon.engine.battery import battery_production_emissions
from roadcarbon.engine.blends import fuel_factors
from roadcarbon.engine.end_of_life import end_of_life_emissions, recycling_credit
from roadcarbon.engine.fuel import electricity_supply_emissions, fuel_supply_emissions, real_world_consumption
from roadcarbon.engine.inputs import LifecycleInputs
from roadcarbon.engine.maintenance import battery_replacements, maintenance_emissions
from roadcarbon.engine.materials import battery_pack_mass, materials_emissions
from roadcarbon.engine.results import LifecycleResult
from roadcarbon.engine.tailpipe import tailpipe_emissions


def plug_electricity(x: LifecycleInputs) -> np.ndarray:
    """Type-approval electricity at the plug [kWh/100 km]: battery-side values divided by the charging efficiency."""
    at_battery = x.electricity_measured_at_battery
    factor = np.where(at_battery > 0, 1.0 / np.where(at_battery > 0, x.charging_efficiency, 1.0), 1.0)
    return np.asarray(x.electricity_type_approval_kwh_per_100km * factor)


def lifecycle_emissions(x: LifecycleInputs) -> LifecycleResult:
    """Cradle-to-grave emissions of every set-up, by stage [kg CO2e per vehicle].

    Equations per stage are in each stage's module and in ``docs/methodology.md``.
    All arrays broadcast: ``(N,)`` for central values, ``(S, N)`` for Monte
    Carlo samples.  The inputs are never modified.

    Parameters
    ----------
    x
        Inputs as built by :func:`roadcarbon.engine.inputs.build_setup`.

    Returns
    -------
    LifecycleResult
        Stages, recycling credit (apart) and lifetime.
    """
    lifetime = x.lifetime_km
    battery_mass = battery_pack_mass(x.battery_capacity_kwh, x.battery_pack_mass_kg_per_kwh)
    glider_mass = np.subtract(x.curb_mass_kg, battery_mass)
    materials = materials_emissions(x.curb_mass_kg, battery_mass, x.glider_materials_kg_co2e_per_kg)
    battery = battery_production_emissions(
        x.battery_capacity_kwh,
        materials_kg_co2e_per_kwh=x.battery_materials_kg_co2e_per_kwh,
        manufacturing_electricity_kwh_per_kwh=x.battery_manufacturing_electricity_kwh_per_kwh,
        manufacturing_heat_mj_per_kwh=x.battery_manufacturing_heat_mj_per_kwh,
        grid_g_co2e_per_kwh=x.grid_battery_g_co2e_per_kwh,
        grid_loss_multiplier=x.grid_loss_battery_multiplier,
        process_heat_kg_co2e_per_mj=x.process_heat_kg_co2e_per_mj,
    )
    assembly = assembly_emissions(
        x.assembly_electricity_kwh_per_vehicle,
        x.assembly_heat_mj_per_vehicle,
        grid_g_co2e_per_kwh=x.grid_assembly_g_co2e_per_kwh,
        grid_loss_multiplier=x.grid_loss_assembly_multiplier,
        process_heat_kg_co2e_per_mj=x.process_heat_kg_co2e_per_mj,
    )
    fuel_units = (
        real_world_consumption(x.fuel_type_approval_units_per_100km, x.real_world_fuel_factor)
        * x.combustion_share
    )
    electricity = (
        real_world_consumption(plug_electricity(x), x.real_world_electricity_factor) * x.electric_share
    )
    # consumption is in units of the unblended fuel; a mandated blend (fuel_blends.csv) changes its factors
    combustion, well_to_tank = fuel_factors(x)
    energy_supply = fuel_supply_emissions(lifetime, fuel_units, well_to_tank) + (
        electricity_supply_emissions(
            lifetime, electricity, x.grid_use_g_co2e_per_kwh, x.grid_loss_use_multiplier
        )
    )
    tailpipe = tailpipe_emissions(
        lifetime,
        fuel_units,
        combustion_kg_co2_per_unit=combustion,
        energy_mj_per_unit=x.fuel_energy_mj_per_unit,
        ch4_n2o_kg_co2e_per_mj=x.tailpipe_ch4_n2o_kg_co2e_per_mj,
    )
    has_battery = np.greater(x.battery_capacity_kwh, 0.0)
    packs = x.battery_packs_per_vehicle
    replacements = np.where(
        has_battery,
        battery_replacements(lifetime, np.where(has_battery, x.battery_life_km, 1.0), packs),
        0.0,
    )
    maintenance = maintenance_emissions(lifetime, x.maintenance_kg_co2e_per_km, replacements, battery)
    battery = np.multiply(battery, packs)  # a swap pool: the vehicle's share of the station packs too
    kwh_treated = np.multiply(x.battery_capacity_kwh, packs + replacements)
    end_of_life = end_of_life_emissions(
        glider_mass,
        kwh_treated,
        vehicle_kg_co2e_per_kg=x.vehicle_end_of_life_kg_co2e_per_kg,
        battery_kg_co2e_per_kwh=x.battery_end_of_life_kg_co2e_per_kwh,
    )
    credit = recycling_credit(kwh_treated, x.battery_recycling_credit_kg_co2e_per_kwh)
    shape = np.broadcast(
        materials, battery, assembly, energy_supply, tailpipe, maintenance, end_of_life
    ).shape
    stages = {
        "materials": materials,
        "battery": battery,
        "assembly": assembly,
        "energy_supply": energy_supply,
        "tailpipe": tailpipe,
        "maintenance": maintenance,
        "end_of_life": end_of_life,
    }
    return LifecycleResult(
        stages_kg_co2e={
            k: np.broadcast_to(np.asarray(v, dtype=np.float64), shape) for k, v in stages.items()
        },
        recycling_credit_kg_co2e=np.broadcast_to(np.asarray(credit, dtype=np.float64), shape),
        lifetime_km=np.broadcast_to(np.asarray(lifetime, dtype=np.float64), shape),
    )
