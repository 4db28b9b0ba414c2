"""Use-cases of the life-cycle engine: the documents the CLI and the API both return.

The CLI's ``lca --json`` and ``POST /api/v1/lca`` are built here, so the two
give the same numbers for the same inputs (design "Contracts").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from roadcarbon.countries import to_alpha2
from roadcarbon.engine import Assessment, assess, break_even_km, cumulative_emissions, one_at_a_time
from roadcarbon.errors import InputError
from roadcarbon.io.reference import load_reference
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import STAGES, GridSeries, GwpMetric

GWP_CONVERTED_HERE = ("tailpipe CH4", "tailpipe N2O")
"""The gases this package converts to CO2e itself; every other factor keeps its source's metric."""

DEFAULT_GRID_SERIES = GridSeries.PRODUCTION
"""Default grid-intensity series (Ember, production-based, life-cycle): 39 countries from 2010 (Uzbekistan only in
``consumption``); see the coverage table in docs/methodology.md."""


def _series(grid_series: str | None) -> GridSeries:
    if grid_series is None:
        return DEFAULT_GRID_SERIES
    try:
        return GridSeries(grid_series)
    except ValueError as exc:
        raise InputError(
            f"{grid_series!r} is not a grid series; expected production or consumption", field="grid_series"
        ) from exc


def _gwp(gwp: str | None) -> GwpMetric:
    if gwp is None:
        return GwpMetric.AR5
    try:
        return GwpMetric(str(gwp).upper())
    except ValueError as exc:
        raise InputError(f"{gwp!r} is not a GWP100 metric; expected AR5 or AR6", field="gwp") from exc


def _year(year: Any) -> int:
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise InputError(f"expected an integer year, got {year!r}", field="year")
    return int(year)


def run_assessment(
    vehicles: Sequence[VehicleSpec],
    countries: Sequence[str],
    years: Sequence[int],
    *,
    samples: int | None = None,
    seed: int | None = None,
    grid_series: str | None = None,
    grid_projection: str | None = None,
    gwp: str | None = None,
    tables: Any = None,
) -> Assessment:
    """Assess vehicles × countries × years on the packaged reference data (or on ``tables``: reference
    tables built from a published release's factor package, see ``services.calculations.release_data``)."""
    codes = [to_alpha2(c) for c in countries]
    rng = np.random.default_rng(seed) if samples is not None else None
    return assess(
        list(vehicles),
        codes,
        [_year(y) for y in years],
        tables if tables is not None else load_reference(),
        grid_series=_series(grid_series),
        grid_projection=grid_projection,
        samples=samples,
        gwp=_gwp(gwp),
        rng=rng,
    )


def _r(x: float, digits: int = 3) -> float:
    return round(float(x), digits)


def setup_document(
    a: Assessment, v: int, c: int = 0, y: int = 0, *, with_inputs: bool = True
) -> dict[str, Any]:
    """The contract's ``lca`` document for one set-up of an assessment."""
    i = a.flat_index(v, c, y)
    r, s = a.result, a.setup
    stages = r.stages_g_co2e_per_km
    doc: dict[str, Any] = {
        "vehicle": a.vehicles[v].name,
        "country": a.countries[c],
        "year": a.years[y],
        "lifetime_km": _r(r.lifetime_km[i], 1),
        "total_g_co2e_per_km": _r(r.total_g_co2e_per_km[i]),
        "stages_g_co2e_per_km": {stage: _r(stages[stage][i]) for stage in STAGES},
        "total_t_co2e": _r(r.total_kg_co2e[i] / 1000.0, 4),
        "recycling_credit_g_co2e_per_km": _r(r.per_km(r.recycling_credit_kg_co2e)[i]),
        "data_version": s.data_version,
        "grid_series": s.grid_series,
        "gwp": {"metric": s.gwp, "converted_here": list(GWP_CONVERTED_HERE), "other_factors": "as published"},
        "places": {
            "battery_production_country": s.battery_country[i],
            "assembly_country": s.assembly_country[i],
            "use_country": s.use_country[i],
        },
        "use_phase": {
            "use_years": _r(s.use_years[i], 2),
            "grid_mean_g_co2e_per_kwh": _r(s.inputs.grid_use_g_co2e_per_kwh[i], 1),
            "grid_projected_share": _r(s.grid_projected_share[i], 3),
            "projection_method": s.grid_projection[i],
        },
    }
    occupancy = float(s.occupancy_passengers[i]) if s.occupancy_passengers.size else float("nan")
    if np.isfinite(occupancy) and occupancy > 0:
        # per passenger-km beside the per vehicle-km figures (issue 12); the occupancy is not sampled
        largest = r.total_g_co2e_per_km[i]
        if a.uncertainty is not None:
            largest = max(largest, a.uncertainty.total_g_co2e_per_km[2, i])
        with np.errstate(over="ignore"):
            per_pkm = largest / occupancy
        if not np.isfinite(per_pkm):  # a typed 5e-324 passes "> 0"
            raise InputError(
                f"{occupancy:g} passengers gives no finite g CO2e per passenger-km",
                field="vehicle.occupancy_passengers"
                if len(a.vehicles) == 1
                else f"vehicles.{v}.occupancy_passengers",
            )
        doc["per_passenger"] = {
            "occupancy_passengers": _r(occupancy, 2),
            "total_g_co2e_per_pkm": _r(r.total_g_co2e_per_km[i] / occupancy),
            "stages_g_co2e_per_pkm": {stage: _r(stages[stage][i] / occupancy) for stage in STAGES},
            "occupancy_source": s.occupancy_source(i),
        }
        if a.uncertainty is not None:
            q = a.uncertainty.total_g_co2e_per_km
            doc["per_passenger"]["uncertainty"] = {
                "p05": _r(q[0, i] / occupancy),
                "p50": _r(q[1, i] / occupancy),
                "p95": _r(q[2, i] / occupancy),
                "note": "vehicle-km spread divided by the average occupancy (occupancy not sampled)",
            }
    if a.uncertainty is not None:
        u = a.uncertainty
        doc["uncertainty"] = {
            "samples": u.samples,
            "p05": _r(u.total_g_co2e_per_km[0, i]),
            "p50": _r(u.total_g_co2e_per_km[1, i]),
            "p95": _r(u.total_g_co2e_per_km[2, i]),
            "stages": {
                stage: {"p05": _r(q[0, i]), "p50": _r(q[1, i]), "p95": _r(q[2, i])}
                for stage, q in u.stages_g_co2e_per_km.items()
            },
            "mean": _r(u.mean_total_g_co2e_per_km[i]),
            "note": headline_note(float(r.total_g_co2e_per_km[i]), float(u.total_g_co2e_per_km[1, i])),
        }
    if with_inputs:
        doc["inputs"] = s.rows_used(i)
    return doc


