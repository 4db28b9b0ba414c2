"""Pydantic models of a regulation file (strict: unknown keys are refused).

A file ``data/regulations/<MARKET>/<stem>.yaml`` holds one scheme; its ``id``
is ``<MARKET>.<stem>``.  The format is described key by key in
``docs/rules.md``.  Numbers live only in ``parameters`` (dated, referenced,
with a status); the kind's block (``band_table``, ``rate_scale``, ...) says
how they are combined and names parameters and inputs by their names.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from roadcarbon.rules.columns import CYCLE_DEPENDENT_INPUTS, RULE_ONLY_NUMERIC_INPUTS
from roadcarbon.rules.parameters import Identifier, Parameter
from roadcarbon.types import Category, Powertrain, TestCycle

SchemeId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}\.[a-z][a-z0-9_]*$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
InputName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SchemeCategory(StrEnum):
    """What a scheme is (design part 2)."""

    EMISSION_BAND = "emission_band"
    FISCAL = "fiscal"
    FLEET_TARGET = "fleet_target"
    CREDIT = "credit"
    MANDATE = "mandate"
    LIFECYCLE = "lifecycle"


class Kind(StrEnum):
    """The closed set of evaluators (``rules/kinds``), plus dated Python formulas."""

    BAND_TABLE = "band_table"
    RATE_SCALE = "rate_scale"
    FLEET_TARGET = "fleet_target"
    CREDITS = "credits"
    MANDATE = "mandate"
    LIFECYCLE = "lifecycle"
    FORMULA = "formula"


class LegalReference(_Strict):
    """The instrument a scheme rests on."""

    instrument: str = Field(min_length=1)
    article: str | None = None
    address: str | None = None


class Scope(_Strict):
    """Which vehicles a scheme applies to; ``note`` says what the fields cannot."""

    categories: list[Category] = Field(min_length=1)
    powertrains: list[Powertrain] | None = None
    note: str | None = None


class Version(_Strict):
    """A dated version of a scheme: its own legal test cases are required."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$")]
    valid_from: dt.date
    valid_to: dt.date | None = None
    title: str | None = None
    test_cycle: TestCycle | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Version:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


# --- conditions ---------------------------------------------------------------------------------


class Op(StrEnum):
    """Comparison operators of a condition."""

    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    MISSING = "missing"
    PRESENT = "present"


class Compare(_Strict):
    """``input op threshold``: numeric thresholds always come from a parameter (``param``);
    ``in``/``not_in`` take a literal list of codes (``value``) or a parameter."""

    input: InputName
    op: Op
    param: Identifier | None = None
    value: list[str] | None = None

    @model_validator(mode="after")
    def _operand(self) -> Compare:
        if self.op in (Op.MISSING, Op.PRESENT):
            if self.param is not None or self.value is not None:
                raise ValueError(f"op {self.op.value!r} takes neither 'param' nor 'value'")
        elif self.op in (Op.IN, Op.NOT_IN):
            if (self.param is None) == (self.value is None):
                raise ValueError(
                    f"op {self.op.value!r} needs exactly one of 'param' or 'value' (a list of codes)"
                )
        elif self.param is None or self.value is not None:
            raise ValueError(
                f"op {self.op.value!r} compares with a number: give 'param' (a parameter name), not 'value'"
            )
        return self


class AllOf(_Strict):
    """True where every sub-condition is true."""

    all_of: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    """True where at least one sub-condition is true."""

    any_of: list[Condition] = Field(min_length=1)


class Not(_Strict):
    """True where the sub-condition is false."""

    not_: Condition = Field(alias="not")


Condition = Compare | AllOf | AnyOf | Not
AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


class InputRule(_Strict):
    """A derived or replaced input column: ``target = input (op) param`` where ``when`` holds.

    ``product`` multiplies an input by a parameter (e.g. Singapore's EV CO2 =
    electricity consumption [Wh/km] x 0.4 g/Wh); ``sum`` adds a parameter;
    ``add_product`` adds ``input x param`` to the target's own value (Singapore's
    PHEV CO2 = tailpipe CO2 + Wh/km x 0.4 g/Wh).
    """

    target: InputName
    op: Literal["product", "sum", "add_product"]
    input: InputName
    param: Identifier
    when: Condition | None = None
    note: str | None = None


