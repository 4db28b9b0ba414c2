"""Request bodies (strict: unknown keys are refused)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

VehicleInput = Annotated[
    dict[str, Any] | str,
    Field(
        description="A vehicle spec (the design's vehicle-spec contract), a preset id, or `average`, "
        "`average-<powertrain>`, `average-<segment>-<powertrain>`: the country's market-average new car."
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _AssessmentOptions(_Strict):
    """Options shared by the life-cycle requests (the CLI's --grid-series, --grid-projection, --gwp)."""

    grid_series: Literal["production", "consumption"] | None = None
    grid_projection: str | None = Field(
        default=None,
        max_length=80,
        description="After the last grid data year: a scenario id of the projections package, or constant "
        "(null: the data's default)",
    )
    gwp: Literal["AR5", "AR6"] | None = Field(
        default=None,
        description="GWP100 metric of the gases roadcarbon converts (tailpipe CH4, N2O); null = AR5",
    )


class LcaRequest(_AssessmentOptions):
    """``POST /api/v1/lca``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"vehicle": "car-medium-bev", "country": "ID", "year": 2025},
                {"vehicle": "car-medium-petrol", "country": "DE", "year": 2030, "samples": 50, "seed": 1},
            ]
        },
    )

    vehicle: VehicleInput
    country: str = Field(
        min_length=1, max_length=100, description="ISO 3166-1 alpha-2/alpha-3 or English name"
    )
    year: int = Field(description="First year of use")
    samples: int | None = Field(default=None, description="Monte Carlo samples (2-10000), or null")
    seed: int | None = Field(default=None, description="Seed of the Monte Carlo generator")


class CompareRequest(_AssessmentOptions):
    """``POST /api/v1/compare``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"vehicles": ["car-medium-bev", "car-medium-petrol"], "country": "TH", "year": 2026}]
        },
    )

    vehicles: list[VehicleInput] = Field(min_length=2, max_length=10)
    country: str = Field(min_length=1, max_length=100)
    year: int


class EvaluateRequest(_Strict):
    """``POST /api/v1/rules/{scheme_id}/evaluate``."""

    vehicle: VehicleInput
    on: str = Field(description="Date YYYY-MM-DD (registration, sale or production date as the scheme says)")
    allow: list[str] | None = Field(
        default=None,
        description="In strict mode, statuses accepted besides 'enacted' (announced, projected, assumption, "
        "unverified, all)",
    )
    strict: bool = Field(
        default=False,
        description="Refuse unless every value used is enacted (or allowed); default: evaluate and label "
        "the outcome (status, provisional, non_enacted)",
    )
    inputs: dict[str, float] | None = Field(
        default=None, description="Extra input columns, e.g. life-cycle numbers"
    )


class EvaluateFleetRequest(_Strict):
    """``POST /api/v1/rules/{scheme_id}/evaluate-fleet``."""

    fleet: dict[str, Any] = Field(description="{name, vehicles: [{spec | preset, sales}]}")
    year: int
    allow: list[str] | None = None
    strict: bool = False
    on: str | None = Field(
        default=None,
        description="Per-vehicle schemes: date of evaluation YYYY-MM-DD (default 1 July of year)",
    )
    currency: str | None = Field(
        default=None,
        pattern="^[A-Z]{3}$",
        description="Per-vehicle schemes: also give totals in this currency",
    )


class CompareRulesRequest(_Strict):
    """``POST /api/v1/rules/compare``: one vehicle under the schemes of several markets (``rules compare``)."""

    vehicle: VehicleInput
    on: str
    markets: list[str] | None = Field(default=None, max_length=50, description="Market codes; all when null")
    allow: list[str] | None = None
    strict: bool = False


class SpecBody(_Strict):
    """A vehicle spec to store (private vehicles)."""

    spec: dict[str, Any]


class SupplyChainBody(_Strict):
    """A supply-chain record (shares 0-1, never percent)."""

    label: str | None = None
    vehicle_id: int | None = None
    battery_origin_country: str | None = None
    assembly_country: str | None = None
    green_power_share: float | None = None
    local_content_share: float | None = None
    sources: list[str] | None = None
    visibility: Literal["public", "private"] | None = None


class ChangeBody(_Strict):
    """One change of a change set."""

    target_type: Literal["vehicle", "dataset", "rule_scheme", "supply_chain"]
    target_id: int | None = None
    operation: Literal["create", "update"] | None = None
    payload: dict[str, Any]


class ContributionBody(_Strict):
    """A new change set."""

    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    sources: list[str] = Field(min_length=1)
    license: str
    changes: list[ChangeBody] = Field(min_length=1, max_length=50)


class ContributionPatch(_Strict):
    """Edits of a draft change set."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    sources: list[str] | None = None
    license: str | None = None
    changes: list[ChangeBody] | None = Field(default=None, min_length=1, max_length=50)


class ReviewBody(_Strict):
    """A reviewer's decision."""

    decision: Literal["approve", "reject"]
    comment: str = Field(min_length=1, max_length=10_000)


class CommentBody(_Strict):
    """A comment on a change set."""

    body: str = Field(min_length=1, max_length=10_000)


class ReleaseBody(_Strict):
    """A new release."""

    tag: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=300)
    notes: str = Field(default="", max_length=20_000)


class ApiTokenBody(_Strict):
    """A new API token."""

    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650, description="None: until revoked")


class PasswordChangeBody(_Strict):
    """Change your own password."""

    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class UserPatch(_Strict):
    """Change a user's role or deactivate them (admins)."""

    role: Literal["contributor", "reviewer", "org_admin", "maintainer"] | None = None
    active: bool | None = None


class OrganisationBody(_Strict):
    """A new organisation."""

    slug: str = Field(min_length=2, max_length=63)
    name: str = Field(min_length=1, max_length=200)


class UserBody(_Strict):
    """A new account in an organisation."""

    email: str = Field(min_length=3, max_length=254)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=200)
    role: Literal["contributor", "reviewer", "org_admin", "maintainer"]


class ScenarioBody(_Strict):
    """A scenario document to store."""

    name: str = Field(min_length=1, max_length=200)
    document: dict[str, Any]
    visibility: Literal["public", "private"] = "private"
