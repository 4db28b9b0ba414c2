"""Executable standards: the rule library's schema, dated parameters, evaluators and traces (pure).

Public API::

    evaluate(scheme, vehicles, on, *, library=, strict=False)     # many vehicles at once -> RuleResult
    evaluate_fleet(scheme, fleet, year, *, library=, strict=False, fleet_inputs=None)
                                                                   # fleet targets, credits, mandates
    required_fleet_inputs(scheme, on)                              # fleet-level inputs a date needs
    fleet_totals(scheme, fleet, on, *, library=, currency=None)    # per-vehicle scheme on a fleet: totals
    compare(vehicle, markets, on, library=)                        # one row per scheme

Outcomes are labelled, never refused for status unless ``strict=True``: ``status``
(weakest status used), ``provisional`` and ``non_enacted`` (docs/rules.md, top).

Load the packaged library with :func:`roadcarbon.io.rulebook.default_library`.
"""

from __future__ import annotations

from roadcarbon.rules.evaluate import (
    STATUS_ORDER,
    RuleResult,
    compare,
    evaluate,
    evaluate_fleet,
    required_fleet_inputs,
)
from roadcarbon.rules.kinds.fleet_target import FleetInputs, multi_year
from roadcarbon.rules.parameters import DatedValue, Parameter, Reference, Status
from roadcarbon.rules.registry import Library, Reform
from roadcarbon.rules.schema import Kind, Scheme
from roadcarbon.rules.totals import fleet_totals
from roadcarbon.rules.trace import Trace

__all__ = [
    "STATUS_ORDER",
    "DatedValue",
    "FleetInputs",
    "Kind",
    "Library",
    "Parameter",
    "Reference",
    "Reform",
    "RuleResult",
    "Scheme",
    "Status",
    "Trace",
    "compare",
    "evaluate",
    "evaluate_fleet",
    "fleet_totals",
    "multi_year",
    "required_fleet_inputs",
]
