"""Result records of the engine: frozen dataclasses of arrays, units in the names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from roadcarbon.constants import G_PER_KG
from roadcarbon.errors import InputError
from roadcarbon.types import STAGES, FloatArray

PRODUCTION_STAGES: tuple[str, ...] = ("materials", "battery", "assembly")
"""Stages that happen before the first km (the intercept of the cumulative-emissions line)."""

USE_STAGES: tuple[str, ...] = ("energy_supply", "tailpipe", "maintenance")
"""Stages that grow with distance driven (the slope of the cumulative-emissions line)."""


@dataclass(frozen=True)
class LifecycleResult:
    """Life-cycle emissions of N set-ups (or S × N Monte Carlo samples).

    Attributes
    ----------
    stages_kg_co2e
        Emissions per vehicle over its life by stage [kg CO2e]; keys are :data:`~roadcarbon.types.STAGES`.
    recycling_credit_kg_co2e
        Avoided burden of battery recycling [kg CO2e], positive, **not** included in any stage or total.
    lifetime_km
        Lifetime distance [km].
    """

    stages_kg_co2e: dict[str, FloatArray]
    recycling_credit_kg_co2e: FloatArray
    lifetime_km: FloatArray

    @property
    def total_kg_co2e(self) -> FloatArray:
        """Sum of the seven stages [kg CO2e per vehicle] (credits excluded)."""
        total: FloatArray = np.zeros_like(self.stages_kg_co2e[STAGES[0]])
        for stage in STAGES:
            total = total + self.stages_kg_co2e[stage]
        return total

    def per_km(self, values_kg_co2e: FloatArray) -> FloatArray:
        """Convert kg CO2e per vehicle to g CO2e per vehicle-km [g CO2e/km]."""
        return np.asarray(values_kg_co2e * G_PER_KG / self.lifetime_km, dtype=np.float64)

    @property
    def stages_g_co2e_per_km(self) -> dict[str, FloatArray]:
        """Stages per vehicle-km [g CO2e/km]."""
        return {stage: self.per_km(v) for stage, v in self.stages_kg_co2e.items()}

    @property
    def total_g_co2e_per_km(self) -> FloatArray:
        """Total per vehicle-km [g CO2e/km]."""
        return self.per_km(self.total_kg_co2e)

    @property
    def production_kg_co2e(self) -> FloatArray:
        """Emissions before the first km: materials + battery + assembly [kg CO2e]."""
        return np.asarray(sum(self.stages_kg_co2e[s] for s in PRODUCTION_STAGES), dtype=np.float64)

    @property
    def use_kg_co2e_per_km(self) -> FloatArray:
        """Average use-phase emissions per km: energy supply + tailpipe + maintenance [kg CO2e/km]."""
        use = sum(self.stages_kg_co2e[s] for s in USE_STAGES)
        return np.asarray(use / self.lifetime_km, dtype=np.float64)


def vehicle_labels(names: list[str]) -> list[str]:
    """Unique labels for vehicles: their names, with `` (2)``, `` (3)`` … added to repeats.

    Examples
    --------
    >>> vehicle_labels(["BEV", "Petrol", "BEV"])
    ['BEV', 'Petrol', 'BEV (2)']
    """
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def per_passenger_km(g_co2e_per_km: FloatArray, occupancy_passengers: FloatArray) -> FloatArray:
    """Per passenger-km from per vehicle-km [g CO2e/pkm] = g CO2e/vkm / average passengers on board.

    NaN where the occupancy is NaN (no per-passenger result) or not positive.

    Examples
    --------
    >>> float(per_passenger_km(np.array(1000.0), np.array(10.0)))
    100.0
    >>> bool(np.isnan(per_passenger_km(np.array(150.0), np.array(np.nan))))
    True
    """
    occupancy = np.asarray(occupancy_passengers, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.divide(g_co2e_per_km, np.where(occupancy > 0, occupancy, np.nan))
    return np.asarray(out, dtype=np.float64)


class LabelledResults:
    """Labelled views of an :class:`~roadcarbon.engine.assessment.Assessment` for notebooks.

    ``pandas`` and ``xarray`` are optional (the ``notebook`` extra) and imported only inside these methods.
    """

    @property
    def occupancy_passengers(self) -> FloatArray:
        """Average passengers on board, ``(V, C, Y)`` [passengers]; NaN where none applies.

        Buses take the country's sourced average (``occupancy_passengers`` rows of the reference data) unless
        the spec sets ``occupancy_passengers``; other vehicles only have one when their spec sets it.
        """
        a = cast(Any, self)
        occupancy = a.setup.occupancy_passengers
        if occupancy.size == 0:
            return np.full(a.shape, np.nan)
        return np.asarray(occupancy, dtype=np.float64).reshape(a.shape)

    @property
    def total_g_co2e_per_pkm(self) -> FloatArray:
        """Life-cycle total per passenger-km, ``(V, C, Y)`` [g CO2e/pkm]; NaN without an occupancy."""
        a = cast(Any, self)
        return per_passenger_km(a.total_g_co2e_per_km, self.occupancy_passengers)

    def to_dataframe(self, *, per: str = "km") -> Any:
        """Tidy long table: one row per vehicle, country, year and stage.

        Parameters
        ----------
        per
            ``"km"`` for g CO2e per vehicle-km (default) or ``"vehicle"`` for kg CO2e per vehicle over its life.

        Returns
        -------
        pandas.DataFrame
            Columns ``vehicle, country, year, stage, value, unit``; stages in
            :data:`~roadcarbon.types.STAGES` order (the total is their sum; the recycling credit is apart).
        """
        pd = _optional("pandas")
        a = cast(Any, self)
        values, unit = _stage_cube(a, per)
        n_v, n_c, n_y = a.shape
        labels = vehicle_labels([v.name for v in a.vehicles])
        index = np.indices((n_v, n_c, n_y, len(STAGES))).reshape(4, -1)
        return pd.DataFrame(
            {
                "vehicle": np.asarray(labels, dtype=object)[index[0]],
                "country": np.asarray(a.countries, dtype=object)[index[1]],
                "year": np.asarray(a.years, dtype=np.int64)[index[2]],
                "stage": np.asarray(STAGES, dtype=object)[index[3]],
                "value": values.reshape(-1),
                "unit": unit,
            }
        )

    def to_xarray(self) -> Any:
        """Labelled arrays with named dimensions ``vehicle, country, year, stage`` and units in ``attrs``.

        Returns
        -------
        xarray.Dataset
            ``stages_g_co2e_per_km`` (vehicle, country, year, stage), ``total_g_co2e_per_km``,
            ``total_t_co2e`` and ``lifetime_km`` (vehicle, country, year); where an occupancy applies (buses)
            also ``occupancy_passengers`` and ``total_g_co2e_per_pkm``; with Monte Carlo samples also
            ``total_g_co2e_per_km_quantiles`` (quantile, vehicle, country, year). Each variable's ``units``
            attribute names its unit; the dataset's attributes carry the data version, grid series and GWP metric.
        """
        xr = _optional("xarray")
        a = cast(Any, self)
        stages, _ = _stage_cube(a, "km")
        dims3 = ("vehicle", "country", "year")
        coords = {
            "vehicle": vehicle_labels([v.name for v in a.vehicles]),
            "country": list(a.countries),
            "year": list(a.years),
            "stage": list(STAGES),
        }
        data_vars: dict[str, Any] = {
            "stages_g_co2e_per_km": (
                (*dims3, "stage"),
                stages,
                {"units": "g CO2e/km", "long_name": "life-cycle GHG by stage per vehicle-km"},
            ),
            "total_g_co2e_per_km": (
                dims3,
                a.total_g_co2e_per_km,
                {"units": "g CO2e/km", "long_name": "life-cycle GHG per vehicle-km (sum of the stages)"},
            ),
            "total_t_co2e": (
                dims3,
                a.total_t_co2e,
                {"units": "t CO2e", "long_name": "life-cycle GHG per vehicle"},
            ),
            "lifetime_km": (dims3, a.lifetime_km, {"units": "km", "long_name": "lifetime distance"}),
        }
        per_pkm = self.total_g_co2e_per_pkm
        if np.any(np.isfinite(per_pkm)):
            data_vars["occupancy_passengers"] = (
                dims3,
                self.occupancy_passengers,
                {"units": "passengers", "long_name": "average people on board (NaN: none applies)"},
            )
            data_vars["total_g_co2e_per_pkm"] = (
                dims3,
                per_pkm,
                {"units": "g CO2e/pkm", "long_name": "life-cycle GHG per passenger-km (NaN: no occupancy)"},
            )
        if a.uncertainty is not None:
            coords["quantile"] = [0.05, 0.5, 0.95]
            data_vars["total_g_co2e_per_km_quantiles"] = (
                ("quantile", *dims3),
                np.asarray(a.uncertainty.total_g_co2e_per_km).reshape((3, *a.shape)),
                {"units": "g CO2e/km", "samples": int(a.uncertainty.samples)},
            )
        return xr.Dataset(
            data_vars,
            coords=coords,
            attrs={
                "data_version": a.setup.data_version,
                "grid_series": a.setup.grid_series,
                "gwp_metric": a.setup.gwp,
                "title": "roadcarbon life-cycle assessment",
            },
        )

    def __repr__(self) -> str:
        a = cast(Any, self)
        n_v, n_c, n_y = a.shape
        years = f"{a.years[0]}–{a.years[-1]}" if n_y > 1 else (str(a.years[0]) if n_y else "")
        mc = f", {a.uncertainty.samples:,} samples" if a.uncertainty is not None else ""
        return (
            f"<Assessment {n_v} vehicle{'s' * (n_v != 1)} × {n_c} countr{'ies' if n_c != 1 else 'y'} "
            f"({', '.join(_shorten(a.countries))}) × {n_y} year{'s' * (n_y != 1)} ({years}){mc}; "
            f"data {a.setup.data_version}>"
        )


def _shorten(items: tuple[str, ...], limit: int = 6) -> list[str]:
    return [*items[:limit], "…"] if len(items) > limit else list(items)


def _stage_cube(a: Any, per: str) -> tuple[FloatArray, str]:
    """Stages stacked on a last axis: ``(V, C, Y, stage)`` and their unit."""
    if per == "km":
        src, unit = a.stages_g_co2e_per_km, "g CO2e/km"
    elif per == "vehicle":
        src, unit = {k: a.grid(v) for k, v in a.result.stages_kg_co2e.items()}, "kg CO2e"
    else:
        raise InputError(f"must be 'km' or 'vehicle' (got {per!r})", field="per")
    return np.stack([np.asarray(src[s], dtype=np.float64) for s in STAGES], axis=-1), unit


def _optional(module: str) -> Any:
    """Import an optional dependency of the ``notebook`` extra, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        raise ImportError(
            f'this needs {module}: pip install "roadcarbon[notebook]" (or pip install {module})'
        ) from None
