"""Fleet totals of a per-vehicle scheme (issue 9 section 6): revenue, rebates, share per band.

A tax, rebate or band scheme is evaluated once on every line of a fleet (one
vectorised :func:`~roadcarbon.rules.evaluate.evaluate` call), and the per-vehicle
amounts are weighted by the sales of each line.  Totals are given in the
scheme's currency and, on request, in another currency converted with the
sourced annual-average exchange rates of the evaluation year
(``data/regulations/exchange_rates.yaml``).  Pure: numpy in, numpy out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import RuleError, SpecError
from roadcarbon.rules.currency import conversion
from roadcarbon.rules.evaluate import STATUS_ORDER, RuleResult, evaluate
from roadcarbon.rules.kinds.fleet_target import FleetInputs
from roadcarbon.rules.parameters import Status
from roadcarbon.rules.registry import Library
from roadcarbon.rules.schema import Kind, Scheme
from roadcarbon.rules.trace import plain
from roadcarbon.specs import Fleet

PER_VEHICLE_KINDS = (Kind.BAND_TABLE, Kind.RATE_SCALE, Kind.FORMULA, Kind.CREDITS, Kind.MANDATE)


def fleet_totals(
    scheme: Scheme,
    fleet: Fleet | FleetInputs,
    on: dt.date,
    *,
    library: Library | None = None,
    currency: str | None = None,
    strict: bool = False,
    allow_status: Collection[Status | str] | None = None,
) -> tuple[RuleResult, dict[str, Any]]:
    """Per-vehicle outcomes of a per-vehicle scheme on a fleet, and the fleet's totals.

    Parameters
    ----------
    scheme
        A per-vehicle scheme (``band_table``, ``rate_scale``, ``formula``, ...).
    fleet
        A fleet (specs and sales) or :class:`FleetInputs` (columns ``(n,)`` and
        ``sales`` ``(n,)`` [vehicles]); vectorised: one evaluation for all lines.
    on
        Date of evaluation (registration date of every vehicle).
    library
        Source registry, conversions and exchange rates (needed for ``currency``).
    currency
        ISO 4217 code to convert the totals to (sourced annual averages of ``on``'s year).
    strict, allow_status
        As :func:`~roadcarbon.rules.evaluate.evaluate`.

    Returns
    -------
    tuple
        The :class:`RuleResult` (outcome arrays, one value per line) and the totals:
        ``vehicles``, ``vehicles_in_scope``, ``currency``, ``revenue`` (sum of positive
        amounts x sales), ``rebates`` (sum of negative amounts x sales, as a positive
        number), ``net`` (revenue - rebates), ``mean_amount_per_vehicle``,
        ``share_by_band`` or ``share_by_row`` (sales share of the vehicles in scope),
        ``eligible_share``, ``status`` (weakest status over the lines), ``provisional``
        and, with ``currency``, ``converted`` (the same money in that currency, the rate
        used and its sources).  Source of the method: issue 9 section 6 (sum over lines of
        amount x sales).
    """
    if scheme.kind not in PER_VEHICLE_KINDS:
        raise RuleError(
            f"{scheme.id} is a {scheme.kind.value} scheme: evaluate it on a fleet (evaluate_fleet)",
            field="scheme",
        )
    if isinstance(fleet, FleetInputs):
        vehicles: Sequence[Any] | Mapping[str, npt.ArrayLike] = dict(fleet.columns)
        sales = np.asarray(fleet.sales, dtype=np.float64)
    else:
        vehicles = [entry.spec for entry in fleet.vehicles]
        sales = np.array([entry.sales for entry in fleet.vehicles], dtype=np.float64)
    if not np.all(np.isfinite(sales)) or (sales < 0).any():
        raise SpecError("sales must be finite numbers >= 0", field="fleet.vehicles.sales")
    result = evaluate(scheme, vehicles, on, library=library, strict=strict, allow_status=allow_status)
    return result, totals_of(result, sales, scheme, on, library=library, currency=currency)


def totals_of(
    result: RuleResult,
    sales: npt.NDArray[np.float64],
    scheme: Scheme,
    on: dt.date,
    *,
    library: Library | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    """Sales-weighted totals of a per-vehicle evaluation (see :func:`fleet_totals`)."""
    out = result.outcome
    n = result.n
    in_scope = np.ones(n, dtype=bool)
    eligible = out.get("eligible")
    if isinstance(eligible, np.ndarray) and eligible.dtype == object:
        in_scope = np.array([e is not None for e in eligible])
    amount = out.get("amount")
    totals: dict[str, Any] = {
        "vehicles": float(sales.sum()),
        "vehicles_in_scope": float(sales[in_scope].sum()),
    }
    scope_sales = float(sales[in_scope].sum())
    if isinstance(amount, np.ndarray) and amount.shape == (n,):
        a = np.asarray(amount, dtype=np.float64)
        known = ~np.isnan(a)
        revenue = float(np.sum(np.where(known & (a > 0), a, 0.0) * sales))
        rebates = float(-np.sum(np.where(known & (a < 0), a, 0.0) * sales)) + 0.0  # + 0.0: no "-0.0" rebates
        totals["currency"] = scheme.currency
        totals["revenue"] = revenue
        totals["rebates"] = rebates
        totals["net"] = revenue - rebates
        counted = float(sales[known].sum())
        totals["mean_amount_per_vehicle"] = (revenue - rebates) / counted if counted > 0 else None
        unknown = float(sales[in_scope & ~known].sum())
        if unknown:
            totals["vehicles_without_amount"] = unknown
        if currency and scheme.currency and currency != scheme.currency:
            if library is None or library.exchange_rates is None:
                raise RuleError(
                    "converting totals needs the exchange-rate table (pass library=)", field="currency"
                )
            conv = conversion(library.exchange_rates, scheme.currency, currency, on, field="currency")
            f = conv.factor
            totals["converted"] = {
                "currency": currency,
                "revenue": revenue * f,
                "rebates": rebates * f,
                "net": (revenue - rebates) * f,
                "rate": f,
                "year": conv.year,
                "note": (
                    f"{scheme.currency} / {conv.from_rate.value:g} {scheme.currency}/USD x {conv.to_rate.value:g} "
                    f"{currency}/USD ({conv.year} annual averages; sources {conv.from_rate.source}, "
                    f"{conv.to_rate.source})"
                ),
            }
    for key in ("band", "row"):
        labels = out.get(key)
        if isinstance(labels, np.ndarray) and labels.shape == (n,) and scope_sales > 0:
            text = labels.astype(str)
            shares: dict[str, float] = {}
            for label in np.unique(text[in_scope]):
                if label in ("", "None", "nan"):
                    continue
                shares[str(label)] = float(sales[in_scope & (text == label)].sum() / scope_sales)
            totals[f"share_by_{key}"] = shares
    if isinstance(eligible, np.ndarray) and scope_sales > 0:
        flags = np.array([bool(e) if e is not None else False for e in eligible])
        totals["eligible_share"] = float(sales[in_scope & flags].sum() / scope_sales)
    status = out.get("status")
    if isinstance(status, np.ndarray):
        ranks = [str(s) for s in np.unique(status[in_scope].astype(str))]
        weakest = max(ranks, key=STATUS_ORDER.index) if ranks else "enacted"
    else:
        weakest = str(status)
    totals["status"] = weakest
    totals["provisional"] = weakest != "enacted"
    return {k: plain(v) for k, v in totals.items()}
