"""Validate the reference-data package (``roadcarbon/data/factors``) and the vehicle presets.

:func:`validate_package` runs the Frictionless schema validation of every
resource declared in ``datapackage.json`` and then the checks Frictionless
cannot do:

* every ``source_id`` (tables and presets) is in ``sources.csv``;
* every parameter is in the quantities registry (``roadcarbon/data/quantities.csv``)
  and each row uses the registry unit;
* ``assumption=true`` rows give a ``reason``;
* ``low <= value <= high``; distributions are known and have the bounds they need;
* no two equally specific rows of one parameter can match the same vehicle;
* country codes are ISO 3166-1 alpha-2; T&D multipliers are ordered HV <= MV <= LV;
* the PHEV utility-factor curve is non-decreasing;
* every preset validates as :class:`~roadcarbon.specs.VehicleSpec` and cites known sources;
* every parameter the engine needs resolves for every segment x powertrain x
  chemistry x test cycle combination (:data:`COVERAGE_POWERTRAINS`);
* every shipped grid intensity is plausible against the generation mix
  (:func:`grid_plausibility_problems`).

Nothing here raises on bad data: each finding is a :class:`Problem`.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import yaml
from pydantic import ValidationError

from roadcarbon.engine.inputs import needed_parameters
from roadcarbon.engine.tables import DISTRIBUTIONS, SELECTORS, most_specific
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import GwpMetric, TestCycle

COVERAGE_SEGMENTS: tuple[str, ...] = ("small", "medium", "large", "suv", "bus_12m")
COVERAGE_POWERTRAINS: tuple[tuple[str, str], ...] = (
    ("ICEV", "petrol"),
    ("ICEV", "diesel"),
    ("ICEV", "cng"),
    ("HEV", "petrol"),
    ("PHEV", "petrol"),
    ("BEV", "electricity"),
    ("FCEV", "hydrogen"),
)
"""(powertrain, fuel) pairs every segment must resolve for."""
COVERAGE_CHEMISTRIES: tuple[str, ...] = ("NMC", "LFP", "NCA")
COVERAGE_CYCLES: tuple[str, ...] = tuple(c.value for c in TestCycle)
COVERAGE_GWP: tuple[str, ...] = tuple(m.value for m in GwpMetric)
GLOBAL_PARAMETERS: tuple[str, ...] = ("grid_intensity_relative_uncertainty",)
"""Factors with one value for all vehicles (read by the Monte Carlo, not per vehicle)."""

GRID_PLAUSIBILITY_REL_TOL = 0.40
"""Relative tolerance of the grid plausibility check [1] (see :func:`grid_plausibility_problems`)."""
GRID_PLAUSIBILITY_ABS_TOL_G_PER_KWH = 100.0
"""Absolute tolerance of the grid plausibility check [g CO2e/kWh]."""
GRID_PLAUSIBILITY_EXCEPTIONS: dict[tuple[str, int, str], str] = {}
"""Shipped grid values allowed to fail the plausibility check: ``(country, year, series) -> reason``.

Empty: every value that failed was left out and listed in ``excluded.csv``.
"""

_PRESET_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_COUNTRY_COLUMNS = {"grid_intensity": "country", "grid_mix": "country", "td_losses": "country"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the validator.

    Attributes
    ----------
    resource
        Table name (``parameters``), ``datapackage`` or ``presets/<id>.yaml``.
    row
        Line number in the file (header = 1), if the finding is about one row.
    field
        Column or spec field concerned, if any.
    check
        Which check found it (``schema``, ``source``, ``unit``, ``assumption``,
        ``bounds``, ``distribution``, ``ambiguity``, ``country``, ``preset``,
        ``coverage``, ``plausibility``, ``consistency``).
    message
        One line saying what is wrong and what was expected.
    """

    resource: str
    row: int | None
    field: str | None
    check: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return asdict(self)

    def __str__(self) -> str:
        where = (
            self.resource
            + (f" line {self.row}" if self.row else "")
            + (f" [{self.field}]" if self.field else "")
        )
        return f"{where}: {self.message} ({self.check})"


