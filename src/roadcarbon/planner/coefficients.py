"""Per-unit coefficients of a lineup, read from the rule library's own evaluations (pure).

Every tax, rebate, credit and fleet figure comes from :func:`roadcarbon.rules.evaluate` and
:func:`roadcarbon.rules.evaluate_fleet`; no rule logic is repeated here.  Fleet-level schemes are
linearised by *probing*: each candidate (model x sourcing option) is evaluated as a one-vehicle
fleet, which gives its own average and target (fleet targets), its credits and requirement
(credit schemes) or whether it qualifies (mandates).  For an arithmetic, sales-weighted average
without multipliers, phase-in or target factors, ``average - target = sum(x_k (c_k - t_k)) / sum(x_k)``
exactly, so the compliance condition and the penalty ``rate x excess x vehicles`` are linear in the
units ``x``.  Each fleet scheme is then checked against the library on a mixed test fleet; where
the linear form does not reproduce the library (super-credits, phase-in, ZLEV factor, harmonic
averages), the row is marked ``exact = False`` and the plan says so.  Reported fleet figures are
always the library's own evaluation of the chosen mix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import InputError, RuleError, SpecError
from roadcarbon.planner.lineup import Lineup
from roadcarbon.rules import FleetInputs, Kind, Library, RuleResult, Scheme, evaluate, evaluate_fleet
from roadcarbon.rules.columns import as_columns
from roadcarbon.rules.currency import convert_money
from roadcarbon.specs import Fleet, FleetEntry, VehicleSpec
from roadcarbon.types import FloatArray

PER_VEHICLE_KINDS = (Kind.BAND_TABLE, Kind.RATE_SCALE, Kind.FORMULA)
FLEET_KINDS = (Kind.FLEET_TARGET, Kind.CREDITS, Kind.MANDATE)
_LINEAR_RTOL = 1e-6
_OUT_OF_SCOPE = "does not apply to these vehicles"


@dataclass(frozen=True)
class Candidate:
    """One model with one sourcing option."""

    model: int
    option: int
    model_id: str
    option_id: str
    spec: VehicleSpec


@dataclass
class FleetRow:
    """One fleet-level scheme in one year, as a linear *surplus* ``sum(surplus_k x_k) >= 0``.

    Attributes
    ----------
    surplus
        Per unit [``unit`` x vehicle]: fleet targets ``t_k - c_k`` (limit max) or ``c_k - t_k``
        (limit min); credits ``credits_k - required_k``; mandates ``qualifies_k - required_share``.
    in_scope
        Candidates the scheme counts.
    penalty_rate
        Penalty per (``unit`` x vehicle) of deficit [lineup currency]; ``None``: no penalty.
    exact
        The linear form reproduced the library on a mixed test fleet.
    phase_in_share
        Fleet targets with a phase-in (EU 2020: 95 %): the share of the units the scheme counts.
        The row then reads counted units ``y_k`` (``0 <= y_k <= x_k``, ``sum y = share x sum x``),
        not ``x_k``, and ``penalty_rate`` is per counted unit, as the library's penalty
        (Reg. (EU) 2019/631 Art. 8(2): excess x rate x the cars counted).  The optimiser leaves out
        the units with the largest ``c_k - t_k``; the library the highest-emitting (largest ``c_k``):
        the same units whenever the two orders agree (checked, ``exact`` otherwise ``False``).
    """

    scheme: str
    title: str
    kind: str
    year: int
    unit: str
    surplus: FloatArray
    in_scope: npt.NDArray[np.bool_]
    penalty_rate: float | None = None
    tradable: bool = False
    limit: str = "max"
    exact: bool = True
    status: str = "enacted"
    notes: list[str] = field(default_factory=list)
    phase_in_share: float | None = None


@dataclass
class Coefficients:
    """Everything the optimiser needs, shape ``(K, Y)`` per candidate and year."""

    lineup: Lineup
    candidates: tuple[Candidate, ...]
    years: tuple[int, ...]
    unit_margin: FloatArray
    amounts: dict[str, FloatArray]
    amount_results: dict[tuple[str, int], RuleResult]
    demand_max: FloatArray
    t_co2e: FloatArray
    g_co2e_per_km: FloatArray
    fleet_rows: list[FleetRow]
    schemes_used: list[str]
    notes: list[str] = field(default_factory=list)


def candidates(lineup: Lineup) -> tuple[Candidate, ...]:
    """Every model x sourcing option of a lineup, with the option's spec (price in the lineup currency)."""
    out: list[Candidate] = []
    for m, model in enumerate(lineup.models):
        for o, option in enumerate(model.options):
            update: dict[str, Any] = {"price": model.price, "price_currency": lineup.currency}
            update.update(option.changes)
            spec = VehicleSpec.model_validate({**model.spec.model_dump(), **update})
            out.append(Candidate(m, o, model.id, option.id, spec))
    return tuple(out)


