"""Request body of ``POST /api/v1/plan``: a lineup (the CLI's lineup file as JSON)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PlanRequest(BaseModel):
    """``{"lineup": {...}, "years": null, "pareto": null}``; the lineup is validated by the planner service."""

    model_config = ConfigDict(extra="forbid")

    lineup: dict[str, Any] = Field(
        description="The lineup (design contract: market, years, currency, models, ...)."
    )
    years: list[int] | None = Field(default=None, description="Replace the lineup's years.")
    pareto: int | None = Field(default=None, description="Points of the profit-vs-emissions front (1-50).")
    trace: bool = Field(default=True, description="Include each chosen model's per-scheme trace.")
