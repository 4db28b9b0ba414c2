"""A fleet scenario: the validated description of one country's segment, its policies and uncertainties.

A scenario file (YAML, see ``src/roadcarbon/data/scenarios/`` and ``docs/policy_lab.md``) is read by
:mod:`roadcarbon.io.scenarios`; this module only validates the parsed document. Validation names
EVERY problem at once (missing years, shares that do not sum to 1, unknown technologies and
schemes), so a user fixes a file in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roadcarbon.errors import InputError
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import Powertrain

MAX_YEAR = 2050
"""Last year a scenario may reach (design part 4: "to 2050")."""
SHARE_TOLERANCE = 1e-6
"""Allowed deviation of a year's sales shares from 1 (rounding in files)."""

Label = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$")]
Year = Annotated[int, Field(ge=1990, le=MAX_YEAR)]
MAX_VEHICLES = 1e10
"""Upper bound of a stock or a year's sales [vehicles] (the world's fleet is about 1.5e9)."""
Vehicles = Annotated[float, Field(ge=0.0, le=MAX_VEHICLES, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0.0, le=1e15, allow_inf_nan=False)]
Intensity = Annotated[float, Field(ge=0.0, le=5000.0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class ScenarioError(InputError):
    """A scenario document is invalid; ``problems`` lists every problem as ``(field, message)``."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        text = "; ".join(f"{f}: {m}" if f else m for f, m in problems)
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in scenario: {text}")
        self.field = problems[0][0] if problems else None

    def __str__(self) -> str:
        return self.message


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(_Strict):
    """A source cited by a scenario."""

    title: str = Field(min_length=1)
    url: str | None = None
    locator: str | None = None


class Technology(_Strict):
    """One technology of the fleet: a representative vehicle and its price."""

    spec: VehicleSpec
    preset: str | None = None
    price: Money | None = None
    price_source: str | None = None


class InitialStock(_Strict):
    """Vehicles in use at the end of the base year, by technology [vehicles]."""

    values: dict[Label, Vehicles] = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str | None = None


class Sales(_Strict):
    """New registrations: total per year [vehicles/year] and shares by technology [0-1]."""

    total: dict[Year, Vehicles] = Field(min_length=1)
    shares: dict[Year, dict[Label, Share]] = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str | None = None


class Survival(_Strict):
    """Weibull survival S(a) = exp(-(a/T)^k) with T set from a mean life."""

    mean_life_years: Annotated[float, Field(gt=0.0, le=60.0)]
    weibull_shape: Annotated[float, Field(gt=0.5, le=20.0)]
    source: str = Field(min_length=1)
    note: str | None = None


class Activity(_Strict):
    """Annual distance of a new vehicle [km/year] and its relative profile by age [1]."""

    annual_km_new: Annotated[float, Field(gt=0.0, le=500_000.0)]
    age_profile: list[Annotated[float, Field(ge=0.0, le=2.0)]] = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str | None = None


class GridPath(_Strict):
    """Grid intensity path of electricity used by the fleet [g CO2e/kWh generated]."""

    g_co2e_per_kwh: dict[Year, Intensity] = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str | None = None


class Mandate(_Strict):
    """From ``from_year``, at least ``min_share`` of new sales are of the listed powertrains."""

    from_year: Year
    to_year: Year | None = None
    powertrains: list[Powertrain] = Field(min_length=1)
    min_share: Share = 1.0
    source: str | None = None


class SchemeUse(_Strict):
    """A per-vehicle scheme of the rule library (tax, rebate, band) applied to the new sales."""

    id: str = Field(min_length=3)
    note: str | None = None


class Choice(_Strict):
    """Logit choice model parameters (see :func:`roadcarbon.fleet.stock.logit_shares`)."""

    price_elasticity: Annotated[float, Field(le=0.0, ge=-10.0)]
    source: str = Field(min_length=1)
    status: str = "assumption"
    note: str | None = None


class Policy(_Strict):
    """Policies of a scenario; an empty policy reproduces the baseline."""

    mandates: list[Mandate] = Field(default_factory=list)
    schemes: list[SchemeUse] = Field(default_factory=list)
    reference_schemes: list[SchemeUse] = Field(default_factory=list)
    choice: Choice | None = None


class Uncertainty(_Strict):
    """Relative spreads of the uncertain inputs for Monte Carlo (normal, truncated at 0)."""

    sales_total_relative_sd: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    annual_km_relative_sd: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    mean_life_relative_sd: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    grid_relative_sd: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    price_elasticity_range: tuple[float, float] | None = None
    source: str | None = None


class Scenario(_Strict):
    """A validated fleet scenario."""

    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    segment: str = Field(min_length=1, max_length=40)
    base_year: Year
    end_year: Year
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    sources: list[SourceRef] = Field(min_length=1)
    technologies: dict[Label, Technology] = Field(min_length=1)
    initial_stock: InitialStock
    sales: Sales
    survival: Survival
    activity: Activity
    grid: GridPath | None = None
    policy: Policy = Field(default_factory=Policy)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    baseline: str | None = None

    @property
    def years(self) -> list[int]:
        """Calendar years simulated, base year first [year]."""
        return list(range(self.base_year, self.end_year + 1))

    @property
    def labels(self) -> list[str]:
        """Technology labels in file order."""
        return list(self.technologies)


def _pydantic_problems(exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        out.append((loc, msg))
    return out


def _check_years(path: str, years: Collection[int], base: int, end: int) -> list[tuple[str, str]]:
    problems = []
    missing = [y for y in (base, end) if y not in years]
    if missing:
        problems.append(
            (
                path,
                f"missing years {', '.join(map(str, missing))} (a trajectory must give base_year and end_year)",
            )
        )
    outside = sorted(y for y in years if not base <= y <= end)
    if outside:
        problems.append((path, f"years {', '.join(map(str, outside))} lie outside {base}-{end}"))
    return problems


def semantic_problems(
    sc: Scenario, *, known_schemes: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Every problem of a structurally valid scenario that the schema alone cannot see.

    Parameters
    ----------
    sc
        The scenario.
    known_schemes
        Scheme id -> kind of the rule library; ``None`` skips the scheme check.
    """
    problems: list[tuple[str, str]] = []
    labels = set(sc.technologies)
    if sc.end_year <= sc.base_year:
        problems.append(("end_year", f"must be after base_year {sc.base_year}"))
    known = ", ".join(sorted(labels))
    problems.extend(
        (f"initial_stock.values.{key}", f"unknown technology (known: {known})")
        for key in sc.initial_stock.values
        if key not in labels
    )
    problems += _check_years("sales.total", sc.sales.total, sc.base_year, sc.end_year)
    problems += _check_years("sales.shares", sc.sales.shares, sc.base_year, sc.end_year)
    for year, shares in sc.sales.shares.items():
        problems.extend(
            (f"sales.shares.{year}.{key}", f"unknown technology (known: {known})")
            for key in shares
            if key not in labels
        )
        total = math.fsum(shares.values())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append((f"sales.shares.{year}", f"shares sum to {total:.6g}, not 1"))
    if sc.grid is not None:
        problems += _check_years("grid.g_co2e_per_kwh", sc.grid.g_co2e_per_kwh, sc.base_year, sc.end_year)
    present = {t.spec.powertrain for t in sc.technologies.values()}
    for i, m in enumerate(sc.policy.mandates):
        if not set(m.powertrains) & present:
            problems.append(
                (f"policy.mandates.{i}.powertrains", "no technology of the scenario has these powertrains")
            )
        if m.to_year is not None and m.to_year < m.from_year:
            problems.append((f"policy.mandates.{i}.to_year", "must not be before from_year"))
    if sc.policy.schemes or sc.policy.reference_schemes:
        if sc.policy.choice is None:
            problems.append(
                ("policy.choice", "schemes need a choice model (price_elasticity with its source)")
            )
        for name, uses in (
            ("schemes", sc.policy.schemes),
            ("reference_schemes", sc.policy.reference_schemes),
        ):
            for i, use in enumerate(uses):
                if known_schemes is None:
                    continue
                kind = known_schemes.get(use.id)
                if kind is None:
                    problems.append((f"policy.{name}.{i}.id", f"unknown scheme {use.id!r}"))
                elif kind in ("fleet_target", "credits", "mandate"):
                    problems.append(
                        (
                            f"policy.{name}.{i}.id",
                            f"{use.id} is a {kind} scheme; the policy lab applies per-vehicle schemes "
                            "(taxes, rebates, bands): give its effect as a mandate or a sales-share path",
                        )
                    )
        for i, (label, tech) in enumerate(sc.technologies.items()):
            del i
            if tech.price is None:
                problems.append((f"technologies.{label}.price", "required when the scenario applies schemes"))
        if sc.currency is None:
            problems.append(("currency", "required when the scenario applies schemes"))
    rng = sc.uncertainty.price_elasticity_range
    if rng is not None and not (rng[0] <= rng[1] <= 0.0):
        problems.append(("uncertainty.price_elasticity_range", "must be [low, high] with low <= high <= 0"))
    return problems


def parse_scenario(document: Any, *, known_schemes: Mapping[str, str] | None = None) -> Scenario:
    """Validate a parsed scenario document, naming every problem.

    Parameters
    ----------
    document
        The parsed YAML/JSON mapping (technology specs already resolved to mappings).
    known_schemes
        Scheme id -> kind of the rule library, for the scheme check.

    Raises
    ------
    ScenarioError
        With every problem found (structure first; then meaning, when the structure is sound
        enough to check it).
    """
    if not isinstance(document, Mapping):
        raise ScenarioError([("", "a scenario must be a mapping of keys to values")])
    try:
        sc = Scenario.model_validate(document)
    except ValidationError as exc:
        problems = _pydantic_problems(exc)
        problems += _partial_semantics(document)
        raise ScenarioError(problems) from None
    problems = semantic_problems(sc, known_schemes=known_schemes)
    if problems:
        raise ScenarioError(problems)
    return sc


def _partial_semantics(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Share sums and missing years, checked on a document that failed the schema."""
    problems: list[tuple[str, str]] = []
    sales = document.get("sales")
    base, end = document.get("base_year"), document.get("end_year")
    if not isinstance(sales, Mapping):
        return problems
    shares = sales.get("shares")
    if isinstance(shares, Mapping):
        for year, row in shares.items():
            if isinstance(row, Mapping):
                try:
                    total = math.fsum(float(v) for v in row.values())
                except (TypeError, ValueError):
                    continue
                if abs(total - 1.0) > SHARE_TOLERANCE:
                    problems.append((f"sales.shares.{year}", f"shares sum to {total:.6g}, not 1"))
    if isinstance(base, int) and isinstance(end, int):
        for key in ("total", "shares"):
            block = sales.get(key)
            if isinstance(block, Mapping):
                years = {y for y in block if isinstance(y, int)}
                problems += _check_years(f"sales.{key}", years, base, end)
    return problems
