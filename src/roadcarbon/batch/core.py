"""One partition of a registry file through the engine and the rule library (pure pandas/numpy, no I/O).

A partition is a :class:`pandas.DataFrame` with one row per vehicle (or per model with a ``count``
column).  Columns:

- ``country`` (required): country of use, alpha-2, alpha-3 or English name;
- ``registration_date`` (ISO date) or ``year``: first year of use (the life-cycle year) and the date
  each scheme is evaluated on (``year`` alone: 1 January of that year);
- ``preset`` (a packaged preset id) and/or any :class:`~roadcarbon.specs.VehicleSpec` field
  (``segment``, ``powertrain``, ``curb_mass_kg`` ...); spec columns given override the preset;
- ``count`` (optional): vehicles this row stands for (≥ 0); the fleet total is per-vehicle × count.

Every distinct spec is validated once, every distinct (spec, country, year) assessed once and every
distinct (spec, date) evaluated once per scheme, then broadcast to the rows.  A row that cannot be
assessed is *rejected* with its reason, never dropped: its output row has ``status = rejected``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from roadcarbon.countries import to_alpha2
from roadcarbon.engine import assess
from roadcarbon.engine.tables import ReferenceTables
from roadcarbon.errors import RoadcarbonError, SpecError
from roadcarbon.io.specs import load_preset, spec_from_mapping
from roadcarbon.rules import evaluate
from roadcarbon.rules.registry import Library
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import STAGES

SPEC_FIELDS: tuple[str, ...] = tuple(f for f in VehicleSpec.model_fields if f != "sources")
"""Input columns read as vehicle spec fields."""

RESULT_COLUMNS: tuple[str, ...] = (
    "total_g_co2e_per_km",
    "total_t_co2e",
    "fleet_total_t_co2e",
    "lifetime_km",
    *(f"{s}_g_co2e_per_km" for s in STAGES),
)
"""Life-cycle result columns (per vehicle; ``fleet_total_t_co2e`` = ``total_t_co2e`` × ``count``)."""


@dataclass(frozen=True)
class BatchOptions:
    """What to compute for every row.

    Attributes
    ----------
    schemes
        Scheme ids of the rule library evaluated per row (``{id}.{outcome key}`` columns).
    samples
        Monte Carlo samples per distinct set-up (p05/p50/p95 columns), or ``None``.
    seed
        Seed of the Monte Carlo draws; partition ``i`` uses ``(seed, i)`` so a run is reproducible
        whatever the scheduler.
    """

    schemes: tuple[str, ...] = ()
    samples: int | None = None
    seed: int = 0


@functools.cache
def _preset(preset_id: str) -> dict[str, Any]:
    return load_preset(preset_id).model_dump(exclude_none=True)


@functools.cache
def _country(value: str) -> str:
    return to_alpha2(value, field="country")


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _spec(values: dict[str, object]) -> VehicleSpec:
    preset = values.pop("preset", None)
    data: dict[str, object] = {}
    if preset is not None:
        try:
            data.update(_preset(str(preset).strip()))
        except SpecError as exc:
            raise SpecError(exc.message, field="preset") from None
    data.update({k: v for k, v in values.items() if v is not None})
    data.setdefault("name", str(preset) if preset else "registry vehicle")
    return spec_from_mapping(data, field="row")


def _date(value: object, *, year_only: bool) -> dt.date:
    if year_only:
        try:
            y = float(value)  # type: ignore[arg-type]
        except ValueError:
            raise SpecError(f"must be a whole year (got {value!r})", field="year") from None
        if not y.is_integer():
            raise SpecError(f"must be a whole year (got {value!r})", field="year")
        return dt.date(int(y), 1, 1)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise SpecError(
            f"must be an ISO date YYYY-MM-DD (got {value!r})", field="registration_date"
        ) from None


def _codes(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group ids of the distinct value combinations of ``columns`` (first appearance order)."""
    if not columns:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=[0])
    grouped = frame.groupby(list(columns), dropna=False, sort=False)
    ids = grouped.ngroup().to_numpy()
    # drop_duplicates keeps the first row of each group in order; ngroup numbers groups in that order
    firsts = frame.drop_duplicates(list(columns))
    return ids, firsts.reset_index(drop=True)


