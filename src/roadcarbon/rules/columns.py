"""Vehicle columns: the arrays the evaluators read, built from a list of vehicle specs.

Numeric columns are float64 with NaN where a spec lacks the value;
categorical columns are arrays of str (``""`` where missing).  Besides the
spec's own fields there are a few derived columns, each a pure unit
conversion of a spec field:

``fuel_economy_km_per_l`` = 100 / ``fuel_consumption_l_per_100km``
``electricity_consumption_wh_per_km`` = 10 x ``electricity_consumption_kwh_per_100km``

Battery-electric and fuel-cell vehicles have no tailpipe: their missing
``hc_g_per_km``, ``co_g_per_km``, ``nox_g_per_km``, ``pm_mg_per_km``,
``co2_g_per_km`` and ``fuel_consumption_l_per_100km`` (no liquid fuel) read as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.specs import VehicleSpec
from roadcarbon.types import FloatArray

Columns = dict[str, npt.NDArray[Any]]
"""Input name -> array of shape ``(n_vehicles,)``."""

NUMERIC_INPUTS: tuple[str, ...] = (
    "curb_mass_kg",
    "engine_displacement_cc",
    "engine_power_kw",
    "battery_capacity_kwh",
    "fuel_consumption_l_per_100km",
    "fuel_consumption_kg_per_100km",
    "electricity_consumption_kwh_per_100km",
    "electric_range_km",
    "co2_g_per_km",
    "hc_g_per_km",
    "co_g_per_km",
    "nox_g_per_km",
    "pm_mg_per_km",
    "seats",
    "footprint_m2",
    "price",
    "local_content_share",
    "lifetime_km",
    "annual_km",
)
CATEGORICAL_INPUTS: tuple[str, ...] = (
    "category",
    "segment",
    "powertrain",
    "fuel",
    "test_cycle",
    "battery_chemistry",
    "battery_production_country",
    "assembly_country",
    "price_currency",
    "emission_standard",
    "electricity_consumption_basis",
)
RULE_ONLY_INPUTS: tuple[str, ...] = ("th_ev_programme_participant", "cn_low_fuel_consumption")
"""Codes a rule may read that are not life-cycle spec fields (``yes``/``no``; ``""`` when not given).

``th_ev_programme_participant``: whether the maker takes part in Thailand's EV 3.0/3.5
measures (TH.excise_passenger_car and TH.ev_subsidy read it alike).  ``cn_low_fuel_consumption``:
a conventional car certified as a low-fuel-consumption passenger car (China, CN.nev_credits)."""
RULE_ONLY_NUMERIC_INPUTS: tuple[str, ...] = ("nev_electric_range_km",)
"""Numbers a rule may read that are not life-cycle spec fields (NaN when not given).

``nev_electric_range_km``: the electric range on China's NEV-credit cycle (CN.nev_credits'
``test_cycle``, CLTC), given beside a spec on another cycle, so one spec serves both China's CAFC
(WLTP fuel and electricity use) and the NEV credits (range on their own cycle) without converting
the range; a scheme names it in ``own_cycle_inputs``."""
DERIVED_INPUTS: tuple[str, ...] = ("fuel_economy_km_per_l", "electricity_consumption_wh_per_km")
DERIVED_FROM: dict[str, str] = {
    "fuel_economy_km_per_l": "fuel_consumption_l_per_100km",
    "electricity_consumption_wh_per_km": "electricity_consumption_kwh_per_100km",
}
"""Spec field each derived column is computed from."""
CYCLE_DEPENDENT_INPUTS: tuple[str, ...] = (
    "co2_g_per_km",
    "fuel_consumption_l_per_100km",
    "fuel_consumption_kg_per_100km",
    "electricity_consumption_kwh_per_100km",
    "electric_range_km",
)
"""Inputs measured on the spec's test cycle (converted when a scheme reads another cycle)."""

_ZERO_TAILPIPE = (
    "co2_g_per_km",
    "hc_g_per_km",
    "co_g_per_km",
    "nox_g_per_km",
    "pm_mg_per_km",
    "fuel_consumption_l_per_100km",
)
KNOWN_INPUTS: frozenset[str] = frozenset(
    NUMERIC_INPUTS + CATEGORICAL_INPUTS + DERIVED_INPUTS + RULE_ONLY_INPUTS + RULE_ONLY_NUMERIC_INPUTS
)


