"""Policy lab over HTTP: bundled scenarios, and scenario runs as background jobs with progress and result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from roadcarbon.api.deps import CalculationPrincipal, CurrentPrincipal, Page, PerPage, ReadSession
from roadcarbon.api.problems import problem
from roadcarbon.api.responses import respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.fleet import FleetRunRequest, ScenarioSource
from roadcarbon.db.session import transaction
from roadcarbon.fleet.scenario import ScenarioError
from roadcarbon.services import fleet_runs

router = APIRouter(prefix="/fleet", tags=["policy lab"])

RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BundledId = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9_]+$")]


def _ref(src: ScenarioSource | None) -> fleet_runs.ScenarioRef | None:
    if src is None:
        return None
    return fleet_runs.ScenarioRef(bundled=src.bundled, document=src.document, id=src.id)


@router.get(
    "/scenarios",
    response_model=list[R.BundledScenario],
    summary="Bundled scenarios (copy one to start your own)",
)
def list_scenarios() -> Response:
    """Id, name, country, segment and the baseline each one is compared with."""
    return respond(fleet_runs.list_bundled())


@router.get(
    "/scenarios/{scenario_id}",
    response_model=R.BundledScenarioText,
    summary="One bundled scenario: document and YAML text",
)
def get_scenario(scenario_id: BundledId) -> Response:
    """The YAML text is what a user copies and edits."""
    return respond(fleet_runs.get_bundled(scenario_id))


@router.post(
    "/runs",
    status_code=202,
    response_model=R.FleetRun,
    summary="Run a scenario (against its baseline) as a background job",
    responses={202: {"description": "Queued; GET the Location for progress and result"}},
)
def post_run(body: FleetRunRequest, request: Request, principal: CalculationPrincipal) -> Response:
    """The scenario is validated now (422 naming every problem); the run continues in the background.

    The finished result is the CLI's ``fleet compare --json`` document when there is a baseline,
    ``fleet run --json`` otherwise (``result.kind`` says which).
    """
    try:
        with transaction(request.app.state.write_sessions) as session:
            out = fleet_runs.submit(
                session,
                principal,
                scenario=fleet_runs.ScenarioRef(
                    bundled=body.scenario.bundled, document=body.scenario.document, id=body.scenario.id
                ),
                baseline=_ref(body.baseline),
                samples=body.samples,
                seed=body.seed,
                visibility=body.visibility,
            )
    except ScenarioError as exc:
        errors = [{"field": f, "message": m} for f, m in exc.problems]
        return problem(422, str(exc), field=exc.field, errors=errors, instance=request.url.path)
    fleet_runs.start(request.app.state.write_sessions, out["id"])
    location = f"{request.url.path}/{out['id']}"
    response = respond(out, status=202)
    response.headers["Location"] = location
    return response


@router.get(
    "/runs",
    response_model=R.FleetRunPage,
    summary="Runs of your organisation (newest first, without results)",
)
def list_runs(
    session: ReadSession, principal: CurrentPrincipal, page: Page = 1, per_page: PerPage = 50
) -> Response:
    """Anonymous callers have none listed (their public runs are read by id)."""
    return respond(fleet_runs.list_runs(session, principal, page=page, per_page=per_page).as_dict())


@router.get(
    "/runs/{run_id}", response_model=R.FleetRun, summary="A run: status, progress and, when done, the result"
)
def get_run(run_id: RunId, session: ReadSession, principal: CurrentPrincipal) -> Response:
    """Poll until ``status`` is ``done`` or ``failed``; private runs of other organisations are 404."""
    return respond(fleet_runs.get_run(session, principal, run_id))