def year_date(year: int) -> dt.date:
    """Date on which per-unit schemes are evaluated for a plan year (1 January)."""
    return dt.date(year, 1, 1)


def _in_force(scheme: Scheme, year: int) -> bool:
    if scheme.period == "year":
        return (
            scheme.version_on(dt.date(year, 1, 1)) is not None
            or scheme.version_on(dt.date(year, 12, 31)) is not None
        )
    return scheme.version_on(year_date(year)) is not None


def select_schemes(lineup: Lineup, library: Library) -> list[Scheme]:
    """Schemes of the plan: the policy's list, or every scheme of the market."""
    if lineup.policy.schemes is not None:
        return [library.get(s) for s in lineup.policy.schemes]
    return library.select(lineup.market)


def _to_currency(
    amount: FloatArray, scheme: Scheme, lineup: Lineup, on: dt.date, library: Library
) -> FloatArray:
    if scheme.currency is None or scheme.currency == lineup.currency:
        return amount
    if library.exchange_rates is None:
        raise RuleError(f"{scheme.id} is in {scheme.currency}: exchange rates are needed", field="currency")
    converted, _ = convert_money(
        amount,
        np.full(amount.shape, scheme.currency),
        lineup.currency,
        on,
        library.exchange_rates,
        field="currency",
    )
    return converted


def _spec_problem(scheme: Scheme, cands: Sequence[Candidate], on: dt.date, library: Library) -> InputError:
    """Name the candidate whose spec lacks what a scheme reads."""
    for cand in cands:
        try:
            evaluate(scheme, [cand.spec], on, library=library)
        except (SpecError, RuleError) as exc:
            if not _vehicle_problem(exc):
                continue
            return InputError(f"{scheme.id}: {exc.message}", field=f"models.{cand.model}.spec")
    return InputError(f"{scheme.id} could not evaluate the lineup's specs", field="models")


def _vehicle_problem(exc: Exception) -> bool:
    """A spec error, or a rule error about a vehicle field (e.g. no test-cycle conversion)."""
    if isinstance(exc, SpecError):
        return True
    field_name = getattr(exc, "field", None) or ""
    return isinstance(exc, RuleError) and str(field_name).startswith("vehicle")


def _fleet_spec_problem(
    scheme: Scheme, cands: Sequence[Candidate], year: int, library: Library, exc: SpecError | RuleError
) -> InputError:
    """Name the model whose spec a fleet scheme cannot read."""
    for cand in cands:
        try:
            _probe(scheme, cand.spec, year, library)
            if scheme.kind is not Kind.FLEET_TARGET:
                evaluate(scheme, [cand.spec], year_date(year), library=library)
        except (SpecError, InputError, RuleError) as one:
            if isinstance(one, RuleError) and not _vehicle_problem(one):
                continue
            text = one.message if one.message.startswith(scheme.id) else f"{scheme.id}: {one.message}"
            return InputError(text, field=f"models.{cand.model}.spec")
    return InputError(f"{scheme.id}: {exc.message}", field="models")


def _per_vehicle(
    scheme: Scheme, cands: Sequence[Candidate], lineup: Lineup, year: int, library: Library
) -> tuple[FloatArray, RuleResult]:
    on = year_date(year)
    try:
        result = evaluate(scheme, [c.spec for c in cands], on, library=library)
    except (SpecError, RuleError) as exc:
        if _OUT_OF_SCOPE in exc.message:
            raise InputError(exc.message, field="scheme") from exc
        if not _vehicle_problem(exc):
            raise
        raise _spec_problem(scheme, cands, on, library) from exc
    raw = result.outcome.get("amount")
    if raw is None:
        return np.zeros(len(cands)), result
    amount = np.asarray(raw, dtype=np.float64)
    amount = np.where(np.isnan(amount), 0.0, amount)
    return _to_currency(amount, scheme, lineup, on, library), result


def _probe(scheme: Scheme, spec: VehicleSpec, year: int, library: Library) -> dict[str, Any] | None:
    """Outcome of a one-vehicle fleet, or ``None`` when the vehicle is outside the scheme's scope."""
    fleet = Fleet(name="probe", vehicles=[FleetEntry(spec=spec, sales=1.0)])
    try:
        return evaluate_fleet(scheme, fleet, year, library=library).outcome
    except RuleError as exc:
        if "no sales in the scheme's scope" in exc.message:
            return None
        raise
    except SpecError as exc:
        raise InputError(
            f"{scheme.id} needs {exc.field or 'a field'} ({exc.message})", field="models"
        ) from exc