def vehicle_columns(vehicles: Sequence[VehicleSpec]) -> Columns:
    """Columns of a list of specs, in the spec field names plus the derived columns.

    Parameters
    ----------
    vehicles
        Vehicle specs, shape ``(n_vehicles,)``.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per input name.

    Examples
    --------
    >>> from roadcarbon.specs import VehicleSpec
    >>> v = VehicleSpec(name="x", category="passenger_car", segment="small", powertrain="BEV",
    ...                 fuel="electricity", curb_mass_kg=1500, test_cycle="WLTP",
    ...                 battery_capacity_kwh=50, electricity_consumption_kwh_per_100km=15)
    >>> float(vehicle_columns([v])["electricity_consumption_wh_per_km"][0])
    150.0
    """
    cols: Columns = {}
    for name in NUMERIC_INPUTS:
        raw = [getattr(v, name) for v in vehicles]
        cols[name] = np.array([np.nan if x is None else float(x) for x in raw], dtype=np.float64)
    for name in CATEGORICAL_INPUTS:
        raw = [getattr(v, name) for v in vehicles]
        cols[name] = np.array(["" if x is None else str(getattr(x, "value", x)) for x in raw], dtype=object)
    for name in RULE_ONLY_INPUTS:
        cols[name] = np.full(len(vehicles), "", dtype=object)
    for name in RULE_ONLY_NUMERIC_INPUTS:
        cols[name] = np.full(len(vehicles), np.nan)
    no_tailpipe = np.isin(cols["powertrain"], ["BEV", "FCEV"])
    for name in _ZERO_TAILPIPE:
        cols[name] = np.where(no_tailpipe & np.isnan(cols[name]), 0.0, cols[name])
    add_derived(cols)
    return cols


def derived_column(cols: Columns, name: str) -> npt.NDArray[np.float64] | None:
    """One derived column computed from its spec field, or ``None`` if that field is absent."""
    source = DERIVED_FROM.get(name)
    if source is None or source not in cols:
        return None
    raw = np.asarray(cols[source], dtype=np.float64)
    if name == "fuel_economy_km_per_l":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(raw > 0, 100.0 / raw, np.nan)
    return raw * 10.0


def add_derived(cols: Columns) -> None:
    """Add the derived unit-conversion columns in place (where their sources are present)."""
    if "fuel_consumption_l_per_100km" in cols:
        fc = np.asarray(cols["fuel_consumption_l_per_100km"], dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            cols["fuel_economy_km_per_l"] = np.where(fc > 0, 100.0 / fc, np.nan)
    if "electricity_consumption_kwh_per_100km" in cols:
        cols["electricity_consumption_wh_per_km"] = (
            np.asarray(cols["electricity_consumption_kwh_per_100km"], dtype=np.float64) * 10.0
        )


def as_columns(vehicles: Sequence[VehicleSpec] | Mapping[str, npt.ArrayLike]) -> tuple[Columns, int]:
    """Columns and vehicle count from either specs or ready-made columns (copied, arrays)."""
    if isinstance(vehicles, Mapping):
        cols: Columns = {}
        for key, value in vehicles.items():
            arr = np.asarray(value)
            if arr.dtype.kind in "iub":
                arr = arr.astype(np.float64)
            cols[key] = np.atleast_1d(arr)
        lengths = {len(v) for v in cols.values()}
        n = max(lengths) if lengths else 0
        if any(length not in (1, n) for length in lengths):
            raise ValueError(f"all vehicle columns must have the same length, got lengths {sorted(lengths)}")
        cols = {k: (np.repeat(v, n) if len(v) == 1 and n > 1 else v) for k, v in cols.items()}
        return cols, n  # derived columns are computed on first use (Context.column)
    specs = list(vehicles)
    return vehicle_columns(specs), len(specs)


def is_missing(arr: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Where a column has no value (NaN for numbers, ``""`` for codes)."""
    if arr.dtype.kind == "f":
        result: npt.NDArray[np.bool_] = np.isnan(arr)
        return result
    return np.asarray(arr == "", dtype=np.bool_)


def numeric(arr: npt.NDArray[Any]) -> FloatArray:
    """A column as float64."""
    return np.asarray(arr, dtype=np.float64)
