"""Calculations: life-cycle assessment, comparison, presets (anonymous callers allowed, rate-limited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from roadcarbon.api.deps import CalculationPrincipal, ReadSession, WriteSession
from roadcarbon.api.responses import Format, respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.requests import CompareRequest, LcaRequest
from roadcarbon.services import calculations
from roadcarbon.services.exports import MEDIA_TYPES, olca_package
from roadcarbon.services.records import store_result
from roadcarbon.services.versions import data_version, rule_library_version

router = APIRouter(tags=["calculations"])


def _lca(body: LcaRequest, data: calculations.DataRelease) -> dict[str, object]:
    """The ``lca`` document on the latest release's reference factors (``data_version`` says which)."""
    return calculations.lca(
        body.vehicle,
        body.country,
        body.year,
        samples=body.samples,
        seed=body.seed,
        grid_series=body.grid_series,
        grid_projection=body.grid_projection,
        gwp=body.gwp,
        data=data,
    )


@router.post(
    "/lca",
    response_model=R.LcaDocument,
    summary="Life-cycle assessment of one vehicle (the CLI's `lca --json`)",
)
def post_lca(
    body: LcaRequest, principal: CalculationPrincipal, session: ReadSession, format: Format = "json"
) -> Response:
    """Same document as ``roadcarbon lca VEHICLE --country CC --year YYYY --json`` (on the latest release's
    reference factors: the packaged ones until a release corrects them; ``data_version`` then names it)."""
    return respond(_lca(body, calculations.release_data(session)), format, filename="lca")


@router.post(
    "/lca/olca",
    response_class=Response,
    responses={200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}},
    summary="Life-cycle assessment as an openLCA JSON-LD package (zip)",
)
def post_lca_olca(body: LcaRequest, principal: CalculationPrincipal, session: ReadSession) -> Response:
    """The result as olca-schema v2 entities (results per stage, impact category GWP100)."""
    document = _lca(body, calculations.release_data(session))
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
    """Stores request and result with the data release and rule-library version used.

    ``release_tag`` is the release whose reference factors the numbers use (None before any release).
    """
    principal.require(principal.can_contribute, "store results")
    data = calculations.release_data(session)
    document = _lca(body, data)
    stored = store_result(
        session,
        principal,
        kind="lca",
        request=body.model_dump(mode="json"),
        result=document,
        data_version=str(document.get("data_version") or data_version()),
        rule_library_version=rule_library_version(),
        release_tag=data.tag,
        note=note,
    )
    return respond(stored, status=201)


@router.post(
    "/compare",
    response_model=R.CompareDocument,
    summary="Compare vehicles: footprints and break-even distances",
)
def post_compare(
    body: CompareRequest, principal: CalculationPrincipal, session: ReadSession, format: Format = "json"
) -> Response:
    """Same document as ``roadcarbon compare --json`` (on the latest release's reference factors, as /lca)."""
    return respond(
        calculations.compare(
            body.vehicles,
            body.country,
            body.year,
            grid_series=body.grid_series,
            grid_projection=body.grid_projection,
            gwp=body.gwp,
            data=calculations.release_data(session),
        ),
        format,
        filename="compare",
    )


@router.get("/presets", response_model=list[R.Preset], summary="Packaged vehicle presets")
def get_presets(format: Format = "json") -> Response:
    """Preset ids and their specs."""
    return respond(calculations.presets(), format, filename="presets")
