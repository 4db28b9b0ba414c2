"""Evaluate schemes on vehicles (``evaluate``), on fleets (``evaluate_fleet``), across markets (``compare``).

Every evaluation returns an outcome and a trace (design part 2).  Values
whose status is not allowed (default: only ``enacted``) are refused; when the
caller allows them, the outcome says which statuses it rests on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import RoadcarbonError, RuleError, SpecError
from roadcarbon.rules.columns import (
    CYCLE_DEPENDENT_INPUTS,
    DERIVED_FROM,
    NUMERIC_INPUTS,
    Columns,
    as_columns,
    is_missing,
)
from roadcarbon.rules.conditions import evaluate_condition
from roadcarbon.rules.context import Context
from roadcarbon.rules.explain import _UNITS, EXPLAIN_MAX
from roadcarbon.rules.inputs import raise_all, rule_columns
from roadcarbon.rules.kinds.band_table import evaluate_band_table
from roadcarbon.rules.kinds.credits import evaluate_credits, evaluate_credits_fleet
from roadcarbon.rules.kinds.fleet_target import FleetInputs, evaluate_fleet_target
from roadcarbon.rules.kinds.lifecycle import evaluate_lifecycle
from roadcarbon.rules.kinds.mandate import evaluate_mandate, evaluate_mandate_fleet
from roadcarbon.rules.kinds.rate_scale import evaluate_rate_scale
from roadcarbon.rules.parameters import Status
from roadcarbon.rules.registry import Library
from roadcarbon.rules.schema import (
    BandTable,
    Kind,
    RateScale,
    Scheme,
    Source,
    referenced_inputs,
)
from roadcarbon.rules.tables import CycleConversion, find_chain
from roadcarbon.rules.trace import ParameterUse, Trace, plain
from roadcarbon.specs import Fleet, VehicleSpec

DEFAULT_ALLOW: tuple[Status, ...] = (Status.ENACTED,)
_DERIVED_FROM = DERIVED_FROM
_INTERNAL_KEYS = frozenset({"band_index", "row"})


STATUS_ORDER: tuple[str, ...] = ("enacted", "announced", "projected", "unverified", "assumption")
"""Statuses from firmest to weakest; an outcome's ``status`` is the weakest of the values it used."""
_RANK = {name: i for i, name in enumerate(STATUS_ORDER)}


@dataclass(frozen=True)
class RuleResult:
    """Outcome arrays (one value per vehicle, or fleet scalars) and the trace of one evaluation.

    ``where_used`` maps each parameter read to the vehicles whose outcome it decides
    (``None``: all vehicles); :meth:`vehicle_outcome` and :meth:`vehicle_trace` use it so
    that one vehicle's ``status`` and ``non_enacted`` list count only its own values.
    """

    scheme: str
    version: str
    on: dt.date
    n: int
    outcome: dict[str, Any]
    trace: Trace
    statuses: tuple[str, ...] = ()
    non_enacted: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    where_used: dict[str, Any] = field(default_factory=dict)

    def _counts(self, name: str, index: int) -> bool:
        where = self.where_used.get(name)
        return where is None or bool(where[index])

    def vehicle_outcome(self, index: int = 0) -> dict[str, Any]:
        """Plain outcome of one vehicle (JSON-ready)."""
        out: dict[str, Any] = {}
        for key, value in self.outcome.items():
            if key in _INTERNAL_KEYS:
                continue
            if key == "non_enacted":
                out[key] = [dict(e) for e in value if self._counts(e["parameter"], index)]
                continue
            if key == "non_enacted_parameters":
                out[key] = [name for name in value if self._counts(name, index)]
                continue
            if isinstance(value, np.ndarray) and value.ndim == 1 and value.shape[0] == self.n:
                out[key] = plain(value[index])
            else:
                out[key] = plain(value)
        return out

    def vehicle_trace(self, index: int = 0) -> list[dict[str, Any]]:
        """Plain trace of one vehicle (JSON-ready): only the parameters that decide its outcome."""
        one = self.trace.for_vehicle(index, self.n)
        one.parameters = [p for p in one.parameters if self._counts(p.name, index)]
        return one.to_list()


def _allowed(allow_status: Collection[Status | str] | None) -> set[Status]:
    if allow_status is None:
        return set(DEFAULT_ALLOW)
    if isinstance(allow_status, str):
        allow_status = [part.strip() for part in allow_status.split(",") if part.strip()]
    out = set()
    for s in allow_status:
        if s == "all":
            return set(Status)
        try:
            out.add(Status(s))
        except ValueError:
            names = ", ".join(x.value for x in Status)
            raise RuleError(
                f"unknown status {s!r}; expected one of: {names}, all", field="allow_status"
            ) from None
    return out | {Status.ENACTED}


def _version(scheme: Scheme, on: dt.date) -> str:
    version = scheme.version_on(on)
    if version is None:
        end = scheme.valid_to.isoformat() if scheme.valid_to else "open end"
        spans = ", ".join(
            f"{v.valid_from.isoformat()} to {v.valid_to.isoformat() if v.valid_to else 'open end'}"
            for v in scheme.versions
        )
        gap = scheme.valid_from <= on and (scheme.valid_to is None or on <= scheme.valid_to)
        raise RuleError(
            f"no version of {scheme.id} is in force on {on.isoformat()}; "
            + (
                f"that date falls in a gap between its versions ({spans}): those years are not encoded "
                "(`rules show` gives the scheme note saying why)"
                if gap
                else f"its versions cover {scheme.valid_from.isoformat()} to {end}"
            ),
            field="on",
        )
    return version.id