def default_package_path() -> Path:
    """Folder of the packaged reference data (``roadcarbon/data/factors``)."""
    return Path(str(resources.files("roadcarbon") / "data" / "factors"))


def default_quantities_path() -> Path:
    """The quantities registry (``roadcarbon/data/quantities.csv``)."""
    return Path(str(resources.files("roadcarbon") / "data" / "quantities.csv"))


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as stripped strings (missing file: empty list)."""
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {k: (v or "").strip() for k, v in row.items() if k is not None} for row in csv.DictReader(handle)
        ]


def load_quantities(path: Path | None = None) -> dict[str, frozenset[str]]:
    """Allowed unit strings per quantity name from the registry (``unit`` may list ``a|b``)."""
    rows = read_table(path or default_quantities_path())
    return {r["name"]: frozenset(u.strip() for u in r["unit"].split("|")) for r in rows if r.get("name")}


def package_summary(path: str | Path | None = None) -> tuple[int, int]:
    """Number of resources and of data rows in the package."""
    root = Path(path) if path else default_package_path()
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources_ = descriptor.get("resources", [])
    rows = sum(len(read_table(root / str(r.get("path", "")))) for r in resources_)
    return len(resources_), rows


def validate_package(
    path: str | Path | None = None,
    *,
    presets: str | Path | None = None,
    quantities: str | Path | None = None,
) -> list[Problem]:
    """Validate the reference-data package and the vehicle presets.

    Parameters
    ----------
    path
        Folder holding ``datapackage.json``; the packaged ``roadcarbon/data/factors`` by default.
    presets
        Folder of preset YAML files; ``<path>/../presets`` by default (skipped if absent).
    quantities
        Quantities registry CSV; ``<path>/../quantities.csv`` if present, else the packaged one.

    Returns
    -------
    list of Problem
        Empty when the package is clean.
    """
    root = Path(path) if path else default_package_path()
    descriptor_path = root / "datapackage.json"
    if not descriptor_path.is_file():
        return [Problem("datapackage", None, None, "schema", f"no datapackage.json in {root}")]
    problems: list[Problem] = list(_frictionless_problems(descriptor_path))

    tables = {name: read_table(root / f"{name}.csv") for name in _resource_names(descriptor_path)}
    sources = {r.get("source_id", "") for r in tables.get("sources", [])}
    problems += _source_problems(tables, sources)
    problems += _country_problems(tables)
    qpath = Path(quantities) if quantities else (root.parent / "quantities.csv")
    registry = load_quantities(qpath if qpath.is_file() else None)
    params = tables.get("parameters", [])
    problems += _parameter_row_problems(params, registry)
    problems += _assumption_problems("td_losses", tables.get("td_losses", []))
    problems += _ambiguity_problems(params)
    problems += coverage_problems(params)
    problems += _td_problems(tables.get("td_losses", []))
    problems += _uf_problems(tables.get("phev_utility_factor", []))
    problems += _excluded_problems(tables)
    problems += grid_plausibility_problems(
        tables.get("grid_intensity", []), tables.get("grid_mix", []), tables.get("generation_lca_factors", [])
    )
    preset_dir = Path(presets) if presets else root.parent / "presets"
    if preset_dir.is_dir():
        problems += preset_problems(preset_dir, sources)
    return problems


# ---------------------------------------------------------------------------------------------
# frictionless
# ---------------------------------------------------------------------------------------------


def _resource_names(descriptor_path: Path) -> list[str]:
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return []
    return [str(r.get("name")) for r in descriptor.get("resources", []) if r.get("name")]


def _frictionless_problems(descriptor_path: Path) -> Iterable[Problem]:
    """Schema validation of every resource (types, constraints, primary keys).

    Foreign-key errors are left to :func:`_source_problems`, which names the missing id.
    """
    import frictionless  # heavy import, only when validating

    try:
        report = frictionless.validate(str(descriptor_path))
    except Exception as exc:  # frictionless raises many exception types on a broken descriptor
        yield Problem("datapackage", None, None, "schema", f"cannot validate: {exc}")
        return
    for error in report.errors:
        yield Problem("datapackage", None, None, "schema", str(error.message))
    for task in report.tasks:
        for error in task.errors:
            if error.type == "foreign-key":
                continue
            yield Problem(
                str(task.name),
                getattr(error, "row_number", None),
                getattr(error, "field_name", None),
                "schema",
                str(error.message),
            )


# ---------------------------------------------------------------------------------------------
# row checks
# ---------------------------------------------------------------------------------------------


def _source_problems(tables: dict[str, list[dict[str, str]]], sources: set[str]) -> Iterable[Problem]:
    for name, rows in tables.items():
        if name == "sources":
            continue
        for n, row in enumerate(rows, start=2):
            if "source_id" in row and row["source_id"] not in sources:
                yield Problem(
                    name, n, "source_id", "source", f"source_id {row['source_id']!r} is not in sources.csv"
                )


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code (upper case)."""
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def _country_problems(tables: dict[str, list[dict[str, str]]]) -> Iterable[Problem]:
    for name, column in _COUNTRY_COLUMNS.items():
        for n, row in enumerate(tables.get(name, []), start=2):
            if not is_country(row.get(column, "")):
                yield Problem(
                    name, n, column, "country", f"{row.get(column, '')!r} is not an ISO 3166-1 alpha-2 code"
                )
    for n, row in enumerate(tables.get("parameters", []), start=2):
        region = row.get("region", "")
        if region and not is_country(region):
            yield Problem(
                "parameters", n, "region", "country", f"{region!r} is not an ISO 3166-1 alpha-2 code"
            )


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parameter_row_problems(
    rows: Sequence[dict[str, str]], registry: dict[str, frozenset[str]]
) -> Iterable[Problem]:
    for n, row in enumerate(rows, start=2):
        name = row.get("parameter", "")
        allowed = registry.get(name)
        if allowed is None:
            yield Problem("parameters", n, "parameter", "unit", f"{name!r} is not in the quantities registry")
        elif row.get("unit", "") not in allowed:
            expected = " or ".join(sorted(allowed))
            yield Problem(
                "parameters", n, "unit", "unit", f"{name}: unit {row.get('unit', '')!r}; expected {expected}"
            )
        yield from _assumption_problems("parameters", [row], start=n)
        yield from _distribution_problems(n, row)


