"""Stage ``maintenance``: tyres, fluids and parts, and battery replacement where the life requires it."""

from __future__ import annotations

import numpy as np

from roadcarbon.types import FloatArray


def battery_replacements(lifetime_km: FloatArray, battery_life_km: FloatArray) -> FloatArray:
    r"""Number of traction-battery replacements during the vehicle's life [1].

    .. math:: n = \max(\lceil L / L_{batt} \rceil - 1, 0)

    Examples
    --------
    >>> battery_replacements(200000.0, 200000.0).item(), battery_replacements(250000.0, 200000.0).item()
    (0.0, 1.0)
    """
    ratio = np.divide(lifetime_km, battery_life_km)
    # Tolerate float noise so that L == k·L_batt does not count one more pack.
    return np.maximum(np.ceil(np.round(ratio, 9)) - 1.0, 0.0)


def maintenance_emissions(
    lifetime_km: FloatArray,
    maintenance_kg_co2e_per_km: FloatArray,
    replacements: FloatArray,
    battery_kg_co2e: FloatArray,
) -> FloatArray:
    r"""Maintenance over the vehicle's life [kg CO2e].

    .. math:: E_{maint} = L \, f_{maint} + n \, E_{batt}

    A replacement pack is assumed to be made like the original one (same
    chemistry, production country and year): a documented simplification.

    Examples
    --------
    >>> float(maintenance_emissions(200000.0, 0.01, 1.0, 5000.0))
    7000.0
    """
    return np.add(
        np.multiply(lifetime_km, maintenance_kg_co2e_per_km), np.multiply(replacements, battery_kg_co2e)
    )
