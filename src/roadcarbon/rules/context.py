"""Evaluation context: dated parameter lookup that records every value used in the trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import RuleError
from roadcarbon.rules.columns import CATEGORICAL_INPUTS, KNOWN_INPUTS, Columns, derived_column, is_missing
from roadcarbon.rules.parameters import ParameterValue, Status
from roadcarbon.rules.schema import Scheme, Source
from roadcarbon.rules.trace import ParameterUse, Trace
from roadcarbon.types import BoolArray, FloatArray


@dataclass
class Context:
    """What an evaluator needs besides its block: the scheme, the date, the columns and the trace."""

    scheme: Scheme
    on: dt.date
    columns: Columns
    n: int
    sources: Mapping[str, Source] = field(default_factory=dict)
    trace: Trace = field(default_factory=Trace)
    _used: dict[str, ParameterUse] = field(default_factory=dict)
    _text: dict[str, npt.NDArray[np.str_]] = field(default_factory=dict)
    _missing: dict[str, tuple[npt.NDArray[Any], BoolArray]] = field(default_factory=dict)
    _isin: dict[tuple[str, tuple[str, ...]], BoolArray] = field(default_factory=dict)
    _parent: Context | None = None
    _index: npt.NDArray[np.int64] | None = None

    def subset(self, index: npt.NDArray[np.int64]) -> Context:
        """The same evaluation restricted to some vehicles (columns copied on first use).

        Parameters read through the subset are recorded in this context's trace.
        """
        return Context(
            scheme=self.scheme,
            on=self.on,
            columns={},
            n=len(index),
            sources=self.sources,
            trace=self.trace,
            _used=self._used,
            _parent=self,
            _index=np.asarray(index, dtype=np.int64),
        )

    def param(self, name: str) -> ParameterValue:
        """The value of a parameter on the evaluation date (recorded in the trace once)."""
        if name in self._used:
            return self._used[name].value  # type: ignore[no-any-return]
        parameter = self.scheme.parameters.get(name)
        if parameter is None:
            raise RuleError(f"{self.scheme.id}: parameter {name!r} is not defined")
        found = parameter.dated(self.on)
        if found is None:
            raise RuleError(
                f"{self.scheme.id}: parameter {name!r} has no value in force on {self.on.isoformat()}",
                field=f"parameters.{name}",
            )
        start, dated = found
        src = self.sources.get(dated.reference.source)
        use = ParameterUse.from_dated(
            name,
            parameter.unit,
            start,
            dated,
            source_title=src.title if src else None,
            source_address=src.address if src else None,
        )
        self._used[name] = use
        self.trace.parameters.append(use)
        return dated.value

    def has(self, name: str) -> bool:
        """Whether a parameter has a value in force on the date (optional features end with ``null``)."""
        parameter = self.scheme.parameters.get(name)
        return parameter is not None and parameter.dated(self.on) is not None

    def number(self, name: str) -> float:
        """A scalar numeric parameter."""
        value = self.param(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RuleError(
                f"{self.scheme.id}: parameter {name!r} must be a number on {self.on}, got {value!r}"
            )
        return float(value)

    def numbers(self, name: str) -> FloatArray:
        """A list-of-numbers parameter as a float array."""
        value = self.param(name)
        if not isinstance(value, list) or not all(isinstance(v, int | float) for v in value):
            raise RuleError(f"{self.scheme.id}: parameter {name!r} must be a list of numbers on {self.on}")
        return np.asarray(value, dtype=np.float64)

    def codes(self, name: str) -> list[str]:
        """A list-of-codes parameter."""
        value = self.param(name)
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(f"{self.scheme.id}: parameter {name!r} must be a list of codes on {self.on}")
        return [str(v) for v in value]

    def column(self, name: str) -> npt.NDArray[Any]:
        """An input column; a spec field absent from column input reads as missing everywhere."""
        try:
            return self.columns[name]
        except KeyError:
            if self._parent is not None and self._index is not None:
                self.columns[name] = self._parent.column(name)[self._index]
                return self.columns[name]
            derived = derived_column(self.columns, name)
            if derived is not None:
                self.columns[name] = derived
                return derived
            if name in CATEGORICAL_INPUTS:
                self.columns[name] = np.full(self.n, "", dtype=object)
                return self.columns[name]
            if name in KNOWN_INPUTS:
                self.columns[name] = np.full(self.n, np.nan)
                return self.columns[name]
            raise RuleError(f"{self.scheme.id} reads {name!r}, which the vehicles lack", field=name) from None

    def text(self, name: str) -> npt.NDArray[np.str_]:
        """A categorical column as a fixed-width str array (converted once per evaluation)."""
        cached = self._text.get(name)
        if cached is None:
            raw = np.asarray(self.column(name))
            cached = raw if raw.dtype.kind == "U" else raw.astype(str)
            self._text[name] = cached
        return cached

    def isin(self, name: str, codes: list[str]) -> BoolArray:
        """Where a categorical column holds one of a few codes (equality tests, no sort; cached)."""
        key = (name, tuple(codes))
        cached = self._isin.get(key)
        if cached is not None:
            return cached
        col = self.text(name)
        out = np.zeros(self.n, dtype=bool)
        for code in codes:
            out |= col == code
        self._isin[key] = out
        return out

    def numeric(self, name: str) -> FloatArray:
        """An input column as float64."""
        return np.asarray(self.column(name), dtype=np.float64)

    def missing(self, name: str) -> BoolArray:
        """Where an input column has no value."""
        column = self.column(name)
        cached = self._missing.get(name)
        if cached is not None and cached[0] is column:
            return cached[1]
        mask = (
            is_missing(column)
            if column.dtype.kind == "f"
            else np.asarray(self.text(name) == "", dtype=np.bool_)
        )
        self._missing[name] = (column, mask)
        return mask

    def record(self, use: ParameterUse) -> None:
        """Count a parameter read elsewhere (a used scheme) in this evaluation's status check."""
        self._used.setdefault(use.name, use)

    @property
    def used(self) -> list[ParameterUse]:
        """Parameters read so far."""
        return list(self._used.values())

    def statuses(self) -> set[Status]:
        """Statuses of the parameters read so far."""
        return {Status(u.status) for u in self._used.values()}
