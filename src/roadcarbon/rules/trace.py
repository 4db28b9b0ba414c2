"""Explanation records: every parameter used, every intermediate number, every condition that fired.

A :class:`Trace` is an ordered list of entries.  Values may be arrays over
vehicles (shape ``(n_vehicles,)``); :meth:`Trace.for_vehicle` selects one
vehicle and :meth:`Trace.to_list` turns the trace into plain JSON-ready data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from roadcarbon.rules.parameters import DatedValue


@dataclass(frozen=True)
class ParameterUse:
    """A parameter read by an evaluation, with the dated value in force."""

    name: str
    value: Any
    unit: str
    valid_from: dt.date
    source: str
    locator: str
    status: str
    source_title: str | None = None
    source_address: str | None = None
    note: str | None = None

    @classmethod
    def from_dated(
        cls,
        name: str,
        unit: str,
        start: dt.date,
        dated: DatedValue,
        *,
        source_title: str | None = None,
        source_address: str | None = None,
    ) -> ParameterUse:
        """Build from a dated value and its start date."""
        return cls(
            name=name,
            value=dated.value,
            unit=unit,
            valid_from=start,
            source=dated.reference.source,
            locator=dated.reference.locator,
            status=dated.status.value,
            source_title=source_title,
            source_address=source_address,
            note=dated.note,
        )


@dataclass(frozen=True)
class Step:
    """An intermediate number, a condition (boolean array), a conversion or a note."""

    type: str  # "input" | "intermediate" | "condition" | "conversion" | "note"
    name: str
    value: Any = None
    unit: str | None = None
    note: str | None = None


@dataclass
class Trace:
    """Ordered explanation of one evaluation."""

    parameters: list[ParameterUse] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def intermediate(self, name: str, value: Any, unit: str | None = None, note: str | None = None) -> None:
        """Record an intermediate number (scalar or per-vehicle array)."""
        self.steps.append(Step("intermediate", name, value, unit, note))

    def condition(self, name: str, fired: Any, note: str | None = None) -> None:
        """Record a condition and where it held (bool or per-vehicle bool array)."""
        self.steps.append(Step("condition", name, fired, None, note))

    def conversion(self, name: str, value: Any, note: str) -> None:
        """Record a test-cycle (or unit) conversion applied to an input."""
        self.steps.append(Step("conversion", name, value, None, note))

    def input(self, name: str, value: Any, unit: str | None = None, note: str | None = None) -> None:
        """Record an input as the evaluation used it (after conversions and input rules)."""
        self.steps.append(Step("input", name, value, unit, note))

    def note(self, name: str, note: str) -> None:
        """Record a remark (e.g. why an amount was not computed)."""
        self.steps.append(Step("note", name, None, None, note))

    def for_vehicle(self, index: int, n_vehicles: int) -> Trace:
        """The trace of one vehicle: per-vehicle arrays reduced to their element ``index``."""
        return Trace(
            parameters=list(self.parameters),
            steps=[
                Step(s.type, s.name, _pick(s.value, index, n_vehicles), s.unit, s.note) for s in self.steps
            ],
        )

    def to_list(self) -> list[dict[str, Any]]:
        """JSON-ready list of entries (parameters first, then steps in order)."""
        out: list[dict[str, Any]] = []
        for s in self.steps:  # the vehicle's inputs as used come first
            if s.type == "input":
                given: dict[str, Any] = {"type": "input", "name": s.name, "value": plain(s.value)}
                if s.unit:
                    given["unit"] = s.unit
                if s.note:
                    given["note"] = s.note
                out.append(given)
        for p in self.parameters:
            entry: dict[str, Any] = {
                "type": "parameter",
                "name": p.name,
                "value": p.value,
                "unit": p.unit,
                "valid_from": p.valid_from.isoformat(),
                "reference": {"source": p.source, "locator": p.locator},
                "status": p.status,
            }
            if p.source_title:
                entry["reference"]["title"] = p.source_title
            if p.source_address:
                entry["reference"]["address"] = p.source_address
            if p.note:
                entry["note"] = p.note
            out.append(entry)
        for s in self.steps:
            if s.type == "input":
                continue
            entry = {"type": s.type, "name": s.name}
            if s.value is not None:
                entry["value"] = plain(s.value)
            if s.unit:
                entry["unit"] = s.unit
            if s.note:
                entry["note"] = s.note
            out.append(entry)
        return out


def _pick(value: Any, index: int, n_vehicles: int) -> Any:
    if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == n_vehicles:
        return value[index]
    if isinstance(value, dict):
        return {k: _pick(v, index, n_vehicles) for k, v in value.items()}
    return value


def plain(value: Any) -> Any:
    """numpy scalars/arrays to Python numbers/lists; NaN to None."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()] if value.ndim else plain(value.item())
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
