"""Stage ``materials``: the glider and every non-battery component, cradle to gate."""

from __future__ import annotations

import numpy as np

from roadcarbon.types import FloatArray


def battery_pack_mass(capacity_kwh: FloatArray, pack_mass_kg_per_kwh: FloatArray) -> FloatArray:
    """Traction-battery pack mass [kg] = capacity [kWh] × pack mass per kWh [kg/kWh].

    Examples
    --------
    >>> float(battery_pack_mass(60.0, 6.66))
    399.6
    """
    return np.multiply(capacity_kwh, pack_mass_kg_per_kwh)


def materials_emissions(
    curb_mass_kg: FloatArray, battery_mass_kg: FloatArray, glider_materials_kg_co2e_per_kg: FloatArray
) -> FloatArray:
    r"""Materials and component manufacturing of the vehicle without its traction battery [kg CO2e].

    .. math:: E_{mat} = (m_{curb} - m_{batt}) \cdot f_{glider}

    Parameters
    ----------
    curb_mass_kg
        Curb mass of the vehicle [kg].
    battery_mass_kg
        Traction-battery pack mass [kg], included in the curb mass.
    glider_materials_kg_co2e_per_kg
        Cradle-to-gate factor per kg of non-battery vehicle mass [kg CO2e/kg]
        (derived from GREET 2024 vehicle-cycle results; see ``docs/methodology.md``).

    Examples
    --------
    >>> float(materials_emissions(1500.0, 300.0, 4.0))
    4800.0
    """
    return np.multiply(np.subtract(curb_mass_kg, battery_mass_kg), glider_materials_kg_co2e_per_kg)
