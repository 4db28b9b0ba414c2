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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from roadcarbon.engine.fuel import blend_share_mean, blended_fuel_factors
from roadcarbon.engine.tables import SELECTORS, ParameterRow, ReferenceTables
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


@dataclass(frozen=True)
class BlendInputs:
    """What :func:`blend_inputs` found for N set-ups.

    Attributes
    ----------
    values
        The :data:`BLEND_FIELDS` arrays, shape ``(N,)``; zeros where the fuel is not blended.
    rows
        Reference rows behind them: the bio component's ``parameters.csv`` rows and, for the share, a
        row describing the time-weighted mean of ``fuel_blends.csv`` (distribution ``none``).
    row_index
        ``field -> (N,)`` index into ``rows``, ``-1`` where the fuel is not blended.  Empty when no
        set-up burns a blend.
    """

    values: dict[str, FloatArray]
    rows: tuple[ParameterRow, ...] = ()
    row_index: dict[str, IntArray] = field(default_factory=dict)


def blend_inputs(
    tables: ReferenceTables,
    fuels: Sequence[str],
    countries: Sequence[str],
    start_year: IntArray,
    use_years: FloatArray,
) -> BlendInputs:
    """Per set-up: mean bio share over the years of use and the bio component's factors, with their rows.

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

    Raises
    ------
    DataError
        The bio component has no factor for the country (named, no fallback).
    """
    n = len(fuels)
    values = {name: np.zeros(n) for name in BLEND_FIELDS}
    if not tables.fuel_blends:
        return BlendInputs(values)
    fuel_arr = np.asarray(fuels, dtype=object)
    country_arr = np.asarray(countries, dtype=object)
    start = np.asarray(start_year, dtype=np.float64)
    duration = np.asarray(use_years, dtype=np.float64)
    rows: list[ParameterRow] = []
    index = {name: np.full(n, -1, dtype=np.int64) for name in BLEND_FIELDS}
    for (country, fuel), blend in tables.fuel_blends.items():
        mask = (fuel_arr == fuel) & (country_arr == country)
        if not mask.any():
            continue
        keys = {"fuel": blend.bio_fuel, "region": country}
        share = blend_share_mean(blend.valid_from_year, blend.bio_share_volume, start[mask], duration[mask])
        values["fuel_bio_share_volume"][mask] = share
        for name, parameter in (
            ("fuel_bio_energy_mj_per_unit", "fuel_energy_mj_per_unit"),
            ("fuel_bio_combustion_kg_co2_per_unit", "fuel_combustion_kg_co2_per_unit"),
            ("fuel_bio_well_to_tank_kg_co2e_per_unit", "fuel_well_to_tank_kg_co2e_per_unit"),
        ):
            row = tables.lookup(parameter, **keys)
            values[name][mask] = row.value
            index[name][mask] = len(rows)
            rows.append(row)
        selectors = tuple((k, {"fuel": fuel, "region": country}.get(k, "")) for k in SELECTORS)
        distinct, inverse = np.unique(share, return_inverse=True)
        positions = np.flatnonzero(mask)
        for j, mean in enumerate(distinct.tolist()):
            members = positions[inverse.ravel() == j]
            index["fuel_bio_share_volume"][members] = len(rows)
            # the decrees in force during the (first such) set-up's years of use, each with its source
            first, last = start[members[0]], start[members[0]] + duration[members[0]]
            rows_in_force = np.flatnonzero(
                (blend.valid_from_year < last) & (np.append(blend.valid_from_year[1:], np.inf) > first)
            )
            sources = [blend.source_ids[k] for k in rows_in_force] if blend.source_ids else []
            shares = ", ".join(f"{100 * blend.bio_share_volume[k]:g} %" for k in rows_in_force)
            rows.append(
                ParameterRow(
                    "fuel_bio_share_volume",
                    selectors,
                    float(mean),
                    "1",
                    source_id=sources[0] if sources else "",
                    locator=f"fuel_blends.csv {country} {fuel}: time-weighted mean {blend.bio_fuel} share by volume "
                    f"over the years of use ({shares}; sources {', '.join(dict.fromkeys(sources))})",
                )
            )
    if not rows:
        return BlendInputs(values)
    return BlendInputs(values, tuple(rows), index)


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
