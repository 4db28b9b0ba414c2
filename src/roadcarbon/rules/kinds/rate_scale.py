"""``rate_scale``: conditions -> tax rate and tax-base share (first matching row), or marginal tiers.

Row mode: ``amount = tax_rate x tax_base_share x base`` (Indonesia PPnBM:
tariff x DPP share x selling price), or a flat ``amount`` per vehicle.
Tier mode: ``amount = sum_i rate_i x (part of base between bound i-1 and i)``
(Singapore ARF on OMV).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import RuleError, SpecError
from roadcarbon.rules.conditions import condition_state, describe_condition, missing_inputs
from roadcarbon.rules.context import Context
from roadcarbon.rules.explain import EXPLAIN_MAX, conditions_with_numbers, number
from roadcarbon.rules.schema import MarginalTiers, RateScale
from roadcarbon.types import BoolArray, FloatArray


def marginal_amount(base: FloatArray, upper_bounds: FloatArray, rates: FloatArray) -> FloatArray:
    """Tax on ``base`` with marginal tiers.

    Parameters
    ----------
    base
        Taxable value per vehicle, shape ``(n,)`` [currency].
    upper_bounds
        Upper bound of each tier but the last, ascending [currency].
    rates
        Rate of each tier, ``len(upper_bounds) + 1`` values [share of the tier's part].

    Returns
    -------
    numpy.ndarray
        Tax per vehicle [currency].

    Examples
    --------
    >>> marginal_amount(np.array([40000.0]), np.array([20000.0, 40000.0]), np.array([1.0, 1.4, 1.9])).tolist()
    [48000.0]
    """
    if len(rates) != len(upper_bounds) + 1:
        raise RuleError(
            f"marginal tiers need one more rate than upper bounds, got {len(rates)} and {len(upper_bounds)}"
        )
    lower = np.concatenate(([0.0], upper_bounds))
    upper = np.concatenate((upper_bounds, [np.inf]))
    parts = np.clip(base[:, None] - lower[None, :], 0.0, (upper - lower)[None, :])
    return np.asarray(parts @ rates, dtype=np.float64)


def evaluate_rate_scale(block: RateScale, ctx: Context, applicable: BoolArray) -> dict[str, npt.NDArray[Any]]:
    """Tax rate, tax-base share, effective rate and amount per vehicle."""
    if block.tiers is not None:
        return _tiers(block.tiers, ctx, applicable)
    assert block.rows is not None
    n = ctx.n
    rate = np.full(n, np.nan)
    share = np.full(n, np.nan)
    flat = np.full(n, np.nan)
    row_index = np.full(n, -1, dtype=np.int64)
    notes = np.full(n, None, dtype=object)
    has_notes = False
    # rows are tested on the vehicles still without a row; once fewer than half remain, the
    # evaluation continues on that subset (columns copied lazily), so late rows cost less
    sub, idx = ctx, np.arange(n)
    free_sub = applicable.copy()
    for k, row in enumerate(block.rows):
        if not free_sub.any():
            break  # every vehicle has its row: later rows (and their parameters) are not used
        remaining = int(np.count_nonzero(free_sub))
        if free_sub.size >= _COMPACT_MIN and remaining < free_sub.size // 2:
            keep = np.flatnonzero(free_sub)
            sub, idx = sub.subset(keep), idx[keep]
            free_sub = np.ones(remaining, dtype=bool)
        if row.when is not None:
            with sub.for_vehicles(free_sub):  # its parameters decide these vehicles' rows
                true, unknown = condition_state(row.when, sub, active=free_sub)
            undecided = free_sub & unknown if unknown.any() else unknown
            if undecided.any():
                i_sub = int(np.flatnonzero(undecided)[0])
                names = ", ".join(missing_inputs(row.when, sub, i_sub))
                raise SpecError(
                    f"vehicle {int(idx[i_sub])} lacks {names}, which {ctx.scheme.id} needs to decide row {row.id}",
                    field=f"vehicle.{names.split(', ')[0]}",
                )
            hit_sub = free_sub & true
        else:
            hit_sub = free_sub.copy()
        hit_at = idx[hit_sub]
        if row.not_encoded is not None and hit_at.size:
            raise RuleError(
                f"vehicle {int(hit_at[0])} falls under {ctx.scheme.id} row {row.id}, "
                f"which is not encoded: {row.not_encoded}"
            )
        hit = np.zeros(n, dtype=bool)
        hit[hit_at] = True
        ctx.trace.condition(
            f"row {row.id}", hit, note=describe_condition(row.when) if row.when is not None else "always"
        )
        if row.when is not None and sub is ctx:
            texts = conditions_with_numbers(row.when, ctx, free_sub)
            if texts is not None:
                ctx.trace.condition(f"row {row.id}: the numbers", texts)
        if not hit_at.size:
            continue
        with ctx.for_vehicles(hit):
            r, s, a = _row_values(row.tax_rate, row.tax_base_share, row.amount, ctx)
        unknown_rate = row.tax_rate is not None and np.isnan(r)
        if unknown_rate or (row.amount is not None and np.isnan(a)):
            name = row.tax_rate if unknown_rate else row.amount
            use = next((u for u in ctx.used if u.name == name), None)
            why = (
                f"row {row.id}: {name} has no known value on {ctx.on.isoformat()}, so no amount is computed"
                + (f" ({use.note})" if use is not None and use.note else "")
            )
            ctx.trace.note("amount", why)
            notes[hit_at] = why
            has_notes = True
        rate[hit_at] = r
        share[hit_at] = s
        flat[hit_at] = a
        row_index[hit_at] = k
        free_sub &= ~hit_sub
    free = np.zeros(n, dtype=bool)
    free[idx[free_sub]] = True
    if free.any():
        if block.no_match == "error":
            i = int(np.flatnonzero(free)[0])
            raise RuleError(f"{ctx.scheme.id}: no row of the rate scale applies to vehicle {i} on {ctx.on}")
        ctx.trace.condition("no row applies (not applicable)", free)
    effective = rate * share
    row_names = np.array([r.id for r in block.rows] + [""], dtype=str)
    row_id = row_names[row_index]
    ctx.trace.intermediate("row", row_id)
    eligible = applicable & ~free
    ctx.trace.intermediate("effective_rate", effective, "share", note="tax_rate x tax_base_share")
    out: dict[str, npt.NDArray[Any]] = {
        "row": row_id,
        "tax_rate": rate,
        "tax_base_share": share,
        "effective_rate": effective,
        "eligible": eligible,
    }
    if has_notes:
        out["amount_note"] = notes
    amount = flat.copy()
    if block.base is not None:
        base = _base(block, ctx)
        amount = np.where(np.isnan(flat), effective * base, flat)
    amount = np.round(amount, 2)  # money to the cent: no float residue (59999999.99994)
    out["amount"] = amount
    if n <= EXPLAIN_MAX and block.base is not None and block.base in ctx.columns:
        ctx.trace.intermediate("amount arithmetic", _arithmetic(ctx, block.base, rate, share, flat, amount))
    return out


def _arithmetic(
    ctx: Context, base_name: str, rate: FloatArray, share: FloatArray, flat: FloatArray, amount: FloatArray
) -> npt.NDArray[Any]:
    """``tax base IDR 130,000,000 x 20 % tax-base share x 15 % = IDR 3,900,000`` per vehicle."""
    cur = ctx.scheme.currency or ""
    base = np.asarray(ctx.columns[base_name], dtype=np.float64)
    out = np.full(ctx.n, None, dtype=object)
    for i in range(ctx.n):
        if not np.isnan(flat[i]):
            out[i] = f"flat amount {cur} {number(float(flat[i]))}"
        elif np.isnan(amount[i]):
            continue
        else:
            out[i] = (
                f"tax base ({base_name}) {cur} {number(float(base[i]))} x {number(float(share[i]), 'share')} "
                f"tax-base share x {number(float(rate[i]), 'share')} rate = {cur} {number(float(amount[i]))}"
            )
    return out


_COMPACT_MIN = 4096
"""Below this many vehicles the row loop never compacts (copying would cost more than it saves)."""


def _row_values(
    rate_name: str | None, share_name: str | None, amount_name: str | None, ctx: Context
) -> tuple[float, float, float]:
    rate = ctx.number(rate_name) if rate_name else np.nan
    share = ctx.number(share_name) if share_name else (1.0 if rate_name else np.nan)
    amount = ctx.number(amount_name) if amount_name else np.nan
    return float(rate), float(share), float(amount)


def _base(block: RateScale, ctx: Context) -> FloatArray:
    assert block.base is not None
    if block.base not in ctx.columns:
        ctx.trace.note("amount", f"not computed: the vehicles lack {block.base!r}")
        return np.full(ctx.n, np.nan)
    base = ctx.numeric(block.base)
    currency = ctx.scheme.currency
    cur_input = block.base_currency_input
    if currency and cur_input and cur_input in ctx.columns and ctx.exchange_rates is not None:
        base = ctx.money(block.base, cur_input)
    elif currency and cur_input and cur_input in ctx.columns:
        given = ctx.text(cur_input)
        wrong = (given != currency) & (given != "") & ~np.isnan(base)
        if wrong.any():
            ctx.trace.condition(
                f"{block.base} not in {currency}: amount not computed (no exchange rates are applied)", wrong
            )
            base = np.where(wrong, np.nan, base)
    if np.isnan(base).any():
        ctx.trace.note("amount", f"not computed where {block.base!r} is missing or in another currency")
    return base


def _tiers(tiers: MarginalTiers, ctx: Context, applicable: BoolArray) -> dict[str, npt.NDArray[Any]]:
    bounds = ctx.numbers(tiers.upper_bounds)
    rates = ctx.numbers(tiers.rates)
    base = ctx.numeric(tiers.input)
    currency = ctx.scheme.currency
    if (
        currency
        and "price_currency" in ctx.columns
        and tiers.input == "price"
        and ctx.exchange_rates is not None
    ):
        base = ctx.money("price", "price_currency", active=applicable)
    elif currency and "price_currency" in ctx.columns and tiers.input == "price":
        given = ctx.text("price_currency")
        wrong = applicable & (given != currency) & (given != "")
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            raise SpecError(
                f"vehicle {i}: {ctx.scheme.id} taxes the price in {currency}, got {given[i]} "
                "(no exchange rates are applied: no exchange-rate table was given, pass library=)",
                field="vehicle.price_currency",
            )
    amount = np.where(applicable, marginal_amount(np.nan_to_num(base, nan=0.0), bounds, rates), np.nan)
    amount = np.where(np.isnan(base), np.nan, amount)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(base > 0, amount / base, np.nan)
    ctx.trace.intermediate("effective_rate", effective, "share", note="amount / base")
    return {"amount": amount, "effective_rate": effective}
