"""Calculations served by the API: life-cycle assessment and comparison, with optional storage.

The numbers come from :mod:`roadcarbon.services.assessment` (the same
functions the CLI prints), so API and CLI agree for the same inputs.  On the
platform they run on the reference factors of the latest release
(:func:`release_data`): the packaged ones until a release publishes a reviewed
correction of them.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from typing import TYPE_CHECKING, Any

from roadcarbon.errors import InputError, RoadcarbonError, SpecError
from roadcarbon.specs import Fleet, VehicleSpec

MAX_SAMPLES = 10_000
"""Largest Monte Carlo sample count one request may ask for (bounded work per request)."""
MAX_COMPARE = 10

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclasses.dataclass(frozen=True)
class DataRelease:
    """The reference data a platform calculation uses.

    ``tag``: the release whose reference factors the numbers use (None: no release, or one whose factor
    package the engine cannot read: the packaged data then, and no release is claimed).
    ``tables``: the engine's tables of that release (None: the packaged ones, equal to the release's).
    ``data_version``: what documents report when ``tables`` is not None (packaged version + release tag).
    """

    tag: str | None = None
    tables: Any = None
    data_version: str | None = None


PACKAGED = DataRelease()
_RELEASE_DATA: dict[tuple[Any, ...], DataRelease] = {}


@functools.lru_cache(maxsize=1)
def _packaged_package_sha256() -> str:
    """Digest of the packaged factor package as the seed stores it (``read_package`` of the package)."""
    from roadcarbon.io.reference import package_path
    from roadcarbon.services.packages import read_package
    from roadcarbon.services.releases import canonical_sha256

    return canonical_sha256(read_package(package_path()))


def _release_data(session: Session, release: Any) -> DataRelease:
    from roadcarbon.db.repositories import records as records_repo
    from roadcarbon.services.impact import REFERENCE_DATASET_SLUG
    from roadcarbon.services.releases import canonical_sha256

    version = ((release.manifest or {}).get("datasets") or {}).get(REFERENCE_DATASET_SLUG)
    dataset = records_repo.dataset_by_slug(session, REFERENCE_DATASET_SLUG)
    stored = (
        records_repo.dataset_version(session, dataset.id, int(version))
        if dataset is not None and isinstance(version, int)
        else None
    )
    if stored is None:  # the release froze no reference factors: the packaged ones are what it has
        return DataRelease(tag=release.tag)
    package = dict(stored.package)
    if canonical_sha256(package) == _packaged_package_sha256():
        return DataRelease(tag=release.tag)
    from roadcarbon.io.reference import load_reference, projections_path
    from roadcarbon.services.packages import materialised

    try:
        with materialised(package) as root:  # the tables are read whole; the folder may go afterwards
            tables = load_reference(str(root), projections=str(projections_path()))
    except (RoadcarbonError, ValueError, KeyError, OSError) as exc:
        # a release the engine cannot read: the packaged data, no release claimed (the documents say
        # data_version = packaged, release_tag = null), and the operators are told why
        logging.getLogger("roadcarbon.calculations").warning(
            "release %s: its reference factors cannot be read by the engine (%s); computing with the packaged data",
            release.tag,
            exc,
        )
        return PACKAGED
    return DataRelease(tag=release.tag, tables=tables, data_version=f"{tables.version}+release.{release.tag}")


RELEASE_CHECK_SECONDS = 2.0
"""How long a process reuses its answer to "which release is the latest" before asking the database again.

Asking on every request cost a third of the API's assessment throughput (431 -> 275 /s, bench_api.py); a
release published in this process is seen at once (:func:`forget_latest_release`), one published through
another worker within this many seconds."""
_LATEST: dict[str, tuple[float, DataRelease]] = {}


def database_key(session: Session) -> str:
    """Which database ``session`` reads (its engine's URL), to key per-process caches of published data."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)  # a Connection (tests bind sessions to one) has its engine
    return str(getattr(engine, "url", id(engine)))


def forget_latest_release() -> None:
    """Drop the cached answer to "which release is the latest" (called when a release is published)."""
    _LATEST.clear()


def release_data(session: Session) -> DataRelease:
    """The reference data of the latest release (cached per release; releases are immutable)."""
    import time

    where = database_key(session)
    now = time.monotonic()
    recent = _LATEST.get(where)
    if recent is not None and now - recent[0] < RELEASE_CHECK_SECONDS:
        return recent[1]
    data = _latest_release_data(session)
    _LATEST[where] = (now, data)
    return data


def _latest_release_data(session: Session) -> DataRelease:
    from roadcarbon.services.releases import latest_release

    release = latest_release(session)
    if release is None:
        return PACKAGED
    key = (release.id, release.tag, release.sha256, str(release.created_at))
    found = _RELEASE_DATA.get(key)
    if found is None:
        found = _release_data(session, release)
        if len(_RELEASE_DATA) >= 4:
            _RELEASE_DATA.pop(next(iter(_RELEASE_DATA)))
        _RELEASE_DATA[key] = found
    return found


def _label(document: dict[str, Any], data: DataRelease | None) -> dict[str, Any]:
    """``document`` (and its vehicles) reporting the release's data version when the release's tables were used."""
    if data is not None and data.data_version is not None:
        document["data_version"] = data.data_version
        for vehicle in document.get("vehicles") or []:
            if isinstance(vehicle, dict) and "data_version" in vehicle:
                vehicle["data_version"] = data.data_version
    return document


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
    data: DataRelease | None = None,
) -> dict[str, Any]:
    """The contract's ``lca`` document (``roadcarbon lca --json``) for one vehicle.

    ``data``: the release's reference data (:func:`release_data`; default the packaged data).
    """
    from roadcarbon.services.assessment import lca_document

    _check_samples(samples, seed)
    spec = resolve_vehicle(vehicle, country=country)
    document = lca_document(
        spec,
        country,
        year,
        samples=samples,
        seed=seed,
        grid_series=grid_series,
        grid_projection=grid_projection,
        gwp=gwp,
        tables=data.tables if data is not None else None,
    )
    return _label(document, data)


def compare(
    vehicles: list[Any],
    country: str,
    year: int,
    *,
    grid_series: str | None = None,
    grid_projection: str | None = None,
    gwp: str | None = None,
    data: DataRelease | None = None,
) -> dict[str, Any]:
    """Footprints of several vehicles and their break-even distances (``roadcarbon compare --json``).

    ``data`` as for :func:`lca`.
    """
    from roadcarbon.services.assessment import compare_document

    if not isinstance(vehicles, list) or not 2 <= len(vehicles) <= MAX_COMPARE:
        raise InputError(f"expected 2-{MAX_COMPARE} vehicles", field="vehicles")
    specs = [resolve_vehicle(v, field=f"vehicles.{i}", country=country) for i, v in enumerate(vehicles)]
    document = compare_document(
        specs,
        country,
        year,
        grid_series=grid_series,
        grid_projection=grid_projection,
        gwp=gwp,
        tables=data.tables if data is not None else None,
    )
    return _label(document, data)


def presets() -> list[dict[str, Any]]:
    """The packaged vehicle presets: id and spec."""
    from roadcarbon.io.specs import list_presets, load_preset

    return [
        {"id": p, "spec": load_preset(p).model_dump(mode="json", exclude_none=True)} for p in list_presets()
    ]
