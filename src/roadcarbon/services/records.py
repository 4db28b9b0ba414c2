"""Browse and edit records: vehicles (versioned specs), datasets, supply-chain records, scenarios, results.

Visibility: public records are readable by everyone; private records only
inside their organisation.  A private record outside the caller's organisation
answers "not found" (never "forbidden"), so its existence does not leak.
Public records change only through reviewed contributions; private records of
an organisation are edited directly by its members, with If-Match.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.orm import Session

from roadcarbon.countries import to_alpha2
from roadcarbon.db.base import utcnow
from roadcarbon.db.models import (
    AggregateSnapshot,
    Dataset,
    DatasetVersion,
    Scenario,
    StoredResult,
    SupplyChainRecord,
    VehicleModel,
    VehicleSpecVersion,
    Visibility,
)
from roadcarbon.db.repositories import records as repo
from roadcarbon.errors import InputError, SpecError
from roadcarbon.services.audit import record_event
from roadcarbon.services.concurrency import check_if_match, etag
from roadcarbon.services.errors import NotFoundError, PermissionDeniedError
from roadcarbon.services.pagination import Page, paginate
from roadcarbon.services.principal import ANONYMOUS, Principal
from roadcarbon.specs import VehicleSpec

MIN_ORGANISATIONS_PER_AGGREGATE = 3
"""Public aggregates of private data cover at least this many organisations (k-anonymity by organisation)."""
MIN_RECORDS_PER_AGGREGATE = 5
"""... and at least this many records in total (docs/platform.md, "Disclosure control")."""
AGGREGATE_SHARE_STEP = 0.05
"""Published mean shares are rounded to this step (5 percentage points).  With at least
:data:`MIN_RECORDS_PER_AGGREGATE` records, differencing (n x mean - the values one knows) is off by up
to n x 0.025 >= 0.125, so no single record's share can be recovered from one or several aggregates."""


def _round_share(value: float | None) -> float | None:
    if value is None:
        return None
    return round(round(float(value) / AGGREGATE_SHARE_STEP) * AGGREGATE_SHARE_STEP, 2)


_Row = TypeVar("_Row", VehicleModel, Dataset, SupplyChainRecord, Scenario)


def _readable_or_not_found(principal: Principal, row: _Row | None, what: str) -> _Row:
    """``row`` when the caller may read it; NotFoundError ``no <what>`` when it is missing or private elsewhere."""
    if row is None or not (
        row.visibility == Visibility.PUBLIC or principal.in_organisation(row.organisation_id)
    ):
        raise NotFoundError(f"no {what}")
    return row


def _private_to(row: SupplyChainRecord | Scenario) -> int | None:
    """The organisation an audit event about ``row`` is private to (``None`` for a public record)."""
    return row.organisation_id if row.visibility == Visibility.PRIVATE else None


def _refuse_unreviewed_public(principal: Principal, visibility: str, what: str, *, via: str) -> None:
    """Public data goes through review: a direct write may not make ``what`` public (maintainers excepted).

    Raises PermissionDeniedError naming ``visibility`` and the way that is open (``via``).
    """
    if visibility == Visibility.PUBLIC and not principal.is_maintainer:
        raise PermissionDeniedError(f"a public {what} goes through review: {via}", field="visibility")


def parse_visibility(value: str) -> Visibility:
    """``public`` or ``private``, else InputError naming ``visibility``."""
    try:
        return Visibility(value)
    except ValueError:
        raise InputError(f"expected 'public' or 'private', got {value!r}", field="visibility") from None


def validate_spec(spec: dict[str, Any], *, field: str = "spec") -> VehicleSpec:
    """The library's VehicleSpec for ``spec``; SpecError naming the first bad field."""
    try:
        return VehicleSpec.model_validate(spec)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        where = f"{field}.{loc}" if loc else field
        raise SpecError(str(first.get("msg", "invalid")).removeprefix("Value error, "), field=where) from None


# --- vehicles ------------------------------------------------------------------------------------


