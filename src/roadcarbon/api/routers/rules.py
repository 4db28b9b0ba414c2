"""The rule library: list, show, evaluate (vehicle, fleet, cross-market)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from roadcarbon.api.deps import CalculationPrincipal, ReadSession, client_key
from roadcarbon.api.problems import PayloadTooLargeError
from roadcarbon.api.responses import Format, respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.requests import CompareRulesRequest, EvaluateFleetRequest, EvaluateRequest
from roadcarbon.services import regulations
from roadcarbon.services.calculations import resolve_fleet, resolve_vehicle

MAX_FLEET_ENTRIES = 10_000
"""Fleet entries per evaluate-fleet request (docs/batch.md); more: 413 problem+json."""

router = APIRouter(tags=["rules"])


def _rule_vehicle(value: Any) -> Any:
    """A preset (the full spec) or an inline spec kept as a mapping: the scheme checks only what it reads."""
    if isinstance(value, dict) and not (set(value) == {"preset"} and isinstance(value["preset"], str)):
        return value
    return resolve_vehicle(value)


def _published(session: Any) -> Any:
    """The rule library with the values published through reviewed contributions (the packaged one if none).

    The CLI (offline) answers with the packaged library; docs/platform.md.
    """
    from roadcarbon.services.value_changes_rules import published_library

    return published_library(session)


SchemeId = Annotated[str, Path(min_length=1, max_length=200)]


@router.get(
    "/rules",
    response_model=list[R.SchemeSummary],
    summary="Schemes of the rule library (the CLI's `rules list --json`)",
)
def list_rules(
    session: ReadSession,
    market: Annotated[str | None, Query(max_length=100, description="ISO 3166-1 code or name")] = None,
    format: Format = "json",
) -> Response:
    """Each with id, market, title, category, valid_from, valid_to."""
    return respond(regulations.list_schemes(market, library=_published(session)), format, filename="rules")


@router.post(
    "/rules/compare",
    response_model=R.RulesComparison,
    summary="One vehicle under several schemes (cross-market comparison)",
)
def compare_rules(
    body: CompareRulesRequest, principal: CalculationPrincipal, session: ReadSession, format: Format = "json"
) -> Response:
    """Same document as ``roadcarbon rules compare --json`` (with the published rule values)."""
    vehicle = _rule_vehicle(body.vehicle)
    document = regulations.compare(
        vehicle,
        body.on,
        markets=body.markets,
        allow=body.allow,
        strict=body.strict,
        library=_published(session),
    )
    return respond(document, format, filename="rules-compare")


@router.get(
    "/rules/{scheme_id}",
    response_model=R.SchemeDocument,
    summary="One scheme with dated parameters and references",
)
def get_rule(scheme_id: SchemeId, session: ReadSession) -> Response:
    """The scheme document (with the published rule values), the sources it cites and the rule-library version."""
    return respond(regulations.get_scheme(scheme_id, library=_published(session)))


@router.get(
    "/rules/{scheme_id}/versions",
    response_model=list[R.StoredVersion],
    summary="Stored versions of a scheme (from reviewed contributions)",
)
def get_rule_versions(scheme_id: SchemeId, session: ReadSession) -> Response:
    """Versions kept in the database."""
    return respond(regulations.scheme_versions(session, scheme_id))


@router.post(
    "/rules/{scheme_id}/evaluate",
    response_model=R.Evaluation,
    summary="Evaluate a scheme for one vehicle (the CLI's `rules evaluate`)",
)
def evaluate(
    scheme_id: SchemeId,
    body: EvaluateRequest,
    principal: CalculationPrincipal,
    session: ReadSession,
    format: Format = "json",
) -> Response:
    """``{scheme, on, outcome, trace}`` (with the published rule values)."""
    vehicle = _rule_vehicle(body.vehicle)
    document = regulations.evaluate(
        scheme_id,
        vehicle,
        body.on,
        allow=body.allow,
        inputs=body.inputs,
        strict=body.strict,
        library=_published(session),
    )
    return respond(document, format, filename="evaluation")


@router.post(
    "/rules/{scheme_id}/evaluate-fleet",
    response_model=R.FleetEvaluation,
    summary="Evaluate a scheme for a fleet (the CLI's `rules evaluate-fleet`)",
)
def evaluate_fleet(
    scheme_id: SchemeId,
    body: EvaluateFleetRequest,
    principal: CalculationPrincipal,
    request: Request,
    session: ReadSession,
    format: Format = "json",
) -> Response:
    """``{scheme, year, outcome, trace}`` (with the published rule values) with target, average, unit, compliant, penalty.

    Each fleet entry counts as one calculation against the caller's rate quota (the request itself is
    the first); at most ``MAX_FLEET_ENTRIES`` entries per request.
    """
    entries = body.fleet.get("vehicles") or []
    if isinstance(entries, list) and len(entries) > MAX_FLEET_ENTRIES:  # issue 15: documented cap
        raise PayloadTooLargeError(
            f"fleet.vehicles: {len(entries):,} entries exceed the limit of {MAX_FLEET_ENTRIES:,} per request; "
            "split the fleet or run it through `roadcarbon batch`"
        )
    if isinstance(entries, list) and len(entries) > 1:  # issue 15: each entry counts as one calculation
        request.app.state.calc_limiter.hit(client_key(request, principal), len(entries) - 1)
    if any(isinstance(e, dict) and isinstance(e.get("spec"), str) for e in entries):
        resolve_fleet(body.fleet)  # spec paths are refused over HTTP, naming the entry
    document = regulations.evaluate_fleet(
        scheme_id,
        body.fleet,
        body.year,
        allow=body.allow,
        strict=body.strict,
        on=body.on,
        currency=body.currency,
        library=_published(session),
    )
    return respond(document, format, filename="fleet-evaluation")
