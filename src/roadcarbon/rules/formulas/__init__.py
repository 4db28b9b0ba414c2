"""Dated Python formulas for logic no kind expresses (style 3.5), selected by evaluation date.

Each formula module defines functions ``formula_YYYY_MM(ctx) -> outcome``; a
scheme names its formula (``formula: {name: ...}``) and the function whose
date is the latest on or before the evaluation date runs.  Formulas read
their numbers from the scheme's parameters through the context (so each
number is dated, referenced and traced).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import ModuleType
from typing import Any

from roadcarbon.errors import RuleError
from roadcarbon.rules.context import Context
from roadcarbon.rules.formulas import sg_arf_payable, sg_eeai

FormulaFunc = Callable[[Context], dict[str, Any]]

MODULES: dict[str, ModuleType] = {"sg_arf_payable": sg_arf_payable, "sg_eeai": sg_eeai}


def dated_formulas(module: ModuleType) -> list[tuple[dt.date, FormulaFunc]]:
    """The ``formula_YYYY_MM`` functions of a module with their start dates, in date order."""
    found = []
    for name in dir(module):
        if name.startswith("formula_"):
            _, year, month = name.split("_")
            found.append((dt.date(int(year), int(month), 1), getattr(module, name)))
    return sorted(found, key=lambda item: item[0])


def run_formula(name: str, ctx: Context) -> dict[str, Any]:
    """Run the version of formula ``name`` in force on the context's date."""
    module = MODULES.get(name)
    if module is None:
        raise RuleError(f"{ctx.scheme.id}: unknown formula {name!r}; known: {', '.join(sorted(MODULES))}")
    chosen = None
    for start, func in dated_formulas(module):
        if start <= ctx.on:
            chosen = (start, func)
    if chosen is None:
        raise RuleError(f"{ctx.scheme.id}: formula {name!r} has no version for {ctx.on.isoformat()}")
    ctx.trace.note("formula", f"{name}.{chosen[1].__name__} (from {chosen[0].isoformat()})")
    return chosen[1](ctx)
