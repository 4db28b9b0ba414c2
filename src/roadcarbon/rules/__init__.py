"""Executable standards: the rule library's schema, dated parameters, evaluators and traces (pure).

Public API::

    evaluate(scheme, vehicles, on=date)       # many vehicles at once -> RuleResult
    evaluate_fleet(scheme, fleet, year)       # fleet targets, credits, mandates
    compare(vehicle, markets, on, library=)   # one row per scheme

Load the packaged library with :func:`roadcarbon.io.rulebook.default_library`.
"""

from __future__ import annotations

from roadcarbon.rules.evaluate import RuleResult, compare, evaluate, evaluate_fleet
from roadcarbon.rules.kinds.fleet_target import FleetInputs, multi_year
from roadcarbon.rules.parameters import DatedValue, Parameter, Reference, Status
from roadcarbon.rules.registry import Library, Reform
from roadcarbon.rules.schema import Kind, Scheme
from roadcarbon.rules.trace import Trace

__all__ = [
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
    "multi_year",
]
