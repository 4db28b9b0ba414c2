"""Stage ``energy_supply`` (well-to-tank): fuel production and electricity generation for the use phase."""

from __future__ import annotations

import numpy as np

from roadcarbon.constants import G_PER_KG, KM_PER_100KM
from roadcarbon.types import FloatArray


def real_world_consumption(type_approval_per_100km: FloatArray, real_world_factor: FloatArray) -> FloatArray:
    """Real-world consumption [unit/100 km] = type-approval value × real-world factor [1].

    The factor depends on the test cycle (ICCT gap studies; see ``docs/methodology.md``).

    Examples
    --------
    >>> float(real_world_consumption(15.0, 1.2))
    18.0
    """
    return np.multiply(type_approval_per_100km, real_world_factor)


def fuel_supply_emissions(
    lifetime_km: FloatArray, fuel_units_per_100km: FloatArray, well_to_tank_kg_co2e_per_unit: FloatArray
) -> FloatArray:
    r"""Well-to-tank emissions of the fuel burnt over the vehicle's life [kg CO2e].

    .. math:: E_{WTT,fuel} = \frac{L}{100} \, c_{fuel} \, f_{WTT}

    Parameters
    ----------
    lifetime_km
        Lifetime distance L [km].
    fuel_units_per_100km
        Real-world fuel use c_fuel [L/100 km, or kg/100 km for CNG and hydrogen].
    well_to_tank_kg_co2e_per_unit
        Well-to-tank factor f_WTT [kg CO2e/L or kg CO2e/kg] (UK DESNZ 2025; hydrogen: Patel et al. 2024).

    Examples
    --------
    >>> round(float(fuel_supply_emissions(200000.0, 6.0, 0.6)), 6)
    7200.0
    """
    return np.multiply(
        np.divide(lifetime_km, KM_PER_100KM), np.multiply(fuel_units_per_100km, well_to_tank_kg_co2e_per_unit)
    )


def electricity_supply_emissions(
    lifetime_km: FloatArray,
    electricity_kwh_per_100km: FloatArray,
    grid_g_co2e_per_kwh: FloatArray,
    grid_loss_multiplier: FloatArray,
) -> FloatArray:
    r"""Generation of the electricity drawn at the plug over the vehicle's life [kg CO2e].

    .. math:: E_{el} = \frac{L}{100} \, c_{el} \, \frac{\bar I_{grid} \lambda_{LV}}{1000}

    Parameters
    ----------
    lifetime_km
        Lifetime distance L [km].
    electricity_kwh_per_100km
        Real-world consumption at the plug c_el (charging losses included) [kWh/100 km].
    grid_g_co2e_per_kwh
        Life-cycle grid intensity averaged over the years of use [g CO2e/kWh generated].
    grid_loss_multiplier
        Low-voltage transmission and distribution multiplier λ_LV [kWh generated/kWh delivered].

    Examples
    --------
    >>> float(electricity_supply_emissions(200000.0, 20.0, 500.0, 1.1))
    22000.0
    """
    kwh = np.multiply(np.divide(lifetime_km, KM_PER_100KM), electricity_kwh_per_100km)
    return np.multiply(kwh, np.multiply(grid_g_co2e_per_kwh, grid_loss_multiplier)) / G_PER_KG
