"""The rule library as a service: list, show, evaluate (one vehicle, a fleet, across markets).

The API and the CLI both call these functions (or the same rule-library
functions underneath), so they give the same numbers for the same inputs.
The library itself lives in ``roadcarbon.rules`` (pure) and is read by
``roadcarbon.io.rulebook``; this module only adapts it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import TYPE_CHECKING, Any

from roadcarbon.errors import InputError, RoadcarbonError, RuleError
from roadcarbon.services.exports import json_safe
from roadcarbon.specs import Fleet, VehicleSpec

if TYPE_CHECKING:  # the database is imported only by the functions that store or read records,
    # so `roadcarbon rules ...` runs on the core install (no SQLAlchemy)
    from sqlalchemy.orm import Session

    from roadcarbon.db.models import RuleScheme


class RulesUnavailableError(RoadcarbonError):
    """This build has no rule evaluator for the request."""


def library() -> Any:
    """The packaged rule library (read once per process)."""
    from roadcarbon.io.rulebook import default_library

    return default_library()


def _lib(given: Any) -> Any:
    """``given`` (e.g. the published library of the platform, see ``published_library``) or the packaged one."""
    return given if given is not None else library()


def _digest(lib: Any) -> str:
    own = getattr(lib, "version", None)
    if own:
        return str(own)
    digest = hashlib.sha256()
    for scheme_id, scheme in sorted(lib.schemes.items()):
        digest.update(scheme_id.encode())
        digest.update(json.dumps(scheme.model_dump(mode="json"), sort_keys=True).encode())
    return f"sha256:{digest.hexdigest()[:16]}"


@functools.lru_cache(maxsize=1)
def _packaged_version() -> str:
    return _digest(library())


_OTHER_VERSIONS: dict[int, tuple[Any, str]] = {}


def library_version(lib: Any = None) -> str:
    """Version of a rule library (default the packaged one): its own ``version`` if it has one, else a
    digest of its schemes (a library with published values in place thus has its own version)."""
    if lib is None or lib is library():
        return _packaged_version()
    kept = _OTHER_VERSIONS.get(id(lib))
    if kept is None or kept[0] is not lib:
        _OTHER_VERSIONS.clear()  # one published library at a time (as ``published_library`` caches)
        kept = _OTHER_VERSIONS[id(lib)] = (lib, _digest(lib))
    return str(kept[1])


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def scheme_summary(scheme: Any) -> dict[str, Any]:
    """The contract's ``rules list`` entry: id, market, title, category, valid_from, valid_to."""
    return {
        "id": scheme.id,
        "market": scheme.market,
        "title": scheme.title,
        "category": str(scheme.category.value if hasattr(scheme.category, "value") else scheme.category),
        "valid_from": _iso(scheme.valid_from),
        "valid_to": _iso(scheme.valid_to),
    }


def list_schemes(market: str | None = None, *, library: Any = None) -> list[dict[str, Any]]:
    """Schemes of the library, optionally of one market (ISO alpha-2, alpha-3, name, or EU); as ``rules list``."""
    from roadcarbon.countries import to_alpha2

    code = None
    if market:
        code = (
            "EU" if market.strip().upper() in ("EU", "EUROPEAN UNION") else to_alpha2(market, field="market")
        )
    return [scheme_summary(s) for s in _lib(library).select(code)]


def get_scheme(scheme_id: str, *, library: Any = None) -> dict[str, Any]:
    """One scheme with its dated parameters, legal references and the sources they cite.

    ``library``: the rule library to read (default the packaged one; the platform passes its published one).
    """
    lib = _lib(library)
    scheme = lib.get(scheme_id)
    document = scheme.model_dump(mode="json")
    cited = sorted(
        {
            value.reference.source
            for param in scheme.parameters.values()
            for value in param.values.values()
            if value is not None
        }
    )
    document["sources"] = {
        key: lib.sources[key].model_dump(mode="json", exclude_none=True)
        for key in cited
        if key in lib.sources
    }
    document["summary"] = scheme_summary(scheme)
    document["rule_library_version"] = library_version(lib)
    return dict(json_safe(document))


def _parse_date(on: Any) -> dt.date:
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(str(on))
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {on!r}", field="on") from None