def _applicable(scheme: Scheme, ctx: Context) -> npt.NDArray[np.bool_]:
    cols, n = ctx.columns, ctx.n
    ok = np.ones(n, dtype=bool)
    if "category" in cols:
        ok &= ctx.isin("category", [c.value for c in scheme.scope.categories])
    if scheme.scope.powertrains is not None and "powertrain" in cols:
        ok &= ctx.isin("powertrain", [p.value for p in scheme.scope.powertrains])
    if not ok.any():
        cats = ", ".join(c.value for c in scheme.scope.categories)
        pts = ", ".join(p.value for p in scheme.scope.powertrains) if scheme.scope.powertrains else "any"
        category = str(cols["category"][0]) if "category" in cols else "?"
        powertrain = str(cols["powertrain"][0]) if "powertrain" in cols else "?"
        wrong = "category" if category not in cats.split(", ") else "powertrain"
        raise RuleError(
            f"{scheme.id} does not apply to these vehicles: its scope is categories [{cats}], "
            f"powertrains [{pts}] (first vehicle: {category}, {powertrain})",
            field=f"vehicle.{wrong}",
        )
    return ok


def _own_cycle_inputs(
    scheme: Scheme, ctx: Context, inputs: Iterable[str], applicable: npt.NDArray[np.bool_]
) -> dict[str, npt.NDArray[np.bool_]]:
    """Figures given on the scheme's own cycle replace the spec's (``own_cycle_inputs``); never converted.

    Returns, per spec input, where the own-cycle figure was read (those vehicles skip conversion).
    """
    read = set(inputs)
    given: dict[str, npt.NDArray[np.bool_]] = {}
    for name, own in scheme.own_cycle_inputs.items():
        if name not in read:
            continue
        own_col = np.asarray(ctx.column(own), dtype=np.float64)
        mask = applicable & ~np.isnan(own_col)
        if not mask.any():
            continue
        col = (
            np.asarray(ctx.columns[name], dtype=np.float64) if name in ctx.columns else np.full(ctx.n, np.nan)
        )
        ctx.columns[name] = np.where(mask, own_col, col)
        cycle = scheme.test_cycle.value if scheme.test_cycle is not None else "the scheme's cycle"
        ctx.trace.conversion(
            f"{name}: {own} read",
            {"applied_to": mask, "value": own_col},
            note=(
                f"{own} is the figure on {cycle}, the scheme's own cycle: it replaces the spec's {name} "
                "(whatever the spec's test_cycle) and is not converted"
            ),
        )
        given[name] = mask
    return given


def _convert_cycles(
    scheme: Scheme,
    ctx: Context,
    inputs: Iterable[str],
    conversions: Sequence[CycleConversion],
    applicable: npt.NDArray[np.bool_],
    own_given: dict[str, npt.NDArray[np.bool_]] | None = None,
) -> list[str]:
    """Convert cycle-dependent inputs measured on another cycle; returns the inputs converted.

    Vehicles in ``own_given[name]`` gave ``name`` on the scheme's own cycle: not converted.
    """
    version = scheme.version_on(ctx.on)
    cycle = (
        version.test_cycle if version is not None and version.test_cycle is not None else scheme.test_cycle
    )
    if cycle is None or "test_cycle" not in ctx.columns:
        return []
    target = cycle.value
    cycles = ctx.text("test_cycle")
    other = applicable & (cycles != target) & (cycles != "")
    if not other.any():
        return []
    ranges = ctx.conversion_ranges
    bases = {_DERIVED_FROM.get(name, name) for name in inputs} & set(CYCLE_DEPENDENT_INPUTS)
    powertrains = ctx.text("powertrain") if "powertrain" in ctx.columns else np.full(ctx.n, "")
    fuels = ctx.text("fuel") if "fuel" in ctx.columns else np.full(ctx.n, "")
    converted: list[str] = []
    for name in sorted(bases):
        if name not in ctx.columns:
            continue
        col = np.asarray(ctx.columns[name], dtype=np.float64).copy()
        needs = other & ~np.isnan(col) & (col != 0.0)  # zero (no tailpipe) is zero on every cycle
        if own_given and name in own_given:
            needs &= ~own_given[name]
        if not needs.any():
            continue
        for cycle, powertrain, fuel in sorted(
            {(cycles[i], powertrains[i], fuels[i]) for i in np.flatnonzero(needs)}
        ):
            found = find_chain(
                conversions,
                input_name=name,
                from_cycle=cycle,
                to_cycle=target,
                powertrain=powertrain,
                fuel=fuel,
            )
            if found is None:
                raise RuleError(
                    f"{scheme.id} reads {name} on {target}, the vehicle gives it on {cycle}, and the "
                    f"conversion table has no {cycle}->{target} factor for it (powertrain {powertrain}); "
                    f"give the {target} figure in the spec"
                    + (
                        f", or {scheme.own_cycle_inputs[name]} (the figure on {target}) beside it"
                        if name in scheme.own_cycle_inputs
                        else ""
                    ),
                    field=f"vehicle.{name}",
                )
            row, how = found
            factor = row.factor if how.startswith("same") else 1.0 / row.factor
            mask = needs & (cycles == cycle) & (powertrains == powertrain) & (fuels == fuel)
            col = np.where(mask, col * factor, col)
            # the factor itself is a value the outcome rests on: a study's ratio, not law
            factor_use = ParameterUse(
                name=f"cycle_conversion[{name}: {cycle}->{target}]",
                value=factor,
                unit="ratio",
                valid_from=ctx.on,
                source=row.source_id,
                locator=row.locator,
                status=Status.UNVERIFIED.value,
                note=(
                    f"test-cycle conversion factor from {row.source_id} ({row.locator}), a study's ratio, "
                    "not a legal correlation"
                    + (
                        f"; range {row.low}-{row.high}"
                        if row.low is not None and row.high is not None
                        else ""
                    )
                ),
            )
            ctx.record(factor_use, mask)
            if factor_use not in ctx.trace.parameters:
                ctx.trace.parameters.append(factor_use)
            if row.low is not None and row.high is not None:
                lo, hi = (row.low, row.high) if how.startswith("same") else (1.0 / row.high, 1.0 / row.low)
                ranges.append((name, mask, lo / factor, hi / factor))
            band = f", range {row.low}-{row.high}" if row.low is not None and row.high is not None else ""
            ctx.trace.conversion(
                f"{name}: {cycle} -> {target}",
                {
                    "factor": factor,
                    "low": row.low if how.startswith("same") or row.high is None else 1.0 / row.high,
                    "high": row.high if how.startswith("same") or row.low is None else 1.0 / row.low,
                    "applied_to": mask,
                    "source": row.source_id,
                    "locator": row.locator,
                },
                note=(
                    f"x {factor:.4g} ({row.quantity} {row.from_cycle}->{row.to_cycle}"
                    f"{', inverted' if how.startswith('inverse') else ''}"
                    f"{', row read in reverse' if how.endswith('_reversed') else ''}{band}; "
                    f"{row.source_id} {row.locator}). "
                    f"{row.note}".strip()
                ),
            )
        ctx.columns[name] = col
        converted.append(name)
    if converted:
        for name in DERIVED_FROM:  # recomputed from the converted fields on first use
            ctx.columns.pop(name, None)
    return converted


