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


def _share_integral(t: FloatArray, valid_from_year: FloatArray, share: FloatArray) -> FloatArray:
    """Integral of a piecewise-constant share from ``valid_from_year[0]`` to ``t`` [year].

    Share ``share[i]`` holds on ``[valid_from_year[i], valid_from_year[i + 1])``; the last one holds for
    ever after, the first one before its date (the integral is then negative).
    """
    knots = np.asarray(valid_from_year, dtype=np.float64)
    values = np.asarray(share, dtype=np.float64)
    cumulative = np.concatenate(([0.0], np.cumsum(values[:-1] * np.diff(knots))))
    t = np.asarray(t, dtype=np.float64)
    i = np.clip(np.searchsorted(knots, t, side="right") - 1, 0, knots.size - 1)
    return np.asarray(cumulative[i] + values[i] * (t - knots[i]))


def blend_share_mean(
    valid_from_year: FloatArray,
    bio_share_volume: FloatArray,
    start_year: FloatArray,
    duration_years: FloatArray,
) -> FloatArray:
    r"""Mean bio share of a blended fuel over the years of use ``[start, start + duration)`` [1].

    .. math:: \bar v = \frac{1}{D} \int_{s}^{s+D} v(t)\,dt

    with :math:`v(t)` the mandated volume share in force at time ``t`` (piecewise constant from each
    row's ``valid_from``; the last share is held after its date, as for grid intensity with the
    ``constant`` method, and the first before its date).

    Parameters
    ----------
    valid_from_year
        Dates the shares took effect, as fractional calendar years, strictly increasing [year].
    bio_share_volume
        Volume share of the bio component from each date [1].
    start_year
        First year of use (1 January) [year].
    duration_years
        Years of use D, > 0 [year].

    Examples
    --------
    >>> round(float(blend_share_mean([2015.0, 2025.5], [0.27, 0.30], 2020, 10)), 4)  # E27 5.5 y, E30 4.5 y
    0.2835
    """
    start = np.asarray(start_year, dtype=np.float64)
    end = start + np.asarray(duration_years, dtype=np.float64)
    span = _share_integral(end, valid_from_year, bio_share_volume) - _share_integral(
        start, valid_from_year, bio_share_volume
    )
    return np.asarray(span / (end - start))


def blended_fuel_factors(
    bio_share_volume: FloatArray,
    *,
    fossil_energy_mj_per_unit: FloatArray,
    fossil_combustion_kg_co2_per_unit: FloatArray,
    fossil_well_to_tank_kg_co2e_per_unit: FloatArray,
    bio_energy_mj_per_unit: FloatArray,
    bio_combustion_kg_co2_per_unit: FloatArray,
    bio_well_to_tank_kg_co2e_per_unit: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    r"""Combustion and well-to-tank factors of a blend per unit of fossil-fuel-equivalent energy.

    Consumption is given in units of the unblended fuel (the energy the vehicle needs); burning the
    same energy as a blend with bio volume share :math:`v` takes :math:`k` units of blend:

    .. math::
        k = \frac{H_f}{(1-v) H_f + v H_b}, \qquad
        f_{CO_2} = k\,[(1-v) f_{CO_2,f} + v f_{CO_2,b}], \qquad
        f_{WTT} = k\,[(1-v) f_{WTT,f} + v f_{WTT,b}]

    The bio component's combustion CO2 is biogenic and counted as zero in the data
    (``fuel_combustion_kg_co2_per_unit`` of ethanol = 0); its life-cycle burden is in its well-to-tank
    factor.  CH4 and N2O stay per MJ and need no change.  With :math:`v = 0` the fossil factors are
    returned unchanged.

    Parameters
    ----------
    bio_share_volume
        Bio share of the blend by volume v [1].
    fossil_energy_mj_per_unit, bio_energy_mj_per_unit
        Lower heating values H_f, H_b [MJ/L].
    fossil_combustion_kg_co2_per_unit, bio_combustion_kg_co2_per_unit
        Fossil CO2 per litre of each component [kg CO2/L].
    fossil_well_to_tank_kg_co2e_per_unit, bio_well_to_tank_kg_co2e_per_unit
        Well-to-tank factor of each component [kg CO2e/L].

    Returns
    -------
    combustion_kg_co2_per_unit, well_to_tank_kg_co2e_per_unit
        Per unit of fossil-equivalent energy (one litre of the unblended fuel's energy).

    Examples
    --------
    >>> c, w = blended_fuel_factors(0.27, fossil_energy_mj_per_unit=32.0, fossil_combustion_kg_co2_per_unit=2.2,
    ...     fossil_well_to_tank_kg_co2e_per_unit=0.6, bio_energy_mj_per_unit=20.8,
    ...     bio_combustion_kg_co2_per_unit=0.0, bio_well_to_tank_kg_co2e_per_unit=0.44)
    >>> round(float(c), 4), round(float(w), 4)  # k = 32 / 28.976: 1.1044 L of E27 per petrol litre
    (1.7736, 0.6149)
    """
    v = np.asarray(bio_share_volume, dtype=np.float64)
    h_f = np.asarray(fossil_energy_mj_per_unit, dtype=np.float64)
    blend_energy = (1.0 - v) * h_f + v * np.asarray(bio_energy_mj_per_unit, dtype=np.float64)
    blended = v > 0
    k = np.where(blended, h_f / np.where(blended, blend_energy, 1.0), 1.0)
    combustion = k * (
        (1.0 - v) * fossil_combustion_kg_co2_per_unit + v * np.asarray(bio_combustion_kg_co2_per_unit)
    )
    wtt = k * (
        (1.0 - v) * fossil_well_to_tank_kg_co2e_per_unit + v * np.asarray(bio_well_to_tank_kg_co2e_per_unit)
    )
    return np.asarray(combustion), np.asarray(wtt)
