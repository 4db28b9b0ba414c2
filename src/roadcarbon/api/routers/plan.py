"""``POST /api/v1/plan``: the manufacturer planner (the CLI's ``plan --json``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from roadcarbon.api import problems
from roadcarbon.api.deps import CalculationPrincipal
from roadcarbon.api.responses import respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.plan import PlanRequest
from roadcarbon.services import planning

router = APIRouter(tags=["planner"])


@router.post(
    "/plan",
    response_model=R.PlanDocument,
    summary="Profit-maximising compliant mix of a lineup (the CLI's `plan --json`)",
)
def post_plan(body: PlanRequest, principal: CalculationPrincipal, request: Request) -> Response:
    """Same document as ``roadcarbon plan LINEUP --json``; an infeasible plan answers 200 with ``status: infeasible``.

    A bad lineup answers 422 problem+json whose ``errors`` list names every offending field.
    """
    try:
        doc = planning.plan_document(
            body.lineup, years=body.years, pareto=body.pareto, base=None, with_trace=body.trace
        )
    except planning.LineupError as exc:
        errors = [
            {"field": f"lineup.{p['field']}" if p["field"] != "pareto" else "pareto", "message": p["message"]}
            for p in exc.problems
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problems.problem(
            422,
            detail,
            field=errors[0]["field"] if errors else None,
            errors=errors,
            instance=request.url.path,
        )
    return respond(doc, "json", filename="plan")
