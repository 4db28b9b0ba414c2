"""Request bodies of the policy-lab endpoints (``/api/v1/fleet``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioSource(_Strict):
    """Exactly one of: a bundled scenario id, an inline scenario document, a stored scenario id."""

    bundled: str | None = Field(default=None, max_length=100, examples=["th_ev35"])
    document: dict[str, Any] | None = None
    id: int | None = Field(default=None, ge=1, le=2**31 - 1)

    @model_validator(mode="after")
    def _one(self) -> ScenarioSource:
        given = [x for x in (self.bundled, self.document, self.id) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of bundled, document or id")
        return self


class FleetRunRequest(_Strict):
    """A policy-lab job: a scenario, optionally its baseline, optional Monte Carlo samples."""

    scenario: ScenarioSource
    baseline: ScenarioSource | None = Field(
        default=None, description="Default: the scenario's own `baseline` key (bundled scenarios name one)."
    )
    samples: int | None = Field(default=None, ge=2, le=2000, description="Monte Carlo samples for bands")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    visibility: Literal["public", "private"] | None = Field(
        default=None, description="Default: private to your organisation (anonymous runs are public)."
    )
