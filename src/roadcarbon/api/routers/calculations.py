"""Calculations: life-cycle assessment, comparison, presets (anonymous callers allowed, rate-limited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from roadcarbon.api.deps import CalculationPrincipal, WriteSession
from roadcarbon.api.responses import Format, respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.requests import CompareRequest, LcaRequest
from roadcarbon.services import calculations
from roadcarbon.services.exports import MEDIA_TYPES, olca_package
from roadcarbon.services.records import store_result
from roadcarbon.services.releases import latest_release
from roadcarbon.services.versions import data_version, rule_library_version

router = APIRouter(tags=["calculations"])


def _lca(body: LcaRequest) -> dict[str, object]:
    return calculations.lca(
        body.vehicle,
        body.country,
        body.year,
        samples=body.samples,
        seed=body.seed,
        grid_series=body.grid_series,
        grid_projection=body.grid_projection,
        gwp=body.gwp,
    )


@router.post(
    "/lca",
    response_model=R.LcaDocument,
    summary="Life-cycle assessment of one vehicle (the CLI's `lca --json`)",
)
def post_lca(body: LcaRequest, principal: CalculationPrincipal, format: Format = "json") -> Response:
    """Same document as ``roadcarbon lca VEHICLE --country CC --year YYYY --json``."""
    return respond(_lca(body), format, filename="lca")


@router.post(
    "/lca/olca",
    response_class=Response,
    responses={200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}},
    summary="Life-cycle assessment as an openLCA JSON-LD package (zip)",
)
def post_lca_olca(body: LcaRequest, principal: CalculationPrincipal) -> Response:
    """The result as olca-schema v2 entities (results per stage, impact category GWP100)."""
    document = _lca(body)
    name = str(document.get("vehicle") or "vehicle")
    return Response(
        olca_package(document, vehicle_name=name),
        media_type=MEDIA_TYPES["olca"],
        headers={"Content-Disposition": 'attachment; filename="lca-olca-jsonld.zip"'},
    )


@router.post(
    "/results/lca",
    status_code=201,
    response_model=R.StoredResult,
    summary="Run and store a life-cycle assessment",
)
def store_lca(
    body: LcaRequest,
    principal: CalculationPrincipal,
    session: WriteSession,
    note: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """Stores request and result with the data release and rule-library version used."""
    principal.require(principal.can_contribute, "store results")
    document = _lca(body)
    release = latest_release(session)
    stored = store_result(
        session,
        principal,
        kind="lca",
        request=body.model_dump(mode="json"),
        result=document,
        data_version=str(document.get("data_version") or data_version()),
        rule_library_version=rule_library_version(),
        release_tag=release.tag if release else None,
        note=note,
    )
    return respond(stored, status=201)


@router.post(
    "/compare",
    response_model=R.CompareDocument,
    summary="Compare vehicles: footprints and break-even distances",
)
def post_compare(body: CompareRequest, principal: CalculationPrincipal, format: Format = "json") -> Response:
    """Same document as ``roadcarbon compare --json``."""
    return respond(
        calculations.compare(
            body.vehicles,
            body.country,
            body.year,
            grid_series=body.grid_series,
            grid_projection=body.grid_projection,
            gwp=body.gwp,
        ),
        format,
        filename="compare",
    )


@router.get("/presets", response_model=list[R.Preset], summary="Packaged vehicle presets")
def get_presets(format: Format = "json") -> Response:
    """Preset ids and their specs."""
    return respond(calculations.presets(), format, filename="presets")