def process_partition(
    frame: pd.DataFrame,
    tables: ReferenceTables,
    library: Library | None,
    options: BatchOptions,
    number: int = 0,
) -> pd.DataFrame:
    """Assess every row of one partition.

    Parameters
    ----------
    frame
        The partition (columns as in the module docstring).
    tables
        Reference data.
    library
        The rule library (required when ``options.schemes`` is not empty).
    options
        Schemes and samples.
    number
        Partition number (seeds its Monte Carlo draws).

    Returns
    -------
    pandas.DataFrame
        One row per input row, same order: ``status`` (``ok``/``rejected``), ``reason``, ``count``,
        ``country``, ``year``, the :data:`RESULT_COLUMNS`, quantile columns with samples, and one
        column per scheme outcome key (``{scheme}.{key}``; ``{scheme}.error`` when the scheme
        cannot evaluate that vehicle).
    """
    n = len(frame)
    frame = frame.reset_index(drop=True)
    reason = np.full(n, None, dtype=object)

    def reject(mask: np.ndarray, why: str) -> None:
        reason[mask & (reason == None)] = why  # noqa: E711 (element-wise)

    # count
    if "count" in frame.columns:
        count = pd.to_numeric(frame["count"], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(count) | (count < 0) | (count != np.floor(count))
        reject(bad, "count: must be a whole number >= 0")
        count = np.where(bad, 0.0, count)
    else:
        count = np.ones(n)

    # country
    if "country" not in frame.columns:
        raise SpecError("the input has no country column", field="country")
    country = np.full(n, "", dtype=object)
    raw_country = frame["country"].astype("string").fillna("")
    for value, idx in raw_country.groupby(raw_country, sort=False).indices.items():
        try:
            country[idx] = _country(str(value))
        except RoadcarbonError as exc:
            reject(np.isin(np.arange(n), idx), str(exc))

    # date
    year_only = "registration_date" not in frame.columns
    if year_only and "year" not in frame.columns:
        raise SpecError("the input needs a registration_date or a year column", field="registration_date")
    date_col = frame["year" if year_only else "registration_date"]
    dates = np.full(n, None, dtype=object)
    for value, idx in (
        date_col.astype("string")
        .fillna("")
        .groupby(date_col.astype("string").fillna(""), sort=False)
        .indices.items()
    ):
        mask = np.isin(np.arange(n), idx)
        try:
            if not value:
                raise SpecError("is required", field="year" if year_only else "registration_date")
            dates[idx] = _date(value, year_only=year_only)
        except (RoadcarbonError, ValueError) as exc:
            reject(mask, str(exc))
    years = np.array([d.year if d is not None else 0 for d in dates], dtype=np.int64)

    # specs: validated once per distinct combination of spec columns
    spec_cols = [c for c in ("preset", *SPEC_FIELDS) if c in frame.columns]
    if not spec_cols:
        raise SpecError("the input has no preset and no vehicle spec columns", field="preset")
    spec_id, distinct = _codes(frame, spec_cols)
    specs: list[VehicleSpec | None] = []
    for values in distinct[spec_cols].to_dict("records"):
        try:
            specs.append(_spec({k: _clean(v) for k, v in values.items()}))
        except RoadcarbonError as exc:
            specs.append(None)
            reject(spec_id == len(specs) - 1, str(exc))

    # life cycle: one assess() per (country, year), distinct specs only
    out: dict[str, np.ndarray] = {c: np.full(n, np.nan) for c in RESULT_COLUMNS}
    quantiles = (
        {f"total_g_co2e_per_km_{q}": np.full(n, np.nan) for q in ("p05", "p50", "p95")}
        if options.samples
        else {}
    )
    rng = np.random.default_rng([options.seed, number])
    ok = reason == None  # noqa: E711
    key = pd.DataFrame({"c": country, "y": years, "s": spec_id})[ok]
    for (c, y), group in key.groupby(["c", "y"], sort=False):
        rows_of = group.groupby("s", sort=False).indices
        todo = list(rows_of)
        while todo:
            vehicles = [specs[s] for s in todo]
            try:
                a = assess(
                    vehicles,  # type: ignore[arg-type]
                    [str(c)],
                    [int(y)],
                    tables,
                    samples=options.samples,
                    rng=rng if options.samples else None,
                )
            except SpecError as exc:
                field = exc.field or ""
                if field.startswith("vehicles[") or field.startswith("vehicle"):
                    i = int(field[9 : field.index("]")]) if field.startswith("vehicles[") else 0
                    bad_rows = group.index.to_numpy()[rows_of[todo[i]]]
                    reason[bad_rows] = str(exc).replace(field.split(".")[0], "row", 1)
                    todo.pop(i)
                    continue
                reason[group.index.to_numpy()] = str(exc)
                break
            except RoadcarbonError as exc:
                reason[group.index.to_numpy()] = str(exc)
                break
            r = a.result
            per_km = r.stages_g_co2e_per_km
            values = {
                "total_g_co2e_per_km": r.total_g_co2e_per_km,
                "total_t_co2e": r.total_kg_co2e / 1000.0,
                "lifetime_km": r.lifetime_km,
                **{f"{s}_g_co2e_per_km": per_km[s] for s in STAGES},
            }
            if a.uncertainty is not None:
                for j, q in enumerate(("p05", "p50", "p95")):
                    values[f"total_g_co2e_per_km_{q}"] = a.uncertainty.total_g_co2e_per_km[j]
            target = {**out, **quantiles}
            for j, s in enumerate(todo):
                rows = group.index.to_numpy()[rows_of[s]]
                for name, v in values.items():
                    target[name][rows] = v[j]
            break
    out["fleet_total_t_co2e"] = out["total_t_co2e"] * count

    result = pd.DataFrame(
        {
            "status": np.where(reason == None, "ok", "rejected"),  # noqa: E711
            "reason": pd.array(reason, dtype="string"),
            "count": count.astype(np.int64),
            "country": pd.array(country, dtype="string"),
            "year": years,
            **out,
            **quantiles,
        }
    )

    # schemes: once per distinct (spec, date)
    if options.schemes:
        if library is None:
            raise SpecError("a rule library is needed to evaluate schemes", field="schemes")
        ok = (reason == None) & (np.array([s is not None for s in specs], dtype=bool)[spec_id])  # noqa: E711
        pairs = pd.DataFrame({"s": spec_id, "d": dates})[ok]
        for scheme_id in options.schemes:
            scheme = library.schemes[scheme_id]
            columns: dict[str, np.ndarray] = {}
            for d, group in pairs.groupby("d", sort=False):
                rows_of = group.groupby("s", sort=False).indices
                order = list(rows_of)
                outcomes = _evaluate(scheme, [specs[s] for s in order], d, library)  # type: ignore[misc]
                for j, s in enumerate(order):
                    rows = group.index.to_numpy()[rows_of[s]]
                    for k, v in outcomes[j].items():
                        columns.setdefault(k, np.full(n, None, dtype=object))[rows] = v
            for k, v in columns.items():
                result[f"{scheme_id}.{k}"] = _typed(v)
    return result


def _typed(values: np.ndarray) -> pd.Series:
    """An outcome column with one type (boolean, float64 or string), so every partition has the same schema."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(pd.array(values, dtype="boolean"))
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pd.Series(np.array([np.nan if v is None else v for v in values], dtype=float))
    return pd.Series(pd.array([None if v is None else str(v) for v in values], dtype="string"))


def _scalar(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _evaluate(
    scheme: Any, specs: list[VehicleSpec], on: dt.date, library: Library
) -> list[dict[str, object]]:
    """Simple (scalar) outcome keys per spec; a vehicle the scheme cannot read gets ``error``."""
    try:
        res = evaluate(scheme, specs, on, library=library)
    except RoadcarbonError as exc:
        if len(specs) == 1:
            return [{"error": str(exc)}]
        return [row for spec in specs for row in _evaluate(scheme, [spec], on, library)]
    rows: list[dict[str, object]] = [{} for _ in specs]
    for key, value in res.outcome.items():
        if isinstance(value, np.ndarray) and value.shape == (len(specs),):
            for j in range(len(specs)):
                rows[j][key] = _scalar(value[j])
        elif isinstance(value, (str, int, float, bool, np.generic)) or value is None:
            for j in range(len(specs)):
                rows[j][key] = _scalar(value)
    return rows


__all__ = ["RESULT_COLUMNS", "SPEC_FIELDS", "BatchOptions", "process_partition"]