_RULE_SYMBOL = {
    "product": "{input} x {param}",
    "sum": "{input} + {param}",
    "add_product": "{target} + {input} x {param}",
}


def _apply_input_rules(scheme: Scheme, ctx: Context) -> None:
    for rule in scheme.input_rules:
        formula = _RULE_SYMBOL[rule.op].format(input=rule.input, param=rule.param, target=rule.target)
        mask = evaluate_condition(rule.when, ctx) if rule.when is not None else np.ones(ctx.n, dtype=bool)
        if not mask.any():
            ctx.trace.condition(
                f"input rule {rule.target} = {formula}",
                mask,
                note=(rule.note or "") + " (applies to none of these vehicles: its parameter is not used)",
            )
            continue
        with ctx.for_vehicles(mask):
            factor = ctx.number(rule.param)
        source = ctx.numeric(rule.input)
        current = (
            np.asarray(ctx.columns[rule.target], dtype=np.float64)
            if rule.target in ctx.columns
            else np.full(ctx.n, np.nan)
        )
        if rule.op == "product":
            # x 0 is 0 whatever the input ("counts as zero"): the input is not needed then
            value = np.zeros(ctx.n) if factor == 0.0 else source * factor
        elif rule.op == "sum":
            value = source + factor
        else:
            value = current + source * factor
        ctx.columns[rule.target] = np.where(mask, value, current)
        ctx.trace.condition(f"input rule {rule.target} = {formula}", mask, note=rule.note)
        if ctx.n <= EXPLAIN_MAX:  # the numbers, per vehicle (small evaluations only)
            shown: dict[str, Any] = {rule.input: np.where(mask, source, np.nan), rule.param: factor}
            if rule.op == "add_product":
                shown[f"{rule.target} as given"] = np.where(mask, current, np.nan)
            shown[rule.target] = np.where(mask, value, np.nan)
            ctx.trace.conversion(f"{rule.target} = {formula}", shown, note=rule.note or formula)
        ctx.trace.intermediate(rule.target, ctx.columns[rule.target])


def _required_inputs(scheme: Scheme) -> list[str]:
    """Inputs whose absence makes the evaluation impossible (not those only tested by conditions)."""
    block = scheme.kind_block()
    if isinstance(block, BandTable):
        return [m.input for m in block.metrics if m.missing == "error"]
    if isinstance(block, RateScale):
        return [block.tiers.input] if block.tiers is not None else []
    if scheme.kind is Kind.FLEET_TARGET and scheme.fleet_target is not None:
        return [scheme.fleet_target.metric, scheme.fleet_target.curve.input]
    if scheme.kind is Kind.LIFECYCLE and scheme.lifecycle is not None:
        optional = set(scheme.lifecycle.optional_stages)
        return [col for stage, col in scheme.lifecycle.stages.items() if stage not in optional]
    if scheme.kind is Kind.FORMULA:
        return [name for name in scheme.inputs if name in NUMERIC_INPUTS]
    return []


def _check_required(
    scheme: Scheme, ctx: Context, applicable: npt.NDArray[np.bool_], names: list[str]
) -> None:
    """Every required input missing for any vehicle, all named in one error (issue 9 section 2)."""
    problems: list[tuple[str, str]] = []
    for name in names:
        shown = f"{DERIVED_FROM[name]} (for {name})" if name in DERIVED_FROM else name
        base = DERIVED_FROM.get(name, name)
        try:
            column = ctx.column(name)
        except RuleError:
            problems.append((f"vehicle.{base}", f"the vehicle lacks {shown}, which {scheme.id} reads"))
            continue
        gap = applicable & is_missing(column)
        if not gap.any():
            continue
        names_col = ctx.columns.get("name")
        for i in np.flatnonzero(gap)[:5]:
            where = f"vehicle.{base}" if ctx.n == 1 else f"vehicles[{int(i)}].{base}"
            label = f"vehicle {int(i)}" if ctx.n > 1 else "vehicle"
            if names_col is not None and ctx.n > 1 and names_col[i]:
                label += f" ({names_col[i]})"
            problems.append((where, f"{label} lacks {shown}, which {scheme.id} reads"))
        if int(gap.sum()) > 5:
            problems.append((f"vehicles[*].{base}", f"{int(gap.sum()) - 5} more vehicles lack {shown}"))
    if problems:
        raise_all(problems)


def _check_price_currency(scheme: Scheme, ctx: Context, applicable: npt.NDArray[np.bool_]) -> None:
    """A price without its currency is an error naming ``price_currency`` (issue 9 section 3)."""
    if "price" not in scheme.inputs or "price" not in ctx.columns:
        return
    price = np.asarray(ctx.columns["price"], dtype=np.float64)
    codes = ctx.text("price_currency") if "price_currency" in ctx.columns else np.full(ctx.n, "")
    gap = applicable & ~np.isnan(price) & (codes == "")
    if gap.any():
        i = int(np.flatnonzero(gap)[0])
        raise SpecError(
            f"{'vehicle' if ctx.n == 1 else f'vehicle {i}'} gives a price without its currency; "
            f"{scheme.id} taxes prices in {scheme.currency or 'its own currency'}: give price_currency (ISO 4217)",
            field="vehicle.price_currency" if ctx.n == 1 else f"vehicles[{i}].price_currency",
        )


