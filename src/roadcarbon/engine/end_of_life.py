"""Stage ``end_of_life``: dismantling, shredding, disposal and battery recycling; recycling credits apart."""

from __future__ import annotations

import numpy as np

from roadcarbon.types import FloatArray


def end_of_life_emissions(
    glider_mass_kg: FloatArray,
    battery_kwh_treated: FloatArray,
    *,
    vehicle_kg_co2e_per_kg: FloatArray,
    battery_kg_co2e_per_kwh: FloatArray,
) -> FloatArray:
    r"""End-of-life treatment burden [kg CO2e].

    .. math:: E_{EoL} = m_{glider} f_{EoL} + C_{treated} f_{EoL,batt}

    Parameters
    ----------
    glider_mass_kg
        Vehicle mass without traction battery [kg].
    battery_kwh_treated
        Capacity of every pack the vehicle used, replacements included [kWh].
    vehicle_kg_co2e_per_kg
        Dismantling, shredding and disposal per kg [kg CO2e/kg].
    battery_kg_co2e_per_kwh
        Battery recycling process burden [kg CO2e/kWh].

    Examples
    --------
    >>> float(end_of_life_emissions(1000.0, 50.0, vehicle_kg_co2e_per_kg=0.05, battery_kg_co2e_per_kwh=2.0))
    150.0
    """
    return np.add(
        np.multiply(glider_mass_kg, vehicle_kg_co2e_per_kg),
        np.multiply(battery_kwh_treated, battery_kg_co2e_per_kwh),
    )


def recycling_credit(battery_kwh_treated: FloatArray, credit_kg_co2e_per_kwh: FloatArray) -> FloatArray:
    """Avoided primary production from battery recycling [kg CO2e], a positive number reported apart.

    Never netted into the stages (design §1).

    Examples
    --------
    >>> float(recycling_credit(60.0, 20.0))
    1200.0
    """
    return np.multiply(battery_kwh_treated, credit_kg_co2e_per_kwh)
