"""What the dashboard asks of the rest of roadcarbon, in one place.

The web layer is a thin client: every number it shows comes from the
service layer (``roadcarbon.services``), the preset loader
(``roadcarbon.io.specs``) and the rule library, never from its own queries or
factors.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any

from roadcarbon.errors import InputError
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import list_presets, load_vehicle
from roadcarbon.services import regulations
from roadcarbon.services.assessment import (
    compare_document,
    lca_document,
    run_assessment,
    sensitivity_document,
)
from roadcarbon.specs import VehicleSpec


class Unavailable(RuntimeError):
    """A part of roadcarbon that a page needs is not present in this build."""


# --- vehicles -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def presets() -> dict[str, VehicleSpec]:
    """The shipped vehicle presets, by id (``roadcarbon.io.specs``)."""
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
    result: dict[str, Any] = lca_document(
        spec, country, year, samples=samples, seed=seed, grid_series=grid_series
    )
    return result


YEARS: list[tuple[int, str]] = [(y, str(y)) for y in range(2010, 2051)]
"""Registration years offered in the selectors: every year the engine covers (grid history from 2010,
projections to 2050; issue 12)."""


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
    """Short name of an ISO 3166-1 alpha-2 code in the request's language (the code itself if unknown).

    Names come from the Unicode CLDR (through Babel) for the current dashboard language; English and any
    code CLDR lacks fall back to pycountry's ISO 3166 English name.
    """
    from roadcarbon.web import i18n

    locale = i18n.current()
    if locale != i18n.DEFAULT_LOCALE:
        translated = _cldr_territories(locale).get(code.upper())
        if translated:
            return translated
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return str(getattr(found, "common_name", None) or found.name) if found else code


@lru_cache(maxsize=8)
def _cldr_territories(locale: str) -> dict[str, str]:
    """CLDR territory names for a dashboard locale (``zh_Hans`` → Babel's ``zh_Hans``)."""
    from babel import Locale

    try:
        return dict(Locale.parse(locale).territories)
    except (ValueError, LookupError):
        return {}


@lru_cache(maxsize=4)
def lca_countries_codes(series: str = "production") -> tuple[str, ...]:
    """Countries the engine covers in ``series`` (grid and loss data), sorted by code."""
    return tuple(load_reference().countries(series))


def lca_countries() -> list[tuple[str, str]]:
    """``[(code, "Name (CC)")]`` of the countries the engine covers, sorted by name."""
    codes = lca_countries_codes()
    return sorted(((c, f"{country_name(c)} ({c})") for c in codes), key=lambda item: item[1])


def data_version() -> str:
    """Version of the packaged reference data (the engine's ``data_version``)."""
    return str(load_reference().version)


def compare(
    specs: list[VehicleSpec], country: str, year: int, *, grid_series: str | None = None
) -> dict[str, Any]:
    """The service's ``compare_document`` (cumulative curves and break-even distances)."""
    result: dict[str, Any] = compare_document(specs, country, year, grid_series=grid_series)
    return result


def sensitivity(
    spec: VehicleSpec, country: str, year: int, *, grid_series: str | None = None
) -> dict[str, Any]:
    """The service's one-at-a-time ``sensitivity_document`` (tornado data)."""
    result: dict[str, Any] = sensitivity_document(spec, country, year, grid_series=grid_series)
    return result


def assess_grid(
    specs: list[VehicleSpec], countries: list[str], year: int, *, grid_series: str | None = None
) -> dict[str, list[float]]:
    """Total [g CO2e/km] of each vehicle in each country, one vectorised engine call.

    Returns ``{vehicle name: [total per country, in the order given]}``.
    """
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
    rows: list[dict[str, Any]] = regulations.list_schemes(market)
    return rows


class NotFoundError(InputError):
    """A page names a record that does not exist (shown as 404)."""


def rule_scheme(scheme_id: str) -> dict[str, Any]:
    """One scheme with dated parameters, legal references and cited sources (``get_scheme``)."""
    known = {s["id"] for s in rule_schemes()}
    if scheme_id not in known:
        raise NotFoundError(f"no scheme {scheme_id!r} in the rule library", field="scheme")
    document: dict[str, Any] = regulations.get_scheme(scheme_id)
    return document


STATUSES_BEYOND_ENACTED = ("announced", "projected", "assumption", "unverified")
"""Value statuses a user may allow on top of ``enacted`` (the rule library refuses them by default)."""


def allowed_statuses(values: list[str] | None) -> tuple[str, ...]:
    """The non-enacted statuses a user accepts (``allow`` in a query), checked against the closed list."""
    chosen = tuple(dict.fromkeys(v for v in values or [] if v))
    for value in chosen:
        if value not in STATUSES_BEYOND_ENACTED:
            raise InputError(
                f"expected one of: {', '.join(STATUSES_BEYOND_ENACTED)}; got {value!r}", field="allow"
            )
    return chosen


def rule_evaluate(
    scheme_id: str, spec: VehicleSpec, on: Any, allow: tuple[str, ...] = (), *, strict: bool = False
) -> dict[str, Any]:
    """The contract's ``rules evaluate`` document ``{scheme, on, outcome, trace}`` (the API's service).

    ``allow`` lists the non-enacted value statuses the user accepts.  By default a
    result resting on other values is still given, its outcome labelled with the
    weakest status and ``provisional``; ``strict`` refuses it instead (opt-in, as
    the CLI's ``--strict``).
    """
    return regulations.evaluate(scheme_id, spec, on, allow=list(allow), strict=strict)


def rules_unavailable_error() -> type[Exception]:
    """The service's "no evaluator in this build" error class (never raised by the web layer itself)."""
    return regulations.RulesUnavailableError


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
