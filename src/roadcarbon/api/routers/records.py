"""Browsing and editing records: vehicles, datasets, supply chain, scenarios, stored results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from roadcarbon.api.deps import CurrentPrincipal, Id, IfMatch, Page, PerPage, ReadSession, WriteSession
from roadcarbon.api.responses import Format, respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.requests import ScenarioBody, SpecBody, SupplyChainBody
from roadcarbon.services import records

router = APIRouter()


@router.get(
    "/vehicles",
    response_model=R.VehiclePage,
    tags=["vehicles"],
    summary="Vehicle models (public and your organisation's)",
)
def list_vehicles(
    session: ReadSession,
    principal: CurrentPrincipal,
    powertrain: Annotated[str | None, Query(max_length=10)] = None,
    category: Annotated[str | None, Query(max_length=30)] = None,
    q: Annotated[str | None, Query(max_length=100, description="name contains")] = None,
    page: Page = 1,
    per_page: PerPage = 50,
    format: Format = "json",
) -> Response:
    """Filtered, paginated list."""
    result = records.list_vehicles(
        session, principal, powertrain=powertrain, category=category, q=q, page=page, per_page=per_page
    )
    return respond(result.as_dict(), format, filename="vehicles")


@router.post(
    "/vehicles",
    response_model=R.Vehicle,
    tags=["vehicles"],
    status_code=201,
    summary="Store a vehicle private to your organisation",
)
def create_vehicle(body: SpecBody, session: WriteSession, principal: CurrentPrincipal) -> Response:
    """Public vehicles arrive through reviewed contributions."""
    out = records.create_private_vehicle(session, principal, body.spec)
    return respond(out, etag=out["etag"], status=201)


@router.get(
    "/vehicles/{vehicle_id}",
    response_model=R.Vehicle,
    tags=["vehicles"],
    summary="One vehicle with its current spec",
)
def get_vehicle(
    vehicle_id: Id, session: ReadSession, principal: CurrentPrincipal, format: Format = "json"
) -> Response:
    """With its list of versions; the ETag names the version for If-Match."""
    out = records.get_vehicle(session, principal, vehicle_id)
    return respond(out, format, filename=f"vehicle-{vehicle_id}", etag=out["etag"])


@router.put(
    "/vehicles/{vehicle_id}",
    response_model=R.Vehicle,
    tags=["vehicles"],
    summary="New spec version of a private vehicle (If-Match)",
)
def put_vehicle(
    vehicle_id: Id,
    body: SpecBody,
    session: WriteSession,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> Response:
    """412 when the vehicle changed since you read it."""
    out = records.update_private_vehicle(session, principal, vehicle_id, body.spec, if_match=if_match)
    return respond(out, etag=out["etag"])


@router.get(
    "/vehicles/{vehicle_id}/versions/{version}",
    response_model=R.VehicleVersion,
    tags=["vehicles"],
    summary="One stored spec version",
)
def get_vehicle_version(
    vehicle_id: Id,
    version: Id,
    session: ReadSession,
    principal: CurrentPrincipal,
) -> Response:
    """The spec as it was in that version."""
    return respond(records.get_vehicle_version(session, principal, vehicle_id, version))


@router.get(
    "/datasets",
    response_model=R.DatasetPage,
    tags=["datasets"],
    summary="Datasets (factor tables as data packages)",
)
def list_datasets(
    session: ReadSession,
    principal: CurrentPrincipal,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Page = 1,
    per_page: PerPage = 50,
    format: Format = "json",
) -> Response:
    """Filtered, paginated list."""
    return respond(
        records.list_datasets(session, principal, q=q, page=page, per_page=per_page).as_dict(),
        format,
        filename="datasets",
    )


@router.get(
    "/datasets/{key}",
    response_model=R.DatasetSummary,
    tags=["datasets"],
    summary="One dataset with its data package",
)
def get_dataset(
    key: Annotated[str, Path(max_length=100)], session: ReadSession, principal: CurrentPrincipal
) -> Response:
    """By id or slug."""
    out = records.get_dataset(session, principal, key)
    return respond(out, etag=out["etag"])


@router.get(
    "/datasets/{key}/rows",
    response_model=list[R.DatasetRow],
    tags=["datasets"],
    summary="The rows of a dataset (all resources)",
)
def get_dataset_rows(
    key: Annotated[str, Path(max_length=100)],
    session: ReadSession,
    principal: CurrentPrincipal,
    format: Format = "json",
) -> Response:
    """Each row tagged with its resource name."""
    return respond(records.dataset_rows(session, principal, key), format, filename=f"dataset-{key}")


@router.get(
    "/supply-chain",
    response_model=R.SupplyChainPage,
    tags=["supply chain"],
    summary="Supply-chain records (public and your organisation's)",
)
def list_supply_chain(
    session: ReadSession,
    principal: CurrentPrincipal,
    page: Page = 1,
    per_page: PerPage = 50,
    format: Format = "json",
) -> Response:
    """Private records of other organisations never appear."""
    return respond(
        records.list_supply_chain(session, principal, page=page, per_page=per_page).as_dict(),
        format,
        filename="supply-chain",
    )


@router.get(
    "/supply-chain/aggregates",
    response_model=list[R.SupplyChainAggregate],
    tags=["supply chain"],
    summary="Public statistics over at least 3 organisations",
)
def supply_chain_aggregates(session: ReadSession, format: Format = "json") -> Response:
    """Groups by battery origin; groups with fewer than 3 organisations are not shown."""
    return respond(records.supply_chain_aggregates(session), format, filename="supply-chain-aggregates")


@router.post(
    "/supply-chain",
    response_model=R.SupplyChainRecord,
    tags=["supply chain"],
    status_code=201,
    summary="Add a supply-chain record (private by default)",
)
def create_supply_chain(
    body: SupplyChainBody, session: WriteSession, principal: CurrentPrincipal
) -> Response:
    """Belongs to your organisation."""
    out = records.create_supply_chain(session, principal, body.model_dump(exclude_unset=True))
    return respond(out, etag=out["etag"], status=201)


@router.get(
    "/supply-chain/{record_id}",
    response_model=R.SupplyChainRecord,
    tags=["supply chain"],
    summary="One supply-chain record",
)
def get_supply_chain(record_id: Id, session: ReadSession, principal: CurrentPrincipal) -> Response:
    """404 for other organisations' private records."""
    out = records.get_supply_chain(session, principal, record_id)
    return respond(out, etag=out["etag"])


