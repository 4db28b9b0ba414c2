"""``credits``: per-vehicle credit formulas, a requirement ratio and the fleet balance.

Per vehicle (first matching row): ``credit = clamp(base + slope x input, min, max)``,
multiplied by every adjustment whose condition holds (e.g. China's NEV
credit per BEV as a function of range, times energy-consumption
coefficients).  For a fleet: earned = sum(credit x sales); required =
``ratio`` x sales of the vehicles in the requirement base; balance = earned - required.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import SpecError
from roadcarbon.rules.conditions import (
    condition_state,
    describe_condition,
    evaluate_condition,
    missing_inputs,
)
from roadcarbon.rules.context import Context
from roadcarbon.rules.schema import Credits
from roadcarbon.types import FloatArray


def evaluate_credits(block: Credits, ctx: Context) -> dict[str, npt.NDArray[Any]]:
    """Credits per vehicle (0 where no row applies) and ``eligible`` (a row applies)."""
    n = ctx.n
    credit = np.zeros(n)
    free = np.ones(n, dtype=bool)
    for row in block.rows:
        if row.when is not None:
            true, unknown = condition_state(row.when, ctx, active=free)
            undecided = free & unknown
            if undecided.any():
                i = int(np.flatnonzero(undecided)[0])
                names = ", ".join(missing_inputs(row.when, ctx, i))
                raise SpecError(
                    f"vehicle {i} lacks {names}, which {ctx.scheme.id} needs to decide row {row.id}",
                    field=f"vehicle.{names.split(', ')[0]}",
                )
        else:
            true = np.ones(n, dtype=bool)
        hit = free & true
        ctx.trace.condition(f"row {row.id}", hit, note=describe_condition(row.when) if row.when else "always")
        if not hit.any():
            continue  # the row's parameters are not used
        value = np.full(n, ctx.number(row.base) if row.base else 0.0)
        if row.slope is not None and row.input is not None:
            x = ctx.numeric(row.input)
            value = value + ctx.number(row.slope) * np.where(hit, x, 0.0)
            if np.any(hit & np.isnan(x)):
                i = int(np.flatnonzero(hit & np.isnan(x))[0])
                raise SpecError(
                    f"vehicle {i} lacks {row.input}, which {ctx.scheme.id} reads",
                    field=f"vehicle.{row.input}",
                )
        lo = ctx.number(row.min) if row.min else -np.inf
        hi = ctx.number(row.max) if row.max else np.inf
        value = np.clip(value, lo, hi)
        credit = np.where(hit, value, credit)
        free &= ~hit
    ctx.trace.intermediate("credits_before_adjustments", credit, block.unit)
    for adj in block.adjustments:
        hit = evaluate_condition(adj.when, ctx) & ~free
        factor = ctx.number(adj.factor)
        credit = np.where(hit, credit * factor, credit)
        ctx.trace.condition(f"adjustment {adj.id} (x {factor})", hit, note=describe_condition(adj.when))
    ctx.trace.intermediate("credits", credit, block.unit)
    return {"credits": credit, "eligible": ~free}


def evaluate_credits_fleet(block: Credits, ctx: Context, sales: FloatArray) -> dict[str, Any]:
    """Earned and required credits of a fleet, its balance and compliance."""
    per_vehicle = evaluate_credits(block, ctx)["credits"]
    earned = float((per_vehicle * sales).sum())
    ctx.trace.intermediate("earned", earned, block.unit, note="sum(credits x sales)")
    out: dict[str, Any] = {"average": earned, "unit": block.unit, "credits": earned}
    if block.requirement is not None:
        ratio = ctx.number(block.requirement.ratio)
        base = (
            evaluate_condition(block.requirement.base_when, ctx)
            if block.requirement.base_when is not None
            else np.ones(ctx.n, dtype=bool)
        )
        counted = np.where(base, sales, 0.0)
        req = block.requirement
        if req.reduced_when is not None and req.reduced_factor is not None and ctx.has(req.reduced_factor):
            reduced = base & evaluate_condition(req.reduced_when, ctx)
            if reduced.any():  # the factor counts only when such a car is in the fleet
                factor = ctx.number(req.reduced_factor)
                counted = np.where(reduced, counted * factor, counted)
                ctx.trace.condition(f"counted x {factor:g} in the requirement base", reduced)
        base_sales = float(counted.sum())
        required = ratio * base_sales
        ctx.trace.intermediate("requirement_base_sales", base_sales, "vehicles")
        ctx.trace.intermediate("required", required, block.unit, note=f"{ratio} x {base_sales:.0f}")
        out.update(target=required, credits=earned - required, compliant=earned >= required)
    else:
        out.update(target=None, compliant=None)
    return out