def _band_range(scheme: Scheme, ctx: Context, outcome: dict[str, Any], library: Library | None) -> None:
    """Say where the range of a test-cycle conversion factor could move a vehicle to another band."""
    assert scheme.band_table is not None
    bands = {}
    for end in (0, 1):
        cols = dict(ctx.columns)
        for name, mask, low, high in ctx.conversion_ranges:
            scale = low if end == 0 else high
            cols[name] = np.where(mask, np.asarray(cols[name], dtype=np.float64) * scale, cols[name])
        for derived in DERIVED_FROM:
            cols.pop(derived, None)
        probe = _context(scheme, ctx.on, cols, ctx.n, library)
        bands[end] = evaluate_band_table(scheme.band_table, probe)["band"]
    band = np.asarray(outcome["band"]).astype(str)
    low_band, high_band = np.asarray(bands[0]).astype(str), np.asarray(bands[1]).astype(str)
    flips = (low_band != band) | (high_band != band)
    if flips.any():
        notes = np.full(ctx.n, None, dtype=object)
        for i in np.flatnonzero(flips):
            notes[i] = (
                f"band {band[i]} with the central conversion factor; {low_band[i]} to {high_band[i]} "
                "across the factor's published range"
            )
        outcome["conversion_range_note"] = notes
        ctx.trace.condition("the conversion factor's range could change the band", flips)


def _trace_inputs(scheme: Scheme, ctx: Context, own_read: Iterable[str] = ()) -> None:
    """The vehicle's inputs as the scheme uses them (converted, derived), first in the trace."""
    if ctx.n > EXPLAIN_MAX:
        return
    own_read = set(own_read)
    for name in scheme.inputs:
        base = DERIVED_FROM.get(name)
        if name not in ctx.columns and (base is None or base not in ctx.columns):
            continue
        try:
            column = ctx.column(name)
        except RuleError:
            continue
        if bool(is_missing(np.asarray(column)).all()):
            continue  # not given: nothing to show (a required input is reported as missing)
        note = None
        if base is not None:
            raw = np.asarray(ctx.columns[base], dtype=np.float64)
            how = "100 / " if name == "fuel_economy_km_per_l" else "10 x "
            note = f"derived: {how}{base}" + (f" ({raw[0]:g})" if ctx.n == 1 else "")
        elif name in scheme.own_cycle_inputs and name in own_read:
            note = f"{scheme.own_cycle_inputs[name]} where given (the figure on the scheme's own cycle)"
        ctx.trace.input(name, column, _UNITS.get(name), note)


def _convert_prices(scheme: Scheme, ctx: Context, applicable: npt.NDArray[np.bool_]) -> None:
    """Prices in another currency are converted to the scheme's with sourced annual averages.

    The trace shows the price as given, each rate (year, source) and the converted price;
    a currency-year the table lacks is a clear refusal naming ``price_currency``, never a
    silent "not eligible" (issue 9 section 3).
    """
    target = scheme.currency
    if not target or "price" not in scheme.inputs or "price_currency" not in ctx.columns:
        return
    if "price" not in ctx.columns:
        return
    codes = ctx.text("price_currency")
    price = np.asarray(ctx.columns["price"], dtype=np.float64)
    foreign = applicable & (codes != target) & (codes != "") & ~np.isnan(price)
    if not foreign.any():
        return
    if ctx.exchange_rates is None:
        return  # no table (library=None): each kind says what it cannot compute
    converted = ctx.money("price", "price_currency", active=applicable)
    ctx.columns["price"] = np.where(foreign, converted, price)
    ctx.columns["price_currency"] = np.where(foreign, target, np.asarray(ctx.columns["price_currency"]))
    ctx._text.pop("price_currency", None)
    ctx._isin.clear()


def _check_status(
    scheme: Scheme,
    ctx: Context,
    allowed: set[Status],
    strict: bool,
    applicable: npt.NDArray[np.bool_] | None = None,
    *,
    per_vehicle: bool = True,
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, Any]]:
    """Statuses used, names of the non-enacted values, and the status part of the outcome.

    Default: label (``status`` = weakest status used, ``provisional``, ``non_enacted``).
    ``strict``: refuse unless every value used is enacted or its status is in ``allowed``.
    """
    uses = [u for u in ctx.used if _counts_somewhere(ctx.where_used(u.name), applicable)]
    if strict:
        refused = [u for u in uses if Status(u.status) not in allowed]
        if refused:
            listed = ", ".join(f"{u.name} ({u.status})" for u in refused[:4])
            more = f" and {len(refused) - 4} more" if len(refused) > 4 else ""
            statuses = ",".join(sorted({u.status for u in refused}))
            raise RuleError(
                f"{scheme.id} on {ctx.on.isoformat()} rests on values that are not enacted: {listed}{more}. "
                f"Strict mode refuses them; allow them explicitly (allow_status / --allow {statuses}) or "
                "evaluate without --strict (the outcome is then labelled provisional); `rules show` gives the reasons",
                field="allow_status",
            )
    used_statuses = tuple(sorted({u.status for u in uses}, key=_RANK.__getitem__))
    non_enacted_uses = [u for u in uses if u.status != Status.ENACTED.value]
    labels: dict[str, Any] = {}
    masks = [ctx.where_used(u.name) for u in non_enacted_uses]
    if per_vehicle and non_enacted_uses and any(m is not None for m in masks) and ctx.n > 1:
        everywhere = max(
            (_RANK[u.status] for u, m in zip(non_enacted_uses, masks, strict=True) if m is None), default=0
        )
        rank = np.full(ctx.n, everywhere, dtype=np.int8)
        for u, m in zip(non_enacted_uses, masks, strict=True):
            r = _RANK[u.status]
            if m is not None and r > everywhere:
                rank[m & (rank < r)] = r
        names = np.array(STATUS_ORDER)
        labels["status"] = names[rank]
        labels["provisional"] = rank > 0
    else:
        weakest = used_statuses[-1] if used_statuses else Status.ENACTED.value
        if per_vehicle and ctx.n == 1 and non_enacted_uses:
            weakest = max(
                (u.status for u, m in zip(non_enacted_uses, masks, strict=True) if m is None or m[0]),
                key=_RANK.__getitem__,
                default=Status.ENACTED.value,
            )
        labels["status"] = weakest
        labels["provisional"] = weakest != Status.ENACTED.value
    labels["non_enacted"] = [
        {
            "parameter": u.name,
            "value": plain(u.value),
            "unit": u.unit,
            "status": u.status,
            "reason": u.note or "",
            "source": u.source,
            "locator": u.locator,
        }
        for u in non_enacted_uses
    ]
    labels["non_enacted_parameters"] = [u.name for u in non_enacted_uses]
    return used_statuses, tuple(u.name for u in non_enacted_uses), labels