def _assumption_problems(table: str, rows: Sequence[dict[str, str]], *, start: int = 2) -> Iterable[Problem]:
    for n, row in enumerate(rows, start=start):
        if row.get("assumption", "").lower() == "true" and not row.get("reason", ""):
            yield Problem(
                table,
                n,
                "reason",
                "assumption",
                "assumption=true needs a reason (derivation or bracketing sources)",
            )


def _distribution_problems(n: int, row: dict[str, str]) -> Iterable[Problem]:
    value = _number(row.get("value", ""))
    low = _number(row["low"]) if row.get("low") else None
    high = _number(row["high"]) if row.get("high") else None
    dist = row.get("distribution", "") or "none"
    name = row.get("parameter", "")
    if value is None:
        yield Problem(
            "parameters", n, "value", "bounds", f"{name}: value {row.get('value', '')!r} is not a number"
        )
        return
    if low is not None and low > value:
        yield Problem(
            "parameters",
            n,
            "low",
            "bounds",
            f"{name}: low {low:g} > value {value:g}; expected low <= value <= high",
        )
    if high is not None and high < value:
        yield Problem(
            "parameters",
            n,
            "high",
            "bounds",
            f"{name}: high {high:g} < value {value:g}; expected low <= value <= high",
        )
    if dist not in DISTRIBUTIONS:
        yield Problem(
            "parameters",
            n,
            "distribution",
            "distribution",
            f"{name}: unknown distribution {dist!r}; expected one of {', '.join(sorted(DISTRIBUTIONS))}",
        )
        return
    if dist == "none":
        return
    if low is None or high is None:
        yield Problem(
            "parameters", n, "distribution", "distribution", f"{name}: {dist} needs both low and high"
        )
        return
    if not low < high:
        yield Problem(
            "parameters",
            n,
            "distribution",
            "distribution",
            f"{name}: {dist} needs low < high (got {low:g}, {high:g})",
        )
    if dist in ("normal", "lognormal") and not low < value < high:
        yield Problem(
            "parameters",
            n,
            "distribution",
            "distribution",
            f"{name}: {dist} needs low < value < high (2.5 %/97.5 % quantiles)",
        )
    if dist == "lognormal" and low <= 0:
        yield Problem(
            "parameters",
            n,
            "distribution",
            "distribution",
            f"{name}: lognormal needs positive low, value and high",
        )


