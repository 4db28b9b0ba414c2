"""``fleet_target``: a maker's sales-weighted fleet average against a curve-based target.

Per vehicle the curve gives a target ``base_i + slope_i x (x - pivot_i)`` on
the segment ``i`` holding ``x`` (mass or footprint).  The fleet target is the
sales-weighted mean of the vehicle targets (Reg. (EU) 2019/631 Annex I: "the
average of the specific emissions targets of each new car registered"),
optionally multiplied by a ZLEV factor.  The fleet average of the metric is
arithmetic (g/km, L/100 km) or harmonic (km/L), each vehicle counted
``sales x multiplier`` times (super-credits, capped).  A phase-in share keeps
only the lowest-emitting part of the fleet.  The penalty is
``round(excess, d) x rate x vehicles``.  Multipliers, their cap, the ZLEV
factor, the phase-in and the penalty apply only while their parameter has a
value on the date (a ``null`` entry ends them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from roadcarbon.errors import RuleError
from roadcarbon.rules.columns import Columns
from roadcarbon.rules.conditions import describe_condition, evaluate_condition
from roadcarbon.rules.context import Context
from roadcarbon.rules.schema import CurveSegments, FleetTarget, ZlevFactor
from roadcarbon.types import FloatArray


@dataclass(frozen=True)
class FleetInputs:
    """A fleet as columns (input name -> array ``(n,)``) and sales per line ``(n,)`` [vehicles].

    ``inputs``: fleet-level numbers (the fleet document's ``inputs:``), read by
    parameter formulas, e.g. a manufacturer's 2020 averages for the EU 2021-2024 target.
    """

    columns: Columns
    sales: FloatArray
    inputs: Mapping[str, float] = field(default_factory=dict)


def curve_target(
    x: FloatArray,
    upper_bounds: FloatArray | None,
    bases: FloatArray,
    slopes: FloatArray | None,
    pivots: FloatArray | None,
) -> FloatArray:
    """Piecewise-linear target curve.

    Parameters
    ----------
    x
        Utility parameter per vehicle (mass [kg] or footprint [m2]), shape ``(n,)``.
    upper_bounds
        Inclusive upper bound of each segment but the last (``None``: one segment).
    bases, slopes, pivots
        Per segment: target at the pivot, slope, pivot (``None``: slope 0 / pivot 0).

    Returns
    -------
    numpy.ndarray
        Target per vehicle [metric unit].

    Examples
    --------
    Reg. (EU) 2019/631 Annex I Part A point 1 (2020): 95 + 0.0333 x (M - 1379.88)

    >>> curve_target(np.array([1500.0]), None, np.array([95.0]), np.array([0.0333]), np.array([1379.88])).round(3).tolist()
    [99.0]
    """
    n_seg = len(bases)
    seg = (
        np.zeros(x.shape, dtype=np.int64)
        if upper_bounds is None
        else np.searchsorted(upper_bounds, x, side="left")
    )
    if upper_bounds is not None and len(upper_bounds) != n_seg - 1:
        raise RuleError(
            f"a curve with {n_seg} segments needs {n_seg - 1} upper bounds, got {len(upper_bounds)}"
        )
    slope = np.zeros(n_seg) if slopes is None else slopes
    pivot = np.zeros(n_seg) if pivots is None else pivots
    if len(slope) != n_seg or len(pivot) != n_seg:
        raise RuleError("curve bases, slopes and pivots must have one value per segment")
    return np.asarray(bases[seg] + slope[seg] * (x - pivot[seg]), dtype=np.float64)


def _list_or_scalar(ctx: Context, name: str | None, *, optional: bool = False) -> FloatArray | None:
    if name is None or (optional and not ctx.has(name)):
        return None
    value = ctx.param(name)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return np.array([float(value)])
    return ctx.numbers(name)


def _curve(curve: CurveSegments, ctx: Context) -> FloatArray:
    x = ctx.numeric(curve.input)
    bases = _list_or_scalar(ctx, curve.bases)
    assert bases is not None
    target = curve_target(
        x,
        _list_or_scalar(ctx, curve.upper_bounds),
        bases,
        _list_or_scalar(ctx, curve.slopes, optional=True),
        _list_or_scalar(ctx, curve.pivots, optional=True),
    )
    ctx.trace.intermediate("vehicle_target", target, note=f"curve on {curve.input}")
    return target


def _zlev(z: ZlevFactor, metric: FloatArray, sales: FloatArray, ctx: Context) -> float:
    threshold = ctx.number(z.threshold)
    weight = ctx.number(z.weight)
    benchmark = ctx.number(z.benchmark)
    max_uplift = ctx.number(z.max_uplift)
    is_zlev = metric <= threshold
    zlev_count = np.where(is_zlev, 1.0 - metric * weight / threshold, 0.0)
    total = float(sales.sum())
    share = float((zlev_count * sales).sum() / total) if total > 0 else 0.0
    raw = 1.0 + share - benchmark
    factor = float(np.clip(raw, 1.0, 1.0 + max_uplift))
    ctx.trace.condition("zlev (metric <= threshold)", is_zlev)
    ctx.trace.intermediate(
        "zlev_share", share, "share", note="sum(sales x (1 - metric x weight / threshold)) / sales"
    )
    ctx.trace.intermediate(
        "zlev_factor", factor, note=f"clamp(1 + {share:.4f} - {benchmark}, 1, 1 + {max_uplift})"
    )
    return factor


def evaluate_fleet_target(block: FleetTarget, ctx: Context, sales: FloatArray) -> dict[str, Any]:
    """Fleet target, average, compliance and penalty.

    Parameters
    ----------
    block
        The scheme's ``fleet_target`` block.
    ctx
        Evaluation context (columns of the fleet's vehicles).
    sales
        Registrations per fleet line, shape ``(n,)`` [vehicles].

    Returns
    -------
    dict
        ``target``, ``average`` [``unit``], ``unit``, ``compliant``, ``excess``,
        ``credit_balance`` (= (target - average) x sales for a maximum, [``unit`` x vehicles];
        China's CAFC credits, Order 53 art. on 平均燃料消耗量积分: (达标值 - 实际值) x volume)
        and, with a penalty block, ``penalty`` [currency] = rounded excess x rate x the vehicles
        counted (after a phase-in: Reg. (EU) 2019/631 Art. 8(2)).
    """
    metric = ctx.numeric(block.metric)
    if np.any(sales < 0):
        raise RuleError("sales must be >= 0", field="fleet.vehicles.sales")
    total_sales = float(sales.sum())
    if total_sales <= 0:
        raise RuleError("the fleet has no sales in the scheme's scope", field="fleet.vehicles")
    ctx.trace.intermediate(
        "vehicle_metric", metric, block.unit, note=f"{block.metric} of each line as counted"
    )
    vehicle_target = _curve(block.curve, ctx)
    counted = sales.copy()
    if block.phase_in_share is not None and ctx.has(block.phase_in_share):
        share = ctx.number(block.phase_in_share)
        counted = _phase_in(metric, sales, share, lower_is_better=block.limit == "max")
        ctx.trace.intermediate(
            "counted_sales", counted, "vehicles", note=f"lowest-emitting {share:.0%} of the fleet"
        )
    weights = counted.copy()
    active = []
    for mult in (m for m in block.multipliers if ctx.has(m.factor)):
        hit = evaluate_condition(mult.when, ctx)
        if not hit.any():  # no car qualifies: the factor (and the cap) decide nothing
            ctx.trace.condition(f"multiplier {mult.factor} (no vehicle qualifies)", hit)
            continue
        active.append(mult)
        factor = ctx.number(mult.factor)
        weights = np.where(hit, weights * factor, weights)
        ctx.trace.condition(f"multiplier {mult.factor}", hit, note=describe_condition(mult.when))
    average_plain = _average(metric, counted, block.averaging)
    average = _average(metric, weights, block.averaging)
    if active:
        ctx.trace.intermediate("average_without_multipliers", average_plain, block.unit)
        if block.multiplier_cap is not None and ctx.has(block.multiplier_cap):
            cap = ctx.number(block.multiplier_cap)
            gain = average_plain - average if block.limit == "max" else average - average_plain
            if gain > cap:
                average = average_plain - cap if block.limit == "max" else average_plain + cap
                ctx.trace.note("multiplier_cap", f"multiplier gain {gain:.4f} capped at {cap} {block.unit}")
    ctx.trace.intermediate(
        "average", average, block.unit, note=f"{block.averaging} mean weighted by counted sales"
    )
    target = float((vehicle_target * counted).sum() / counted.sum())
    ctx.trace.intermediate(
        "target_before_factors", target, block.unit, note="sales-weighted mean of vehicle targets"
    )
    if block.zlev is not None and ctx.has(block.zlev.benchmark):
        target *= _zlev(block.zlev, metric, sales, ctx)
    ctx.trace.intermediate("target", target, block.unit)
    excess = max(0.0, average - target) if block.limit == "max" else max(0.0, target - average)
    compliant = excess <= 0.0
    margin = target - average if block.limit == "max" else average - target
    balance = margin * total_sales
    ctx.trace.intermediate(
        "credit_balance",
        balance,
        f"{block.unit} x vehicles",
        note=f"(target {target:.6g} - average {average:.6g}) x {total_sales:,.0f} vehicles"
        if block.limit == "max"
        else f"(average {average:.6g} - target {target:.6g}) x {total_sales:,.0f} vehicles",
    )
    out: dict[str, Any] = {
        "target": target,
        "average": average,
        "unit": block.unit,
        "compliant": compliant,
        "excess": excess,
        "sales": total_sales,
        "credit_balance": balance,
    }
    if block.penalty is not None and ctx.has(block.penalty.rate):
        rate = ctx.number(block.penalty.rate)
        excess_rounded = excess
        if block.penalty.rounding_decimals is not None and ctx.has(block.penalty.rounding_decimals):
            excess_rounded = round(excess, int(ctx.number(block.penalty.rounding_decimals)))
        # the vehicles counted under the phase-in (Reg. 2019/631 Art. 8(2): the number of new cars
        # registered "unter Berücksichtigung der Phase-in-Kriterien des Artikels 4 Absatz 3")
        volume = float(counted.sum())
        penalty = round(excess_rounded * rate * volume, 2)  # money to the cent
        ctx.trace.intermediate(
            "penalty",
            penalty,
            ctx.scheme.currency,
            note=f"excess {excess_rounded} x {rate} x {volume:,.0f} vehicles"
            + ("" if volume == total_sales else f" (counted under the phase-in, of {total_sales:,.0f})"),
        )
        out["penalty"] = penalty
    return out


def _average(metric: FloatArray, weights: FloatArray, how: str) -> float:
    total = float(weights.sum())
    if how == "arithmetic":
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused by evaluate_fleet
            return float((metric * weights).sum() / total)
    if np.any(metric[weights > 0] <= 0):
        raise RuleError("a harmonic average needs every metric value > 0")
    return float(total / (weights / np.where(metric > 0, metric, np.inf)).sum())


def _phase_in(metric: FloatArray, sales: FloatArray, share: float, *, lower_is_better: bool) -> FloatArray:
    """Sales counted when only the best ``share`` of the fleet counts (partial line at the cut)."""
    order = np.argsort(metric if lower_is_better else -metric, kind="stable")
    keep = share * float(sales.sum())
    cum_before = np.concatenate(([0.0], np.cumsum(sales[order])[:-1]))
    kept_sorted = np.clip(keep - cum_before, 0.0, sales[order])
    counted = np.empty_like(sales)
    counted[order] = kept_sorted
    return counted


def multi_year(results: list[dict[str, Any]], sales: list[float]) -> dict[str, float | bool]:
    """Registration-weighted average of several years' averages and targets (Reg. (EU) 2025/1214).

    Parameters
    ----------
    results
        Each year's outcome (``target``, ``average``).
    sales
        Each year's registrations [vehicles].

    Returns
    -------
    dict
        ``target``, ``average``, ``compliant``, ``excess``.

    Examples
    --------
    >>> r = multi_year([{"target": 99.0, "average": 101.0}, {"target": 98.5, "average": 98.0},
    ...                 {"target": 98.0, "average": 96.0}], [1.0, 1.0, 1.0])
    >>> round(r["average"], 2), r["compliant"]
    (98.33, True)
    """
    w = np.asarray(sales, dtype=np.float64)
    target = float(np.dot([r["target"] for r in results], w) / w.sum())
    average = float(np.dot([r["average"] for r in results], w) / w.sum())
    excess = max(0.0, average - target)
    return {"target": target, "average": average, "compliant": excess <= 0.0, "excess": excess}
