"""The plan document (design contract ``roadcarbon plan --json``), checked by the rule library (pure).

The chosen mix is evaluated again by :func:`roadcarbon.rules.evaluate_fleet`, one fleet per
scheme and year; the ``fleet`` entries, the penalties and the reported ``profit`` come from that
evaluation, never from the linear model alone (``profit_model`` is the optimiser's objective).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roadcarbon.planner.coefficients import Coefficients, FleetRow, counted_surplus, year_date
from roadcarbon.planner.optimise import Solution, emissions
from roadcarbon.rules import Library, evaluate_fleet
from roadcarbon.rules.currency import convert_money
from roadcarbon.rules.trace import plain
from roadcarbon.specs import Fleet, FleetEntry

_FLEET_KEYS = ("target", "average", "unit", "compliant", "penalty", "currency", "credits")


def _r(value: float, digits: int = 2) -> float:
    return round(float(value), digits) + 0.0


def fleet_outcome(
    co: Coefficients, row: FleetRow, units: np.ndarray[Any, Any], library: Library
) -> dict[str, Any] | None:
    """The library's ``evaluate-fleet`` outcome of the mix for one scheme and year (``None``: nothing counted)."""
    j = co.years.index(row.year)
    entries = [
        FleetEntry(spec=co.candidates[i].spec, sales=float(units[i, j]))
        for i in np.flatnonzero(row.in_scope)
        if units[i, j] > 0
    ]
    if not entries:
        return None
    result = evaluate_fleet(
        library.get(row.scheme), Fleet(name=co.lineup.name, vehicles=entries), row.year, library=library
    )
    out: dict[str, Any] = plain(result.outcome)
    out["version"] = result.version
    return out


def _penalty_in_currency(co: Coefficients, outcome: dict[str, Any], row: FleetRow, library: Library) -> float:
    penalty = float(outcome.get("penalty") or 0.0)
    currency = outcome.get("currency")
    if not penalty or currency in (None, co.lineup.currency) or library.exchange_rates is None:
        return penalty
    converted, _ = convert_money(
        np.array([penalty]),
        np.array([currency]),
        co.lineup.currency,
        year_date(row.year),
        library.exchange_rates,
    )
    return float(converted[0])


def _mix_exact(
    co: Coefficients, row: FleetRow, units: np.ndarray[Any, Any], outcome: dict[str, Any] | None
) -> bool:
    """Whether the linear surplus of the chosen mix equals the library's (target - average) x vehicles."""
    if outcome is None or row.kind == "credits":
        return True
    j = co.years.index(row.year)
    linear = counted_surplus(row.surplus[row.in_scope], units[row.in_scope, j], row.phase_in_share)
    counted = float(units[row.in_scope, j].sum()) * (row.phase_in_share or 1.0)
    if row.kind == "mandate" or row.limit == "min":
        library = (float(outcome["average"]) - float(outcome["target"])) * counted
    else:
        library = (float(outcome["target"]) - float(outcome["average"])) * counted
    return abs(linear - library) <= 1e-6 * max(1.0, abs(library), abs(linear))


def _why(co: Coefficients, sol: Solution, i: int, j: int, binding: list[str]) -> str:
    cand = co.candidates[i]
    model = co.lineup.models[cand.model]
    units = float(sol.units[i, j])
    cap = float(co.demand_max[i, j])
    margin = float(co.unit_margin[i, j])
    cur = co.lineup.currency
    if units <= 0 and margin <= 0:
        return f"out: each unit would lose {-margin:,.0f} {cur} after costs and per-unit schemes"
    if units <= 0 and cap <= 0:
        return "out: no demand at this price (demand cap 0)"
    if units >= cap > 0:
        return f"sold up to its demand cap ({cap:,.0f}); margin {margin:,.0f} {cur} per unit"
    if units <= model.demand.minimum and margin <= 0:
        return (
            f"kept at its minimum demand ({model.demand.minimum:,.0f}); margin {margin:,.0f} {cur} per unit"
        )
    limits = [b for b in binding if not b.startswith("demand_max")]
    why = ", ".join(limits) if limits else "the other models' better use of shared limits"
    state = "in" if units > 0 else "out"
    return f"{state}, {units:,.0f} of {cap:,.0f}: limited by {why}; margin {margin:,.0f} {cur} per unit"


