"""Stage ``maintenance``: tyres, fluids and parts, and battery replacement where the life requires it."""

from __future__ import annotations

import numpy as np

from roadcarbon.types import FloatArray


def battery_replacements(
    lifetime_km: FloatArray, battery_life_km: FloatArray, packs_per_vehicle: FloatArray | float = 1.0
) -> FloatArray:
    r"""Traction-battery replacements during the vehicle's life, averaged over the fleet [1].

    .. math:: n = \max(L / L_{batt} - p,\; 0)

    ``p`` is the number of packs made for the vehicle's first battery: 1, or for swappable batteries
    the swap-pool factor (the packs on board plus the vehicle's share of those charging in stations).
    Pooled packs share the vehicle's kilometres, so the pool wears out after ``p`` pack lives.

    A fraction, not a count: ``L_batt`` is a fleet-average pack life, so a car
    that outlives it by 20 % needs on average 0.2 of a pack (some cars of the
    fleet get a new pack, most none). This is the rule of the source of the
    default ``battery_life_km`` (carculator 1.9.5, ``CarModel.set_battery_fuel_cell_replacements``:
    "we assume that we can use fractions of a battery (averaged across the
    fleet)"); rounding up would charge a whole pack to every car of a market
    whose mean lifetime exceeds the mean pack life by one kilometre.

    Examples
    --------
    >>> battery_replacements(200000.0, 200000.0).item(), battery_replacements(250000.0, 200000.0).item()
    (0.0, 0.25)
    >>> battery_replacements(150000.0, 200000.0).item()
    0.0
    >>> battery_replacements(250000.0, 200000.0, 1.5).item()
    0.0
    """
    return np.maximum(np.divide(lifetime_km, battery_life_km) - packs_per_vehicle, 0.0)


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
