"""JSON documents of the CLI/HTTP contract (design "Contracts"), shared by the CLI and the API.

``rules evaluate`` -> ``{scheme, on, version, outcome, trace}``;
``rules evaluate-fleet`` -> ``{scheme, year, version, outcome, trace}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any

from roadcarbon.errors import RuleError
from roadcarbon.rules.evaluate import evaluate, evaluate_fleet
from roadcarbon.rules.inputs import rule_columns, rule_fleet
from roadcarbon.rules.kinds.fleet_target import FleetInputs, multi_year
from roadcarbon.rules.parameters import Status
from roadcarbon.rules.registry import Library
from roadcarbon.rules.schema import Kind
from roadcarbon.rules.totals import PER_VEHICLE_KINDS, fleet_totals
from roadcarbon.rules.trace import plain
from roadcarbon.specs import Fleet, VehicleSpec

_FLEET_KEYS = ("target", "average", "unit", "compliant", "penalty", "currency")


def evaluate_document(
    library: Library,
    scheme_id: str,
    vehicle: VehicleSpec | Mapping[str, Any],
    on: dt.date,
    *,
    allow_status: Collection[Status | str] | None = None,
    extra_inputs: Mapping[str, float] | None = None,
    strict: bool = False,
) -> dict[str, Any]:
    """``{scheme, on, version, outcome, trace}`` for one vehicle.

    ``vehicle`` is a full spec, or a mapping validated only against what the scheme reads.
    """
    scheme = library.get(scheme_id)
    vehicles: Any = rule_columns(vehicle, scheme)[0] if isinstance(vehicle, Mapping) else [vehicle]
    result = evaluate(
        scheme,
        vehicles,
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
    fleet: Fleet | FleetInputs | Mapping[str, Any],
    year: int,
    *,
    allow_status: Collection[Status | str] | None = None,
    strict: bool = False,
    on: dt.date | None = None,
    currency: str | None = None,
    resolve: Callable[[str, str], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """``{scheme, year, version, outcome{target, average, unit, compliant, penalty, currency, ...}, trace}``.

    A fleet document (mapping) is validated only against what the scheme reads (entries
    need no ``name``).  A per-vehicle scheme (tax, rebate, band) gives its fleet totals
    (:func:`~roadcarbon.rules.totals.fleet_totals`) as ``outcome``, evaluated on ``on``
    (default 1 July of ``year``), with the per-line outcomes under ``vehicles``.
    """
    if isinstance(year, bool) or not dt.MINYEAR <= year <= dt.MAXYEAR:  # 10**20: OverflowError in dt.date
        raise RuleError(f"expected a calendar year, got {year!r}", field="year")
    scheme = library.get(scheme_id)
    if isinstance(fleet, Mapping):
        fleet = rule_fleet(fleet, scheme, resolve=resolve)
    if scheme.kind in PER_VEHICLE_KINDS and scheme.kind not in (Kind.CREDITS, Kind.MANDATE):
        day = on or dt.date(year, 7, 1)
        result, totals = fleet_totals(
            scheme,
            fleet,
            day,
            library=library,
            currency=currency,
            strict=strict,
            allow_status=allow_status,
        )
        sales = fleet.sales if isinstance(fleet, FleetInputs) else [e.sales for e in fleet.vehicles]
        names = (
            fleet.columns.get("name")
            if isinstance(fleet, FleetInputs)
            else [e.spec.name for e in fleet.vehicles]
        )
        lines = []
        for i in range(result.n):
            line = {"line": i, "sales": plain(sales[i]), **result.vehicle_outcome(i)}
            if names is not None:
                line["name"] = plain(names[i])
            lines.append(line)
        return {
            "scheme": scheme.id,
            "year": year,
            "on": day.isoformat(),
            "version": result.version,
            "outcome": totals,
            "vehicles": lines,
            "trace": result.trace.to_list(),
        }
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
