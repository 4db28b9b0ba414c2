"""Reference tables as the engine sees them: typed, in memory, no I/O.

The tables are read from the packaged Frictionless Data Package by
:mod:`roadcarbon.io.reference`; the engine only looks values up.  A lookup
that finds nothing raises :class:`~roadcarbon.errors.DataError` naming the
factor and the selectors: there is never a silent fallback to another
region's data.  Empty selectors in a parameter row mean "applies to all"
(written so in the data itself); the most specific matching row wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from roadcarbon.errors import DataError, UnknownCountryError, YearOutOfRangeError
from roadcarbon.types import FloatArray, GridSeries, IntArray

SELECTORS: tuple[str, ...] = ("segment", "powertrain", "fuel", "chemistry", "test_cycle", "region", "gwp")
"""Selector columns of ``parameters.csv``, in the order they are matched."""

DISTRIBUTIONS: frozenset[str] = frozenset({"none", "triangular", "uniform", "normal", "lognormal"})
"""Distribution names allowed in the data (see :mod:`roadcarbon.engine.uncertainty`)."""


def most_specific(
    selectors: Sequence[Sequence[tuple[str, str]]], keys: Mapping[str, str]
) -> tuple[int | None, bool]:
    """Which of several selector sets applies to ``keys``: the matching one with most non-empty selectors.

    A set matches when each of its non-empty selectors equals the key of that name (empty = applies to
    all).  Returns the index of the best set (``None`` if none matches) and whether another matching set
    is equally specific (a tie, which the data must not contain).  The engine's look-up and the data
    package's validator both use this rule.

    Examples
    --------
    >>> most_specific([(("segment", ""),), (("segment", "small"),)], {"segment": "small"})
    (1, False)
    >>> most_specific([(("segment", "suv"),)], {"segment": "small"})
    (None, False)
    """
    best: int | None = None
    best_specificity = -1
    tie = False
    for i, selector in enumerate(selectors):
        if any(value and keys.get(name) != value for name, value in selector):
            continue
        specificity = sum(1 for _, value in selector if value)
        if specificity > best_specificity:
            best, best_specificity, tie = i, specificity, False
        elif specificity == best_specificity:
            tie = True
    return best, tie


@dataclass(frozen=True, slots=True)
class ParameterRow:
    """One row of ``parameters.csv``: a factor, where it applies, its value and provenance."""

    parameter: str
    selectors: tuple[tuple[str, str], ...]
    value: float
    unit: str
    distribution: str = "none"
    low: float | None = None
    high: float | None = None
    year: int | None = None
    source_id: str = ""
    locator: str = ""
    assumption: bool = False
    reason: str = ""

    @property
    def specificity(self) -> int:
        """Number of non-empty selectors."""
        return sum(1 for _, v in self.selectors if v)

    def matches(self, keys: dict[str, str]) -> bool:
        """True if every non-empty selector of the row equals the key given for it."""
        return all(not v or keys.get(k) == v for k, v in self.selectors)

    def describe(self) -> dict[str, object]:
        """Provenance as a plain dict (for the "inputs used" report)."""
        return {
            "parameter": self.parameter,
            "value": self.value,
            "unit": self.unit,
            "applies_to": {k: v for k, v in self.selectors if v},
            "distribution": self.distribution,
            "low": self.low,
            "high": self.high,
            "year": self.year,
            "source_id": self.source_id,
            "locator": self.locator,
            "assumption": self.assumption,
        }


@dataclass(frozen=True, slots=True)
class GridTrajectory:
    """Annual average grid intensity of one country in one series.

    Attributes
    ----------
    years
        Calendar years with data, strictly increasing.
    g_co2e_per_kwh
        Intensity per kWh generated [g CO2e/kWh] for each year.
    """

    country: str
    series: str
    years: IntArray
    g_co2e_per_kwh: FloatArray


@dataclass(frozen=True, slots=True)
class GridProjection:
    """A scenario's relative trajectory of grid intensity for one country.

    Attributes
    ----------
    scenario
        Scenario id (from the projections data package).
    years
        Years of the index, strictly increasing.
    intensity_index
        Intensity relative to the scenario's base year [1]; the engine anchors it to the last
        observed value: ``I(y) = I_obs(y_last) · index(y) / index(y_last)``.
    """

    country: str
    scenario: str
    years: IntArray
    intensity_index: FloatArray


@dataclass(frozen=True, slots=True)
class FuelBlend:
    """Mandated bio share of a road fuel in one country over time (``fuel_blends.csv``).

    Attributes
    ----------
    fuel
        Vehicle fuel code the blend is sold under (``petrol`` or ``diesel``).
    bio_fuel
        Fuel code whose factors the bio component takes (``ethanol``; ``biodiesel`` = FAME, a reference-data
        code only, not a vehicle fuel).
    valid_from_year
        Dates the shares took effect, as fractional calendar years, strictly increasing [year].
    bio_share_volume
        Volume share of the bio component from each date [1].
    source_ids
        Source of each row (``sources.csv`` keys), in date order.
    """

    country: str
    fuel: str
    bio_fuel: str
    valid_from_year: FloatArray
    bio_share_volume: FloatArray
    source_ids: tuple[str, ...] = ()


CONSTANT_PROJECTION = "constant"
"""Projection method that holds the last observed grid intensity constant."""


@dataclass(frozen=True)
class ReferenceTables:
    """Everything the engine looks up, already parsed.

    Attributes
    ----------
    version
        Data-package version, reported as ``data_version``.
    parameters
        Rows of ``parameters.csv`` grouped by parameter name.
    grid
        ``(series, country) -> GridTrajectory``.
    td_multipliers
        ``country -> {"lv": x, "mv": y, "hv": z}``: kWh generated per kWh delivered [kWh/kWh].
    phev_range_km, phev_utility_factor
        The PHEV utility-factor curve (linear interpolation, clamped at the ends).
    fuel_blends
        ``(country, fuel) -> FuelBlend``: mandated bio shares; a fuel without one is unblended.
    """

    version: str
    parameters: dict[str, tuple[ParameterRow, ...]]
    grid: dict[tuple[str, str], GridTrajectory]
    td_multipliers: dict[str, dict[str, float]]
    phev_range_km: FloatArray
    phev_utility_factor: FloatArray
    max_year: int = 2050
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    projections: dict[tuple[str, str], GridProjection] = field(default_factory=dict)
    default_projections: tuple[str, ...] = ()
    fuel_blends: dict[tuple[str, str], FuelBlend] = field(default_factory=dict)

    def lookup(self, parameter: str, **keys: str) -> ParameterRow:
        """The most specific row of ``parameter`` matching ``keys``.

        Raises
        ------
        DataError
            If no row matches, or two equally specific rows match.
        """
        rows = self.parameters.get(parameter)
        if not rows:
            raise DataError(f"reference data has no factor {parameter!r}", field=parameter)
        best, tie = most_specific([row.selectors for row in rows], keys)
        where = ", ".join(f"{k}={v}" for k, v in keys.items() if v)
        if best is None:
            raise DataError(f"reference data has no value of {parameter!r} for {where}", field=parameter)
        if tie:
            raise DataError(
                f"reference data has two equally specific values of {parameter!r} for {where}",
                field=parameter,
            )
        return rows[best]

    def countries(self, series: str | None = None) -> list[str]:
        """Covered countries: grid data (in ``series``, or in any) and transmission/distribution losses.

        A country with grid data but no loss data (Laos in the first release) is not covered:
        assessing a vehicle there raises :class:`DataError` naming the missing factor.
        """
        return sorted(
            {c for (s, c) in self.grid if (series is None or s == series) and c in self.td_multipliers}
        )

    def trajectory(self, country: str, series: GridSeries | str) -> GridTrajectory:
        """The grid trajectory of ``country`` in ``series``; error if absent (no fallback)."""
        key = (str(series), country)
        if key not in self.grid:
            known = ", ".join(self.countries(str(series)))
            raise UnknownCountryError(
                f"no {series} grid-intensity data for country {country!r}; covered: {known}", field="country"
            )
        return self.grid[key]

    def projection(self, country: str, method: str | None) -> GridProjection | None:
        """The projection to use after the last observed year for ``country``.

        ``method=None`` takes the first of the data's default scenarios that covers the country, or the
        constant method where none does (each result reports which one it used).  A scenario asked for by
        name that does not cover the country is an error, never replaced by another.
        """
        if method == CONSTANT_PROJECTION:
            return None
        if method is None:
            for scenario in self.default_projections:
                found = self.projections.get((scenario, country))
                if found is not None:
                    return found
            return None
        found = self.projections.get((method, country))
        if found is None:
            known = [*sorted({s for s, _ in self.projections}), CONSTANT_PROJECTION]
            raise DataError(
                f"grid projection {method!r} has no data for country {country!r}; choose one of {', '.join(known)}",
                field="grid_projection",
            )
        return found

    def td_multiplier(self, country: str, level: str) -> float:
        """kWh generated per kWh delivered at ``level`` (``lv``/``mv``/``hv``) in ``country``."""
        entry = self.td_multipliers.get(country)
        if entry is None or level not in entry:
            raise DataError(
                f"reference data has no transmission/distribution losses for country {country!r}",
                field="country",
            )
        return entry[level]


def grid_mean_intensity(
    trajectory: GridTrajectory,
    start_year: IntArray,
    duration_years: FloatArray,
    *,
    max_year: int,
    projection: GridProjection | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Mean grid intensity over ``[start_year, start_year + duration_years)``.

    History comes from the data.  Years after the last data year are a
    *projection*, reported as the share of the period it covers: the last
    observed value held constant, or, with a ``projection``, the last observed
    value scaled by the scenario's relative trajectory,
    ``I(y) = I(y_last) · index(y) / index(y_last)`` (index interpolated
    linearly, held at its last value after its last year).  A start year before the first data year, or a
    period reaching past ``max_year``, raises :class:`YearOutOfRangeError`.

    Parameters
    ----------
    trajectory
        The country's annual intensities [g CO2e/kWh].
    start_year
        First calendar year of use [year].
    duration_years
        Length of the period [year], > 0, may be fractional.
    max_year
        Last year the projection may reach [year].
    projection
        Scenario index for the years after the data; ``None`` holds the last value.

    Returns
    -------
    mean_g_co2e_per_kwh, projected_share
        Time-weighted mean intensity [g CO2e/kWh]; share of the period after
        the last data year [0–1].

    Examples
    --------
    >>> import numpy as np
    >>> t = GridTrajectory("XX", "production", np.array([2020, 2021]), np.array([100.0, 200.0]))
    >>> m, p = grid_mean_intensity(t, np.array([2020]), np.array([3.0]), max_year=2050)
    >>> float(m[0]), round(float(p[0]), 3)
    (166.66666666666666, 0.333)
    >>> halving = GridProjection("XX", "s", np.array([2021, 2031]), np.array([1.0, 0.5]))
    >>> m, _ = grid_mean_intensity(t, np.array([2021]), np.array([2.0]), max_year=2050, projection=halving)
    >>> round(float(m[0]), 1)  # 2021 observed 200, 2022 projected 200 × 0.95 / 1.0
    195.0
    """
    first, last = int(trajectory.years[0]), int(trajectory.years[-1])
    start = np.asarray(start_year, dtype=np.int64)
    duration = np.asarray(duration_years, dtype=np.float64)
    if np.any(start < first):
        bad = int(start[start < first].min())
        raise YearOutOfRangeError(
            f"year {bad} is before the first grid-intensity year {first} for {trajectory.country} ({trajectory.series})",
            field="year",
        )
    if np.any(start > max_year):
        raise YearOutOfRangeError(
            f"year {int(start.max())} is after the last covered year {max_year}", field="year"
        )
    years = np.arange(first, max(max_year, last) + 2)
    values = np.interp(years, trajectory.years.astype(np.float64), trajectory.g_co2e_per_kwh)
    if projection is not None:
        index = np.interp(years, projection.years.astype(np.float64), projection.intensity_index)
        anchor = float(np.interp(last, projection.years.astype(np.float64), projection.intensity_index))
        if anchor <= 0:
            raise DataError(
                f"grid projection {projection.scenario} has a non-positive index for {last}",
                field="grid_projection",
            )
        after = years > last
        values = np.where(after, trajectory.g_co2e_per_kwh[-1] * index / anchor, values)
    cumulative = np.concatenate(([0.0], np.cumsum(values)))  # cumulative[i] = sum of years[:i]
    edges = np.arange(first, first + cumulative.size, dtype=np.float64)
    end = np.minimum(start + duration, float(edges[-1]))
    total = np.interp(end, edges, cumulative) - np.interp(start.astype(np.float64), edges, cumulative)
    mean = total / (end - start)
    projected = np.clip(end - np.maximum(start, last + 1), 0.0, None) / (end - start)
    return mean, projected
