"""The rule library: validate parsed scheme documents, check cross-references, index by id.

This module is pure: it receives documents already parsed from YAML (by
:mod:`roadcarbon.io.rulebook`, with ``yaml.safe_load``) together with the
name of the file they came from, so every error names the file and the key
path.  What-if reforms are overlays applied to a *copy* of a library.
"""

from __future__ import annotations

import builtins
import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roadcarbon.errors import RuleError
from roadcarbon.rules.columns import KNOWN_INPUTS
from roadcarbon.rules.currency import ExchangeRates
from roadcarbon.rules.expressions import formula_names
from roadcarbon.rules.parameters import DatedValue, Identifier, Parameter, Status
from roadcarbon.rules.schema import (
    Kind,
    Scheme,
    SchemeId,
    Source,
    SourceRegistry,
    referenced_inputs,
    referenced_parameters,
)
from roadcarbon.rules.tables import CycleConversion, EmissionStandards


def describe(exc: ValidationError, origin: str) -> str:
    """One line: file, key path of the first problem, and what was expected.

    Unknown keys are reported first: a typo in a key is also what makes the
    intended key "missing".
    """
    errors = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")
    first = errors[0]
    loc = ".".join(str(p) for p in first.get("loc", ()))
    msg = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if first.get("type") == "extra_forbidden":
        msg = "unknown key (not in the schema; see docs/rules.md)"
    more = len(exc.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{origin}: {loc or '<top>'}: {msg}{tail}"


def parse_scheme(document: Any, *, origin: str, expected_id: str | None = None) -> Scheme:
    """Validate one scheme document.

    Parameters
    ----------
    document
        The parsed YAML mapping.
    origin
        File name for error messages.
    expected_id
        ``<MARKET>.<file stem>`` derived from the path; the document's ``id`` must equal it.

    Raises
    ------
    RuleError
        Naming the file and the key path.
    """
    if not isinstance(document, Mapping):
        raise RuleError(
            f"{origin}: expected a mapping of scheme keys at the top, got {type(document).__name__}"
        )
    try:
        scheme = Scheme.model_validate(document)
    except ValidationError as exc:
        raise RuleError(describe(exc, origin)) from None
    if expected_id is not None and scheme.id != expected_id:
        raise RuleError(
            f"{origin}: id: must be {expected_id!r} (market folder + file name), got {scheme.id!r}"
        )
    _check_references(scheme, origin)
    _check_structure(scheme, origin)
    return scheme


def _change_dates(scheme: Scheme, names: list[str]) -> list[dt.date]:
    dates = {v.valid_from for v in scheme.versions}
    for name in names:
        dates.update(scheme.parameters[name].values)
    return sorted(d for d in dates if scheme.version_on(d) is not None)


def _check_structure(scheme: Scheme, origin: str) -> None:
    """Shapes that must hold on every date a version is in force (band counts, tier counts, order)."""
    from roadcarbon.rules.schema import BandTable, Direction, RateScale

    block = scheme.kind_block()
    if isinstance(block, BandTable):
        names = [block.band_names, *(m.thresholds for m in block.metrics)]
        names += [block.amounts] if block.amounts else []
        for day in _change_dates(scheme, names):
            bands = scheme.parameters[block.band_names].dated(day)
            if bands is None or not isinstance(bands[1].value, list):
                raise RuleError(
                    f"{origin}: parameters.{block.band_names}: no list of band names in force on {day}"
                )
            n_bands = len(bands[1].value)
            for metric in block.metrics:
                found = scheme.parameters[metric.thresholds].dated(day)
                where = f"{origin}: parameters.{metric.thresholds}"
                if found is None or not isinstance(found[1].value, list):
                    raise RuleError(f"{where}: no list of thresholds in force on {day}")
                values = [float(v) for v in found[1].value if isinstance(v, int | float)]
                if len(values) != n_bands - 1:
                    raise RuleError(
                        f"{where}: {len(values)} thresholds on {day}, but {n_bands} bands need {n_bands - 1}"
                    )
                ascending = metric.direction is Direction.LOWER_IS_BETTER
                if values != sorted(values, reverse=not ascending):
                    order = "ascending" if ascending else "descending"
                    raise RuleError(f"{where}: thresholds on {day} must be {order} (best band first)")
            if block.amounts:
                found = scheme.parameters[block.amounts].dated(day)
                if found is not None and (
                    not isinstance(found[1].value, list) or len(found[1].value) != n_bands
                ):
                    raise RuleError(f"{origin}: parameters.{block.amounts}: need {n_bands} amounts on {day}")
    if isinstance(block, RateScale) and block.tiers is not None:
        tiers = block.tiers
        for day in _change_dates(scheme, [tiers.upper_bounds, tiers.rates]):
            bounds = scheme.parameters[tiers.upper_bounds].dated(day)
            rates = scheme.parameters[tiers.rates].dated(day)
            if bounds is None or rates is None:
                continue
            b, r = bounds[1].value, rates[1].value
            if not isinstance(b, list) or not isinstance(r, list) or len(r) != len(b) + 1:
                raise RuleError(
                    f"{origin}: parameters.{tiers.rates}: need one more rate than upper bounds on {day}"
                )


def _check_references(scheme: Scheme, origin: str) -> None:
    params = set(scheme.parameters)
    for offset in scheme.offsets:
        for key, name in (("ratio", offset.ratio), ("param", offset.param)):
            if name is not None and name not in params:
                raise RuleError(f"{origin}: offsets.{offset.id}.{key}: {name!r} is not a defined parameter")
        if offset.scheme == scheme.id:
            raise RuleError(f"{origin}: offsets.{offset.id}.scheme: a scheme cannot offset itself")
    clash = params & set(scheme.fleet_inputs)
    if clash:
        raise RuleError(f"{origin}: fleet_inputs: {sorted(clash)} are also parameter names")
    for pname, param in scheme.parameters.items():
        for start, value in param.values.items():
            if value is None or value.formula is None:
                continue
            for name in sorted(formula_names(value.formula)):
                if name not in params and name not in scheme.fleet_inputs:
                    raise RuleError(
                        f"{origin}: parameters.{pname}.values.{start}.formula: reads {name!r}, which is "
                        "neither a parameter nor a declared fleet input (fleet_inputs)"
                    )
                if name == pname:
                    raise RuleError(f"{origin}: parameters.{pname}.values.{start}.formula: reads itself")
    for block_name in (scheme.kind.value, "input_rules"):
        block: Any = scheme.input_rules if block_name == "input_rules" else scheme.kind_block()
        for name in referenced_parameters(block):
            if name not in params:
                close = difflib.get_close_matches(name, sorted(params), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise RuleError(
                    f"{origin}: {block_name}: refers to parameter {name!r}, which is not defined{hint}"
                )
    declared = set(scheme.inputs) | {r.target for r in scheme.input_rules}
    for block_name in (scheme.kind.value, "input_rules"):
        block = scheme.input_rules if block_name == "input_rules" else scheme.kind_block()
        for name in referenced_inputs(block):
            if name not in declared and name != "price_currency":
                raise RuleError(f"{origin}: {block_name}: reads input {name!r}; list it under 'inputs'")
    extra_ok: set[str] = set()
    if scheme.lifecycle is not None:
        extra_ok |= set(scheme.lifecycle.stages.values())
        if scheme.lifecycle.energy_delivered_input is not None:
            extra_ok.add(scheme.lifecycle.energy_delivered_input)
    for name in scheme.inputs:
        if (
            name not in KNOWN_INPUTS
            and name not in extra_ok
            and name not in {r.target for r in scheme.input_rules}
        ):
            close = difflib.get_close_matches(name, sorted(KNOWN_INPUTS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise RuleError(f"{origin}: inputs: {name!r} is not a vehicle-spec field or derived column{hint}")


def parse_sources(document: Any, *, origin: str) -> dict[str, Source]:
    """Validate the source registry document (a mapping id -> record)."""
    try:
        return dict(SourceRegistry.model_validate({"sources": document or {}}).sources)
    except ValidationError as exc:
        raise RuleError(describe(exc, origin).replace(": sources.", ": ", 1)) from None


# --- reforms ------------------------------------------------------------------------------------


class ParameterChange(BaseModel):
    """New dated values for one parameter of one scheme (inserted or replacing the same dates)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: SchemeId
    parameter: Identifier
    values: dict[dt.date, DatedValue | None] = Field(min_length=1)


class Reform(BaseModel):
    """A named what-if: parameter changes applied to a copy of the library."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Identifier
    description: str = Field(min_length=1)
    changes: list[ParameterChange] = Field(min_length=1)


def parse_reform(document: Any, *, origin: str) -> Reform:
    """Validate a reform overlay document."""
    try:
        return Reform.model_validate(document)
    except ValidationError as exc:
        raise RuleError(describe(exc, origin)) from None


def _what_if(value: DatedValue | None, name: str) -> DatedValue | None:
    """A reform's value: never ``enacted`` (a what-if is not law); labelled ``assumption``."""
    if value is None or value.status is not Status.ENACTED:
        return value
    note = f"reform {name}: a what-if value, not law" + (f"; {value.note}" if value.note else "")
    return value.model_copy(update={"status": Status.ASSUMPTION, "note": note})


# --- the library --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Library:
    """Validated schemes with their source registry and side tables."""

    schemes: Mapping[str, Scheme]
    sources: Mapping[str, Source]
    conversions: tuple[CycleConversion, ...] = ()
    standards: EmissionStandards | None = None
    origins: Mapping[str, str] = field(default_factory=dict)
    reform: str | None = None
    exchange_rates: ExchangeRates | None = None

    @classmethod
    def build(
        cls,
        schemes: Iterable[tuple[Scheme, str]],
        sources: Mapping[str, Source],
        *,
        conversions: Iterable[CycleConversion] = (),
        standards: EmissionStandards | None = None,
        exchange_rates: ExchangeRates | None = None,
    ) -> Library:
        """Index schemes, refusing duplicate ids and references to unknown sources."""
        index: dict[str, Scheme] = {}
        origins: dict[str, str] = {}
        for scheme, origin in schemes:
            if scheme.id in index:
                raise RuleError(f"{origin}: id: {scheme.id!r} is already defined in {origins[scheme.id]}")
            for pname, param in scheme.parameters.items():
                for start, value in param.values.items():
                    if value is None:
                        continue
                    src = value.reference.source
                    if not src.startswith("reform:") and src not in sources:
                        raise RuleError(
                            f"{origin}: parameters.{pname}.values.{start}.reference.source: "
                            f"{src!r} is not in the source registry (sources.yaml)"
                        )
            index[scheme.id] = scheme
            origins[scheme.id] = origin
        for scheme_id, scheme in index.items():
            for used_id in scheme.formula.uses if scheme.formula is not None else []:
                used = index.get(used_id)
                if used is None:
                    raise RuleError(f"{origins[scheme_id]}: formula.uses: unknown scheme id {used_id!r}")
                if used.kind is Kind.FLEET_TARGET or (used.formula is not None and used.formula.uses):
                    raise RuleError(
                        f"{origins[scheme_id]}: formula.uses: {used_id} is a fleet scheme or itself combines "
                        "schemes; only single per-vehicle schemes can be combined"
                    )
        for scheme_id, scheme in index.items():
            for offset in scheme.offsets:
                if offset.scheme is None:
                    continue
                other = index.get(offset.scheme)
                if other is None or other.kind not in (Kind.FLEET_TARGET, Kind.CREDITS, Kind.MANDATE):
                    raise RuleError(
                        f"{origins[scheme_id]}: offsets.{offset.id}.scheme: {offset.scheme!r} is not a fleet "
                        "scheme of the library"
                    )
                if other.offsets:
                    raise RuleError(
                        f"{origins[scheme_id]}: offsets.{offset.id}.scheme: {offset.scheme} has offsets itself"
                    )
        if standards is not None:
            refs = [lvl.reference for lvl in standards.levels] + [m.reference for m in standards.markets]
            for i, ref in enumerate(refs):
                if ref.source not in sources:
                    raise RuleError(
                        f"emission_standards.yaml: entry {i}: reference.source {ref.source!r} "
                        "is not in the source registry (sources.yaml)"
                    )
        return cls(
            schemes=dict(sorted(index.items())),
            sources=dict(sources),
            conversions=tuple(conversions),
            standards=standards,
            origins=origins,
            exchange_rates=exchange_rates,
        )

    def get(self, scheme_id: str) -> Scheme:
        """A scheme by id.

        Raises
        ------
        RuleError
            Unknown id (with the closest known id as a hint).
        """
        try:
            return self.schemes[scheme_id]
        except KeyError:
            close = difflib.get_close_matches(scheme_id, list(self.schemes), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "; `roadcarbon rules list` shows them"
            raise RuleError(f"unknown scheme id {scheme_id!r}{hint}", field="scheme") from None

    def select(self, market: str | None = None) -> builtins.list[Scheme]:
        """Schemes, optionally of one market, sorted by id."""
        return [s for s in self.schemes.values() if market is None or s.market == market]

    def list(self, market: str | None = None) -> builtins.list[Scheme]:
        """Same as :meth:`select`."""
        return self.select(market)

    def with_reform(self, reform: Reform) -> Library:
        """A copy of the library with the reform's values merged in; the reference is untouched."""
        schemes = dict(self.schemes)
        for i, change in enumerate(reform.changes):
            where = f"reform {reform.name}: changes.{i}"
            if change.scheme not in schemes:
                raise RuleError(f"{where}.scheme: unknown scheme id {change.scheme!r}")
            scheme = schemes[change.scheme]
            if change.parameter not in scheme.parameters:
                raise RuleError(f"{where}.parameter: {change.scheme} has no parameter {change.parameter!r}")
            old = scheme.parameters[change.parameter]
            merged = Parameter(
                unit=old.unit,
                description=old.description,
                values={**old.values, **{d: _what_if(v, reform.name) for d, v in change.values.items()}},
            )
            params = {**scheme.parameters, change.parameter: merged}
            schemes[change.scheme] = scheme.model_copy(update={"parameters": params})
        return Library(
            schemes=schemes,
            sources=self.sources,
            conversions=self.conversions,
            standards=self.standards,
            origins=self.origins,
            reform=reform.name,
            exchange_rates=self.exchange_rates,
        )

    def formula_kinds(self) -> builtins.list[str]:
        """Ids of schemes evaluated by a Python formula."""
        return [s.id for s in self.schemes.values() if s.kind is Kind.FORMULA]
