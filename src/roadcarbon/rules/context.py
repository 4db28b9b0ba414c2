"""Evaluation context: dated parameter lookup that records every value used in the trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import RuleError
from roadcarbon.rules.columns import (
    CATEGORICAL_INPUTS,
    KNOWN_INPUTS,
    RULE_ONLY_INPUTS,
    Columns,
    derived_column,
    is_missing,
)
from roadcarbon.rules.currency import ExchangeRates, convert_money, tax_base_note
from roadcarbon.rules.parameters import ParameterValue, Status
from roadcarbon.rules.schema import Scheme, Source
from roadcarbon.rules.trace import ParameterUse, Step, Trace
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
    exchange_rates: ExchangeRates | None = None
    fleet_inputs: Mapping[str, float] = field(default_factory=dict)
    """Fleet-level inputs (``fleet.inputs``) that parameter formulas read by name."""
    _used: dict[str, ParameterUse] = field(default_factory=dict)
    _text: dict[str, npt.NDArray[np.str_]] = field(default_factory=dict)
    _missing: dict[str, tuple[npt.NDArray[Any], BoolArray]] = field(default_factory=dict)
    _isin: dict[tuple[str, tuple[str, ...]], BoolArray] = field(default_factory=dict)
    _computing: set[str] = field(default_factory=set)
    _parent: Context | None = None
    _index: npt.NDArray[np.int64] | None = None
    _where: dict[str, BoolArray | None] = field(default_factory=dict)
    _scope: list[BoolArray] = field(default_factory=list)
    conversion_ranges: list[tuple[str, BoolArray, float, float]] = field(default_factory=list)
    """Test-cycle conversions applied: (input, vehicles, low/central, high/central factor ratio)."""

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
            exchange_rates=self.exchange_rates,
            fleet_inputs=self.fleet_inputs,
            _used=self._used,
            _parent=self,
            _index=np.asarray(index, dtype=np.int64),
            _where=self._where,
            _scope=self._scope,
        )

    def _to_root(self, mask: BoolArray) -> BoolArray:
        """A mask over this context's vehicles as a mask over the top context's vehicles."""
        if self._parent is None or self._index is None:
            return np.asarray(mask, dtype=bool)
        out = np.zeros(self._parent.n, dtype=bool)
        out[self._index[np.asarray(mask, dtype=bool)]] = True
        return self._parent._to_root(out)

    @contextmanager
    def for_vehicles(self, mask: BoolArray) -> Iterator[None]:
        """Parameters read inside decide the outcome of the vehicles in ``mask`` only.

        Outside any such block a parameter counts for every vehicle.  The
        outcome's ``status`` of a vehicle is the weakest status of the
        parameters that count for it (issue 9 section 1).
        """
        root = self._to_root(mask)
        if self._scope:
            root = root & self._scope[-1]
        self._scope.append(root)
        try:
            yield
        finally:
            self._scope.pop()

    def _count(self, name: str) -> None:
        scope = self._scope[-1] if self._scope else None
        if name not in self._where:
            self._where[name] = None if scope is None else scope.copy()
            return
        seen = self._where[name]
        if seen is None:
            return
        self._where[name] = None if scope is None else seen | scope

    def decides_only(self, name: str, mask: BoolArray) -> None:
        """A parameter already read decides only these vehicles (e.g. a share that a cap overrides)."""
        root = self._to_root(mask)
        seen = self._where.get(name)
        self._where[name] = root if seen is None else seen & root

    @property
    def where_map(self) -> dict[str, BoolArray | None]:
        """Every parameter read and the vehicles it counts for (``None``: all)."""
        return self._where

    def where_used(self, name: str) -> BoolArray | None:
        """The vehicles a parameter counts for (``None``: all of them)."""
        return self._where.get(name)

    def param(self, name: str) -> ParameterValue:
        """The value of a parameter on the evaluation date (recorded in the trace once)."""
        if name in self._used:
            self._count(name)
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
        if dated.formula is not None:
            use = self._computed(name, dated.formula, use)
        self._used[name] = use
        self._count(name)
        self.trace.parameters.append(use)
        return use.value  # type: ignore[no-any-return]

    def _computed(self, name: str, formula: str, use: ParameterUse) -> ParameterUse:
        """A parameter whose value in force is a formula: computed from parameters and fleet inputs."""
        from dataclasses import replace

        from roadcarbon.rules.expressions import evaluate_formula

        if name in self._computing:
            raise RuleError(
                f"{self.scheme.id}: parameter {name!r} depends on itself", field=f"parameters.{name}"
            )
        self._computing.add(name)

        def lookup(ref: str) -> float:
            if ref in self.scheme.fleet_inputs:
                default = self.scheme.fleet_inputs[ref].default
                if ref not in self.fleet_inputs and default is not None:
                    return default
                if ref not in self.fleet_inputs:
                    raise RuleError(
                        f"{self.scheme.id} needs the fleet-level input {ref!r} "
                        f"({self.scheme.fleet_inputs[ref].description}) on {self.on.isoformat()}",
                        field=f"fleet.inputs.{ref}",
                    )
                return float(self.fleet_inputs[ref])
            return self.number(ref)

        try:
            value, arithmetic = evaluate_formula(formula, lookup)
        except RuleError as exc:
            if exc.field:
                raise
            # division by zero or an infinite result: name the parameter and the fleet inputs it read
            from roadcarbon.rules.expressions import formula_names

            given = sorted(n for n in formula_names(formula) if n in self.scheme.fleet_inputs)
            read = f" (fleet inputs read: {', '.join(f'fleet.inputs.{n}' for n in given)})" if given else ""
            raise RuleError(f"{exc.message}{read}", field=f"parameters.{name}") from None
        finally:
            self._computing.discard(name)
        note = f"formula: {formula}; {arithmetic}" + (f". {use.note}" if use.note else "")
        self.trace.intermediate(name, value, use.unit, note=f"{formula} = {arithmetic}")
        return replace(use, value=value, note=note)

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
            if name in CATEGORICAL_INPUTS or name in RULE_ONLY_INPUTS:
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

    def money(
        self, name: str, currency_input: str = "price_currency", active: BoolArray | None = None
    ) -> FloatArray:
        """A money input in the scheme's currency, converted where a vehicle gives another currency.

        Vehicles whose ``currency_input`` is empty, or equal to the scheme's currency, are
        read as they are.  The others are converted via USD with the annual averages of the
        evaluation year (:mod:`roadcarbon.rules.currency`); the trace records the value and
        currency given, each rate with its year and source, the converted value and that a
        foreign price stands in for the scheme's tax base.

        Raises
        ------
        RuleError
            A vehicle in another currency and no exchange-rate table (pass ``library=``).
        SpecError
            A currency-year the table does not hold.
        """
        values = self.numeric(name)
        target = self.scheme.currency
        if not target or currency_input not in self.columns:
            return values
        codes = self.text(currency_input)
        if active is not None:
            codes = np.where(active, codes, "")
        foreign = (codes != target) & (codes != "") & ~np.isnan(values)
        if not foreign.any():
            return values
        if self.exchange_rates is None:
            i = int(np.flatnonzero(foreign)[0])
            raise RuleError(
                f"vehicle {i}: {self.scheme.id} reads {name} in {target}, got {codes[i]}, and no "
                "exchange-rate table was given (pass library=)",
                field=f"vehicle.{currency_input}",
            )
        converted, used = convert_money(
            values, codes, target, self.on, self.exchange_rates, field=currency_input
        )
        for conv, mask in used:
            self.trace.intermediate(
                f"{name} as given",
                np.where(mask, values, np.nan),
                conv.from_currency,
                note=f"{currency_input}",
            )
            if conv.year != self.on.year:
                self.trace.note(
                    "exchange-rate year",
                    f"no {self.on.year} annual averages are published in the table yet "
                    f"(it runs to {self.exchange_rates.published_through}): the {conv.year} averages are used",
                )
            for code, rate in ((conv.from_currency, conv.from_rate), (conv.to_currency, conv.to_rate)):
                if code == "USD":
                    continue
                src = self.sources.get(rate.source)
                title = f" ({src.title})" if src is not None else ""
                self.trace.intermediate(
                    f"exchange rate {code} per USD, {conv.year}",
                    np.where(mask, rate.value, np.nan),
                    f"{code}/USD",
                    note=f"annual average {conv.year}; source {rate.source}{title}: {rate.locator}",
                )
            self.trace.steps.append(
                Step(
                    "conversion",
                    name,
                    np.where(mask, converted, np.nan),
                    conv.to_currency,
                    f"{name} in {conv.from_currency} / {conv.from_rate.value:g} {conv.from_currency}/USD "
                    f"x {conv.to_rate.value:g} {conv.to_currency}/USD ({conv.year} averages) = {name} in "
                    f"{conv.to_currency}; {tax_base_note(self.scheme.id, self.scheme.market, name)}",
                )
            )
        return converted

    def record(self, use: ParameterUse, where: BoolArray | None = None) -> None:
        """Count a value read elsewhere (a used scheme, a conversion factor) in the outcome's status.

        ``where``: the vehicles it counts for (``None``: all).
        """
        self._used.setdefault(use.name, use)
        if where is None:
            self._count(use.name)
        else:
            with self.for_vehicles(where):
                self._count(use.name)

    @property
    def used(self) -> list[ParameterUse]:
        """Parameters read so far."""
        return list(self._used.values())

    def statuses(self) -> set[Status]:
        """Statuses of the parameters read so far."""
        return {Status(u.status) for u in self._used.values()}