def _allow(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(part.strip() for part in str(v).split(",") if part.strip())
    return out


def lifecycle_inputs(scheme: Any, spec: VehicleSpec | dict[str, Any], on: dt.date) -> dict[str, float]:
    """Battery stage inputs of a ``lifecycle`` scheme from the life-cycle engine (as ``rules evaluate`` does).

    Raw material acquisition = capacity x the bill-of-materials factor; main
    production = the engine's battery stage minus that; end of life = capacity x
    the battery end-of-life factor; distribution is not modelled.  Energy
    delivered = battery life [km] x electricity consumption [kWh/km].  (The same
    computation as ``roadcarbon rules evaluate`` in ``cli/rules.py``.)
    """
    if scheme.kind.value != "lifecycle":
        return {}
    if not isinstance(spec, VehicleSpec):  # a rule-input mapping: the engine needs the full spec
        from roadcarbon.io.specs import spec_from_mapping

        spec = spec_from_mapping(dict(spec), field="vehicle")
    if not spec.battery_capacity_kwh:
        return {}
    from roadcarbon.errors import SpecError
    from roadcarbon.services.assessment import run_assessment

    country = spec.battery_production_country or spec.assembly_country
    if country is None:
        raise SpecError(
            "the spec gives no battery_production_country (or assembly_country) to compute the battery "
            "footprint with; pass the stages as inputs",
            field="vehicle.battery_production_country",
        )
    a = run_assessment([spec], [country], [on.year])
    inputs = a.setup.inputs
    capacity = float(spec.battery_capacity_kwh)
    battery_total = float(a.result.stages_kg_co2e["battery"][0])
    raw = capacity * float(inputs.battery_materials_kg_co2e_per_kwh[0])
    extra = {
        "battery_cf_raw_material_kg_co2e": raw,
        "battery_cf_production_kg_co2e": battery_total - raw,
        "battery_cf_end_of_life_kg_co2e": capacity * float(inputs.battery_end_of_life_kg_co2e_per_kwh[0]),
    }
    if spec.electricity_consumption_kwh_per_100km:
        life_km = float(inputs.battery_life_km[0])
        extra["battery_energy_delivered_kwh"] = life_km * spec.electricity_consumption_kwh_per_100km / 100.0
    return extra


def evaluate(
    scheme_id: str,
    vehicle: VehicleSpec | dict[str, Any],
    on: Any,
    *,
    allow: list[str] | None = None,
    inputs: dict[str, float] | None = None,
    strict: bool = False,
    library: Any = None,
) -> dict[str, Any]:
    """The contract's ``rules evaluate`` document ``{scheme, on, version, outcome, trace}`` (as the CLI).

    ``library``: the rule library to use (default the packaged one; the platform passes its published one).
    """
    from roadcarbon.rules.documents import evaluate_document

    lib = _lib(library)
    scheme = lib.get(scheme_id)
    day = _parse_date(on)
    given = dict(inputs or {})
    engine_inputs = {} if given else lifecycle_inputs(scheme, vehicle, day)
    doc: dict[str, Any] = evaluate_document(
        lib,
        scheme_id,
        vehicle,
        day,
        allow_status=_allow(allow),
        extra_inputs=(given or engine_inputs) or None,
        strict=strict,
    )
    if engine_inputs:
        doc["inputs_from_engine"] = {
            **engine_inputs,
            "note": "battery stages from the life-cycle engine (distribution not modelled); energy delivered = "
            "battery life x electricity consumption",
        }
    return dict(json_safe(doc))


def evaluate_fleet(
    scheme_id: str,
    fleet: Fleet | dict[str, Any],
    year: int,
    *,
    allow: list[str] | None = None,
    strict: bool = False,
    on: Any = None,
    currency: str | None = None,
    library: Any = None,
) -> dict[str, Any]:
    """The contract's ``rules evaluate-fleet`` document (as the CLI); ``library`` as for :func:`evaluate`."""
    from roadcarbon.rules.documents import evaluate_fleet_document

    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(f"expected an integer year, got {year!r}", field="year")
    lib = _lib(library)
    lib.get(scheme_id)
    from roadcarbon.io.rulebook import preset_resolver

    doc = evaluate_fleet_document(
        lib,
        scheme_id,
        fleet,
        year,
        allow_status=_allow(allow),
        strict=strict,
        on=_parse_date(on) if on is not None else None,
        currency=currency,
        resolve=preset_resolver(),
    )
    return dict(json_safe(doc))


def compare(
    vehicle: VehicleSpec | dict[str, Any],
    on: Any,
    *,
    markets: list[str] | None = None,
    allow: list[str] | None = None,
    rulebook: Any = None,
    strict: bool = False,
    library: Any = None,
) -> dict[str, Any]:
    """One vehicle under every scheme of the chosen markets (as ``rules compare --json``).

    ``rulebook`` (or ``library``) is a rule library to use instead of the packaged one (e.g. with a
    reform applied, or the platform's published one).
    """
    from roadcarbon.rules.evaluate import compare as compare_rows

    lib = rulebook if rulebook is not None else _lib(library)
    wanted = [m.strip().upper() for m in markets] if markets else None
    day = _parse_date(on)
    engine_inputs: dict[str, float] = {}
    lifecycle = [
        s for s in lib.select() if s.kind.value == "lifecycle" and (wanted is None or s.market in wanted)
    ]
    if lifecycle:
        try:
            engine_inputs = lifecycle_inputs(lifecycle[0], vehicle, day)
        except (InputError, RuleError):
            engine_inputs = {}
    rows = compare_rows(
        vehicle,
        wanted,
        day,
        library=lib,
        allow_status=_allow(allow),
        extra_inputs=engine_inputs or None,
        strict=strict,
    )
    name = vehicle.get("name") if isinstance(vehicle, dict) else vehicle.name
    return dict(json_safe({"vehicle": name, "on": str(on), "rows": rows}))


def check_scheme_document(
    document: Any, *, prefix: str = "document", cited: Any = ()
) -> list[dict[str, str]]:
    """Findings of the rule library's own schema for a proposed scheme document.

    ``cited``: source ids the change set brings itself (a contributed citation, see
    :func:`roadcarbon.services.value_changes.source_id_for`), accepted besides the source registry's.
    """
    from roadcarbon.rules.registry import parse_scheme

    if not isinstance(document, dict):
        return [{"field": prefix, "level": "error", "message": "expected a scheme document (object)"}]
    try:
        scheme = parse_scheme(document, origin=prefix)
    except RuleError as exc:
        return [{"field": prefix, "level": "error", "message": str(exc)}]
    findings = []
    lib = library()
    for pname, param in scheme.parameters.items():
        for start, value in param.values.items():
            if (
                value is not None
                and value.reference.source not in lib.sources
                and value.reference.source not in set(cited)
            ):
                findings.append(
                    {
                        "field": f"{prefix}.parameters.{pname}.values.{start}.reference.source",
                        "level": "error",
                        "message": f"{value.reference.source!r} is not in the source registry",
                    }
                )
    return findings


def store_scheme_version(
    session: Session, document: dict[str, Any], *, contribution_id: int | None
) -> RuleScheme:
    """Insert a scheme, or append a version to it (documents are validated before)."""
    from roadcarbon.db.models import RuleScheme, RuleSchemeVersion
    from roadcarbon.db.repositories import workflow as repo
    from roadcarbon.rules.registry import parse_scheme

    scheme = parse_scheme(document, origin="document")
    summary = scheme_summary(scheme)
    row = repo.rule_scheme_by_id(session, scheme.id)
    if row is None:
        row = RuleScheme(
            scheme_id=scheme.id, market=scheme.market, title=scheme.title, category=summary["category"]
        )
        session.add(row)
        session.flush()
        version = 1
    else:
        row.current_version += 1
        row.title = scheme.title
        version = row.current_version
    session.add(
        RuleSchemeVersion(
            scheme_pk=row.id,
            version=version,
            document=json_safe(scheme.model_dump(mode="json")),
            contribution_id=contribution_id,
        )
    )
    session.flush()
    return row


def list_scheme_records(session: Session, *, market: str | None = None) -> list[dict[str, Any]]:
    """Schemes as stored in the database (with their version counters)."""
    from roadcarbon.db.repositories import workflow as repo

    return [
        {
            "id": r.scheme_id,
            "market": r.market,
            "title": r.title,
            "category": r.category,
            "version": r.current_version,
        }
        for r in repo.rule_schemes(session, market=market.upper() if market else None)
    ]


def scheme_versions(session: Session, scheme_id: str) -> list[dict[str, Any]]:
    """Stored versions of one scheme."""
    from roadcarbon.db.repositories import workflow as repo

    row = repo.rule_scheme_by_id(session, scheme_id)
    if row is None:
        raise RuleError(f"unknown scheme id {scheme_id!r}", field="scheme")
    return [
        {"version": v.version, "created_at": v.created_at.isoformat(), "contribution_id": v.contribution_id}
        for v in repo.rule_scheme_versions(session, row.id)
    ]