# --- kinds --------------------------------------------------------------------------------------


class Direction(StrEnum):
    """Whether a lower or a higher value of a metric is the better band."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


class BandMetric(_Strict):
    """One banded metric: thresholds ordered from the best band to the worst.

    With ``inclusive: true`` a value equal to a threshold falls in the better band
    (``x <= t`` for lower-is-better).
    """

    input: InputName
    thresholds: Identifier
    direction: Direction = Direction.LOWER_IS_BETTER
    inclusive: bool = True
    missing: Literal["error", "worst_band", "ignore"] = "error"


class BandTable(_Strict):
    """Metrics -> band (``worst_of``: the worst metric decides; ``any_of``: the best) -> amount."""

    combine: Literal["worst_of", "any_of"]
    band_names: Identifier
    metrics: list[BandMetric] = Field(min_length=1)
    amounts: Identifier | None = None


class RateRow(_Strict):
    """A row of a rate scale: where ``when`` holds (first matching row wins), these apply."""

    id: Identifier
    when: Condition | None = None
    tax_rate: Identifier | None = None
    tax_base_share: Identifier | None = None
    amount: Identifier | None = None
    not_encoded: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _something(self) -> RateRow:
        if self.not_encoded is not None:
            if self.tax_rate is not None or self.amount is not None:
                raise ValueError("a 'not_encoded' row takes no 'tax_rate' or 'amount'")
            return self
        if self.tax_rate is None and self.amount is None:
            raise ValueError("a row needs 'tax_rate' or 'amount' (or 'not_encoded' with the reason)")
        if self.tax_base_share is not None and self.tax_rate is None:
            raise ValueError("'tax_base_share' needs 'tax_rate'")
        return self


class MarginalTiers(_Strict):
    """Marginal tiers: rate i applies to the part of ``input`` between upper bounds i-1 and i."""

    input: InputName
    upper_bounds: Identifier
    rates: Identifier


class RateScale(_Strict):
    """Conditions -> tax rate and tax-base share (rows), or marginal tiers on a base."""

    base: InputName | None = None
    base_currency_input: InputName | None = "price_currency"
    rows: list[RateRow] | None = None
    tiers: MarginalTiers | None = None
    no_match: Literal["error", "not_applicable"] = "error"

    @model_validator(mode="after")
    def _one(self) -> RateScale:
        if (self.rows is None) == (self.tiers is None):
            raise ValueError("give exactly one of 'rows' or 'tiers'")
        return self


class CurveSegments(_Strict):
    """Target curve ``base_i + slope_i * (x - pivot_i)`` on segment i (``x <= upper_bounds[i]``).

    ``slopes`` and ``pivots`` count as 0 while their parameter has no value on the date.
    """

    input: InputName
    upper_bounds: Identifier | None = None
    bases: Identifier
    slopes: Identifier | None = None
    pivots: Identifier | None = None


class Multiplier(_Strict):
    """Vehicles where ``when`` holds count ``factor`` times in the fleet average (super-credits)."""

    when: Condition
    factor: Identifier


class ZlevFactor(_Strict):
    """EU-style ZLEV factor: ``clamp(1 + y - x, 1, 1 + max_uplift)`` multiplies the target.

    ``y`` is the fleet share of low-emission vehicles, each weighted
    ``1 - metric * weight / threshold`` (Reg. 2019/631 Annex I 6.3).
    """

    threshold: Identifier
    weight: Identifier
    benchmark: Identifier
    max_uplift: Identifier


class Penalty(_Strict):
    """``round(excess, decimals) * rate * vehicles`` in ``currency``."""

    rate: Identifier
    rounding_decimals: Identifier | None = None


class FleetTarget(_Strict):
    """Sales-weighted fleet average of ``metric`` against a curve-based target."""

    metric: InputName
    unit: str
    averaging: Literal["arithmetic", "harmonic"]
    limit: Literal["max", "min"] = "max"
    curve: CurveSegments
    multipliers: list[Multiplier] = Field(default_factory=list)
    multiplier_cap: Identifier | None = None
    zlev: ZlevFactor | None = None
    phase_in_share: Identifier | None = None
    penalty: Penalty | None = None


class CreditRow(_Strict):
    """Per-vehicle credit ``clamp(base + slope * input, min, max) * product(adjustments)``."""

    id: Identifier
    when: Condition | None = None
    base: Identifier | None = None
    slope: Identifier | None = None
    input: InputName | None = None
    min: Identifier | None = None
    max: Identifier | None = None

    @model_validator(mode="after")
    def _formula(self) -> CreditRow:
        if (self.slope is None) != (self.input is None):
            raise ValueError("'slope' and 'input' go together")
        if self.base is None and self.slope is None:
            raise ValueError("a credit row needs 'base' and/or 'slope' with 'input'")
        return self


class Adjustment(_Strict):
    """A credit multiplier applied where ``when`` holds (all matching adjustments multiply)."""

    id: Identifier
    when: Condition
    factor: Identifier


class Requirement(_Strict):
    """Credits required = ``ratio`` x sales of the vehicles where ``base_when`` holds.

    ``reduced_when``/``reduced_factor``: those base vehicles count only ``factor`` x their sales
    (China's low-fuel-consumption cars, 0.2 in 2024-2025).
    """

    ratio: Identifier
    base_when: Condition | None = None
    reduced_when: Condition | None = None
    reduced_factor: Identifier | None = None


class Credits(_Strict):
    """Per-vehicle credits (first matching row) and, for fleets, a requirement and balance."""

    rows: list[CreditRow] = Field(min_length=1)
    adjustments: list[Adjustment] = Field(default_factory=list)
    requirement: Requirement | None = None
    unit: str = "credit"


class Mandate(_Strict):
    """A required share of qualifying vehicles; a share of 1 makes non-qualifying vehicles ineligible."""

    qualifying: Condition
    required_share: Identifier


class Lifecycle(_Strict):
    """A declaration per unit of energy delivered over life, split into named stages.

    Stage inputs are life-cycle numbers the caller computes (kg CO2e per
    product); ``energy_delivered_input`` is the energy provided over the
    service life [kWh], or the product of ``capacity_input`` and
    ``full_cycles`` (a parameter) when it is absent.  A stage listed in
    ``optional_stages`` may be missing: the outcome then says
    ``complete: false`` and the total covers the stages given.  ``obligation`` names a
    parameter (a code or flag) stating what is required on the date, so its
    status and reference reach the outcome even when no number is read.
    """

    stages: dict[Identifier, InputName] = Field(min_length=1)
    optional_stages: list[Identifier] = Field(default_factory=list)
    energy_delivered_input: InputName | None = None
    capacity_input: InputName | None = None
    full_cycles: Identifier | None = None
    limit: Identifier | None = None
    obligation: Identifier | None = None
    unit: str = "kg CO2e/kWh"

    @model_validator(mode="after")
    def _energy(self) -> Lifecycle:
        unknown = [s for s in self.optional_stages if s not in self.stages]
        if unknown:
            raise ValueError(f"optional_stages names stages not in 'stages': {unknown}")
        if self.energy_delivered_input is None and (self.capacity_input is None or self.full_cycles is None):
            raise ValueError("give 'energy_delivered_input', or 'capacity_input' with 'full_cycles'")
        return self


class Formula(_Strict):
    """A dated Python formula in ``rules/formulas`` (only where no kind fits).

    ``uses`` lists per-vehicle schemes evaluated first on the same vehicles and
    date; their amounts reach the formula as columns named ``<scheme id>.amount``
    and their parameters count in the trace and the status check.
    """

    name: Identifier
    uses: list[SchemeId] = Field(default_factory=list)


class FleetInput(_Strict):
    """A number about the whole fleet that a fleet document gives under ``inputs:``.

    Manufacturer-level figures a vehicle spec does not carry (the EU 2021-2024
    target reads the maker's own 2020 averages); parameter formulas read them by
    name.  They are the caller's figures, not law: they carry no status.
    """

    unit: str = Field(min_length=1)
    description: str = Field(min_length=1)
    default: float | None = None
    """Value read when the fleet document does not give it (optional input); ``None``: required."""


class Offset(_Strict):
    """Another fleet scheme's surplus clears this scheme's deficit (evaluate-fleet, same fleet and year).

    China's dual credits: a CAFC deficit (negative ``credit_balance``) may be cleared
    with the maker's own NEV positive credits (the NEV scheme's ``credits`` balance),
    one way only.  ``ratio`` (a parameter) is the deficit cleared per unit of surplus;
    the offset applies only while it has a value on the date.  Instead of another
    scheme, ``param`` names a parameter (typically a formula over fleet inputs, such
    as credits carried over from earlier years) whose value is the surplus available.
    Offsets apply in the order listed.
    """

    id: Identifier
    scheme: SchemeId | None = None
    param: Identifier | None = None
    surplus: Identifier = "credits"
    balance: Identifier = "credit_balance"
    ratio: Identifier | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Offset:
        if (self.scheme is None) == (self.param is None):
            raise ValueError("give exactly one of 'scheme' (another fleet scheme) or 'param' (a parameter)")
        return self


class Scheme(_Strict):
    """One regulation scheme file."""

    id: SchemeId
    market: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    title: str = Field(min_length=1)
    category: SchemeCategory
    kind: Kind
    authority: str | None = None
    legal_reference: list[LegalReference] = Field(min_length=1)
    scope: Scope
    test_cycle: TestCycle | None = None
    period: Literal["instant", "year"]
    period_basis: Literal[
        "registration_date", "sale_date", "model_year", "compliance_year", "production_date"
    ]
    currency: Currency | None = None
    last_verified_on: dt.date
    note: str | None = None
    versions: list[Version] = Field(min_length=1)
    inputs: list[InputName] = Field(min_length=1)
    input_rules: list[InputRule] = Field(default_factory=list)
    parameters: dict[Identifier, Parameter] = Field(min_length=1)
    fleet_inputs: dict[Identifier, FleetInput] = Field(default_factory=dict)
    own_cycle_inputs: dict[InputName, InputName] = Field(default_factory=dict)
    """Cycle-dependent spec input -> a rule input giving the same figure on the scheme's own cycle
    (e.g. ``electric_range_km: nev_electric_range_km``): where a vehicle gives it, it is read
    instead of the spec's figure and never converted."""
    offsets: list[Offset] = Field(default_factory=list)
    band_table: BandTable | None = None
    rate_scale: RateScale | None = None
    fleet_target: FleetTarget | None = None
    credits: Credits | None = None
    mandate: Mandate | None = None
    lifecycle: Lifecycle | None = None
    formula: Formula | None = None

    @model_validator(mode="after")
    def _kind_block(self) -> Scheme:
        blocks = {k.value: getattr(self, k.value) for k in Kind}
        if blocks[self.kind.value] is None:
            raise ValueError(f"kind {self.kind.value!r} needs a '{self.kind.value}' block")
        extra = [name for name, block in blocks.items() if block is not None and name != self.kind.value]
        if extra:
            raise ValueError(f"kind {self.kind.value!r} takes no {', '.join(repr(e) for e in extra)} block")
        if self.id.split(".")[0] != self.market:
            raise ValueError(f"id {self.id!r} must start with the market code {self.market!r}")
        starts = [v.valid_from for v in self.versions]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError("versions must be in date order with distinct valid_from")
        ids = [v.id for v in self.versions]
        if len(set(ids)) != len(ids):
            raise ValueError("version ids must be distinct")
        for prev, nxt in zip(self.versions, self.versions[1:], strict=False):
            if prev.valid_to is not None and prev.valid_to >= nxt.valid_from:
                raise ValueError(f"version {prev.id!r} overlaps version {nxt.id!r}")
        for spec_input, own in self.own_cycle_inputs.items():
            if own not in self.inputs:
                raise ValueError(f"own_cycle_inputs: {own!r} must be listed in inputs")
            if self.test_cycle is None:
                raise ValueError("own_cycle_inputs needs the scheme's test_cycle")
            if spec_input not in CYCLE_DEPENDENT_INPUTS:
                raise ValueError(f"own_cycle_inputs: {spec_input!r} is not a cycle-dependent input")
            if own not in RULE_ONLY_NUMERIC_INPUTS:
                raise ValueError(f"own_cycle_inputs: {own!r} is not a rule-only numeric input")
        if self.kind in (Kind.FLEET_TARGET, Kind.MANDATE, Kind.CREDITS) and self.period == "instant":
            pass  # per-vehicle evaluation is allowed too; fleet evaluation uses the year
        return self

    @property
    def valid_from(self) -> dt.date:
        """First day any version is in force."""
        return self.versions[0].valid_from

    @property
    def valid_to(self) -> dt.date | None:
        """Last day the last version is in force (``None``: open-ended)."""
        return self.versions[-1].valid_to

    def version_on(self, on: dt.date) -> Version | None:
        """The version in force on a date, or ``None``."""
        for version in self.versions:
            if version.valid_from <= on and (version.valid_to is None or on <= version.valid_to):
                return version
        return None

    def kind_block(self) -> BaseModel:
        """The configuration block of this scheme's kind."""
        block = getattr(self, self.kind.value)
        assert isinstance(block, BaseModel)
        return block


class Source(_Strict):
    """A bibliographic record in the shared source registry (``data/regulations/sources.yaml``)."""

    title: str = Field(min_length=1)
    publisher: str | None = None
    address: str | None = None
    accessed: dt.date | None = None
    published_on: dt.date | None = None
    tag: Literal["P", "P*", "P-UK", "O", "S", "S-code", "D", "M", "X"] | None = None
    note: str | None = None


class SourceRegistry(_Strict):
    """All sources, keyed by id."""

    sources: dict[Identifier, Source]


# Which fields of which blocks name a parameter, and which name an input column.  Used by the
# registry to check every reference at load time and by the evaluators to list the parameters a
# scheme reads (for the trace and the status check).
PARAM_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Compare: ("param",),
    InputRule: ("param",),
    BandMetric: ("thresholds",),
    BandTable: ("band_names", "amounts"),
    RateRow: ("tax_rate", "tax_base_share", "amount"),
    MarginalTiers: ("upper_bounds", "rates"),
    CurveSegments: ("upper_bounds", "bases", "slopes", "pivots"),
    Multiplier: ("factor",),
    ZlevFactor: ("threshold", "weight", "benchmark", "max_uplift"),
    Penalty: ("rate", "rounding_decimals"),
    FleetTarget: ("multiplier_cap", "phase_in_share"),
    CreditRow: ("base", "slope", "min", "max"),
    Adjustment: ("factor",),
    Requirement: ("ratio",),
    Mandate: ("required_share",),
    Lifecycle: ("full_cycles", "limit", "obligation"),
}
INPUT_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Compare: ("input",),
    InputRule: ("input",),
    BandMetric: ("input",),
    RateScale: ("base", "base_currency_input"),
    MarginalTiers: ("input",),
    CurveSegments: ("input",),
    FleetTarget: ("metric",),
    CreditRow: ("input",),
    Lifecycle: ("energy_delivered_input", "capacity_input"),
}


def _walk(node: object, table: dict[type[BaseModel], tuple[str, ...]], out: list[str]) -> None:
    if isinstance(node, BaseModel):
        for name in table.get(type(node), ()):
            value = getattr(node, name)
            if isinstance(value, str):
                out.append(value)
        if isinstance(node, Lifecycle) and table is INPUT_FIELDS:
            out.extend(node.stages.values())
        for name in type(node).model_fields:
            if name != "parameters":
                _walk(getattr(node, name), table, out)
    elif isinstance(node, list | tuple):
        for item in node:
            _walk(item, table, out)


def referenced_parameters(node: BaseModel | list[InputRule]) -> list[str]:
    """Parameter names a block (or a list of input rules) refers to, in order, without repeats."""
    out: list[str] = []
    _walk(node, PARAM_FIELDS, out)
    return list(dict.fromkeys(out))


def referenced_inputs(node: BaseModel | list[InputRule]) -> list[str]:
    """Input names a block refers to, in order, without repeats."""
    out: list[str] = []
    _walk(node, INPUT_FIELDS, out)
    return list(dict.fromkeys(out))
