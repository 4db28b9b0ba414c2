"""JSON documents of the CLI/HTTP contract (design "Contracts"), shared by the CLI and the API.

``rules evaluate`` -> ``{scheme, on, version, outcome, trace}``;
``rules evaluate-fleet`` -> ``{scheme, year, version, outcome, trace}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from roadcarbon.rules.evaluate import evaluate, evaluate_fleet
from roadcarbon.rules.kinds.fleet_target import multi_year
from roadcarbon.rules.parameters import Status
from roadcarbon.rules.registry import Library
from roadcarbon.rules.trace import plain
from roadcarbon.specs import Fleet, VehicleSpec

_FLEET_KEYS = ("target", "average", "unit", "compliant", "penalty", "currency")


def evaluate_document(
    library: Library,
    scheme_id: str,
    vehicle: VehicleSpec,
    on: dt.date,
    *,
    allow_status: Collection[Status | str] | None = None,
    extra_inputs: Mapping[str, float] | None = None,
    strict: bool = False,
) -> dict[str, Any]:
    """``{scheme, on, version, outcome, trace}`` for one vehicle."""
    scheme = library.get(scheme_id)
    result = evaluate(
        scheme,
        [vehicle],
        on,
        allow_status=allow_status,
        library=library,
        extra_inputs=extra_inputs,
        strict=strict,
    )
    return {
        "scheme": scheme.id,
        "on": on.isoformat(),
        "version": result.version,
        "outcome": result.vehicle_outcome(0),
        "trace": result.vehicle_trace(0),
    }


def evaluate_fleet_document(
    library: Library,
    scheme_id: str,
    fleet: Fleet,
    year: int,
    *,
    allow_status: Collection[Status | str] | None = None,
    strict: bool = False,
) -> dict[str, Any]:
    """``{scheme, year, version, outcome{target, average, unit, compliant, penalty, currency, ...}, trace}``."""
    scheme = library.get(scheme_id)
    result = evaluate_fleet(scheme, fleet, year, allow_status=allow_status, library=library, strict=strict)
    outcome = {key: plain(result.outcome.get(key)) for key in _FLEET_KEYS}
    outcome.update({k: plain(v) for k, v in result.outcome.items() if k not in outcome})
    return {
        "scheme": scheme.id,
        "year": year,
        "version": result.version,
        "outcome": outcome,
        "trace": result.trace.to_list(),
    }


def multi_year_document(years: list[dict[str, Any]]) -> dict[str, Any]:
    """Several annual fleet documents and their registration-weighted period outcome.

    The period outcome compares the registration-weighted mean of the annual
    averages with that of the annual targets (Reg. (EU) 2025/1214 for
    2025-2027); no period premium is computed (its legal formula was not read).
    """
    outcomes = [d["outcome"] for d in years]
    sales = [float(o.get("sales") or 0.0) for o in outcomes]
    period = multi_year(outcomes, sales)
    return {
        "scheme": years[0]["scheme"],
        "years": [d["year"] for d in years],
        "outcome": {
            **period,
            "unit": outcomes[0].get("unit"),
            "method": "registration-weighted averages of the annual averages and targets",
        },
        "per_year": years,
    }