@router.patch(
    "/supply-chain/{record_id}",
    response_model=R.SupplyChainRecord,
    tags=["supply chain"],
    summary="Change a supply-chain record (If-Match)",
)
def patch_supply_chain(
    record_id: Id,
    body: SupplyChainBody,
    session: WriteSession,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> Response:
    """412 when the record changed since you read it; 428 without If-Match."""
    out = records.update_supply_chain(
        session, principal, record_id, body.model_dump(exclude_unset=True), if_match=if_match
    )
    return respond(out, etag=out["etag"])


@router.get(
    "/scenarios",
    response_model=R.ScenarioPage,
    tags=["scenarios"],
    summary="Stored scenarios (public and your organisation's)",
)
def list_scenarios(
    session: ReadSession,
    principal: CurrentPrincipal,
    page: Page = 1,
    per_page: PerPage = 50,
    format: Format = "json",
) -> Response:
    """Paginated."""
    return respond(
        records.list_scenarios(session, principal, page=page, per_page=per_page).as_dict(),
        format,
        filename="scenarios",
    )


@router.post(
    "/scenarios", response_model=R.Scenario, tags=["scenarios"], status_code=201, summary="Store a scenario"
)
def create_scenario(body: ScenarioBody, session: WriteSession, principal: CurrentPrincipal) -> Response:
    """Private to your organisation unless public."""
    return respond(
        records.create_scenario(
            session, principal, name=body.name, document=body.document, visibility=body.visibility
        ),
        status=201,
    )


@router.get("/scenarios/{scenario_id}", response_model=R.Scenario, tags=["scenarios"], summary="One scenario")
def get_scenario(scenario_id: Id, session: ReadSession, principal: CurrentPrincipal) -> Response:
    """404 for other organisations' private scenarios."""
    return respond(records.get_scenario(session, principal, scenario_id))


@router.get(
    "/results", response_model=R.ResultPage, tags=["results"], summary="Stored results of your organisation"
)
def list_results(
    session: ReadSession,
    principal: CurrentPrincipal,
    page: Page = 1,
    per_page: PerPage = 50,
    format: Format = "json",
) -> Response:
    """Each names the data release and rule-library version it used."""
    return respond(
        records.list_results(session, principal, page=page, per_page=per_page).as_dict(),
        format,
        filename="results",
    )


@router.get(
    "/results/{result_id}", response_model=R.StoredResult, tags=["results"], summary="One stored result"
)
def get_result(
    result_id: Id, session: ReadSession, principal: CurrentPrincipal, format: Format = "json"
) -> Response:
    """Only inside your organisation."""
    return respond(records.get_result(session, principal, result_id), format, filename=f"result-{result_id}")
