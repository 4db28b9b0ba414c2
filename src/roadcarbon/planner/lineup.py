"""Typed inputs of the planner: a validated lineup (pure data, no I/O).

The services layer reads a lineup file (design "Planner ... contracts"), resolves presets and
country names, and builds these objects; the planner never reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from roadcarbon.specs import VehicleSpec

TargetMode = Literal["hard", "priced"]
Incidence = Literal["maker", "buyer"]

OPTION_FIELDS: tuple[str, ...] = ("battery_production_country", "assembly_country", "local_content_share")
"""Spec fields a sourcing option may change (they move the life-cycle footprint and the incentives)."""


@dataclass(frozen=True)
class SourcingOption:
    """One sourcing choice of a model.

    Attributes
    ----------
    id
        Option id (unique within its model).
    extra_cost
        Extra cost per unit against the model's variable cost [lineup currency].
    changes
        Spec fields this option sets (a subset of :data:`OPTION_FIELDS`).
    """

    id: str
    extra_cost: float = 0.0
    changes: dict[str, str | float] = field(default_factory=dict)


@dataclass(frozen=True)
class Demand:
    """Demand of one model per year [units].

    Either fixed bounds (``minimum``, ``maximum``) or a linear demand curve: at a buyer price ``p``
    the volume is ``reference_volume x (1 + elasticity x (p - reference_price) / reference_price)``,
    clipped at 0; the curve then gives the maximum (so taxes and rebates that change the buyer
    price shift demand between models, e.g. Singapore's VES bands).
    """

    minimum: float = 0.0
    maximum: float | None = None
    elasticity: float | None = None
    reference_volume: float | None = None
    reference_price: float | None = None


@dataclass(frozen=True)
class PlannedModel:
    """One model of the lineup; ``spec`` carries its price in the lineup currency."""

    id: str
    spec: VehicleSpec
    price: float
    variable_cost: float
    demand: Demand
    options: tuple[SourcingOption, ...]
    plant: str | None = None


@dataclass(frozen=True)
class Policy:
    """Policy context of a plan.

    Attributes
    ----------
    schemes
        Scheme ids to apply; ``None``: every scheme of the market in force in each year.
    targets
        ``hard`` (fleet targets are constraints) or ``priced`` (a deficit pays the scheme's penalty;
        a scheme without a penalty stays a hard constraint).
    credit_price_buy, credit_price_sell
        Price of one credit [lineup currency]; ``None``: credits do not trade.
    banking
        Carry surplus credits to the next year of the plan.
    incidence
        ``maker`` (default): per-unit taxes and rebates change the maker's margin; ``buyer``:
        the buyer pays them (they only move demand through a demand curve).
    """

    schemes: tuple[str, ...] | None = None
    targets: TargetMode = "priced"
    credit_price_buy: float | None = None
    credit_price_sell: float | None = None
    banking: bool = False
    incidence: Incidence = "maker"


@dataclass(frozen=True)
class Lineup:
    """A maker's lineup in one market over one or more years."""

    market: str
    years: tuple[int, ...]
    currency: str
    models: tuple[PlannedModel, ...]
    plants: dict[str, float] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    name: str = "lineup"
