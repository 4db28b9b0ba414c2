"""What the dashboard asks of the rest of roadcarbon, in one place.

The web layer is a thin client: every number it shows comes from the
service layer (``roadcarbon.services``), the preset loader
(``roadcarbon.io.specs``) and the rule library, never from its own queries or
factors.  The parts are imported lazily so the dashboard still starts (and
says which part is missing) in a build where one of them is absent.
"""

from __future__ import annotations

import contextlib
import importlib
from functools import lru_cache
from types import ModuleType
from typing import Any

from roadcarbon.errors import InputError
from roadcarbon.specs import VehicleSpec


class Unavailable(RuntimeError):
    """A part of roadcarbon that a page needs is not present in this build."""


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if exc.name and name.startswith(exc.name):
            raise Unavailable(f"{name} is not available in this build") from exc
        raise


def _attr(module: str, name: str) -> Any:
    found = getattr(_module(module), name, None)
    if found is None:
        raise Unavailable(f"{module}.{name} is not available in this build")
    return found


# --- vehicles -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def presets() -> dict[str, VehicleSpec]:
    """The shipped vehicle presets, by id (``roadcarbon.io.specs``)."""
    list_presets = _attr("roadcarbon.io.specs", "list_presets")
    load_vehicle = _attr("roadcarbon.io.specs", "load_vehicle")
    found: dict[str, VehicleSpec] = {}
    for item in list_presets():
        preset_id = item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else item.id
        found[str(preset_id)] = load_vehicle(str(preset_id))
    return found


def vehicle(preset_id: str) -> VehicleSpec:
    """The preset ``preset_id``; a :class:`~roadcarbon.errors.SpecError` naming the field when unknown."""
    from roadcarbon.errors import SpecError

    table = presets()
    if preset_id not in table:
        raise SpecError(f"unknown preset {preset_id!r}; expected one of: {', '.join(table)}", field="vehicle")
    return table[preset_id]


# --- life cycle ---------------------------------------------------------------------------------


def lca(
    spec: VehicleSpec,
    country: str,
    year: int,
    *,
    samples: int | None = None,
    seed: int | None = None,
    grid_series: str | None = None,
) -> dict[str, Any]:
    """The design contract's ``lca`` document for one vehicle (``services.assessment.lca_document``)."""
    lca_document = _attr("roadcarbon.services.assessment", "lca_document")
    result: dict[str, Any] = lca_document(
        spec, country, year, samples=samples, seed=seed, grid_series=grid_series
    )
    return result


YEARS: list[tuple[int, str]] = [(y, str(y)) for y in range(2021, 2031)]
"""Registration years offered in the selectors; the engine says when a year lies outside its data."""


def presets_summary() -> list[dict[str, str]]:
    """``[{id, name, powertrain, segment}]`` of the presets, passenger cars first."""
    rows = [
        {
            "id": pid,
            "name": spec.name,
            "powertrain": spec.powertrain.value,
            "segment": spec.segment.value,
            "category": spec.category.value,
        }
        for pid, spec in presets().items()
    ]
    rows.sort(key=lambda r: (r["category"] != "passenger_car", r["segment"], r["powertrain"], r["name"]))
    return rows


def default_pair() -> tuple[str, ...]:
    """The comparator's opening choice: a medium BEV and a medium petrol car, when presets have them."""
    table = presets()
    picks: list[str] = []
    # generic segment presets (ids "car-…") before named models
    order = sorted(table, key=lambda pid: (not pid.startswith("car-"), pid))
    for powertrain, fuel in (("BEV", "electricity"), ("ICEV", "petrol")):
        for pid in order:
            spec = table[pid]
            if (
                spec.powertrain.value == powertrain
                and spec.fuel.value == fuel
                and spec.segment.value == "medium"
            ):
                picks.append(pid)
                break
    return tuple(picks) if picks else tuple(list(table)[:2])