def plan_document(
    co: Coefficients,
    sol: Solution,
    library: Library,
    *,
    pareto: list[dict[str, float]] | None = None,
    with_trace: bool = True,
) -> dict[str, Any]:
    """JSON-ready plan: ``status``, ``currency``, ``profit``, ``mix``, ``fleet``, ``binding`` (+ ``pareto``).

    Parameters
    ----------
    co, sol
        Coefficients and the solution of :func:`roadcarbon.planner.optimise.solve`.
    library
        The rule library the coefficients came from (the mix is re-evaluated with it).
    pareto
        Points of :func:`roadcarbon.planner.optimise.pareto`.
    with_trace
        Include each chosen model's per-scheme trace.
    """
    lineup = co.lineup
    doc: dict[str, Any] = {
        "status": sol.status,
        "market": lineup.market,
        "years": list(lineup.years),
        "currency": lineup.currency,
        "schemes": co.schemes_used,
        "policy": {
            "targets": lineup.policy.targets,
            "credit_price_buy": lineup.policy.credit_price_buy,
            "credit_price_sell": lineup.policy.credit_price_sell,
            "banking": lineup.policy.banking,
            "incidence": lineup.policy.incidence,
        },
        "notes": list(co.notes),
    }
    if sol.status != "optimal":
        doc.update(profit=None, mix=[], fleet=[], binding=sol.infeasible, message=sol.message)
        if pareto is not None:
            doc["pareto"] = []
        return doc
    binding_names = [str(b["constraint"]) for b in sol.binding]
    mix: list[dict[str, Any]] = []
    models: list[dict[str, Any]] = []
    revenue = cost = amounts_total = 0.0
    for m, model in enumerate(lineup.models):
        o = sol.choice[m]
        i = next(n for n, c in enumerate(co.candidates) if c.model == m and c.option == o)
        option = model.options[o]
        per_year: list[dict[str, Any]] = []
        for j, year in enumerate(co.years):
            units = float(sol.units[i, j])
            unit_amounts = {s: float(a[i, j]) for s, a in co.amounts.items()}
            revenue += units * model.price
            cost += units * (model.variable_cost + option.extra_cost)
            amounts_total += units * sum(unit_amounts.values())
            mix.append(
                {
                    "model": model.id,
                    "year": year,
                    "units": round(units),
                    "option": option.id,
                    "unit_margin": _r(co.unit_margin[i, j]),
                    "t_co2e_per_unit": _r(co.t_co2e[i, j], 3),
                    "g_co2e_per_km": _r(co.g_co2e_per_km[i, j], 1),
                    "why": _why(co, sol, i, j, binding_names),
                }
            )
            schemes: list[dict[str, Any]] = []
            for scheme_id in co.amounts:
                result = co.amount_results.get((scheme_id, year))
                if result is None:
                    continue
                entry: dict[str, Any] = {
                    "scheme": scheme_id,
                    "amount_per_unit": _r(unit_amounts[scheme_id]),
                    "outcome": result.vehicle_outcome(i),
                }
                if with_trace:
                    entry["trace"] = result.vehicle_trace(i)
                schemes.append(entry)
            per_year.append({"year": year, "units": round(units), "schemes": schemes})
        models.append({"model": model.id, "option": option.id, "years": per_year})
    fleet: list[dict[str, Any]] = []
    penalties = 0.0
    trade = 0.0
    for r, row in enumerate(co.fleet_rows):
        outcome = fleet_outcome(co, row, sol.units, library)
        entry = {
            "scheme": row.scheme,
            "year": row.year,
            "kind": row.kind,
            "outcome": outcome,
            "linear_exact": _mix_exact(co, row, sol.units, outcome),
            "linear_everywhere": row.exact,
            "status": row.status,
            "notes": row.notes,
        }
        if outcome is not None:
            # the evaluate-fleet outcome keys at the entry's top level too (design contract)
            entry.update({k: outcome[k] for k in _FLEET_KEYS if k in outcome})
        if outcome is not None and lineup.policy.incidence in ("maker", "buyer"):
            pen = _penalty_in_currency(co, outcome, row, library)
            entry["penalty_paid"] = _r(pen)
            penalties += pen
        if r in sol.bought:
            entry["credits_bought"] = _r(sol.bought[r], 4)
            entry["credits_sold"] = _r(sol.sold[r], 4)
            trade += sol.sold[r] * (lineup.policy.credit_price_sell or 0.0)
            trade -= sol.bought[r] * (lineup.policy.credit_price_buy or 0.0)
        if r in sol.banked:
            entry["credits_banked"] = _r(sol.banked[r], 4)
        fleet.append(entry)
    maker_amounts = amounts_total if lineup.policy.incidence == "maker" else 0.0
    profit = revenue - cost - maker_amounts - penalties + trade
    doc.update(
        profit=_r(profit),
        profit_model=_r(sol.profit),
        revenue=_r(revenue),
        cost=_r(cost),
        scheme_amounts=_r(amounts_total),
        penalties=_r(penalties),
        credit_trade=_r(trade),
        t_co2e=_r(emissions(co, sol.units), 1),
        mix=mix,
        models=models,
        fleet=fleet,
        binding=[{k: (plain(v) if not isinstance(v, str) else v) for k, v in b.items()} for b in sol.binding],
    )
    if pareto is not None:
        doc["pareto"] = pareto_points(pareto)
    return doc


def pareto_points(pareto: list[dict[str, float]]) -> list[dict[str, float | None]]:
    """Front points with ``cost_per_t_co2e_avoided``: profit given up per tonne below the most-emitting point."""
    if not pareto:
        return []
    top = max(pareto, key=lambda p: p["t_co2e"])
    out: list[dict[str, float | None]] = []
    for p in pareto:
        avoided = top["t_co2e"] - p["t_co2e"]
        cost = (top["profit"] - p["profit"]) / avoided if avoided > 1e-9 else None
        out.append(
            {
                "profit": _r(p["profit"]),
                "t_co2e": _r(p["t_co2e"], 1),
                "cost_per_t_co2e_avoided": None if cost is None else _r(cost),
            }
        )
    return out
