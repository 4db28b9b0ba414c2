"""Response schemas of the API: what each endpoint really answers (documentation, not a filter).

The routers keep building their documents with the services (the same dicts the CLI prints) and
answer them as they are; these models only describe them in ``/openapi.json`` (FastAPI does not
validate a returned ``Response``).  ``tests/api/test_fuzzing.py`` and
``tests/api/test_response_schemas.py`` check real answers against them, so a model that drifts from
what a service returns fails the tests.  Documents shared with the CLI name the keys of the design's
contract as required and allow more (``extra="allow"``): the engine and the rule library add keys
without breaking clients.  Times are ISO 8601 text (``datetime.isoformat()``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Doc(BaseModel):
    """A JSON object that may carry more keys than the ones listed."""

    model_config = ConfigDict(extra="allow")


class _Record(BaseModel):
    """A JSON object with exactly the keys listed (records of the database)."""

    model_config = ConfigDict(extra="forbid")


Json = dict[str, Any]


# --- meta and accounts -----------------------------------------------------------------------------


class Health(_Record):
    """``GET /health``."""

    status: Literal["ok"]
    database: str = Field(description="sqlite or postgresql")
    data_version: str
    rule_library_version: str
    release: str | None = Field(description="Tag of the latest release")


class AccessToken(_Record):
    """``POST /auth/token``."""

    access_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(description="Seconds")


class Me(_Record):
    """``GET /me``: ``{"anonymous": true}`` or the signed-in user."""

    anonymous: bool
    user_id: int | None = None
    email: str | None = None
    role: str | None = None
    organisation_id: int | None = None


class ApiToken(_Record):
    """An API token (never its secret)."""

    id: int
    name: str
    prefix: str
    created_at: str
    revoked_at: str | None
    expires_at: str | None


class NewApiToken(ApiToken):
    """``POST /auth/api-tokens``: the token with its secret, shown once."""

    token: str = Field(description="rct_...: send as Authorization: Bearer <token>")


class Organisation(_Record):
    """An organisation."""

    id: int
    slug: str
    name: str


class User(_Record):
    """An account (never its password hash)."""

    id: int
    email: str
    name: str
    role: str
    organisation_id: int
    active: bool


# --- calculations ----------------------------------------------------------------------------------


class Stages(_Doc):
    """g CO2e per km by life-cycle stage."""

    materials: float
    battery: float
    assembly: float
    energy_supply: float
    tailpipe: float
    maintenance: float
    end_of_life: float


class Uncertainty(_Doc):
    """Monte Carlo percentiles of the total g CO2e per km."""

    p05: float
    p50: float
    p95: float


class LcaDocument(_Doc):
    """The CLI's ``lca --json`` document."""

    country: str = Field(description="ISO 3166-1 alpha-2")
    year: int
    lifetime_km: float
    total_g_co2e_per_km: float
    stages_g_co2e_per_km: Stages
    total_t_co2e: float
    data_version: str
    uncertainty: Uncertainty | None = Field(default=None, description="With samples only")


class CompareDocument(_Doc):
    """The CLI's ``compare --json`` document."""

    country: str
    year: int
    data_version: str
    vehicles: list[LcaDocument]
    break_even: list[Json]
    cumulative_t_co2e: Json


class Preset(_Record):
    """A packaged vehicle preset."""

    id: str
    spec: Json


class StoredResult(_Record):
    """A stored calculation with the versions it used."""

    id: int
    kind: str
    request: Json
    result: Json
    data_version: str
    rule_library_version: str
    release_tag: str | None
    note: str
    organisation_id: int | None
    created_at: str


# --- rules -----------------------------------------------------------------------------------------


class SchemeSummary(_Doc):
    """One entry of ``rules list --json``."""

    id: str
    market: str
    title: str
    category: str
    valid_from: str | None
    valid_to: str | None


class SchemeDocument(_Doc):
    """A scheme with dated parameters, references and the sources it cites."""

    id: str
    market: str
    title: str
    category: str
    rule_library_version: str


class Evaluation(_Doc):
    """The CLI's ``rules evaluate --json`` document."""

    scheme: str
    on: str
    outcome: Json
    trace: list[Json]


class FleetEvaluation(_Doc):
    """The CLI's ``rules evaluate-fleet --json`` document."""

    scheme: str
    year: int
    outcome: Json
    trace: list[Json] | Json


class RulesComparison(_Doc):
    """The CLI's ``rules compare --json`` document."""

    on: str
    rows: list[Json]


class StoredVersion(_Record):
    """A stored version of a record (spec, package or scheme)."""

    version: int
    created_at: str
    contribution_id: int | None


# --- planner and policy lab ------------------------------------------------------------------------


class PlanDocument(_Doc):
    """The CLI's ``plan --json`` document."""

    status: str = Field(description="optimal or infeasible")
    currency: str | None
    profit: float | None
    mix: list[Json]
    fleet: list[Json]
    binding: list[Json]


class BundledScenario(_Record):
    """A bundled policy-lab scenario."""

    id: str
    name: str | None
    country: str | None
    segment: str | None
    baseline: str | None
    description: str | None


