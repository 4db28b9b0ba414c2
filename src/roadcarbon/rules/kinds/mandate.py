"""``mandate``: a required share of qualifying vehicles.

Per vehicle: ``qualifies`` (the condition holds) and ``eligible`` (may be
registered: qualifies, or the required share is below 1).  For a fleet: the
qualifying share of sales against the required share.
"""

from __future__ import annotations

from typing import Any

import numpy.typing as npt

from roadcarbon.rules.conditions import describe_condition, evaluate_condition
from roadcarbon.rules.context import Context
from roadcarbon.rules.schema import Mandate
from roadcarbon.types import FloatArray


def evaluate_mandate(block: Mandate, ctx: Context) -> dict[str, npt.NDArray[Any]]:
    """``qualifies`` and ``eligible`` per vehicle."""
    qualifies = evaluate_condition(block.qualifying, ctx)
    required = ctx.number(block.required_share)
    ctx.trace.condition("qualifies", qualifies, note=describe_condition(block.qualifying))
    eligible = qualifies | (required < 1.0)
    ctx.trace.intermediate("required_share", required, "share")
    return {"qualifies": qualifies, "eligible": eligible}


def evaluate_mandate_fleet(block: Mandate, ctx: Context, sales: FloatArray) -> dict[str, Any]:
    """Qualifying share of a fleet's sales against the required share."""
    qualifies = evaluate_condition(block.qualifying, ctx)
    required = ctx.number(block.required_share)
    total = float(sales.sum())
    share = float(sales[qualifies].sum() / total) if total > 0 else 0.0
    ctx.trace.condition("qualifies", qualifies, note=describe_condition(block.qualifying))
    ctx.trace.intermediate("qualifying_share", share, "share")
    return {"target": required, "average": share, "unit": "share", "compliant": share >= required}