def country_name(code: str) -> str:
    """English short name of an ISO 3166-1 alpha-2 code (the code itself if unknown)."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return str(getattr(found, "common_name", None) or found.name) if found else code


@lru_cache(maxsize=4)
def lca_countries_codes(series: str = "production") -> tuple[str, ...]:
    """Countries with grid data in ``series`` (the engine's reference data), sorted by code."""
    load_reference = _attr("roadcarbon.io.reference", "load_reference")
    tables = load_reference()
    return tuple(sorted({country for (s, country) in tables.grid if str(s) == series}))


def lca_countries() -> list[tuple[str, str]]:
    """``[(code, "Name (CC)")]`` of the countries the engine covers, sorted by name."""
    codes = lca_countries_codes()
    return sorted(((c, f"{country_name(c)} ({c})") for c in codes), key=lambda item: item[1])


def data_version() -> str:
    """Version of the packaged reference data (the engine's ``data_version``)."""
    load_reference = _attr("roadcarbon.io.reference", "load_reference")
    return str(load_reference().version)


def compare(
    specs: list[VehicleSpec], country: str, year: int, *, grid_series: str | None = None
) -> dict[str, Any]:
    """The service's ``compare_document`` (cumulative curves and break-even distances)."""
    compare_document = _attr("roadcarbon.services.assessment", "compare_document")
    result: dict[str, Any] = compare_document(specs, country, year, grid_series=grid_series)
    return result


def sensitivity(
    spec: VehicleSpec, country: str, year: int, *, grid_series: str | None = None
) -> dict[str, Any]:
    """The service's one-at-a-time ``sensitivity_document`` (tornado data)."""
    sensitivity_document = _attr("roadcarbon.services.assessment", "sensitivity_document")
    result: dict[str, Any] = sensitivity_document(spec, country, year, grid_series=grid_series)
    return result


def assess_grid(
    specs: list[VehicleSpec], countries: list[str], year: int, *, grid_series: str | None = None
) -> dict[str, list[float]]:
    """Total [g CO2e/km] of each vehicle in each country, one vectorised engine call.

    Returns ``{vehicle name: [total per country, in the order given]}``.
    """
    run_assessment = _attr("roadcarbon.services.assessment", "run_assessment")
    a = run_assessment(specs, countries, [year], grid_series=grid_series)
    out: dict[str, list[float]] = {}
    for v, spec in enumerate(specs):
        out[spec.name] = [
            float(a.result.total_g_co2e_per_km[a.flat_index(v, c, 0)]) for c in range(len(countries))
        ]
    return out


def overview() -> dict[str, Any]:
    """What roadcarbon covers: countries with life-cycle data, markets and schemes, presets, data release.

    Parts not present in this build are reported as ``None`` (the page says so) rather than failing.
    """
    info: dict[str, Any] = {
        "countries": None,
        "markets": None,
        "schemes": None,
        "presets": None,
        "data_version": None,
    }
    from roadcarbon.errors import RoadcarbonError

    try:
        info["countries"] = list(lca_countries_codes())
        info["data_version"] = data_version()
    except (Unavailable, RoadcarbonError):
        pass
    with contextlib.suppress(Unavailable, RoadcarbonError):
        info["presets"] = len(presets())
    try:
        schemes = rule_schemes()
        info["schemes"] = len(schemes)
        info["markets"] = sorted({s["market"] for s in schemes})
    except (Unavailable, RoadcarbonError):
        pass
    return info


# --- rule library -------------------------------------------------------------------------------


def rule_schemes(market: str | None = None) -> list[dict[str, Any]]:
    """The contract's ``rules list`` rows (id, market, title, category, valid_from, valid_to)."""
    list_schemes = _attr("roadcarbon.services.regulations", "list_schemes")
    rows: list[dict[str, Any]] = list_schemes(market)
    return rows


class NotFoundError(InputError):
    """A page names a record that does not exist (shown as 404)."""


def rule_scheme(scheme_id: str) -> dict[str, Any]:
    """One scheme with dated parameters, legal references and cited sources (``get_scheme``)."""
    known = {s["id"] for s in rule_schemes()}
    if scheme_id not in known:
        raise NotFoundError(f"no scheme {scheme_id!r} in the rule library", field="scheme")
    get_scheme = _attr("roadcarbon.services.regulations", "get_scheme")
    document: dict[str, Any] = get_scheme(scheme_id)
    return document


STATUSES_BEYOND_ENACTED = ("announced", "projected", "assumption", "unverified")
"""Value statuses a user may allow on top of ``enacted`` (the rule library refuses them by default)."""


def rule_evaluate(scheme_id: str, spec: VehicleSpec, on: Any, allow: tuple[str, ...] = ()) -> dict[str, Any]:
    """The contract's ``rules evaluate`` document ``{scheme, on, outcome, trace}``.

    ``allow`` lists the non-enacted value statuses the user accepts; with none,
    the rule library evaluates on enacted values only (and says which values
    stop it).  The service's ``evaluate`` is used when it takes ``allow_status``;
    otherwise the rule library's ``evaluate_document`` on the service's library.
    """
    import datetime as dt
    import inspect

    evaluate = _attr("roadcarbon.services.regulations", "evaluate")
    if not allow:
        result: dict[str, Any] = evaluate(scheme_id, spec, on)
        return result
    statuses = ("enacted", *allow)
    if "allow_status" in inspect.signature(evaluate).parameters:
        result = evaluate(scheme_id, spec, on, allow_status=statuses)
        return result
    library = _attr("roadcarbon.services.regulations", "library")
    evaluate_document = _attr("roadcarbon.rules.documents", "evaluate_document")
    day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on))
    result = evaluate_document(library(), scheme_id, spec, day, allow_status=statuses)
    return result


def rules_unavailable_error() -> type[Exception]:
    """The service's "no evaluator in this build" error class (never raised by the web layer itself)."""
    try:
        found: type[Exception] = _attr("roadcarbon.services.regulations", "RulesUnavailableError")
    except Unavailable:
        return Unavailable
    return found


@lru_cache(maxsize=1)
def warm() -> None:
    """Load presets, reference data, the rule library and the world map once, so first pages are fast.

    Run when the dashboard is mounted (the results are cached for the process);
    a part that is missing or fails here fails again, with its message, on the
    page that needs it.
    """
    from roadcarbon.errors import RoadcarbonError
    from roadcarbon.web.geo import world_geojson

    def one_calculation() -> None:  # imports the engine's lazily loaded parts (Monte Carlo, break-even)
        pair = [vehicle(pid) for pid in default_pair()]
        if len(pair) == 2 and lca_countries_codes():
            country = lca_countries_codes()[0]
            lca(pair[0], country, 2024, samples=2, seed=0)
            compare(pair, country, 2024)

    for step in (presets, lca_countries_codes, data_version, rule_schemes, world_geojson, one_calculation):
        with contextlib.suppress(Unavailable, RoadcarbonError, OSError):
            step()