def _counts_somewhere(where: npt.NDArray[np.bool_] | None, applicable: npt.NDArray[np.bool_] | None) -> bool:
    if where is None:
        return True
    if applicable is None:
        return bool(where.any())
    return bool((where & applicable).any())


def _context(scheme: Scheme, on: dt.date, cols: Columns, n: int, library: Library | None) -> Context:
    sources: Mapping[str, Source] = library.sources if library is not None else {}
    rates = library.exchange_rates if library is not None else None
    return Context(scheme=scheme, on=on, columns=cols, n=n, sources=sources, exchange_rates=rates)


def _finish_outcome(
    scheme: Scheme, outcome: dict[str, Any], labels: dict[str, Any], library: Library | None
) -> dict[str, Any]:
    if "amount" in outcome or "penalty" in outcome:
        outcome["currency"] = scheme.currency
    outcome.update(labels)
    if library is not None and library.reform is not None:
        outcome["reform"] = library.reform
    return outcome


def evaluate(
    scheme: Scheme,
    vehicles: Sequence[VehicleSpec] | Mapping[str, npt.ArrayLike],
    on: dt.date,
    *,
    allow_status: Collection[Status | str] | None = None,
    library: Library | None = None,
    extra_inputs: Mapping[str, npt.ArrayLike] | None = None,
    strict: bool = False,
) -> RuleResult:
    """Evaluate one scheme on many vehicles at once.

    Parameters
    ----------
    scheme
        A validated scheme (``library.get(id)``).
    vehicles
        Vehicle specs, or ready-made columns (input name -> array of shape ``(n,)``).
    on
        Date of evaluation (registration or sale date, per the scheme's ``period_basis``).
    allow_status
        In strict mode, statuses accepted besides ``enacted`` (``"all"`` for every status).
    library
        Supplies the source registry (titles, addresses in the trace) and the
        test-cycle conversion table.
    strict
        Refuse (``RuleError`` on ``allow_status``) unless every value deciding an
        outcome is enacted or allowed.  Default ``False``: every value in force is
        used and the outcome is labelled (``status``, ``provisional``, ``non_enacted``).
    extra_inputs
        Columns the specs do not carry, e.g. life-cycle numbers for the
        ``lifecycle`` kind, shape ``(n,)`` each.

    Returns
    -------
    RuleResult
        Outcome arrays (``band``, ``tax_rate``, ``tax_base_share``,
        ``effective_rate``, ``amount`` [scheme currency, positive = paid,
        negative = received], ``credits``, ``eligible`` where they apply), the
        labels ``status``/``provisional`` (scalars, or arrays when vehicles differ),
        ``non_enacted`` and the trace.

    Raises
    ------
    RuleError
        No version in force on ``on``; in strict mode a value not allowed by ``allow_status``;
        a scheme that does not apply to the vehicles.
    SpecError
        A vehicle lacks a field the scheme reads (named).
    """
    allowed = _allowed(allow_status)
    if scheme.kind is Kind.FLEET_TARGET:
        raise RuleError(
            f"{scheme.id} is a {scheme.kind.value} scheme: evaluate it on a fleet (evaluate_fleet)",
            field="scheme",
        )
    version = _version(scheme, on)
    cols, n = as_columns(vehicles)
    if isinstance(vehicles, Sequence) and not isinstance(vehicles, Mapping):
        cols["name"] = np.array([v.name for v in vehicles], dtype=object)
    if extra_inputs:
        for key, value in extra_inputs.items():
            cols[key] = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()
    if n == 0:
        raise SpecError("no vehicles to evaluate", field="vehicles")
    ctx = _context(scheme, on, cols, n, library)
    applicable = _applicable(scheme, ctx)
    if not applicable.all():
        ctx.trace.condition("outside the scheme's scope (not evaluated)", ~applicable)
    block = scheme.kind_block()
    used_inputs = referenced_inputs(block) + referenced_inputs(scheme.input_rules)
    conversions = library.conversions if library is not None else ()
    own_given = _own_cycle_inputs(scheme, ctx, used_inputs, applicable)
    converted = _convert_cycles(scheme, ctx, used_inputs, conversions, applicable, own_given)
    _apply_input_rules(scheme, ctx)
    _check_required(scheme, ctx, applicable, _required_inputs(scheme))
    _check_price_currency(scheme, ctx, applicable)
    _convert_prices(scheme, ctx, applicable)
    _trace_inputs(scheme, ctx, own_given)
    if scheme.kind is Kind.BAND_TABLE:
        assert scheme.band_table is not None
        outcome = evaluate_band_table(scheme.band_table, ctx)
        if ctx.conversion_ranges and n <= EXPLAIN_MAX:
            _band_range(scheme, ctx, outcome, library)
    elif scheme.kind is Kind.RATE_SCALE:
        assert scheme.rate_scale is not None
        outcome = evaluate_rate_scale(scheme.rate_scale, ctx, applicable)
    elif scheme.kind is Kind.CREDITS:
        assert scheme.credits is not None
        outcome = evaluate_credits(scheme.credits, ctx)
    elif scheme.kind is Kind.MANDATE:
        assert scheme.mandate is not None
        outcome = evaluate_mandate(scheme.mandate, ctx)
    elif scheme.kind is Kind.LIFECYCLE:
        assert scheme.lifecycle is not None
        outcome = evaluate_lifecycle(scheme.lifecycle, ctx)
    elif scheme.kind is Kind.FORMULA:
        from roadcarbon.rules.formulas import run_formula

        assert scheme.formula is not None
        _use_schemes(scheme, ctx, vehicles, on, allow_status, library, extra_inputs, strict)
        outcome = run_formula(scheme.formula.name, ctx)
    else:
        raise RuleError(
            f"{scheme.id} is a {scheme.kind.value} scheme: evaluate it on a fleet (evaluate_fleet)",
            field="scheme",
        )
    result: dict[str, Any] = {k: _mask(v, applicable) for k, v in outcome.items()}
    if converted:
        result["converted_inputs"] = converted
        in_force = scheme.version_on(on)
        cycle = in_force.test_cycle if in_force and in_force.test_cycle else scheme.test_cycle
        result["test_cycle"] = cycle.value if cycle else None
    statuses, non_enacted, labels = _check_status(scheme, ctx, allowed, strict, applicable)
    result = _finish_outcome(scheme, result, labels, library)
    return RuleResult(
        scheme.id, version, on, n, result, ctx.trace, statuses, non_enacted, where_used=dict(ctx.where_map)
    )


