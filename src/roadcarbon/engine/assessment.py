"""One call for many vehicles × countries × years: :func:`assess`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from roadcarbon.engine.inputs import Setup, build_setup
from roadcarbon.engine.lifecycle import lifecycle_emissions
from roadcarbon.engine.results import LabelledResults, LifecycleResult
from roadcarbon.engine.tables import ReferenceTables
from roadcarbon.engine.uncertainty import MonteCarloSummary, check_sample_budget, monte_carlo
from roadcarbon.errors import InputError
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import FloatArray, GridSeries, GwpMetric

MAX_SAMPLES = 100_000
"""Upper bound on Monte Carlo samples per call; samples × set-ups is bounded too (:func:`check_sample_budget`)."""


@dataclass(frozen=True, repr=False)  # repr, to_dataframe, to_xarray: LabelledResults
class Assessment(LabelledResults):
    """Results of :func:`assess`, arrays shaped ``(V, C, Y)`` (vehicles × countries × years).

    Attributes
    ----------
    setup
        The inputs used (values, reference rows with sources, places of each step).
    result
        Central life-cycle result over the flattened set-ups ``(N,)``.
    uncertainty
        Monte Carlo summary, or ``None`` without samples.
    """

    vehicles: tuple[VehicleSpec, ...]
    countries: tuple[str, ...]
    years: tuple[int, ...]
    setup: Setup
    result: LifecycleResult
    uncertainty: MonteCarloSummary | None

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(V, C, Y)``."""
        return (len(self.vehicles), len(self.countries), len(self.years))

    def grid(self, flat: FloatArray) -> FloatArray:
        """Reshape a flat ``(N,)`` array to ``(V, C, Y)``."""
        return np.asarray(flat).reshape(self.shape)

    @property
    def stages_g_co2e_per_km(self) -> dict[str, FloatArray]:
        """Per stage, ``(V, C, Y)`` [g CO2e/km]."""
        return {k: self.grid(v) for k, v in self.result.stages_g_co2e_per_km.items()}

    @property
    def total_g_co2e_per_km(self) -> FloatArray:
        """``(V, C, Y)`` [g CO2e/km]."""
        return self.grid(self.result.total_g_co2e_per_km)

    @property
    def total_t_co2e(self) -> FloatArray:
        """``(V, C, Y)`` [t CO2e per vehicle]."""
        return self.grid(self.result.total_kg_co2e / 1000.0)

    @property
    def lifetime_km(self) -> FloatArray:
        """``(V, C, Y)`` [km]."""
        return self.grid(self.result.lifetime_km)

    def flat_index(self, v: int, c: int, y: int) -> int:
        """Index of set-up (v, c, y) in the flat arrays."""
        _, n_c, n_y = self.shape
        return (v * n_c + c) * n_y + y


def assess(
    vehicles: Sequence[VehicleSpec],
    countries: Sequence[str],
    years: Sequence[int],
    tables: ReferenceTables,
    *,
    grid_series: GridSeries | str = GridSeries.PRODUCTION,
    grid_projection: str | None = None,
    samples: int | None = None,
    rng: np.random.Generator | None = None,
    gwp: GwpMetric | str = GwpMetric.AR5,
    keep_samples: bool = False,
) -> Assessment:
    """Life-cycle emissions of every vehicle in every country of use and first year of use.

    Parameters
    ----------
    vehicles
        Vehicle specs.
    countries
        Countries of use, ISO 3166-1 alpha-2.
    years
        First year of use [year]; battery production and assembly are placed in the same year.
    tables
        Reference data (see :func:`roadcarbon.io.reference.load_reference`).
    grid_series
        ``production`` (Ember, default) or ``consumption`` (Electricity Maps).
    grid_projection
        Method for the years after the grid data: a scenario id of the projections package,
        ``constant``, or ``None`` for the data's default (see :meth:`ReferenceTables.projection`).
    samples
        Monte Carlo samples; ``None`` for the central values only.
    rng
        Required with ``samples``: the only source of randomness.
    gwp
        GWP100 metric of the gases this package converts to CO2e (tailpipe CH4 and N2O): ``AR5``
        (default) or ``AR6``; see :class:`~roadcarbon.types.GwpMetric`.
    keep_samples
        Keep the ``(S, N)`` Monte Carlo samples of the total and the stages (default: only
        quantiles and means, computed block by block in bounded memory).

    Returns
    -------
    Assessment
        Per-stage arrays ``(V, C, Y)`` plus the inputs used.
    """
    if samples is not None and rng is None:
        raise InputError("a numpy.random.Generator is required when samples are requested", field="rng")
    if samples is not None and not 2 <= samples <= MAX_SAMPLES:
        raise InputError(f"must be between 2 and {MAX_SAMPLES}", field="samples")
    if samples is not None:
        check_sample_budget(samples, len(vehicles) * len(countries) * len(years), keep_samples=keep_samples)
    setup = build_setup(
        vehicles, countries, years, tables, grid_series=grid_series, grid_projection=grid_projection, gwp=gwp
    )
    result = lifecycle_emissions(setup.inputs)
    summary = None
    if samples is not None and rng is not None:
        u = tables.lookup("grid_intensity_relative_uncertainty").value
        summary = monte_carlo(setup, rng, samples, grid_relative_uncertainty=u, keep_samples=keep_samples)
    return Assessment(tuple(vehicles), tuple(countries), tuple(int(y) for y in years), setup, result, summary)
