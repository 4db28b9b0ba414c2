"""Calculations served by the API: life-cycle assessment and comparison, with optional storage.

The numbers come from :mod:`roadcarbon.services.assessment` (the same
functions the CLI prints), so API and CLI agree for the same inputs.
"""

from __future__ import annotations

import functools
from typing import Any

from roadcarbon.errors import InputError, SpecError
from roadcarbon.specs import Fleet, VehicleSpec

MAX_SAMPLES = 10_000
"""Largest Monte Carlo sample count one request may ask for (bounded work per request)."""
MAX_COMPARE = 10


@functools.lru_cache(maxsize=256)
def preset(preset_id: str) -> VehicleSpec:
    """A packaged preset (cached: presets are files shipped with the package; specs are immutable)."""
    from roadcarbon.io.specs import load_preset

    return load_preset(preset_id)


def resolve_vehicle(value: Any, *, field: str = "vehicle", country: str | None = None) -> VehicleSpec:
    """A vehicle given inline (spec object) or as a preset id (text).

    With ``country``, the text ``average``, ``average-<powertrain>`` or ``average-<segment>-<powertrain>``
    is the market-average new car of that country (``avg-*`` presets, as the CLI's ``lca average``).
    """
    from roadcarbon.io.specs import is_market_average, market_average_id, spec_from_mapping

    if isinstance(value, str):
        if "/" in value or "\\" in value or value.startswith("."):
            raise SpecError("expected a preset id or an inline spec object", field=field)
        if country is not None and is_market_average(value):
            from roadcarbon.countries import to_alpha2

            try:
                return preset(market_average_id(value, to_alpha2(country)))
            except SpecError as exc:
                raise SpecError(str(exc), field=field) from exc
        return preset(value)
    if isinstance(value, dict):
        if set(value) == {"preset"} and isinstance(value["preset"], str):
            return resolve_vehicle(value["preset"], field=f"{field}.preset", country=country)
        return spec_from_mapping(value, field=field)
    raise SpecError("expected a spec object or a preset id", field=field)


def resolve_fleet(value: Any, *, field: str = "fleet") -> Fleet:
    """A fleet given inline (``{name, vehicles: [{spec|preset, sales}]}``); spec paths are refused."""
    from roadcarbon.io.specs import fleet_from_mapping

    if not isinstance(value, dict):
        raise SpecError("expected a fleet object with name and vehicles", field=field)
    for i, entry in enumerate(value.get("vehicles") or []):
        if isinstance(entry, dict) and isinstance(entry.get("spec"), str):
            raise SpecError(
                "spec paths are not read over HTTP; give the spec inline or `preset: ID`",
                field=f"{field}.vehicles.{i}.spec",
            )
    return fleet_from_mapping(value, base=None)


def _check_samples(samples: Any, seed: Any) -> None:
    if samples is not None and (
        isinstance(samples, bool) or not isinstance(samples, int) or not 2 <= samples <= MAX_SAMPLES
    ):
        raise InputError(f"expected an integer between 2 and {MAX_SAMPLES}, or null", field="samples")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise InputError("expected a non-negative integer, or null", field="seed")


def lca(
    vehicle: Any,
    country: str,
    year: int,
    *,
    samples: int | None = None,
    seed: int | None = None,
    grid_series: str | None = None,
    grid_projection: str | None = None,
    gwp: str | None = None,
) -> dict[str, Any]:
    """The contract's ``lca`` document (``roadcarbon lca --json``) for one vehicle."""
    from roadcarbon.services.assessment import lca_document

    _check_samples(samples, seed)
    spec = resolve_vehicle(vehicle, country=country)
    return lca_document(
        spec,
        country,
        year,
        samples=samples,
        seed=seed,
        grid_series=grid_series,
        grid_projection=grid_projection,
        gwp=gwp,
    )


def compare(
    vehicles: list[Any],
    country: str,
    year: int,
    *,
    grid_series: str | None = None,
    grid_projection: str | None = None,
    gwp: str | None = None,
) -> dict[str, Any]:
    """Footprints of several vehicles and their break-even distances (``roadcarbon compare --json``)."""
    from roadcarbon.services.assessment import compare_document

    if not isinstance(vehicles, list) or not 2 <= len(vehicles) <= MAX_COMPARE:
        raise InputError(f"expected 2-{MAX_COMPARE} vehicles", field="vehicles")
    specs = [resolve_vehicle(v, field=f"vehicles.{i}", country=country) for i, v in enumerate(vehicles)]
    return compare_document(
        specs, country, year, grid_series=grid_series, grid_projection=grid_projection, gwp=gwp
    )


def presets() -> list[dict[str, Any]]:
    """The packaged vehicle presets: id and spec."""
    from roadcarbon.io.specs import list_presets, load_preset

    return [
        {"id": p, "spec": load_preset(p).model_dump(mode="json", exclude_none=True)} for p in list_presets()
    ]
