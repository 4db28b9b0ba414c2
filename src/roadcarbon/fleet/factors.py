"""Per-kilometre and per-vehicle factors of each technology, from the life-cycle engine (pure).

The fleet model does not re-derive any emission factor: every number here comes from
:func:`roadcarbon.engine.build_setup` (reference data with sources) and the engine's stage
equations, evaluated once per technology, country and sale year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from roadcarbon.engine import ReferenceTables, build_setup, lifecycle_emissions
from roadcarbon.engine.blends import fuel_factors
from roadcarbon.engine.fuel import fuel_supply_emissions, real_world_consumption
from roadcarbon.engine.lifecycle import plug_electricity
from roadcarbon.engine.tables import grid_mean_intensity
from roadcarbon.engine.tailpipe import tailpipe_emissions
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import FloatArray, GridSeries

MANUFACTURE_STAGES = ("materials", "battery", "assembly")
"""Engine stages counted as manufacture of a new vehicle in the ``lifecycle`` scope."""


@dataclass(frozen=True)
class TechnologyFactors:
    """Engine factors for P technologies over T sale/calendar years.

    Attributes
    ----------
    carriers
        Energy carrier of the fuel per technology (``petrol``, ``diesel``, ``cng``, ...; ``""`` none).
    fuel_units_per_km
        Real-world fuel use, ``(P,)`` [L/km, kg/km for CNG and hydrogen].
    electricity_kwh_per_km
        Real-world electricity at the plug, ``(P,)`` [kWh/km].
    ttw_kg_co2e_per_km
        Tank-to-wheel, ``(P,)`` [kg CO2e/km].
    fuel_wtt_kg_co2e_per_km
        Well-to-tank of the fuel, ``(P,)`` [kg CO2e/km].
    grid_loss_multiplier
        Low-voltage T&D multiplier, ``(P,)`` [kWh generated/kWh delivered].
    maintenance_kg_co2e_per_km
        Maintenance stage per km, ``(T, P)`` [kg CO2e/km].
    manufacture_t_co2e_per_vehicle
        Materials + battery + assembly of a vehicle sold in year t, ``(T, P)`` [t CO2e].
    grid_g_co2e_per_kwh
        The engine's grid intensity of the country for each calendar year, ``(T,)`` [g CO2e/kWh].
    data_version
        Reference-data release used.
    """

    carriers: tuple[str, ...]
    fuel_units_per_km: FloatArray
    electricity_kwh_per_km: FloatArray
    ttw_kg_co2e_per_km: FloatArray
    fuel_wtt_kg_co2e_per_km: FloatArray
    grid_loss_multiplier: FloatArray
    maintenance_kg_co2e_per_km: FloatArray
    manufacture_t_co2e_per_vehicle: FloatArray
    grid_g_co2e_per_kwh: FloatArray
    data_version: str
    grid_projection: str


def technology_factors(
    specs: Sequence[VehicleSpec],
    country: str,
    years: Sequence[int],
    tables: ReferenceTables,
    *,
    grid_projection: str | None = None,
) -> TechnologyFactors:
    """Engine factors of each technology for a country and years.

    Parameters
    ----------
    specs
        One representative vehicle per technology.
    country
        Country of use, ISO 3166-1 alpha-2.
    years
        Calendar years [year]; a vehicle sold in a year is made in that year.
    tables
        Reference data (:func:`roadcarbon.io.reference.load_reference`).
    grid_projection
        Grid projection after the data's last year (see :func:`roadcarbon.engine.assess`).

    Returns
    -------
    TechnologyFactors
    """
    p, t = len(specs), len(years)
    setup = build_setup(list(specs), [country], list(years), tables, grid_projection=grid_projection)
    x = setup.inputs
    stages = lifecycle_emissions(x).stages_kg_co2e

    def grid(a: FloatArray) -> FloatArray:
        return np.broadcast_to(np.asarray(a, dtype=np.float64), (p * t,)).reshape(p, t)

    fuel_per_100 = grid(
        real_world_consumption(x.fuel_type_approval_units_per_100km, x.real_world_fuel_factor)
    )
    fuel_per_100 = fuel_per_100 * grid(x.combustion_share)
    elec_per_100 = grid(real_world_consumption(plug_electricity(x), x.real_world_electricity_factor))
    elec_per_100 = elec_per_100 * grid(x.electric_share)
    combustion, well_to_tank = fuel_factors(x)  # a mandated blend (Brazil's gasoline C) included
    ttw = grid(
        tailpipe_emissions(
            np.ones(p * t),
            fuel_per_100.reshape(-1),
            combustion_kg_co2_per_unit=combustion,
            energy_mj_per_unit=x.fuel_energy_mj_per_unit,
            ch4_n2o_kg_co2e_per_mj=x.tailpipe_ch4_n2o_kg_co2e_per_mj,
        )
    )
    wtt = grid(fuel_supply_emissions(np.ones(p * t), fuel_per_100.reshape(-1), well_to_tank))
    lifetime = grid(x.lifetime_km)
    manufacture = sum(grid(stages[s]) for s in MANUFACTURE_STAGES) / 1000.0
    maintenance = grid(stages["maintenance"]) / lifetime
    projection = tables.projection(country, grid_projection)
    trajectory = tables.trajectory(country, GridSeries.PRODUCTION)
    grid_now, _ = grid_mean_intensity(
        trajectory,
        np.asarray(years, dtype=np.int64),
        np.ones(t),
        max_year=tables.max_year,
        projection=projection,
    )
    return TechnologyFactors(
        carriers=tuple("" if s.fuel.value == "electricity" else s.fuel.value for s in specs),
        fuel_units_per_km=fuel_per_100[:, 0] / 100.0,
        electricity_kwh_per_km=elec_per_100[:, 0] / 100.0,
        ttw_kg_co2e_per_km=ttw[:, 0],
        fuel_wtt_kg_co2e_per_km=wtt[:, 0],
        grid_loss_multiplier=grid(x.grid_loss_use_multiplier)[:, 0],
        maintenance_kg_co2e_per_km=np.ascontiguousarray(maintenance.T),
        manufacture_t_co2e_per_vehicle=np.ascontiguousarray(np.asarray(manufacture).T),
        grid_g_co2e_per_kwh=np.asarray(grid_now, dtype=np.float64),
        data_version=setup.data_version,
        grid_projection=projection.scenario if projection is not None else "constant",
    )