def _use_schemes(
    scheme: Scheme,
    ctx: Context,
    vehicles: Sequence[VehicleSpec] | Mapping[str, npt.ArrayLike],
    on: dt.date,
    allow_status: Collection[Status | str] | None,
    library: Library | None,
    extra_inputs: Mapping[str, npt.ArrayLike] | None,
    strict: bool = False,
) -> None:
    """Evaluate the schemes a formula uses; their amounts become ``<id>.amount`` columns."""
    assert scheme.formula is not None
    if scheme.formula.uses and library is None:
        raise RuleError(f"{scheme.id} combines other schemes: pass library=", field="library")
    for used_id in scheme.formula.uses:
        assert library is not None
        used = evaluate(
            library.get(used_id),
            vehicles,
            on,
            allow_status=allow_status,
            library=library,
            extra_inputs=extra_inputs,
            strict=strict,
        )
        amount = np.asarray(used.outcome.get("amount", np.full(ctx.n, np.nan)), dtype=np.float64)
        ctx.columns[f"{used_id}.amount"] = amount
        ctx.trace.intermediate(f"{used_id}.amount", amount, scheme.currency, note=f"version {used.version}")
        for use in used.trace.parameters:
            prefixed = replace(use, name=f"{used_id}.{use.name}")
            ctx.trace.parameters.append(prefixed)
            ctx.record(prefixed, used.where_used.get(use.name))


def _mask(value: Any, applicable: npt.NDArray[np.bool_]) -> Any:
    if not isinstance(value, np.ndarray) or value.shape[:1] != applicable.shape or applicable.all():
        return value
    if value.dtype.kind == "f":
        return np.where(applicable, value, np.nan)
    out = value.astype(object)
    out[~applicable] = None
    return out


def fleet_columns(fleet: Fleet) -> tuple[Columns, npt.NDArray[np.float64], int]:
    """Columns of a fleet's specs and the sales per line."""
    specs = [entry.spec for entry in fleet.vehicles]
    cols, n = as_columns(specs)
    cols["name"] = np.array([s.name for s in specs], dtype=object)
    sales = np.array([entry.sales for entry in fleet.vehicles], dtype=np.float64)
    return cols, sales, n


def evaluate_fleet(
    scheme: Scheme,
    fleet: Fleet | FleetInputs,
    year: int,
    *,
    allow_status: Collection[Status | str] | None = None,
    library: Library | None = None,
    strict: bool = False,
    fleet_inputs: Mapping[str, float] | None = None,
) -> RuleResult:
    """Evaluate a fleet-level scheme (``fleet_target``, ``credits``, ``mandate``) for a compliance year.

    Parameters
    ----------
    scheme
        A validated fleet-level scheme.
    fleet
        A fleet (specs and sales), or ready-made :class:`FleetInputs` (columns + sales).
    year
        Compliance year; parameters are read on 1 January of that year.
    allow_status, strict
        As :func:`evaluate` (default: label, never refuse for status).
    fleet_inputs
        Fleet-level numbers the scheme declares under ``fleet_inputs`` (added to
        those of a :class:`FleetInputs`); every one a formula in force reads must be
        given, else one error names them all (``fleet.inputs.<name>``).

    Returns
    -------
    RuleResult
        ``outcome`` with ``target``, ``average``, ``unit``, ``compliant`` and,
        where the scheme has one, ``penalty`` with ``currency``.
    """
    allowed = _allowed(allow_status)
    if scheme.kind not in (Kind.FLEET_TARGET, Kind.CREDITS, Kind.MANDATE):
        raise RuleError(
            f"{scheme.id} is a {scheme.kind.value} scheme, evaluated per vehicle (evaluate), not per fleet",
            field="scheme",
        )
    on = dt.date(year, 1, 1)
    if scheme.version_on(on) is None and scheme.version_on(dt.date(year, 12, 31)) is not None:
        on = next(v.valid_from for v in scheme.versions if v.valid_from.year == year)
    version = _version(scheme, on)
    given: dict[str, float] = {}
    if isinstance(fleet, FleetInputs):
        cols, sales, n = dict(fleet.columns), fleet.sales, len(fleet.sales)
        given.update(fleet.inputs)
    else:
        cols, sales, n = fleet_columns(fleet)
    given.update(fleet_inputs or {})
    original_cols, original_sales = dict(cols), np.asarray(sales, dtype=np.float64).copy()
    ctx = _context(scheme, on, cols, n, library)
    ctx.fleet_inputs = _check_fleet_inputs(scheme, on, given)
    for name in sorted(ctx.fleet_inputs):
        decl = scheme.fleet_inputs[name]
        ctx.trace.input(
            f"fleet.{name}", ctx.fleet_inputs[name], decl.unit, note=f"fleet-level input: {decl.description}"
        )
    for name in required_fleet_inputs(scheme, on):
        default = scheme.fleet_inputs[name].default
        if name not in ctx.fleet_inputs and default is not None:
            ctx.trace.input(
                f"fleet.{name}",
                default,
                scheme.fleet_inputs[name].unit,
                note=f"not given: {default:g} is read",
            )
    applicable = _applicable(scheme, ctx)
    if not applicable.all():
        ctx.trace.condition("outside the scheme's scope (not counted)", ~applicable)
    block = scheme.kind_block()
    used_inputs = referenced_inputs(block) + referenced_inputs(scheme.input_rules)
    conversions = library.conversions if library is not None else ()
    own_given = _own_cycle_inputs(scheme, ctx, used_inputs, applicable)
    converted = _convert_cycles(scheme, ctx, used_inputs, conversions, applicable, own_given)
    _apply_input_rules(scheme, ctx)
    _check_required(scheme, ctx, applicable, _required_inputs(scheme))
    sales = np.where(applicable, sales, 0.0)
    ctx.trace.intermediate("sales", sales, "vehicles")
    if scheme.kind is Kind.FLEET_TARGET:
        assert scheme.fleet_target is not None
        outcome = evaluate_fleet_target(scheme.fleet_target, ctx, sales)
    elif scheme.kind is Kind.CREDITS:
        assert scheme.credits is not None
        outcome = evaluate_credits_fleet(scheme.credits, ctx, sales)
    else:
        assert scheme.mandate is not None
        outcome = evaluate_mandate_fleet(scheme.mandate, ctx, sales)
    if converted:
        outcome["converted_inputs"] = converted
    if scheme.offsets:
        _apply_offsets(
            scheme,
            ctx,
            outcome,
            FleetInputs(original_cols, original_sales, given),
            year,
            allow_status,
            library,
            strict,
        )
    overflowed = sorted(
        k for k, v in outcome.items() if isinstance(v, float | np.floating) and not np.isfinite(v)
    )
    if overflowed:  # e.g. 1e300 sales x 1e300 g/km: no legal outcome is infinite
        raise RuleError(
            f"{scheme.id}: the fleet's {', '.join(overflowed)} is not a finite number "
            "(sales or vehicle figures too large)",
            field="fleet.vehicles",
        )
    statuses, non_enacted, labels = _check_status(scheme, ctx, allowed, strict, per_vehicle=False)
    outcome = _finish_outcome(scheme, dict(outcome), labels, library)
    if "penalty" not in outcome:
        outcome.pop("currency", None)
    return RuleResult(scheme.id, version, on, n, outcome, ctx.trace, statuses, non_enacted)