# ---------------------------------------------------------------------------------------------
# selector logic
# ---------------------------------------------------------------------------------------------


def _selectors(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row.get(k, "") for k in SELECTORS)


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True if some vehicle/place matches both selector tuples."""
    return all(x == y or not x or not y for x, y in zip(a, b, strict=True))


def _specificity(sel: tuple[str, ...]) -> int:
    return sum(1 for s in sel if s)


def _ambiguity_problems(rows: Sequence[dict[str, str]]) -> Iterable[Problem]:
    by_name: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for n, row in enumerate(rows, start=2):
        by_name.setdefault(row.get("parameter", ""), []).append((n, _selectors(row)))
    for name, entries in by_name.items():
        for (n1, s1), (n2, s2) in itertools.combinations(entries, 2):
            if _specificity(s1) == _specificity(s2) and _overlap(s1, s2):
                shown = (
                    ", ".join(f"{k}={v}" for k, v in zip(SELECTORS, s2, strict=True) if v) or "no selectors"
                )
                yield Problem(
                    "parameters",
                    n2,
                    "parameter",
                    "ambiguity",
                    f"{name}: row ({shown}) is as specific as line {n1} and both can match the same vehicle; make one more specific",
                )


def resolve(rows: Sequence[dict[str, str]], parameter: str, keys: dict[str, str]) -> dict[str, str] | None:
    """The most specific row of ``parameter`` matching ``keys`` (None if none or a tie).

    The engine's own rule (:func:`roadcarbon.engine.tables.most_specific`): a row matches when
    each non-empty selector equals the key; the row with most non-empty selectors wins.
    """
    return _resolve_in([r for r in rows if r.get("parameter") == parameter], keys)


def _resolve_in(group: Sequence[dict[str, str]], keys: dict[str, str]) -> dict[str, str] | None:
    best, tie = most_specific([tuple(zip(SELECTORS, _selectors(row), strict=True)) for row in group], keys)
    return None if best is None or tie else group[best]


def coverage_problems(rows: Sequence[dict[str, str]]) -> list[Problem]:
    """Parameters that do not resolve for a required segment x powertrain x chemistry x cycle x GWP combination.

    Regions: every region named in a row, plus a country without any regional row.
    One problem per (parameter, first failing combination).
    """
    regions = sorted({r.get("region", "") for r in rows} | {""})
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        groups.setdefault(r.get("parameter", ""), []).append(r)
    used = {name: [k for k in SELECTORS if any(r.get(k) for r in group)] for name, group in groups.items()}
    cache: dict[tuple[str, tuple[str, ...]], bool] = {}

    def resolves(parameter: str, keys: dict[str, str]) -> bool:
        signature = (parameter, tuple(keys.get(k, "") for k in used.get(parameter, ())))
        if signature not in cache:
            cache[signature] = _resolve_in(groups.get(parameter, []), keys) is not None
        return cache[signature]

    problems: list[Problem] = [
        Problem("parameters", None, name, "coverage", f"{name}: no single unselected row")
        for name in GLOBAL_PARAMETERS
        if _resolve_in(groups.get(name, []), {}) is None
    ]
    reported: set[str] = set()
    for segment, (powertrain, fuel), chemistry, cycle, region, gwp in itertools.product(
        COVERAGE_SEGMENTS, COVERAGE_POWERTRAINS, COVERAGE_CHEMISTRIES, COVERAGE_CYCLES, regions, COVERAGE_GWP
    ):
        base = {
            "segment": segment,
            "powertrain": powertrain,
            "fuel": fuel,
            "chemistry": chemistry,
            "test_cycle": cycle,
            "region": region,
            "gwp": gwp,
        }
        # the engine's own list of what this vehicle needs (every coverage case has a battery, as the
        # engine looks battery factors up for any vehicle that has one, HEVs included)
        needed: list[tuple[str, str, dict[str, str]]] = [
            (parameter, place, {**base, "fuel": "electricity"} if place == "use:electricity" else base)
            for _, parameter, place in needed_parameters(
                has_battery=True, has_fuel=powertrain != "BEV", electric=powertrain in ("BEV", "PHEV")
            )
        ]
        for parameter, place, keys in needed:
            tag = f"{parameter}|{place}"
            if tag in reported:
                continue
            if not resolves(parameter, keys):
                reported.add(tag)
                shown = ", ".join(f"{k}={v}" for k, v in keys.items() if v)
                problems.append(
                    Problem(
                        "parameters", None, parameter, "coverage", f"{parameter}: no unique row for {shown}"
                    )
                )
    return problems


# ---------------------------------------------------------------------------------------------
# other tables
# ---------------------------------------------------------------------------------------------


def _td_problems(rows: Sequence[dict[str, str]]) -> Iterable[Problem]:
    for n, row in enumerate(rows, start=2):
        lv, mv, hv = (_number(row.get(f"{k}_multiplier", "")) for k in ("lv", "mv", "hv"))
        if None not in (lv, mv, hv) and not (1.0 <= hv <= mv <= lv):  # type: ignore[operator]
            yield Problem(
                "td_losses",
                n,
                "lv_multiplier",
                "consistency",
                "expected 1 <= hv <= mv <= lv (losses accumulate down the voltage levels)",
            )


def _uf_problems(rows: Sequence[dict[str, str]]) -> Iterable[Problem]:
    points = sorted(
        (r, u)
        for r, u in (
            (_number(x.get("electric_range_km", "")), _number(x.get("utility_factor", ""))) for x in rows
        )
        if r is not None and u is not None
    )
    for (r1, u1), (r2, u2) in itertools.pairwise(points):
        if u2 < u1:
            yield Problem(
                "phev_utility_factor",
                None,
                "utility_factor",
                "consistency",
                f"utility factor falls from {u1:g} at {r1:g} km to {u2:g} at {r2:g} km; expected non-decreasing",
            )


def _excluded_problems(tables: dict[str, list[dict[str, str]]]) -> Iterable[Problem]:
    shipped = {
        f"{r.get('country')},{r.get('year')},{r.get('series')}" for r in tables.get("grid_intensity", [])
    }
    shipped |= {r.get("country", "") for r in tables.get("td_losses", [])}
    for n, row in enumerate(tables.get("excluded", []), start=2):
        if row.get("key", "") in shipped and row.get("table") in ("grid_intensity", "td_losses"):
            yield Problem(
                "excluded",
                n,
                "key",
                "consistency",
                f"{row.get('table')} {row.get('key')} is listed as excluded but is shipped",
            )


def implied_grid_intensity(
    mix_rows: Sequence[dict[str, str]], factor_rows: Sequence[dict[str, str]]
) -> dict[tuple[str, int], float]:
    """Intensity implied by each country-year generation mix [g CO2e/kWh].

    ``sum(share_t x factor_t) / sum(share_t)`` over the technologies of
    ``generation_lca_factors.csv`` (IPCC AR5 life-cycle medians).
    """
    factors = {
        r["technology"]: _number(r.get("g_co2e_per_kwh", "")) for r in factor_rows if r.get("technology")
    }
    out: dict[tuple[str, int], float] = {}
    for row in mix_rows:
        num = den = 0.0
        for tech, factor in factors.items():
            share = _number(row.get(f"{tech}_share", "") or "0")
            if share is None or factor is None:
                continue
            num += share * factor
            den += share
        year = _number(row.get("year", ""))
        if den > 0 and year is not None:
            out[(row.get("country", ""), int(year))] = num / den
    return out


def grid_plausibility_problems(
    grid_rows: Sequence[dict[str, str]],
    mix_rows: Sequence[dict[str, str]],
    factor_rows: Sequence[dict[str, str]],
    *,
    rel_tol: float = GRID_PLAUSIBILITY_REL_TOL,
    abs_tol_g_per_kwh: float = GRID_PLAUSIBILITY_ABS_TOL_G_PER_KWH,
    exceptions: dict[tuple[str, int, str], str] | None = None,
) -> list[Problem]:
    """Shipped grid intensities that deviate from the mix-implied intensity beyond the tolerance.

    A value passes when ``|value - implied| <= max(rel_tol x implied, abs_tol)``, with
    ``implied`` from the same year's mix (or the country's latest mix year if the value
    is later). Defaults: 40 % or 100 g/kWh (README: Ember's plant factors exceed the
    IPCC medians by up to ~30 %, a mix may be two years stale, hydro ranges 6-147 g/kWh).
    Values without any mix for their country fail.  Values from years before the country's
    first mix year (the 2010-2014 history spliced from OWID, see
    ``derivation/build_grid_history.py``) are not checked: a later mix says nothing about an
    earlier grid (Laos before its 2015 lignite plant is hydro at ~24 g/kWh).

    References
    ----------
    IPCC AR5 WG3 Annex III, Table A.III.2 (medians); Our World in Data share-elec-by-source.
    """
    allowed = GRID_PLAUSIBILITY_EXCEPTIONS if exceptions is None else exceptions
    implied = implied_grid_intensity(mix_rows, factor_rows)
    latest: dict[str, int] = {}
    earliest: dict[str, int] = {}
    for country, year in implied:
        latest[country] = max(latest.get(country, 0), year)
        earliest[country] = min(earliest.get(country, year), year)
    problems: list[Problem] = []
    for n, row in enumerate(grid_rows, start=2):
        country = row.get("country", "")
        year_f, value = _number(row.get("year", "")), _number(row.get("g_co2e_per_kwh", ""))
        if year_f is None or value is None:
            continue
        year, series = int(year_f), row.get("series", "")
        if (country, year, series) in allowed or year < earliest.get(country, year):
            continue
        mix_year = min(year, latest.get(country, 0))
        expected = implied.get((country, mix_year))
        if expected is None:
            problems.append(
                Problem(
                    "grid_intensity",
                    n,
                    "g_co2e_per_kwh",
                    "plausibility",
                    f"{country} {year} {series}: no generation mix to check against",
                )
            )
            continue
        tol = max(rel_tol * expected, abs_tol_g_per_kwh)
        if abs(value - expected) > tol:
            problems.append(
                Problem(
                    "grid_intensity",
                    n,
                    "g_co2e_per_kwh",
                    "plausibility",
                    f"{country} {year} {series}: {value:g} g/kWh vs {expected:.0f} implied by the {mix_year} mix (tolerance {tol:.0f})",
                )
            )
    return problems


# ---------------------------------------------------------------------------------------------
# presets
# ---------------------------------------------------------------------------------------------


def preset_problems(folder: Path, sources: set[str]) -> list[Problem]:
    """Each ``*.yaml`` preset validates as a VehicleSpec, has a kebab-case id and cites known sources."""
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        where = f"presets/{path.name}"
        if not _PRESET_ID.match(path.stem):
            problems.append(
                Problem(where, None, None, "preset", f"preset id {path.stem!r} is not kebab-case")
            )
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(Problem(where, None, None, "preset", f"not valid YAML: {exc}"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(where, None, None, "preset", "expected a mapping of spec fields"))
            continue
        try:
            spec = VehicleSpec.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first.get("loc", ()))
            msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
            problems.append(Problem(where, None, loc or None, "preset", msg))
            continue
        if not spec.sources:
            problems.append(
                Problem(where, None, "sources", "preset", "a preset needs at least one source id")
            )
        problems.extend(
            Problem(where, None, "sources", "source", f"source_id {sid!r} is not in sources.csv")
            for sid in spec.sources
            if sid not in sources
        )
    return problems