def vehicle_to_dict(vehicle: VehicleModel | Any, *, spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """Summary of a vehicle model (or of a row of its columns); ``spec`` is the current spec when given."""
    out: dict[str, Any] = {
        "id": vehicle.id,
        "name": vehicle.name,
        "powertrain": vehicle.powertrain,
        "category": vehicle.category,
        "preset_id": vehicle.preset_id,
        "visibility": vehicle.visibility,
        "organisation_id": vehicle.organisation_id,
        "version": vehicle.current_version,
        "etag": etag(vehicle.row_version),
        "updated_at": vehicle.updated_at.isoformat(),
    }
    if spec is not None:
        out["spec"] = spec
    return out


def list_vehicles(
    session: Session,
    principal: Principal,
    *,
    powertrain: str | None = None,
    category: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[dict[str, Any]]:
    """Vehicles visible to the caller, filtered by powertrain, category and name substring."""
    query = repo.vehicle_list(principal.organisation_id, powertrain=powertrain, category=category, q=q)
    return paginate(
        session,
        query,
        page=page,
        per_page=per_page,
        to_dict=vehicle_to_dict,
        columns=True,
    )


def _vehicle_row(session: Session, principal: Principal, vehicle_id: int) -> VehicleModel:
    return _readable_or_not_found(principal, session.get(VehicleModel, vehicle_id), f"vehicle {vehicle_id}")


def current_spec(session: Session, vehicle: VehicleModel) -> dict[str, Any]:
    """The spec of the vehicle's current version."""
    version = repo.vehicle_version(session, vehicle.id, vehicle.current_version)
    return dict(version.spec) if version else {}


def get_vehicle(session: Session, principal: Principal, vehicle_id: int) -> dict[str, Any]:
    """One vehicle with its current spec and the list of its versions."""
    row = _vehicle_row(session, principal, vehicle_id)
    out = vehicle_to_dict(row, spec=current_spec(session, row))
    out["versions"] = [
        {"version": v.version, "created_at": v.created_at.isoformat(), "contribution_id": v.contribution_id}
        for v in repo.vehicle_versions(session, row.id)
    ]
    return out


def get_vehicle_version(
    session: Session, principal: Principal, vehicle_id: int, version: int
) -> dict[str, Any]:
    """One stored version of a vehicle's spec."""
    row = _vehicle_row(session, principal, vehicle_id)
    found = repo.vehicle_version(session, row.id, version)
    if found is None:
        raise NotFoundError(f"vehicle {vehicle_id} has no version {version}", field="version")
    return {
        "vehicle_id": row.id,
        "version": found.version,
        "spec": found.spec,
        "created_at": found.created_at.isoformat(),
    }


def add_vehicle(
    session: Session,
    principal: Principal,
    spec: dict[str, Any],
    *,
    visibility: str,
    organisation_id: int | None,
    preset_id: str | None = None,
    contribution_id: int | None = None,
) -> VehicleModel:
    """Insert a vehicle and its version 1 (no permission checks: callers check)."""
    parsed = validate_spec(spec)
    document = parsed.model_dump(mode="json", exclude_none=True)
    row = VehicleModel(
        name=parsed.name,
        organisation_id=organisation_id,
        visibility=parse_visibility(visibility).value,
        powertrain=parsed.powertrain.value,
        category=parsed.category.value,
        preset_id=preset_id,
    )
    session.add(row)
    session.flush()
    session.add(
        VehicleSpecVersion(
            vehicle_id=row.id,
            version=1,
            spec=document,
            created_by_id=principal.user_id,
            contribution_id=contribution_id,
        )
    )
    return row


def new_vehicle_version(
    session: Session,
    principal: Principal,
    row: VehicleModel,
    spec: dict[str, Any],
    *,
    contribution_id: int | None = None,
) -> VehicleModel:
    """Append a spec version and make it current (the row's version counter guards concurrent writers)."""
    parsed = validate_spec(spec)
    row.current_version += 1
    row.name = parsed.name
    row.powertrain = parsed.powertrain.value
    row.category = parsed.category.value
    row.updated_at = utcnow()
    session.add(
        VehicleSpecVersion(
            vehicle_id=row.id,
            version=row.current_version,
            spec=parsed.model_dump(mode="json", exclude_none=True),
            created_by_id=principal.user_id,
            contribution_id=contribution_id,
        )
    )
    session.flush()
    return row


def create_private_vehicle(session: Session, principal: Principal, spec: dict[str, Any]) -> dict[str, Any]:
    """A vehicle private to the caller's organisation (public vehicles arrive through contributions)."""
    principal.require(principal.can_contribute, "create vehicles")
    row = add_vehicle(
        session, principal, spec, visibility=Visibility.PRIVATE, organisation_id=principal.organisation_id
    )
    session.flush()
    record_event(
        session, principal, "vehicle.create", "vehicle", row.id, private_to=principal.organisation_id
    )
    return get_vehicle(session, principal, row.id)


def update_private_vehicle(
    session: Session, principal: Principal, vehicle_id: int, spec: dict[str, Any], *, if_match: str | None
) -> dict[str, Any]:
    """New spec version of a private vehicle of the caller's organisation, guarded by If-Match."""
    row = _vehicle_row(session, principal, vehicle_id)
    principal.require(principal.can_contribute, "edit vehicles")
    if row.visibility == Visibility.PUBLIC:
        raise PermissionDeniedError("public vehicles change only through a reviewed contribution")
    check_if_match(if_match, row.row_version)
    new_vehicle_version(session, principal, row, spec)
    record_event(
        session,
        principal,
        "vehicle.update",
        "vehicle",
        row.id,
        detail={"version": row.current_version},
        private_to=row.organisation_id,
    )
    return get_vehicle(session, principal, row.id)


# --- datasets ------------------------------------------------------------------------------------


def dataset_to_dict(row: Dataset, *, package: dict[str, Any] | None = None) -> dict[str, Any]:
    """Summary of a dataset; ``package`` is the current data package when given."""
    out: dict[str, Any] = {
        "id": row.id,
        "slug": row.slug,
        "title": row.title,
        "license": row.license,
        "visibility": row.visibility,
        "organisation_id": row.organisation_id,
        "version": row.current_version,
        "etag": etag(row.row_version),
        "updated_at": row.updated_at.isoformat(),
    }
    if package is not None:
        out["package"] = package
    return out


def list_datasets(
    session: Session, principal: Principal, *, q: str | None = None, page: int = 1, per_page: int = 50
) -> Page[dict[str, Any]]:
    """Datasets visible to the caller."""
    query = repo.dataset_list(principal.organisation_id, q=q)
    return paginate(session, query, page=page, per_page=per_page, to_dict=dataset_to_dict)


def dataset_row(session: Session, principal: Principal, key: str | int) -> Dataset:
    """A dataset by id or slug, if visible to the caller."""
    if isinstance(key, int) or str(key).isdigit():
        row = session.get(Dataset, int(key))
    else:
        row = repo.dataset_by_slug(session, str(key))
    return _readable_or_not_found(principal, row, f"dataset {key}")


def current_package(session: Session, row: Dataset) -> dict[str, Any]:
    """The data package of the dataset's current version."""
    version = repo.dataset_version(session, row.id, row.current_version)
    return dict(version.package) if version else {}


def get_dataset(session: Session, principal: Principal, key: str | int) -> dict[str, Any]:
    """One dataset with its current data package."""
    row = dataset_row(session, principal, key)
    return dataset_to_dict(row, package=current_package(session, row))


def dataset_rows(session: Session, principal: Principal, key: str | int) -> list[dict[str, Any]]:
    """The inline rows of every resource of a dataset, each tagged with its resource name."""
    package = get_dataset(session, principal, key)["package"]
    rows: list[dict[str, Any]] = []
    for resource in package.get("resources", []):
        rows.extend(
            {"resource": resource.get("name"), **r} for r in resource.get("data", []) if isinstance(r, dict)
        )
    return rows


def add_dataset(
    session: Session,
    principal: Principal,
    package: dict[str, Any],
    *,
    slug: str,
    title: str,
    license: str,
    visibility: str = Visibility.PUBLIC,
    organisation_id: int | None = None,
    contribution_id: int | None = None,
) -> Dataset:
    """Insert a dataset and its version 1 (callers check permissions and validate)."""
    row = Dataset(
        slug=slug,
        title=title,
        license=license,
        visibility=parse_visibility(visibility).value,
        organisation_id=organisation_id,
    )
    session.add(row)
    session.flush()
    session.add(
        DatasetVersion(
            dataset_id=row.id,
            version=1,
            package=package,
            created_by_id=principal.user_id,
            contribution_id=contribution_id,
        )
    )
    return row


def new_dataset_version(
    session: Session,
    principal: Principal,
    row: Dataset,
    package: dict[str, Any],
    *,
    contribution_id: int | None,
) -> Dataset:
    """Append a data-package version and make it current."""
    row.current_version += 1
    row.updated_at = utcnow()
    row.title = str(package.get("title") or row.title)
    session.add(
        DatasetVersion(
            dataset_id=row.id,
            version=row.current_version,
            package=package,
            created_by_id=principal.user_id,
            contribution_id=contribution_id,
        )
    )
    session.flush()
    return row


# --- supply chain --------------------------------------------------------------------------------

SUPPLY_CHAIN_FIELDS = (
    "label",
    "vehicle_id",
    "battery_origin_country",
    "assembly_country",
    "green_power_share",
    "local_content_share",
    "sources",
    "visibility",
)


def supply_chain_to_dict(row: SupplyChainRecord) -> dict[str, Any]:
    """Plain representation of a supply-chain record."""
    return {
        "id": row.id,
        "organisation_id": row.organisation_id,
        "vehicle_id": row.vehicle_id,
        "label": row.label,
        "battery_origin_country": row.battery_origin_country,
        "assembly_country": row.assembly_country,
        "green_power_share": row.green_power_share,
        "local_content_share": row.local_content_share,
        "sources": row.sources,
        "visibility": row.visibility,
        "etag": etag(row.row_version),
        "updated_at": row.updated_at.isoformat(),
    }


def clean_supply_chain(payload: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check a supply-chain payload; InputError naming the field."""
    unknown = sorted(set(payload) - set(SUPPLY_CHAIN_FIELDS))
    if unknown:
        raise InputError(f"unknown field; expected only: {', '.join(SUPPLY_CHAIN_FIELDS)}", field=unknown[0])
    out: dict[str, Any] = {}
    if "label" in payload or not partial:
        label = payload.get("label")
        if not isinstance(label, str) or not 1 <= len(label.strip()) <= 200:
            raise InputError("expected a text of 1-200 characters", field="label")
        out["label"] = label.strip()
    for key in ("battery_origin_country", "assembly_country"):
        if payload.get(key) is not None:
            if not isinstance(payload[key], str):
                raise InputError("expected a country code or name", field=key)
            out[key] = to_alpha2(payload[key], field=key)
        elif key in payload:
            out[key] = None
    for key in ("green_power_share", "local_content_share"):
        value = payload.get(key)
        if value is None:
            if key in payload:
                out[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
            raise InputError(f"expected a share between 0 and 1 (not percent), got {value!r}", field=key)
        out[key] = float(value)
    if "sources" in payload:
        sources = payload["sources"]
        if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
            raise InputError("expected a list of source references (texts)", field="sources")
        out["sources"] = sources
    if "vehicle_id" in payload:
        value = payload["vehicle_id"]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputError("expected a vehicle id (integer) or null", field="vehicle_id")
        out["vehicle_id"] = value
    if "visibility" in payload:
        out["visibility"] = parse_visibility(str(payload["visibility"])).value
    return out


_SUPPLY_VIA = "submit a change set (target_type supply_chain) for review"


def list_supply_chain(
    session: Session, principal: Principal, *, page: int = 1, per_page: int = 50
) -> Page[dict[str, Any]]:
    """Supply-chain records visible to the caller (public ones and their organisation's)."""
    query = repo.supply_chain_list(principal.organisation_id)
    return paginate(session, query, page=page, per_page=per_page, to_dict=supply_chain_to_dict)


def _supply_chain_row(session: Session, principal: Principal, record_id: int) -> SupplyChainRecord:
    row = session.get(SupplyChainRecord, record_id)
    return _readable_or_not_found(principal, row, f"supply-chain record {record_id}")


def get_supply_chain(session: Session, principal: Principal, record_id: int) -> dict[str, Any]:
    """One supply-chain record, if visible to the caller."""
    return supply_chain_to_dict(_supply_chain_row(session, principal, record_id))


def _check_vehicle_reference(session: Session, principal: Principal, vehicle_id: int | None) -> None:
    if vehicle_id is not None:
        try:
            _vehicle_row(session, principal, vehicle_id)
        except NotFoundError:
            raise InputError(f"no vehicle {vehicle_id} visible to you", field="vehicle_id") from None


def create_supply_chain(session: Session, principal: Principal, payload: dict[str, Any]) -> dict[str, Any]:
    """A supply-chain record of the caller's organisation (private unless ``visibility: public``)."""
    principal.require(principal.can_contribute, "create supply-chain records")
    data = clean_supply_chain(payload)
    _refuse_unreviewed_public(
        principal, data.get("visibility", Visibility.PRIVATE), "supply-chain record", via=_SUPPLY_VIA
    )
    _check_vehicle_reference(session, principal, data.get("vehicle_id"))
    row = SupplyChainRecord(
        organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        visibility=data.pop("visibility", Visibility.PRIVATE),
        **data,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        principal,
        "supply_chain.create",
        "supply_chain",
        row.id,
        private_to=_private_to(row),
    )
    return supply_chain_to_dict(row)


def update_supply_chain(
    session: Session, principal: Principal, record_id: int, payload: dict[str, Any], *, if_match: str | None
) -> dict[str, Any]:
    """Change a supply-chain record of the caller's organisation, guarded by If-Match."""
    row = _supply_chain_row(session, principal, record_id)
    principal.require(principal.can_contribute, "edit supply-chain records")
    if not principal.in_organisation(row.organisation_id):
        raise PermissionDeniedError("only members of the owning organisation edit its supply-chain records")
    data = clean_supply_chain(payload, partial=True)
    _refuse_unreviewed_public(
        principal, data.get("visibility", row.visibility), "supply-chain record", via=_SUPPLY_VIA
    )
    _check_vehicle_reference(session, principal, data.get("vehicle_id"))
    check_if_match(if_match, row.row_version)
    for key, value in data.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    session.flush()
    record_event(
        session,
        principal,
        "supply_chain.update",
        "supply_chain",
        row.id,
        detail={"fields": sorted(data), "row_version": row.row_version},
        private_to=_private_to(row),
    )
    return supply_chain_to_dict(row)


AGGREGATES_KIND = "supply_chain_by_battery_origin"
AGGREGATE_SNAPSHOTS_KEPT = 100
"""Older snapshots are deleted at each recomputation (the newest is the one published)."""


def compute_supply_chain_aggregates(session: Session) -> list[dict[str, Any]]:
    """Statistics of supply-chain records by battery origin, private ones included, as of now.

    A group is kept only when its records come from at least
    :data:`MIN_ORGANISATIONS_PER_AGGREGATE` organisations and number at least
    :data:`MIN_RECORDS_PER_AGGREGATE`; means are rounded to :data:`AGGREGATE_SHARE_STEP`,
    so no figure can be traced to one organisation or recovered by differencing.
    Not published directly: :func:`refresh_supply_chain_aggregates` stores it on a schedule.
    """
    out = []
    for country, n_orgs, n_records, green, local in repo.supply_chain_by_origin(session):
        if n_orgs < MIN_ORGANISATIONS_PER_AGGREGATE or n_records < MIN_RECORDS_PER_AGGREGATE:
            continue
        out.append(
            {
                "battery_origin_country": country,
                "organisations": int(n_orgs),
                "records": int(n_records),
                "mean_green_power_share": _round_share(green),
                "mean_local_content_share": _round_share(local),
                "rounded_to": AGGREGATE_SHARE_STEP,
            }
        )
    return out


def refresh_supply_chain_aggregates(session: Session, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Recompute the aggregates and store them as the published snapshot (cron, or the server's schedule).

    Appends the public audit event ``supply_chain.aggregates_refresh`` (which also invalidates the
    public-read cache).  Returns ``{computed_at, groups}``.
    """
    row = AggregateSnapshot(
        kind=AGGREGATES_KIND, groups=compute_supply_chain_aggregates(session), computed_at=now or utcnow()
    )
    session.add(row)
    session.flush()
    repo.prune_aggregate_snapshots(session, AGGREGATES_KIND, keep=AGGREGATE_SNAPSHOTS_KEPT)
    record_event(
        session,
        ANONYMOUS,
        "supply_chain.aggregates_refresh",
        "aggregates",
        AGGREGATES_KIND,
        detail={"groups": len(row.groups), "computed_at": row.computed_at.isoformat()},
    )
    return {"computed_at": row.computed_at.isoformat(), "groups": len(row.groups)}


def aggregates_refresh_due(session: Session, interval_s: float, *, now: dt.datetime | None = None) -> float:
    """Seconds until the stored snapshot is ``interval_s`` old (0 when there is none or it is older)."""
    latest = repo.latest_aggregate_snapshot(session, AGGREGATES_KIND)
    if latest is None:
        return 0.0
    age_s = ((now or utcnow()) - latest.computed_at).total_seconds()
    return max(0.0, interval_s - age_s)


def supply_chain_aggregates(session: Session) -> list[dict[str, Any]]:
    """The published statistics of supply-chain records by battery origin: the newest stored snapshot.

    Each group names when it was computed (``computed_at``).  Records created or changed since then
    show only after the next :func:`refresh_supply_chain_aggregates`; before the first one, nothing
    is published.
    """
    latest = repo.latest_aggregate_snapshot(session, AGGREGATES_KIND)
    if latest is None:
        return []
    computed_at = latest.computed_at.isoformat()
    return [{**group, "computed_at": computed_at} for group in latest.groups]


# --- scenarios and stored results ----------------------------------------------------------------


def scenario_to_dict(row: Scenario) -> dict[str, Any]:
    """Plain representation of a scenario."""
    return {
        "id": row.id,
        "name": row.name,
        "visibility": row.visibility,
        "organisation_id": row.organisation_id,
        "document": row.document,
        "created_at": row.created_at.isoformat(),
    }


def list_scenarios(
    session: Session, principal: Principal, *, page: int = 1, per_page: int = 50
) -> Page[dict[str, Any]]:
    """Scenarios visible to the caller."""
    query = repo.scenario_list(principal.organisation_id)
    return paginate(session, query, page=page, per_page=per_page, to_dict=scenario_to_dict)


def create_scenario(
    session: Session,
    principal: Principal,
    *,
    name: str,
    document: dict[str, Any],
    visibility: str = "private",
) -> dict[str, Any]:
    """Store a named scenario document of the caller's organisation."""
    principal.require(principal.can_contribute, "store scenarios")
    if not 1 <= len(name.strip()) <= 200:
        raise InputError("expected 1-200 characters", field="name")
    _refuse_unreviewed_public(
        principal, parse_visibility(visibility).value, "scenario", via="ask a maintainer to publish it"
    )
    row = Scenario(
        name=name.strip(),
        document=document,
        visibility=parse_visibility(visibility).value,
        organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        principal,
        "scenario.create",
        "scenario",
        row.id,
        private_to=_private_to(row),
    )
    return scenario_to_dict(row)


def get_scenario(session: Session, principal: Principal, scenario_id: int) -> dict[str, Any]:
    """One scenario, if visible."""
    row = _readable_or_not_found(principal, session.get(Scenario, scenario_id), f"scenario {scenario_id}")
    return scenario_to_dict(row)


def result_to_dict(row: StoredResult) -> dict[str, Any]:
    """Plain representation of a stored result."""
    return {
        "id": row.id,
        "kind": row.kind,
        "request": row.request,
        "result": row.result,
        "data_version": row.data_version,
        "rule_library_version": row.rule_library_version,
        "release_tag": row.release_tag,
        "note": row.note,
        "organisation_id": row.organisation_id,
        "created_at": row.created_at.isoformat(),
    }


def store_result(
    session: Session,
    principal: Principal,
    *,
    kind: str,
    request: dict[str, Any],
    result: dict[str, Any],
    data_version: str,
    rule_library_version: str,
    release_tag: str | None,
    note: str = "",
) -> dict[str, Any]:
    """Keep a calculation with the data and rule versions it used (private to the caller's organisation)."""
    principal.require(principal.can_contribute, "store results")
    row = StoredResult(
        kind=kind,
        request=request,
        result=result,
        data_version=data_version,
        rule_library_version=rule_library_version,
        release_tag=release_tag,
        organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        note=note,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        principal,
        "result.store",
        "result",
        row.id,
        detail={"kind": kind},
        private_to=principal.organisation_id,
    )
    return result_to_dict(row)


def list_results(
    session: Session, principal: Principal, *, page: int = 1, per_page: int = 50
) -> Page[dict[str, Any]]:
    """Stored results of the caller's organisation (anonymous callers have none)."""
    query = repo.result_list(principal.organisation_id)
    return paginate(session, query, page=page, per_page=per_page, to_dict=result_to_dict)


def get_result(session: Session, principal: Principal, result_id: int) -> dict[str, Any]:
    """One stored result of the caller's organisation."""
    row = session.get(StoredResult, result_id)
    if row is None or not principal.in_organisation(row.organisation_id):
        raise NotFoundError(f"no result {result_id}")
    return result_to_dict(row)