def _apply_offsets(
    scheme: Scheme,
    ctx: Context,
    outcome: dict[str, Any],
    fleet: FleetInputs,
    year: int,
    allow_status: Collection[Status | str] | None,
    library: Library | None,
    strict: bool,
) -> None:
    """Clear this scheme's deficit with the surplus of other fleet schemes on the same fleet (one way).

    Adds ``offsets`` (per offset: the other scheme's surplus available, used, the deficit
    cleared, the ratio) and ``<balance>_after_offsets``; the other scheme's parameters
    count in this outcome's status.  Offsets whose ratio has no value on the date are skipped.
    """
    active = [
        o
        for o in scheme.offsets
        if (o.ratio is None or ctx.has(o.ratio)) and (o.param is None or ctx.has(o.param))
    ]
    if not active:
        return
    if library is None and any(o.scheme is not None for o in active):
        raise RuleError(f"{scheme.id} offsets its deficit with other schemes: pass library=", field="library")
    balance_key = active[0].balance
    balance = float(outcome[balance_key])
    rows: list[dict[str, Any]] = []
    if balance >= 0:  # nothing to clear: the other schemes and the ratio decide nothing
        ctx.trace.note("offsets", f"{balance_key} {balance:,.6g} >= 0: no deficit to offset")
        outcome["offsets"] = rows
        outcome[f"{balance_key}_after_offsets"] = balance
        return
    incomplete = False
    for offset in active:
        if offset.param is not None:
            source = offset.param
            available = max(0.0, ctx.number(offset.param))
            version = None
        else:
            assert library is not None
            assert offset.scheme is not None
            source = f"{offset.scheme} {offset.surplus}"
            other_scheme = library.get(offset.scheme)
            try:
                other = evaluate_fleet(
                    other_scheme,
                    FleetInputs(
                        fleet.columns,
                        fleet.sales,
                        {k: v for k, v in fleet.inputs.items() if k in other_scheme.fleet_inputs},
                    ),
                    year,
                    allow_status=allow_status,
                    library=library,
                    strict=strict,
                )
            except RoadcarbonError as exc:  # the fleet lacks what the other scheme reads: say so
                if not (exc.field or "").startswith(("vehicle", "fleet")):
                    raise
                reason = f"{offset.scheme} could not be evaluated on this fleet: {exc.message}"
                ctx.trace.note(f"offset {offset.id}", reason)
                rows.append({"id": offset.id, "scheme": offset.scheme, "not_evaluated": reason})
                incomplete = True
                continue
            for use in other.trace.parameters:
                prefixed = replace(use, name=f"{offset.scheme}.{use.name}")
                ctx.trace.parameters.append(prefixed)
                ctx.record(prefixed)
            available = max(0.0, float(other.outcome[offset.surplus]))
            version = other.version
        ratio = 1.0 if offset.ratio is None else ctx.number(offset.ratio)
        deficit = max(0.0, -balance)
        used = min(available, deficit / ratio) if ratio > 0 else 0.0
        cleared = used * ratio
        balance += cleared
        ctx.trace.intermediate(
            f"offset {offset.id}",
            cleared,
            note=(
                f"{source} {available:,.6g} available; deficit {deficit:,.6g}; "
                f"used {used:,.6g} x ratio {ratio:g} = {cleared:,.6g} cleared (a surplus of this scheme is "
                "never added to, only a deficit cleared)"
            ),
        )
        row: dict[str, Any] = {"id": offset.id}
        if offset.scheme is not None:
            row.update(scheme=offset.scheme, version=version)
        else:
            row["param"] = offset.param
        row.update(
            surplus_available=available,
            surplus_used=used,
            ratio=ratio,
            deficit_cleared=cleared,
            surplus_remaining=available - used,
        )
        rows.append(row)
    outcome["offsets"] = rows
    if incomplete:
        ctx.trace.note("offsets", "an offset could not be evaluated: no balance after offsets is given")
        return
    outcome[f"{balance_key}_after_offsets"] = balance
    ctx.trace.intermediate(f"{balance_key}_after_offsets", balance)


