"""roadcarbon: life-cycle carbon of road vehicles and executable low-carbon vehicle standards.

The curated public surface::

    from roadcarbon import VehicleSpec, assess, load_reference, load_vehicle

    tables = load_reference()
    result = assess([load_vehicle("car-medium-bev")], ["Indonesia", "THA"], [2025, 2030], tables)
    result.total_g_co2e_per_km          # (vehicles, countries, years) [g CO2e/km]
    result.to_dataframe()               # tidy table (needs the ``notebook`` extra: pandas)

Countries are accepted everywhere as ISO 3166-1 alpha-2, alpha-3 or English names; results carry alpha-2.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from roadcarbon.errors import DataError, InputError, RoadcarbonError, RuleError, SpecError

if TYPE_CHECKING:
    from roadcarbon.engine import Assessment, LifecycleResult
    from roadcarbon.io.reference import load_reference
    from roadcarbon.io.specs import list_presets, load_fleet, load_vehicle
    from roadcarbon.specs import Fleet, VehicleSpec

_LAZY: dict[str, str] = {
    "Assessment": "roadcarbon.engine",
    "LifecycleResult": "roadcarbon.engine",
    "load_reference": "roadcarbon.io.reference",
    "list_presets": "roadcarbon.io.specs",
    "load_fleet": "roadcarbon.io.specs",
    "load_vehicle": "roadcarbon.io.specs",
    "Fleet": "roadcarbon.specs",
    "VehicleSpec": "roadcarbon.specs",
}
"""Public names loaded on first use (PEP 562), so ``import roadcarbon.cli`` can set BLAS threads before numpy loads."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        if not name.startswith("_") and importlib.util.find_spec(f"roadcarbon.{name}") is not None:
            return importlib.import_module(
                f"roadcarbon.{name}"
            )  # roadcarbon.engine after `import roadcarbon`
        raise AttributeError(f"module 'roadcarbon' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"
"""The one place the version is written (the wheel's metadata reads it via hatchling)."""


def assess(
    vehicles: Sequence[VehicleSpec | str],
    countries: Sequence[str] | str,
    years: Sequence[int] | int,
    tables: Any = None,
    **options: Any,
) -> Assessment:
    """Life-cycle emissions of every vehicle in every country of use and first year of use.

    A convenience front of :func:`roadcarbon.engine.assess` for notebooks: vehicles may be preset ids
    or spec files, countries ISO alpha-2/alpha-3 codes or English names (``"Indonesia"``, ``"IDN"``,
    ``"ID"``), a single country or year may be given bare, and ``tables`` defaults to the packaged
    reference data.

    Parameters
    ----------
    vehicles
        :class:`VehicleSpec` objects, preset ids or YAML/JSON spec paths.
    countries
        Countries of use (names or ISO 3166-1 codes).
    years
        First year(s) of use [year].
    tables
        Reference data; :func:`load_reference` by default.
    **options
        Passed to :func:`roadcarbon.engine.assess` (``grid_series``, ``grid_projection``, ``samples``,
        ``rng``, ``gwp``).

    Returns
    -------
    Assessment
        Arrays shaped ``(vehicles, countries, years)``; ``to_dataframe()`` / ``to_xarray()`` label them.

    Examples
    --------
    >>> a = assess(["car-medium-bev"], ["Indonesia", "THA"], 2025)
    >>> a.countries
    ('ID', 'TH')
    """
    from roadcarbon.countries import to_alpha2
    from roadcarbon.engine import assess as _engine_assess
    from roadcarbon.io.reference import load_reference
    from roadcarbon.io.specs import load_vehicle

    specs = [load_vehicle(v) if isinstance(v, str) else v for v in vehicles]
    country_list = [countries] if isinstance(countries, str) else list(countries)
    codes = [to_alpha2(c, field=f"countries[{i}]") for i, c in enumerate(country_list)]
    year_list = [years] if isinstance(years, int) else list(years)
    return _engine_assess(
        specs,
        codes,
        [int(y) for y in year_list],
        tables if tables is not None else load_reference(),
        **options,
    )


__all__ = [
    "Assessment",
    "DataError",
    "Fleet",
    "InputError",
    "LifecycleResult",
    "RoadcarbonError",
    "RuleError",
    "SpecError",
    "VehicleSpec",
    "__version__",
    "assess",
    "list_presets",
    "load_fleet",
    "load_reference",
    "load_vehicle",
]
