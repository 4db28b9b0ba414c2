"""Traces a tax officer can follow (issue 9 section 5): numbers inside conditions, amount arithmetic.

Only for small evaluations (up to :data:`EXPLAIN_MAX` vehicles): the text is built per
vehicle, which a vectorised fleet run of millions does not need.  Nothing here changes
an outcome; parameters already read are looked up without being recorded again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roadcarbon.rules.columns import DERIVED_FROM
from roadcarbon.rules.context import Context
from roadcarbon.rules.schema import AllOf, AnyOf, Compare, Condition, Op

EXPLAIN_MAX = 1000
"""Largest batch whose trace spells out numbers per vehicle."""

_SYMBOL = {Op.LT: "<", Op.LE: "≤", Op.GT: ">", Op.GE: "≥", Op.EQ: "=", Op.NE: "≠"}
_UNITS = {
    "co2_g_per_km": "g/km",
    "fuel_economy_km_per_l": "km/L",
    "fuel_consumption_l_per_100km": "L/100 km",
    "engine_displacement_cc": "cc",
    "electricity_consumption_wh_per_km": "Wh/km",
    "electric_range_km": "km",
    "nev_electric_range_km": "km",
    "curb_mass_kg": "kg",
    "battery_capacity_kwh": "kWh",
    "engine_power_kw": "kW",
}


def number(value: float, unit: str | None = None) -> str:
    """``130,000,000``, ``19.0006``, ``15 %`` (share units as percentages)."""
    if value != value:
        return "missing"
    if unit == "share":
        pct = value * 100.0
        text = f"{pct:,.4f}".rstrip("0").rstrip(".")
        return f"{text} %"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit else text


def _param_value(ctx: Context, name: str) -> Any:
    used = next((u for u in ctx.used if u.name == name), None)
    return (used.value, used.unit) if used is not None else (None, None)


def condition_text(cond: Condition, ctx: Context, index: int) -> str:
    """The condition with this vehicle's numbers, e.g. ``co2_g_per_km 118 g/km ≤ 120 g/km (true)``."""
    if isinstance(cond, AllOf):
        return "(" + " and ".join(condition_text(c, ctx, index) for c in cond.all_of) + ")"
    if isinstance(cond, AnyOf):
        return "(" + " or ".join(condition_text(c, ctx, index) for c in cond.any_of) + ")"
    if not isinstance(cond, Compare):
        return "not " + condition_text(cond.not_, ctx, index)
    if cond.op in (Op.MISSING, Op.PRESENT):
        given = cond.input in ctx.columns and not bool(ctx.missing(cond.input)[index])
        return f"{cond.input} {cond.op.value} ({'given' if given else 'not given'})"
    if cond.op in (Op.IN, Op.NOT_IN):
        codes = cond.value if cond.value is not None else _param_value(ctx, str(cond.param))[0]
        got = str(ctx.text(cond.input)[index]) or "not given"
        return f"{cond.input} {got} {cond.op.value.replace('_', ' ')} {codes}"
    threshold, unit = _param_value(ctx, str(cond.param))
    if threshold is None:
        return f"{cond.input} {cond.op.value} {cond.param} (not read: earlier parts decided)"
    x = float(np.asarray(ctx.column(cond.input), dtype=np.float64)[index])
    own_unit = _UNITS.get(cond.input, unit)
    derived = ""
    if cond.input in DERIVED_FROM and DERIVED_FROM[cond.input] in ctx.columns:
        base = float(np.asarray(ctx.columns[DERIVED_FROM[cond.input]], dtype=np.float64)[index])
        derived = f" (from {DERIVED_FROM[cond.input]} {number(base)})"
    return (
        f"{cond.input} {number(x, own_unit)}{derived} {_SYMBOL.get(cond.op, cond.op.value)} "
        f"{number(float(threshold), unit)}"
    )


def conditions_with_numbers(cond: Condition, ctx: Context, mask: Any) -> Any:
    """Per-vehicle condition texts (object array) where ``mask`` holds, or ``None`` for large batches."""
    if ctx.n > EXPLAIN_MAX or ctx._parent is not None:
        return None
    out = np.full(ctx.n, None, dtype=object)
    for i in np.flatnonzero(mask):
        out[i] = condition_text(cond, ctx, int(i))
    return out
