"""Singapore EV Early Adoption Incentive: rebate = min(share x ARF, cap) for fully electric cars.

Road Traffic (Motor Vehicles, Registration and Licensing) Rules, rule 9AB.
The ARF (Additional Registration Fee) is a marginal-tier tax on the Open
Market Value (OMV); the vehicle spec's ``price`` is read as the OMV in SGD.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roadcarbon.errors import SpecError
from roadcarbon.rules.context import Context
from roadcarbon.rules.kinds.rate_scale import marginal_amount


def formula_2021_01(ctx: Context) -> dict[str, Any]:
    """EEAI from 1 Jan 2021: ``-min(share x ARF(OMV), cap)`` for BEVs, 0 otherwise [SGD].

    Examples
    --------
    LTA-style example (regulations.md 1.2): OMV S$40,000 gives ARF S$48,000
    and, in 2024, a rebate of min(0.45 x 48,000, 15,000) = S$15,000.
    """
    omv = ctx.numeric("price")
    if "price_currency" in ctx.columns and ctx.exchange_rates is not None:
        omv = ctx.money("price", "price_currency")
    elif "price_currency" in ctx.columns:
        cur = ctx.text("price_currency")
        wrong = (cur != "SGD") & (cur != "")
        if wrong.any():
            raise SpecError(
                f"vehicle {int(np.flatnonzero(wrong)[0])}: price must be the OMV in SGD, got {cur[wrong][0]}",
                field="vehicle.price_currency",
            )
    eligible = ctx.isin("powertrain", ["BEV"])
    ctx.trace.condition("fully electric (BEV)", eligible)
    if not eligible.any():  # a car that gets nothing: the ARF tiers, share and cap decide nothing
        zero = np.zeros(ctx.n)
        return {"amount": zero, "eligible": eligible, "arf": np.full(ctx.n, np.nan)}
    with ctx.for_vehicles(eligible):  # these values count only for the cars the rebate reaches
        bounds, rates = ctx.numbers("arf_upper_bounds_sgd"), ctx.numbers("arf_rates")
        share = ctx.number("eeai_share_of_arf")
        cap = ctx.number("eeai_cap_sgd")
    arf = marginal_amount(np.nan_to_num(omv), bounds, rates)
    arf = np.where(np.isnan(omv), np.nan, arf)
    ctx.trace.intermediate("arf", arf, "SGD", note="marginal tiers on OMV (spec price)")
    capped = share * arf >= cap
    ctx.decides_only("eeai_share_of_arf", eligible & ~capped)  # where the cap binds the share decides nothing
    ctx.decides_only("eeai_cap_sgd", eligible & capped)
    rebate = np.where(eligible, np.minimum(share * arf, cap), 0.0)
    ctx.trace.intermediate("rebate", rebate, "SGD", note=f"min({share} x ARF, {cap})")
    return {"amount": -rebate, "eligible": eligible, "arf": arf}
