"""Read the packaged reference data (Frictionless Data Package) into :class:`ReferenceTables`.

This is the only place the engine's factors are read from disk.  The package
lives in ``roadcarbon/data/factors`` (``datapackage.json`` + CSV); its
``version`` is reported with every result as ``data_version``.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from roadcarbon.countries import to_alpha2
from roadcarbon.engine.tables import (
    SELECTORS,
    FuelBlend,
    GridProjection,
    GridTrajectory,
    ParameterRow,
    ReferenceTables,
)
from roadcarbon.errors import DataError
from roadcarbon.types import FloatArray, IntArray


def package_path() -> Path:
    """Folder of the packaged reference data."""
    return Path(str(resources.files("roadcarbon") / "data" / "factors"))


def projections_path() -> Path:
    """Folder of the packaged grid-projection data package."""
    return Path(str(resources.files("roadcarbon") / "data" / "projections"))


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise DataError(f"reference table missing: {path.name}", field=path.name)
    with path.open(newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in csv.DictReader(fh)]


def _float(text: str, where: str) -> float | None:
    if text == "":
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise DataError(f"{where}: {text!r} is not a number", field=where) from exc


def _required_float(text: str, where: str) -> float:
    value = _float(text, where)
    if value is None:
        raise DataError(f"{where}: value is missing", field=where)
    return value


def parse_parameters(rows: list[dict[str, str]]) -> dict[str, tuple[ParameterRow, ...]]:
    """Rows of ``parameters.csv`` → rows grouped by parameter name."""
    grouped: dict[str, list[ParameterRow]] = defaultdict(list)
    for n, row in enumerate(rows, start=2):
        where = f"parameters.csv line {n}"
        name = row.get("parameter", "")
        if not name:
            raise DataError(f"{where}: parameter name is missing", field="parameter")
        region = row.get("region", "")
        selectors = tuple(
            (k, to_alpha2(region) if k == "region" and region else row.get(k, "")) for k in SELECTORS
        )
        year = _float(row.get("year", ""), f"{where} year")
        grouped[name].append(
            ParameterRow(
                parameter=name,
                selectors=selectors,
                value=_required_float(row.get("value", ""), f"{where} value"),
                unit=row.get("unit", ""),
                distribution=row.get("distribution", "") or "none",
                low=_float(row.get("low", ""), f"{where} low"),
                high=_float(row.get("high", ""), f"{where} high"),
                year=int(year) if year is not None else None,
                source_id=row.get("source_id", ""),
                locator=row.get("locator", ""),
                assumption=row.get("assumption", "").lower() in {"true", "1", "yes"},
                reason=row.get("reason", ""),
            )
        )
    return {k: tuple(v) for k, v in grouped.items()}


def _yearly_series(
    rows: list[dict[str, str]], table: str, key_column: str, value_column: str
) -> dict[tuple[str, str], tuple[IntArray, FloatArray]]:
    """Rows keyed by (key_column, country, year) → sorted (years, values) per (key, alpha-2 country)."""
    points: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for n, row in enumerate(rows, start=2):
        where = f"{table} line {n}"
        key = (row[key_column], to_alpha2(row["country"]))
        year = int(_required_float(row["year"], f"{where} year"))
        if year in points[key]:
            raise DataError(f"{where}: duplicate {key} {year}", field=table)
        points[key][year] = _required_float(row[value_column], f"{where} {value_column}")
    out = {}
    for key, by_year in points.items():
        years = np.array(sorted(by_year), dtype=np.int64)
        out[key] = (years, np.array([by_year[int(y)] for y in years], dtype=np.float64))
    return out


def parse_grid(rows: list[dict[str, str]]) -> dict[tuple[str, str], GridTrajectory]:
    """Rows of ``grid_intensity.csv`` → one trajectory per (series, country)."""
    series = _yearly_series(rows, "grid_intensity.csv", "series", "g_co2e_per_kwh")
    return {(s, c): GridTrajectory(c, s, years, values) for (s, c), (years, values) in series.items()}


def parse_projections(rows: list[dict[str, str]]) -> dict[tuple[str, str], GridProjection]:
    """Rows of ``grid_projection.csv`` → one index trajectory per (scenario, country)."""
    series = _yearly_series(rows, "grid_projection.csv", "scenario", "intensity_index")
    return {(s, c): GridProjection(c, s, years, values) for (s, c), (years, values) in series.items()}


def _fractional_year(text: str, where: str) -> float:
    """``YYYY-MM-DD`` -> calendar year plus the elapsed share of it (1 January = .0)."""
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise DataError(f"{where}: {text!r} is not a date (YYYY-MM-DD)", field=where) from exc
    start, end = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    return day.year + (day - start).days / (end - start).days


def parse_fuel_blends(rows: list[dict[str, str]]) -> dict[tuple[str, str], FuelBlend]:
    """Rows of ``fuel_blends.csv`` -> one blend per (alpha-2 country, fuel), dates increasing."""
    points: dict[tuple[str, str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for n, row in enumerate(rows, start=2):
        where = f"fuel_blends.csv line {n}"
        key = (to_alpha2(row["country"]), row["fuel"], row["bio_component"])
        share = _required_float(row["bio_share_volume"], f"{where} bio_share_volume")
        if not 0.0 <= share <= 1.0:
            raise DataError(f"{where}: bio_share_volume {share} is not in [0, 1]", field="fuel_blends.csv")
        points[key].append(
            (_fractional_year(row["valid_from"], f"{where} valid_from"), share, row["source_id"])
        )
    out: dict[tuple[str, str], FuelBlend] = {}
    for (country, fuel, bio), pts in points.items():
        if (country, fuel) in out:
            raise DataError(
                f"fuel_blends.csv: two bio components for {country} {fuel}", field="fuel_blends.csv"
            )
        pts.sort()
        years = np.array([p[0] for p in pts], dtype=np.float64)
        if np.any(np.diff(years) <= 0):
            raise DataError(f"fuel_blends.csv: duplicate date for {country} {fuel}", field="fuel_blends.csv")
        out[(country, fuel)] = FuelBlend(
            country, fuel, bio, years, np.array([p[1] for p in pts]), tuple(p[2] for p in pts)
        )
    return out


@lru_cache(maxsize=4)
def load_reference(path: str | None = None, projections: str | None = None) -> ReferenceTables:
    """Load the reference data package (cached; the tables are immutable).

    Parameters
    ----------
    path
        Folder holding ``datapackage.json``; the packaged data by default.
    projections
        Folder of the grid-projection package (``grid_projection.csv``, and
        its ``datapackage.json``: ``default_scenarios`` in order of preference); the packaged one by default when ``path`` is the default.
    """
    root = Path(path) if path else package_path()
    descriptor_path = root / "datapackage.json"
    if not descriptor_path.exists():
        raise DataError(f"no datapackage.json in {root}", field="datapackage")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    td: dict[str, dict[str, float]] = {}
    for n, row in enumerate(_rows(root / "td_losses.csv"), start=2):
        levels = {}
        for level in ("lv", "mv", "hv"):
            value = _float(row.get(f"{level}_multiplier", ""), f"td_losses.csv line {n} {level}_multiplier")
            if value is not None:
                levels[level] = value
        td[to_alpha2(row["country"])] = levels
    uf_rows = sorted(
        (
            _required_float(r["electric_range_km"], "electric_range_km"),
            _required_float(r["utility_factor"], "utility_factor"),
        )
        for r in _rows(root / "phev_utility_factor.csv")
    )
    sources = {r["source_id"]: r for r in _rows(root / "sources.csv")}
    scenario_index: dict[tuple[str, str], GridProjection] = {}
    default_projections: tuple[str, ...] = ()
    proj_root = Path(projections) if projections else (projections_path() if path is None else None)
    if proj_root is not None and (proj_root / "datapackage.json").exists():
        scenario_index = parse_projections(_rows(proj_root / "grid_projection.csv"))
        proj_descriptor = json.loads((proj_root / "datapackage.json").read_text(encoding="utf-8"))
        default_projections = tuple(str(x) for x in proj_descriptor.get("default_scenarios", []))
    return ReferenceTables(
        version=str(descriptor.get("version", "unversioned")),
        parameters=parse_parameters(_rows(root / "parameters.csv")),
        grid=parse_grid(_rows(root / "grid_intensity.csv")),
        td_multipliers=td,
        phev_range_km=np.array([r for r, _ in uf_rows], dtype=np.float64),
        phev_utility_factor=np.array([u for _, u in uf_rows], dtype=np.float64),
        sources=sources,
        projections=scenario_index,
        default_projections=default_projections,
        fuel_blends=parse_fuel_blends(_rows(root / "fuel_blends.csv"))
        if (root / "fuel_blends.csv").exists()
        else {},
    )