class BundledScenarioText(_Record):
    """A bundled scenario: parsed document and YAML text."""

    id: str
    document: Json
    text: str


class FleetRun(_Record):
    """A policy-lab run (the result once ``status`` is ``done``)."""

    id: int
    name: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1)
    step: str
    visibility: str
    organisation_id: int | None
    scenario_id: int | None
    bundled: str | None
    samples: int | None
    seed: int | None
    data_version: str
    rule_library_version: str
    error: str | None
    created_at: str | None
    finished_at: str | None
    result: Json | None = Field(default=None, description="Absent in lists; null until done")


# --- records ---------------------------------------------------------------------------------------


class Vehicle(_Record):
    """A vehicle model (``spec`` and ``versions`` when read one by one)."""

    id: int
    name: str
    powertrain: str
    category: str
    preset_id: str | None
    visibility: Literal["public", "private"]
    organisation_id: int | None
    version: int
    etag: str
    updated_at: str
    spec: Json | None = None
    versions: list[StoredVersion] | None = None


class VehicleVersion(_Record):
    """One stored spec version."""

    vehicle_id: int
    version: int
    spec: Json
    created_at: str


class DatasetSummary(_Record):
    """A dataset (``package`` when read one by one)."""

    id: int
    slug: str
    title: str
    license: str
    visibility: Literal["public", "private"]
    organisation_id: int | None
    version: int
    etag: str
    updated_at: str
    package: Json | None = Field(default=None, description="Frictionless data package")


class DatasetRow(_Doc):
    """A row of a dataset resource, tagged with the resource's name."""

    resource: str | None


class SupplyChainRecord(_Record):
    """A supply-chain record (shares 0-1)."""

    id: int
    organisation_id: int
    vehicle_id: int | None
    label: str
    battery_origin_country: str | None
    assembly_country: str | None
    green_power_share: float | None
    local_content_share: float | None
    sources: list[str]
    visibility: Literal["public", "private"]
    etag: str
    updated_at: str


class SupplyChainAggregate(_Record):
    """A disclosure-controlled group of supply-chain records (docs/platform.md)."""

    battery_origin_country: str
    organisations: int = Field(ge=3)
    records: int = Field(ge=5)
    mean_green_power_share: float | None
    mean_local_content_share: float | None
    rounded_to: float
    computed_at: str = Field(description="When the stored snapshot was recomputed (ISO 8601)")


class Scenario(_Record):
    """A stored scenario."""

    id: int
    name: str
    visibility: Literal["public", "private"]
    organisation_id: int | None
    document: Json
    created_at: str


# --- contributions, releases, audit ----------------------------------------------------------------


class Change(_Record):
    """One change of a change set."""

    target_type: str
    target_id: int | None
    operation: str
    base_version: int | None
    payload: Json


class Comment(_Record):
    """A review comment (``decision`` for approvals and rejections)."""

    author_id: int
    body: str
    decision: str | None
    created_at: str


class Contribution(_Record):
    """A change set (lists give the summary; one by one adds changes, report, impact, comments)."""

    id: int
    title: str
    status: Literal["draft", "submitted", "approved", "rejected", "published", "withdrawn"]
    conflict: str | None = Field(description="Why a release skipped it (rebase or withdraw)")
    author_id: int
    organisation_id: int
    license: str
    sources: list[str]
    reviewer_id: int | None
    release_id: int | None
    etag: str
    created_at: str
    submitted_at: str | None
    decided_at: str | None
    description: str | None = None
    changes: list[Change] | None = None
    private_changes_hidden: int | None = None
    validation_report: Json | None = None
    impact: Json | None = None
    comments: list[Comment] | None = None


class SkippedContribution(_Record):
    """An approved change set a release skipped (its record moved)."""

    contribution: int
    reason: str | None


class Release(_Record):
    """A release (``manifest`` when read one by one and when published)."""

    id: int
    tag: str
    title: str
    notes: str
    sha256: str
    created_at: str
    contributions: list[int]
    data_version: str | None
    rule_library_version: str | None
    skipped: list[SkippedContribution]
    manifest: Json | None = None


class AuditEvent(_Record):
    """One event of the append-only audit log."""

    id: int
    at: str
    actor_id: int | None
    organisation_id: int | None
    action: str
    target_type: str
    target_id: str
    detail: Json | None


# --- pages -----------------------------------------------------------------------------------------


class _Page(_Record):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)


class VehiclePage(_Page):
    """A page of vehicles."""

    items: list[Vehicle]


class DatasetPage(_Page):
    """A page of datasets."""

    items: list[DatasetSummary]


class SupplyChainPage(_Page):
    """A page of supply-chain records."""

    items: list[SupplyChainRecord]


class ScenarioPage(_Page):
    """A page of scenarios."""

    items: list[Scenario]


class ResultPage(_Page):
    """A page of stored results."""

    items: list[StoredResult]


class ContributionPage(_Page):
    """A page of change sets."""

    items: list[Contribution]


class ReleasePage(_Page):
    """A page of releases."""

    items: list[Release]


class AuditPage(_Page):
    """A page of audit events."""

    items: list[AuditEvent]


class FleetRunPage(_Page):
    """A page of policy-lab runs (without results)."""

    items: list[FleetRun]