_EPS_SALES = 1e-3


def _reference(
    scheme: Scheme, cands: Sequence[Candidate], year: int, library: Library, limit_max: bool
) -> tuple[int | None, float]:
    """The in-scope candidate furthest from a zero-emission vehicle, and its own target."""
    best: tuple[float, int, float] | None = None
    for i, cand in enumerate(cands):
        out = _probe(scheme, cand.spec, year, library)
        if out is None:
            continue
        score = float(out["average"]) if limit_max else -float(out["average"])
        if best is None or score > best[0]:
            best = (score, i, float(out["target"]))
    return (best[1], best[2]) if best is not None else (None, 0.0)


def _diluted_target(
    scheme: Scheme, ref: VehicleSpec, spec: VehicleSpec, t_ref: float, year: int, library: Library
) -> float:
    """A candidate's own target, read from a fleet where it is a tiny share beside the reference.

    With sales ``{ref: 1, candidate: e}`` the library's fleet target is ``(t_ref + e t_k) / (1 + e)``
    while fleet-level factors that depend on shares (e.g. the EU ZLEV factor) stay at their value
    for the reference alone; solving for ``t_k`` gives the vehicle target without those factors, so
    the linear model never credits a factor the mix may not earn (the library's evaluation of the
    chosen mix does).
    """
    fleet = Fleet(
        name="probe", vehicles=[FleetEntry(spec=ref, sales=1.0), FleetEntry(spec=spec, sales=_EPS_SALES)]
    )
    out = evaluate_fleet(scheme, fleet, year, library=library).outcome
    return (float(out["target"]) * (1.0 + _EPS_SALES) - t_ref) / _EPS_SALES


def counted_surplus(surplus: FloatArray, units: FloatArray, share: float | None) -> float:
    """The linear surplus ``sum(s_k y_k)`` over the units a phase-in counts (all units without one).

    The optimiser's choice: the ``(1 - share)`` of the units left out are those with the smallest
    surplus (largest ``c_k - t_k``), a partial unit at the cut, as the library's phase-in cuts a line.
    """
    if share is None:
        return float(surplus @ units)
    order = np.argsort(surplus, kind="stable")
    drop = (1.0 - share) * float(units.sum())
    total = 0.0
    for i in order:
        left_out = min(float(units[i]), drop)
        drop -= left_out
        total += float(surplus[i]) * (float(units[i]) - left_out)
    return total


def _phase_in_share(scheme: Scheme, year: int) -> float | None:
    """The phase-in share in force in a compliance year (as the library reads it), or ``None``."""
    block = scheme.fleet_target
    if block is None or block.phase_in_share is None:
        return None
    param = scheme.parameters.get(block.phase_in_share)
    dated = param.dated(year_date(year)) if param is not None else None
    value = dated[1].value if dated is not None else None
    return float(value) if isinstance(value, int | float) else None


