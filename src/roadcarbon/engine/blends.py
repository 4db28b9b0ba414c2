"""Mandated biofuel blends: the bio share and bio-component factors each set-up burns (pure look-ups).

A petrol car in Brazil burns gasoline C, an ethanol blend whose share changed by decree (E25, E20,
E27, E30: ``fuel_blends.csv``).  :func:`blend_inputs` averages the share over each set-up's years of use
and looks up the bio component's own factors (LHV, well-to-tank, combustion CO2) for the country of use;
:func:`roadcarbon.engine.fuel.blended_fuel_factors` combines them with the fossil fuel's factors in
:func:`roadcarbon.engine.lifecycle.lifecycle_emissions`.  A fuel without a blend row is unblended
(share 0), so every other country keeps its factors unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from roadcarbon.engine.fuel import blend_share_mean, blended_fuel_factors
from roadcarbon.engine.tables import ReferenceTables
from roadcarbon.types import FloatArray, IntArray

if TYPE_CHECKING:  # pragma: no cover - annotation only (inputs imports this module)
    from roadcarbon.engine.inputs import LifecycleInputs

BLEND_FIELDS: tuple[str, ...] = (
    "fuel_bio_share_volume",
    "fuel_bio_energy_mj_per_unit",
    "fuel_bio_combustion_kg_co2_per_unit",
    "fuel_bio_well_to_tank_kg_co2e_per_unit",
)
"""Fields of :class:`~roadcarbon.engine.inputs.LifecycleInputs` filled by :func:`blend_inputs`."""


def blend_inputs(
    tables: ReferenceTables,
    fuels: Sequence[str],
    countries: Sequence[str],
    start_year: IntArray,
    use_years: FloatArray,
) -> dict[str, FloatArray]:
    """Per set-up: mean bio share over the years of use and the bio component's factors.

    Parameters
    ----------
    tables
        Reference tables (``fuel_blends`` and the bio component's ``parameters`` rows).
    fuels, countries
        Fuel code and alpha-2 country of use of each set-up.
    start_year
        First year of use [year]; use starts on 1 January.
    use_years
        Years of use [year].

    Returns
    -------
    dict
        The :data:`BLEND_FIELDS` arrays, shape ``(N,)``; zeros where the fuel is not blended.

    Raises
    ------
    DataError
        The bio component has no factor for the country (named, no fallback).
    """
    n = len(fuels)
    out = {name: np.zeros(n) for name in BLEND_FIELDS}
    if not tables.fuel_blends:
        return out
    fuel_arr = np.asarray(fuels, dtype=object)
    country_arr = np.asarray(countries, dtype=object)
    start = np.asarray(start_year, dtype=np.float64)
    duration = np.asarray(use_years, dtype=np.float64)
    for (country, fuel), blend in tables.fuel_blends.items():
        mask = (fuel_arr == fuel) & (country_arr == country)
        if not mask.any():
            continue
        keys = {"fuel": blend.bio_fuel, "region": country}
        out["fuel_bio_share_volume"][mask] = blend_share_mean(
            blend.valid_from_year, blend.bio_share_volume, start[mask], duration[mask]
        )
        out["fuel_bio_energy_mj_per_unit"][mask] = tables.lookup("fuel_energy_mj_per_unit", **keys).value
        out["fuel_bio_combustion_kg_co2_per_unit"][mask] = tables.lookup(
            "fuel_combustion_kg_co2_per_unit", **keys
        ).value
        out["fuel_bio_well_to_tank_kg_co2e_per_unit"][mask] = tables.lookup(
            "fuel_well_to_tank_kg_co2e_per_unit", **keys
        ).value
    return out


def fuel_factors(x: LifecycleInputs) -> tuple[FloatArray, FloatArray]:
    """Combustion [kg CO2/unit] and well-to-tank [kg CO2e/unit] factors of the fuel as burnt, blend included.

    Per unit of the unblended fuel's energy (see :func:`roadcarbon.engine.fuel.blended_fuel_factors`); the
    fossil fuel's own factors where the fuel is not blended.  Used by the life-cycle and the fleet model.
    """
    return blended_fuel_factors(
        x.fuel_bio_share_volume,
        fossil_energy_mj_per_unit=x.fuel_energy_mj_per_unit,
        fossil_combustion_kg_co2_per_unit=x.fuel_combustion_kg_co2_per_unit,
        fossil_well_to_tank_kg_co2e_per_unit=x.fuel_well_to_tank_kg_co2e_per_unit,
        bio_energy_mj_per_unit=x.fuel_bio_energy_mj_per_unit,
        bio_combustion_kg_co2_per_unit=x.fuel_bio_combustion_kg_co2_per_unit,
        bio_well_to_tank_kg_co2e_per_unit=x.fuel_bio_well_to_tank_kg_co2e_per_unit,
    )