def required_fleet_inputs(scheme: Scheme, on: dt.date) -> list[str]:
    """The fleet-level inputs read by the parameter formulas in force on a date (through other formulas too).

    Those declared with a ``default`` are optional (the default is read when absent).
    """
    from roadcarbon.rules.expressions import formula_names

    needed: set[str] = set()
    seen: set[str] = set()
    todo = list(scheme.parameters)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in scheme.fleet_inputs:
            needed.add(name)
            continue
        parameter = scheme.parameters.get(name)
        found = parameter.dated(on) if parameter is not None else None
        if found is not None and found[1].formula is not None:
            todo.extend(formula_names(found[1].formula))
    return sorted(needed)


def _check_fleet_inputs(scheme: Scheme, on: dt.date, given: Mapping[str, float]) -> dict[str, float]:
    """The fleet-level inputs, checked: unknown names, non-numbers and every missing one named at once."""
    from roadcarbon.rules.inputs import raise_all

    problems: list[tuple[str, str]] = []
    for name, value in given.items():
        if name not in scheme.fleet_inputs:
            known = ", ".join(sorted(scheme.fleet_inputs)) or "none"
            problems.append(
                (f"fleet.inputs.{name}", f"{scheme.id} reads no such fleet-level input (it reads: {known})")
            )
        elif isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
            problems.append((f"fleet.inputs.{name}", f"expected a finite number, got {value!r}"))
    for name in required_fleet_inputs(scheme, on):
        if name not in given and scheme.fleet_inputs[name].default is None:
            decl = scheme.fleet_inputs[name]
            problems.append(
                (
                    f"fleet.inputs.{name}",
                    f"missing: {scheme.id} needs it on {on.isoformat()} [{decl.unit}] — {decl.description}",
                )
            )
    if problems:
        raise_all(problems)
    return {k: float(v) for k, v in given.items()}


def compare(
    vehicle: VehicleSpec | Mapping[str, Any],
    markets: Iterable[str] | None,
    on: dt.date,
    *,
    library: Library,
    allow_status: Collection[Status | str] | None = None,
    extra_inputs: Mapping[str, float] | None = None,
    strict: bool = False,
) -> list[dict[str, Any]]:
    """One row per scheme of the given markets (all markets if ``None``) for one vehicle on a date.

    Each row has ``scheme``, ``market``, ``title``, ``category`` and either
    ``outcome`` (with ``version``) or ``error`` (one line: why this scheme
    gives no outcome, e.g. not in force, outside its scope, a refused status,
    a missing field).  Per-vehicle kinds only; fleet-level schemes are listed
    with ``error`` saying they need a fleet.  Where the library has emission
    standards, one row per market of kind ``emission_standard`` says whether
    the vehicle's declared standard meets the level in force.
    """
    wanted = None if markets is None else {m.upper() for m in markets}
    rows: list[dict[str, Any]] = []
    for scheme in library.select():
        if wanted is not None and scheme.market not in wanted:
            continue
        row: dict[str, Any] = {
            "scheme": scheme.id,
            "market": scheme.market,
            "title": scheme.title,
            "category": scheme.category.value,
        }
        try:
            vehicles: Any = rule_columns(vehicle, scheme)[0] if isinstance(vehicle, Mapping) else [vehicle]
            result = evaluate(
                scheme,
                vehicles,
                on,
                allow_status=allow_status,
                library=library,
                extra_inputs=extra_inputs,
                strict=strict,
            )
        except (RuleError, SpecError) as exc:
            row["error"] = str(exc)
        else:
            row["version"] = result.version
            row["outcome"] = result.vehicle_outcome(0)
        rows.append(row)
    if library.standards is not None:
        seen = sorted({s.market for s in library.select()} if wanted is None else wanted)
        rows.extend(_standard_rows(vehicle, seen, on, library))
    return rows


def _standard_rows(
    vehicle: VehicleSpec | Mapping[str, Any], markets: list[str], on: dt.date, library: Library
) -> list[dict[str, Any]]:
    standards = library.standards
    assert standards is not None
    rows: list[dict[str, Any]] = []
    get = vehicle.get if isinstance(vehicle, Mapping) else lambda k: getattr(vehicle, k, None)
    emission_standard = get("emission_standard")
    powertrain = str(getattr(get("powertrain"), "value", get("powertrain")) or "")
    fuel = str(getattr(get("fuel"), "value", get("fuel")) or "")
    declared = standards.rank(emission_standard) if emission_standard else None
    zero_tailpipe = powertrain in ("BEV", "FCEV")
    for market in markets:
        if zero_tailpipe:
            rows.append(
                {
                    "scheme": f"{market}.emission_standard",
                    "market": market,
                    "category": "emission_standard",
                    "outcome": {
                        "eligible": True,
                        "note": "zero-tailpipe vehicle: exhaust-emission stages do not apply",
                    },
                }
            )
            continue
        required = standards.required(market, fuel, on)
        row: dict[str, Any] = {
            "scheme": f"{market}.emission_standard",
            "market": market,
            "category": "emission_standard",
        }
        if required is None:
            row["error"] = f"no emission standard for {market} in the library on {on.isoformat()}"
        else:
            level = standards.rank(required.stage)
            outcome: dict[str, Any] = {
                "required_stage": required.stage,
                "since": required.since.isoformat(),
                "status": required.status.value,
                "reference": {"source": required.reference.source, "locator": required.reference.locator},
            }
            if emission_standard is None:
                outcome["eligible"] = None
                outcome["note"] = "the spec declares no emission_standard"
            elif declared is None or level is None:
                outcome["eligible"] = None
                outcome["note"] = f"stage {emission_standard!r} has no known Euro equivalent in the library"
            else:
                outcome["eligible"] = declared.euro_rank >= level.euro_rank
                outcome["note"] = (
                    f"{emission_standard} ~ Euro {declared.euro_rank}; "
                    f"{required.stage} ~ Euro {level.euro_rank} (approximate equivalence)"
                )
            row["outcome"] = outcome
        rows.append(row)
    return rows