def _number(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _fleet_row(
    scheme: Scheme, cands: Sequence[Candidate], lineup: Lineup, year: int, library: Library
) -> FleetRow:
    k = len(cands)
    surplus = np.zeros(k)
    in_scope = np.zeros(k, dtype=bool)
    unit = ""
    penalty_rate: float | None = None
    statuses: set[str] = set()
    on = year_date(year)
    limit_max = scheme.fleet_target is None or scheme.fleet_target.limit == "max"
    qualifies: npt.NDArray[np.bool_] | None = None
    per_credit: FloatArray | None = None
    if scheme.kind is Kind.MANDATE:
        qualifies = np.asarray(
            evaluate(scheme, [c.spec for c in cands], on, library=library).outcome["qualifies"]
        )
    if scheme.kind is Kind.CREDITS:
        raw = evaluate(scheme, [c.spec for c in cands], on, library=library).outcome["credits"]
        per_credit = np.nan_to_num(np.asarray(raw, dtype=np.float64))
    best_excess = 0.0
    ref: int | None = None
    t_ref = 0.0
    share: float | None = None
    if scheme.kind is Kind.FLEET_TARGET:
        ref, t_ref = _reference(scheme, cands, year, library, limit_max)
        share = _phase_in_share(scheme, year)
    metric = np.zeros(k)
    for i, cand in enumerate(cands):
        out = _probe(scheme, cand.spec, year, library)
        if out is None:
            continue
        in_scope[i] = True
        unit = str(out.get("unit") or unit)
        statuses.add(str(out.get("status", "enacted")))
        if scheme.kind is Kind.FLEET_TARGET:
            c, t = float(out["average"]), float(out["target"])
            metric[i] = c
            if ref is not None and ref != i:
                t = _diluted_target(scheme, cands[ref].spec, cand.spec, t_ref, year, library)
            surplus[i] = t - c if limit_max else c - t
            excess = float(out.get("excess", 0.0))
            if "penalty" in out and excess > best_excess:
                best_excess = excess
                # a one-unit probe: penalty = excess x rate x the units counted (the phase-in share)
                penalty_rate = float(
                    _to_currency(np.array([float(out["penalty"])]), scheme, lineup, on, library)[0]
                ) / (excess * (share if share is not None else 1.0))
        elif scheme.kind is Kind.CREDITS:
            assert per_credit is not None
            surplus[i] = per_credit[i] - _number(out.get("target"))
        else:
            assert qualifies is not None
            surplus[i] = (1.0 if bool(qualifies[i]) else 0.0) - float(out["target"])
    row = FleetRow(
        scheme=scheme.id,
        title=scheme.title,
        kind=scheme.kind.value,
        year=year,
        unit=unit,
        surplus=surplus,
        in_scope=in_scope,
        penalty_rate=penalty_rate,
        tradable=scheme.kind is Kind.CREDITS,
        limit="max" if limit_max else "min",
        phase_in_share=share,
    )
    weakest = [s for s in ("assumption", "unverified", "projected", "announced") if s in statuses]
    row.status = weakest[0] if weakest else "enacted"
    if scheme.kind is Kind.FLEET_TARGET and penalty_rate is None and any(surplus[in_scope] < 0):
        row.notes.append("no penalty in force: a deficit cannot be priced, the target is a hard constraint")
    if share is not None and in_scope.sum() >= 2:
        _check_phase_in_order(row, metric, limit_max)
    if in_scope.sum() >= 2:
        _check_linear(scheme, cands, row, year, library)
    return row


def _check_phase_in_order(row: FleetRow, metric: FloatArray, limit_max: bool) -> None:
    """The library's phase-in keeps the lowest emitters; the optimiser keeps the largest surpluses.

    Both keep the same units when ordering the candidates by their metric and by their surplus
    agree; otherwise the row is approximate and says so.
    """
    idx = np.flatnonzero(row.in_scope)
    for a in idx:
        for b in idx:
            worse = metric[a] > metric[b] if limit_max else metric[a] < metric[b]
            if worse and row.surplus[a] > row.surplus[b] + 1e-9:
                row.exact = False
                row.notes.append(
                    f"phase-in ({row.phase_in_share:.0%} counted): the library leaves out the highest "
                    "emitters, the linear model the largest excesses over each unit's own target, and "
                    "the two orders differ for these candidates (mass-adjusted targets); the optimum is "
                    "approximate, the reported figures are the library's"
                )
                return


def _check_linear(
    scheme: Scheme, cands: Sequence[Candidate], row: FleetRow, year: int, library: Library
) -> None:
    """Compare the linear surplus with the library on a mixed fleet (sales 1, 2, 3, ... per candidate)."""
    idx = np.flatnonzero(row.in_scope)
    sales = np.arange(1, len(idx) + 1, dtype=np.float64)
    specs = [cands[int(i)].spec for i in idx]
    cols, _ = as_columns(specs)
    cols["name"] = np.array([s.name for s in specs], dtype=object)
    out = evaluate_fleet(scheme, FleetInputs(cols, sales), year, library=library).outcome
    linear = float(row.surplus[idx] @ sales)
    if scheme.kind is Kind.FLEET_TARGET:
        limit_max = scheme.fleet_target is None or scheme.fleet_target.limit == "max"
        diff = float(out["target"]) - float(out["average"])
        counted = float(sales.sum()) * (row.phase_in_share if row.phase_in_share is not None else 1.0)
        library_surplus = (diff if limit_max else -diff) * counted
        linear = counted_surplus(row.surplus[idx], sales, row.phase_in_share)
    elif scheme.kind is Kind.CREDITS:
        library_surplus = _number(out.get("credits"))
    else:
        library_surplus = (float(out["average"]) - float(out["target"])) * float(sales.sum())
    scale = max(1.0, abs(library_surplus), abs(linear))
    if abs(linear - library_surplus) > _LINEAR_RTOL * scale:
        row.exact = False
        row.notes.append(
            "not linear in the units (multipliers, phase-in, a target factor or a harmonic average): "
            f"on a test fleet the linear surplus was {linear:.6g}, the rule library's {library_surplus:.6g}; "
            "the optimum is approximate, the reported figures are the library's"
        )


def build(
    lineup: Lineup,
    library: Library,
    t_co2e: FloatArray,
    g_co2e_per_km: FloatArray,
    cands: Sequence[Candidate] | None = None,
) -> Coefficients:
    """Per-unit margins, scheme amounts, demand caps and fleet rows of a lineup.

    Parameters
    ----------
    lineup
        The validated lineup.
    library
        The rule library (``roadcarbon.io.rulebook.default_library()`` or a reform of it).
    t_co2e, g_co2e_per_km
        Life-cycle emissions per unit of each candidate in each year, shape ``(K, Y)``
        [t CO2e per vehicle], [g CO2e/km] (from :func:`roadcarbon.engine.assess`, design part 1).
    cands
        The candidates (default :func:`candidates`).

    Returns
    -------
    Coefficients
        Unit margin [lineup currency] = price - variable cost - option extra cost - the schemes'
        per-unit amounts (when the maker bears them); demand caps; linear fleet rows.
    """
    cands = tuple(cands) if cands is not None else candidates(lineup)
    years = lineup.years
    k, y = len(cands), len(years)
    schemes = select_schemes(lineup, library)
    used_by_formula = {u for s in schemes if s.formula is not None for u in s.formula.uses}
    amounts: dict[str, FloatArray] = {}
    results: dict[tuple[str, int], RuleResult] = {}
    rows: list[FleetRow] = []
    notes: list[str] = []
    used: list[str] = []
    for scheme in schemes:
        if scheme.kind is Kind.LIFECYCLE:
            notes.append(f"{scheme.id}: life-cycle declarations are not priced by the planner")
            continue
        if scheme.kind in PER_VEHICLE_KINDS and scheme.id in used_by_formula:
            notes.append(f"{scheme.id}: counted inside the schemes that combine it (not added twice)")
            continue
        for j, year in enumerate(years):
            if not _in_force(scheme, year):
                continue
            if scheme.kind in PER_VEHICLE_KINDS:
                try:
                    amount, result = _per_vehicle(scheme, cands, lineup, year, library)
                except InputError as exc:
                    if _OUT_OF_SCOPE not in exc.message:
                        raise
                    continue  # no model of the lineup is in the scheme's scope
                amounts.setdefault(scheme.id, np.zeros((k, y)))[:, j] = amount
                results[(scheme.id, year)] = result
                if scheme.id not in used:
                    used.append(scheme.id)
            elif scheme.kind in FLEET_KINDS:
                if scheme.id not in used:
                    used.append(scheme.id)
                try:
                    rows.append(_fleet_row(scheme, cands, lineup, year, library))
                except (SpecError, RuleError) as exc:
                    if not _vehicle_problem(exc):
                        raise
                    raise _fleet_spec_problem(scheme, cands, year, library, exc) from exc
    total_amount = np.zeros((k, y))
    for a in amounts.values():
        total_amount += a
    price = np.array([lineup.models[c.model].price for c in cands])[:, None]
    cost = np.array(
        [
            lineup.models[c.model].variable_cost + lineup.models[c.model].options[c.option].extra_cost
            for c in cands
        ]
    )[:, None]
    maker_pays = lineup.policy.incidence == "maker"
    margin = price - cost - (total_amount if maker_pays else 0.0)
    demand_max = np.zeros((k, y))
    for i, c in enumerate(cands):
        d = lineup.models[c.model].demand
        if d.elasticity is not None and d.reference_volume is not None:
            ref_price = d.reference_price if d.reference_price is not None else lineup.models[c.model].price
            buyer_price = lineup.models[c.model].price + total_amount[i]
            volume = d.reference_volume * (1.0 + d.elasticity * (buyer_price - ref_price) / ref_price)
            cap = np.maximum(np.floor(volume), 0.0)
            if d.maximum is not None:
                cap = np.minimum(cap, d.maximum)
            demand_max[i] = cap
        else:
            demand_max[i] = d.maximum if d.maximum is not None else 0.0
    return Coefficients(
        lineup=lineup,
        candidates=cands,
        years=years,
        unit_margin=np.asarray(margin, dtype=np.float64),
        amounts=amounts,
        amount_results=results,
        demand_max=demand_max,
        t_co2e=np.asarray(t_co2e, dtype=np.float64).reshape(k, y),
        g_co2e_per_km=np.asarray(g_co2e_per_km, dtype=np.float64).reshape(k, y),
        fleet_rows=rows,
        schemes_used=used,
        notes=notes,
    )
