"""``lifecycle``: a declaration per unit of energy delivered over the service life, by stage.

EU Battery Regulation (EU) 2023/1542 Art. 7: the carbon footprint of an EV
battery in kg CO2e per kWh of total energy provided over its expected service
life, and per life-cycle stage.  The stage totals [kg CO2e] are computed by
the caller (the life-cycle engine) and passed in as input columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import SpecError
from roadcarbon.rules.context import Context
from roadcarbon.rules.schema import Lifecycle


def evaluate_lifecycle(block: Lifecycle, ctx: Context) -> dict[str, npt.NDArray[Any]]:
    """Footprint per kWh delivered, in total and per stage, and ``eligible`` against a limit in force.

    Returns
    -------
    dict
        ``footprint`` and ``footprint_<stage>`` [kg CO2e/kWh], ``energy_delivered_kwh``
        and, where a limit is in force, ``eligible``.
    """
    out: dict[str, npt.NDArray[Any]] = {}
    if block.obligation is not None:
        obligation = ctx.param(block.obligation)
        out["obligation"] = np.full(ctx.n, str(obligation), dtype=object)
        ctx.trace.intermediate("obligation", obligation)
    given = block.energy_delivered_input is not None and block.energy_delivered_input in ctx.columns
    if given and block.energy_delivered_input is not None:
        energy = ctx.numeric(block.energy_delivered_input)
        ctx.trace.intermediate("energy_delivered_kwh", energy, "kWh", note="given")
    else:
        assert block.capacity_input is not None
        assert block.full_cycles is not None
        cycles = ctx.number(block.full_cycles)
        energy = ctx.numeric(block.capacity_input) * cycles
        ctx.trace.intermediate(
            "energy_delivered_kwh",
            energy,
            "kWh",
            note=f"{block.capacity_input} x {cycles} equivalent full cycles",
        )
    if np.any(~(energy > 0)):
        i = int(np.flatnonzero(~(energy > 0))[0])
        raise SpecError(
            f"vehicle {i}: energy delivered over life must be > 0 kWh", field="vehicle.battery_capacity_kwh"
        )
    out["energy_delivered_kwh"] = energy
    total = np.zeros(ctx.n)
    complete = np.ones(ctx.n, dtype=bool)
    for stage, column in block.stages.items():
        if stage in block.optional_stages:
            values = ctx.numeric(column) if column in ctx.columns else np.full(ctx.n, np.nan)
            absent = np.isnan(values)
            if absent.any():
                ctx.trace.condition(f"{stage} not provided (declaration incomplete)", absent)
                complete &= ~absent
            per_kwh = np.where(absent, np.nan, values / energy)
            ctx.trace.intermediate(
                f"footprint_{stage}", per_kwh, block.unit, note=f"{column} / energy delivered"
            )
            out[f"footprint_{stage}"] = per_kwh
            total = total + np.nan_to_num(per_kwh)
            continue
        per_kwh = ctx.numeric(column) / energy
        ctx.trace.intermediate(f"footprint_{stage}", per_kwh, block.unit, note=f"{column} / energy delivered")
        out[f"footprint_{stage}"] = per_kwh
        total = total + per_kwh
    ctx.trace.intermediate("footprint", total, block.unit, note="sum of the stages")
    out["footprint"] = total
    out["complete"] = complete
    if (
        block.limit is not None
        and block.limit in ctx.scheme.parameters
        and ctx.scheme.parameters[block.limit].dated(ctx.on)
    ):
        limit = ctx.number(block.limit)
        out["eligible"] = total <= limit
        ctx.trace.condition(f"footprint <= {limit}", out["eligible"])
    else:
        ctx.trace.note("limit", "no maximum carbon-footprint value is in force on this date")
    return out