def headline_note(headline: float, p50: float) -> str:
    """Which figure is the headline and why the Monte Carlo median differs (issue 12; docs/methodology.md)."""
    shift = (p50 - headline) / headline if headline else 0.0
    return (
        "total_g_co2e_per_km is the headline: the deterministic result with every input at its central value "
        "(the source's figure, or the mode of its range). p50 and mean summarise the samples; inputs whose ranges push "
        "the result further up than down (real-world consumption factor, a lifetime that may be much shorter, "
        f"grid intensity) put them above the headline: p50 here is {shift:+.1%}."
    )


def lca_document(
    vehicle: VehicleSpec,
    country: str,
    year: int,
    *,
    samples: int | None = None,
    seed: int | None = None,
    grid_series: str | None = None,
    grid_projection: str | None = None,
    gwp: str | None = None,
    tables: Any = None,
) -> dict[str, Any]:
    """The ``lca`` JSON document of the design's contract for one vehicle in one country and year."""
    a = run_assessment(
        [vehicle],
        [country],
        [year],
        samples=samples,
        seed=seed,
        grid_series=grid_series,
        grid_projection=grid_projection,
        gwp=gwp,
        tables=tables,
    )
    doc = setup_document(a, 0)
    if samples is not None:
        doc["uncertainty"]["seed"] = seed
    return doc


def compare_document(
    vehicles: Sequence[VehicleSpec],
    country: str,
    year: int,
    *,
    grid_series: str | None = None,
    grid_projection: str | None = None,
    points: int = 41,
    gwp: str | None = None,
    tables: Any = None,
) -> dict[str, Any]:
    """Footprints of several vehicles in one country and year, break-even distances and cumulative curves."""
    if len(vehicles) < 2:
        raise InputError("give at least two vehicles to compare", field="vehicles")
    a = run_assessment(
        vehicles,
        [country],
        [year],
        grid_series=grid_series,
        grid_projection=grid_projection,
        gwp=gwp,
        tables=tables,
    )
    r = a.result
    production = r.production_kg_co2e
    use = r.use_kg_co2e_per_km
    docs = [setup_document(a, v, with_inputs=False) for v in range(len(vehicles))]
    pairs = []
    for i in range(len(vehicles)):
        for j in range(len(vehicles)):
            if i == j:
                continue
            km = float(break_even_km(production[i], use[i], production[j], use[j]))
            if km == 0.0 or math.isinf(km):
                continue
            horizon = float(min(r.lifetime_km[i], r.lifetime_km[j]))
            pairs.append(
                {
                    "vehicle": vehicles[i].name,
                    "versus": vehicles[j].name,
                    "break_even_km": round(km, 0),
                    "within_lifetime": km <= horizon,
                }
            )
    max_km = float(np.max(r.lifetime_km))
    distance = np.linspace(0.0, max_km, points)
    curves = {
        vehicles[v].name: [
            round(float(x) / 1000.0, 4) for x in cumulative_emissions(production[v], use[v], distance)
        ]
        for v in range(len(vehicles))
    }
    return {
        "country": a.countries[0],
        "year": a.years[0],
        "data_version": a.setup.data_version,
        "vehicles": docs,
        "break_even": pairs,
        "cumulative_t_co2e": {"distance_km": [round(float(d), 0) for d in distance], "series": curves},
    }


def sensitivity_document(
    vehicle: VehicleSpec, country: str, year: int, *, grid_series: str | None = None, top: int = 10
) -> dict[str, Any]:
    """One-at-a-time sensitivity of the total per km: the inputs that move it most (tornado data)."""
    a = run_assessment([vehicle], [country], [year], grid_series=grid_series)
    u = load_reference().lookup("grid_intensity_relative_uncertainty").value
    items = one_at_a_time(a.setup, 0, grid_relative_uncertainty=u)[:top]
    return {
        "vehicle": vehicle.name,
        "country": a.countries[0],
        "year": a.years[0],
        "total_g_co2e_per_km": _r(a.result.total_g_co2e_per_km[0]),
        "method": "one-at-a-time: each input at its low and high value, others central",
        "items": [
            {
                "input": it.input,
                "parameter": it.parameter,
                "low_value": it.low_value,
                "high_value": it.high_value,
                "unit": it.unit,
                "total_at_low_g_co2e_per_km": _r(it.total_at_low_g_co2e_per_km),
                "total_at_high_g_co2e_per_km": _r(it.total_at_high_g_co2e_per_km),
                "swing_g_co2e_per_km": _r(it.swing_g_co2e_per_km),
            }
            for it in items
        ],
    }
