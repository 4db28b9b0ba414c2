"""Singapore ARF payable after the VES and EEAI rebates, subject to the minimum ARF.

Rebates are offset against the ARF "subject to a minimum ARF payable"
(rule 9AB(6): S$5,000; S$0 for fully electric cars in the years the floor is
waived); a VES surcharge is added.  With ARF ``A``, rebates ``R`` (<= 0) and
surcharge ``S`` (>= 0): payable = max(A + R, min(A, floor)) + S.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roadcarbon.rules.context import Context

ARF = "SG.additional_registration_fee.amount"
VES = "SG.vehicular_emissions_scheme.amount"
EEAI = "SG.ev_early_adoption_incentive.amount"


def formula_2024_01(ctx: Context) -> dict[str, Any]:
    """ARF payable [SGD] from the ARF, VES and EEAI amounts of the same vehicles and date.

    Examples
    --------
    Worked example (regulations.md 1.2): BEV registered in 2024 with OMV S$40,000:
    ARF 48,000 - VES 25,000 - EEAI 15,000 = S$8,000 (above the S$0 EV floor).
    """
    arf = ctx.numeric(ARF)
    ves = ctx.numeric(VES)
    eeai = np.nan_to_num(ctx.numeric(EEAI), nan=0.0)
    bev = ctx.isin("powertrain", ["BEV"])
    floor = np.where(bev, ctx.number("minimum_arf_electric_sgd"), ctx.number("minimum_arf_sgd"))
    ctx.trace.condition("fully electric (BEV): electric-car floor", bev)
    ctx.trace.intermediate("minimum_arf", floor, "SGD")
    rebates = np.minimum(ves, 0.0) + eeai
    surcharge = np.maximum(ves, 0.0)
    payable = np.maximum(arf + rebates, np.minimum(arf, floor)) + surcharge
    ctx.trace.intermediate("rebates", rebates, "SGD", note="VES rebate + EEAI (negative)")
    ctx.trace.intermediate(
        "arf_payable", payable, "SGD", note="max(ARF + rebates, min(ARF, floor)) + VES surcharge"
    )
    return {"amount": payable, "arf": arf, "rebates": rebates, "surcharge": surcharge}
