"""Per-vehicle amounts of rule-library schemes on a fleet's technologies, year by year (pure).

Every amount comes from :func:`roadcarbon.rules.evaluate` (no rule logic here). Amounts are
converted into the scenario's currency with the rule library's sourced exchange rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from roadcarbon.errors import RoadcarbonError, RuleError, SpecError
from roadcarbon.rules import Library, RuleResult, evaluate
from roadcarbon.rules.currency import conversion
from roadcarbon.rules.totals import totals_of
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import FloatArray

EVALUATION_DAY = (7, 1)
"""Each year's schemes are evaluated on 1 July (mid-year) of that year."""


@dataclass(frozen=True)
class SchemeAmounts:
    """Amounts of one scheme per year and technology.

    Attributes
    ----------
    amount
        ``(T, P)`` [scenario currency per vehicle]; positive paid by the buyer, negative received;
        0 where the scheme does not apply to a technology.
    held_from
        First year whose amounts repeat an earlier year's (no version in force later), or ``None``.
    statuses
        Parameter statuses met (``enacted``, ``unverified`` ...).
    """

    scheme: str
    market: str
    title: str
    scheme_currency: str
    amount: FloatArray
    held_from: int | None = None
    statuses: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    results: list[RuleResult | None] = field(default_factory=list)
    """The rule library's evaluation behind each year (``None`` before the scheme is in force)."""


def scheme_amounts(
    scheme_id: str,
    specs: Sequence[VehicleSpec],
    years: Sequence[int],
    library: Library,
    *,
    currency: str,
) -> SchemeAmounts:
    """Evaluate one per-vehicle scheme on every technology for every year.

    Parameters
    ----------
    scheme_id
        Scheme of the rule library (any market: a neighbour's scheme on this fleet is a
        cross-country what-if).
    specs
        One representative vehicle per technology, each with ``price`` and ``price_currency``.
    years
        Calendar years [year].
    library
        The rule library.
    currency
        Scenario currency (ISO 4217) the amounts are returned in.

    Returns
    -------
    SchemeAmounts
        Years after the scheme's last version repeat the last evaluated year's amounts (labelled
        by ``held_from``); years before its first version are 0 (not in force).
    """
    scheme = library.get(scheme_id)
    amounts = np.zeros((len(years), len(specs)))
    statuses: set[str] = set()
    held_from: int | None = None
    last_ok: int | None = None
    notes: list[str] = []
    scheme_currency = scheme.currency or currency
    first_from = min(v.valid_from for v in scheme.versions)
    held_rates: set[int] = set()
    results: list[RuleResult | None] = []
    for i, year in enumerate(years):
        on = dt.date(year, *EVALUATION_DAY)
        if on < first_from:
            results.append(None)
            continue
        try:
            result = evaluate(scheme, list(specs), on, library=library)
        except RuleError:
            if last_ok is None:
                raise
            amounts[i] = amounts[last_ok]
            held_from = held_from or year
            results.append(results[last_ok])
            continue
        results.append(result)
        raw = result.outcome.get("amount")
        if raw is None:
            raise RuleError(
                f"{scheme_id} gives no amount per vehicle; the policy lab needs one", field="scheme"
            )
        values = np.nan_to_num(np.asarray(raw, dtype=np.float64).reshape(-1), nan=0.0)
        if scheme_currency != currency:
            if library.exchange_rates is None:
                raise RuleError("the rule library has no exchange-rate table", field="currency")
            factor, rate_year = _rate(library, scheme_currency, currency, on)
            if rate_year != on.year:
                held_rates.add(rate_year)
            values = values * factor
        amounts[i] = np.broadcast_to(values, (len(specs),))
        status = result.outcome.get("status", "enacted")
        statuses.update(str(x) for x in np.atleast_1d(np.asarray(status, dtype=object)) if x is not None)
        last_ok = i
    if held_from is not None:
        notes.append(
            f"no version in force from {held_from}: the last version's amounts are held (assumption)"
        )
    if held_rates:
        notes.append(
            f"{scheme_currency}->{currency}: years without a sourced exchange rate use the latest earlier "
            f"year's ({', '.join(map(str, sorted(held_rates)))}) (assumption)"
        )
    return SchemeAmounts(
        scheme=scheme.id,
        market=scheme.market,
        title=scheme.title,
        scheme_currency=scheme_currency,
        amount=amounts,
        held_from=held_from,
        statuses=tuple(sorted(statuses)),
        notes=notes,
        results=results,
    )


def scheme_totals(
    amounts: SchemeAmounts,
    sales: FloatArray,
    years: Sequence[int],
    library: Library,
    *,
    currency: str,
) -> list[dict[str, Any]]:
    """The rule library's fleet totals of a scheme for each year's new sales.

    Parameters
    ----------
    amounts
        The scheme's evaluations (:func:`scheme_amounts`).
    sales
        New registrations ``(T, P)`` [vehicles/year] of the run.
    years
        Calendar years [year].
    library
        The rule library.
    currency
        Scenario currency; totals are converted to it where the rule library holds that year's rates.

    Returns
    -------
    list
        Per year: ``year`` and :func:`roadcarbon.rules.totals.totals_of`'s keys (``revenue``,
        ``rebates``, ``net`` in the scheme's currency, ``share_by_band`` or ``share_by_row``,
        ``status``, ``provisional``, ``converted``), or ``in_force: false``.
    """
    scheme = library.get(amounts.scheme)
    out: list[dict[str, Any]] = []
    for i, year in enumerate(years):
        result = amounts.results[i] if i < len(amounts.results) else None
        if result is None:
            out.append({"year": year, "in_force": False})
            continue
        on = dt.date(year, *EVALUATION_DAY)
        row_sales = np.asarray(sales[i], dtype=np.float64)
        try:
            totals = totals_of(result, row_sales, scheme, on, library=library, currency=currency)
        except RoadcarbonError:  # no sourced rate for that year: totals stay in the scheme's currency
            totals = totals_of(result, row_sales, scheme, on, library=library)
        held = amounts.held_from is not None and year >= amounts.held_from
        out.append({"year": year, "in_force": True, "held": held, **totals})
    return out


def _rate(library: Library, from_currency: str, to_currency: str, on: dt.date) -> tuple[float, int]:
    """Conversion factor with the year's sourced averages, or the latest earlier year holding both."""
    assert library.exchange_rates is not None
    year = on.year
    while True:
        try:
            conv = conversion(library.exchange_rates, from_currency, to_currency, dt.date(year, 7, 1))
        except SpecError:
            if year <= on.year - 10:
                raise
            year -= 1
            continue
        return conv.factor, conv.year
