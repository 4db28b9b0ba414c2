"""Stage ``battery``: cell and pack materials, and manufacturing energy where the battery is made."""

from __future__ import annotations

import numpy as np

from roadcarbon.constants import G_PER_KG
from roadcarbon.types import FloatArray


def battery_production_emissions(
    capacity_kwh: FloatArray,
    *,
    materials_kg_co2e_per_kwh: FloatArray,
    manufacturing_electricity_kwh_per_kwh: FloatArray,
    manufacturing_heat_mj_per_kwh: FloatArray,
    grid_g_co2e_per_kwh: FloatArray,
    grid_loss_multiplier: FloatArray,
    process_heat_kg_co2e_per_mj: FloatArray,
) -> FloatArray:
    r"""Cradle-to-gate emissions of a traction battery [kg CO2e].

    Materials (bill of materials) are separated from manufacturing energy so
    that the country where the cells are made matters through its grid:

    .. math::
        E_{batt} = C \left( f_{BoM} + e_{el} \cdot \frac{I_{grid} \lambda}{1000} + q_{heat} f_{heat} \right)

    Parameters
    ----------
    capacity_kwh
        Pack capacity C [kWh].
    materials_kg_co2e_per_kwh
        Bill-of-materials factor f_BoM [kg CO2e/kWh] (GREET 2024).
    manufacturing_electricity_kwh_per_kwh
        Electricity for cell manufacturing and pack assembly e_el [kWh/kWh].
    manufacturing_heat_mj_per_kwh
        Process heat q_heat [MJ/kWh].
    grid_g_co2e_per_kwh
        Grid intensity I_grid of the production country in the production year [g CO2e/kWh].
    grid_loss_multiplier
        kWh generated per kWh delivered to the plant, λ [kWh/kWh].
    process_heat_kg_co2e_per_mj
        Natural-gas process heat factor f_heat [kg CO2e/MJ].

    Examples
    --------
    >>> float(battery_production_emissions(
    ...     10.0, materials_kg_co2e_per_kwh=50.0, manufacturing_electricity_kwh_per_kwh=20.0,
    ...     manufacturing_heat_mj_per_kwh=0.0, grid_g_co2e_per_kwh=500.0, grid_loss_multiplier=1.0,
    ...     process_heat_kg_co2e_per_mj=0.07))
    600.0
    """
    electricity = np.multiply(manufacturing_electricity_kwh_per_kwh, grid_g_co2e_per_kwh) * np.divide(
        grid_loss_multiplier, G_PER_KG
    )
    heat = np.multiply(manufacturing_heat_mj_per_kwh, process_heat_kg_co2e_per_mj)
    return np.asarray(
        np.multiply(capacity_kwh, np.add(np.add(materials_kg_co2e_per_kwh, electricity), heat)),
        dtype=np.float64,
    )
