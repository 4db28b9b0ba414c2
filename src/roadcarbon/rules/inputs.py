"""Ask only for what a rule reads (issue 9 section 2): lenient vehicle input for rule evaluation.

The life-cycle engine needs a complete :class:`~roadcarbon.specs.VehicleSpec`
(battery size of every BEV, electricity use of every PHEV, ...).  A scheme
reads far less: it declares its ``inputs``.  :func:`rule_columns` validates a
vehicle document against those inputs only (plus ``category`` and
``powertrain`` for the scope), reports **every** missing or invalid field at
once, each named, and returns the columns :func:`~roadcarbon.rules.evaluate.evaluate`
takes.  ``name`` is optional.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from roadcarbon.errors import SpecError
from roadcarbon.rules.columns import (
    CATEGORICAL_INPUTS,
    DERIVED_FROM,
    NUMERIC_INPUTS,
    RULE_ONLY_INPUTS,
    RULE_ONLY_NUMERIC_INPUTS,
    Columns,
)
from roadcarbon.rules.kinds.fleet_target import FleetInputs
from roadcarbon.rules.schema import Scheme
from roadcarbon.specs import VehicleSpec

_CODES: dict[str, frozenset[str]] = {
    name: frozenset(str(getattr(m, "value", m)) for m in VehicleSpec.model_fields[name].annotation)  # type: ignore[union-attr]
    for name in ("category", "segment", "powertrain", "fuel", "test_cycle")
}
_IGNORED = frozenset({"name", "sources"})
_ZERO_TAILPIPE = (
    "co2_g_per_km",
    "hc_g_per_km",
    "co_g_per_km",
    "nox_g_per_km",
    "pm_mg_per_km",
    "fuel_consumption_l_per_100km",
)
_KNOWN = (
    frozenset(NUMERIC_INPUTS)
    | frozenset(CATEGORICAL_INPUTS)
    | frozenset(RULE_ONLY_INPUTS)
    | frozenset(RULE_ONLY_NUMERIC_INPUTS)
    | _IGNORED
    | frozenset(VehicleSpec.model_fields)  # any spec field is known (read only if the scheme reads it)
)


def _yes_no(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
        return "yes" if value.strip().lower() in ("yes", "true") else "no"
    return None


def needed_fields(scheme: Scheme, required: Sequence[str]) -> list[str]:
    """Spec fields a scheme cannot do without (its required inputs, derived ones mapped to their field)."""
    out = ["category", "powertrain"]
    for name in required:
        base = DERIVED_FROM.get(name, name)
        if base not in out:
            out.append(base)
    return out


def _problems(doc: Mapping[str, Any], scheme: Scheme, prefix: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    declared = set(scheme.inputs) | {DERIVED_FROM[n] for n in scheme.inputs if n in DERIVED_FROM}
    for key, value in doc.items():
        where = f"{prefix}.{key}"
        if key not in _KNOWN:
            problems.append((where, "unknown field"))
            continue
        if key in _IGNORED or value is None:
            continue
        if key in RULE_ONLY_INPUTS:
            if _yes_no(value) is None:
                problems.append((where, f"expected true or false, got {value!r}"))
            continue
        if key in NUMERIC_INPUTS or key in RULE_ONLY_NUMERIC_INPUTS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append((where, f"expected a number, got {value!r}"))
            elif not math.isfinite(float(value)) or float(value) < 0:
                problems.append((where, f"expected a finite number >= 0, got {value!r}"))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append((where, f"expected a code, got {value!r}"))
        elif key in _CODES and value.strip() not in _CODES[key]:
            problems.append((where, f"{value!r} is not one of {', '.join(sorted(_CODES[key]))}"))
        elif key == "price_currency" and (len(value.strip()) != 3 or not value.strip().isupper()):
            problems.append((where, f"expected an ISO 4217 code such as IDR, got {value!r}"))
    problems.extend(
        (f"{prefix}.{key}", "missing (needed to decide the scheme's scope)")
        for key in ("category", "powertrain")
        if doc.get(key) is None
    )
    if "price" in declared and doc.get("price") is not None and doc.get("price_currency") is None:
        problems.append(
            (f"{prefix}.price_currency", "missing: a price needs its currency (ISO 4217, e.g. IDR)")
        )
    return problems


def rule_columns(
    vehicles: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    scheme: Scheme,
    *,
    field: str = "vehicle",
) -> tuple[Columns, int]:
    """Columns of one or more vehicle documents, validated against what ``scheme`` reads.

    Parameters
    ----------
    vehicles
        One vehicle document (mapping of spec fields) or a list of them.
    scheme
        The scheme whose ``inputs`` decide which fields matter.
    field
        Path prefix used in error messages (``vehicle`` or ``fleet.vehicles``).

    Returns
    -------
    tuple
        Columns (input name -> array ``(n,)``; missing numbers NaN, missing codes ``""``;
        zero tailpipe figures for BEV/FCEV) and ``n``.

    Raises
    ------
    SpecError
        Every unknown, invalid or missing field at once, each named by its path.
    """
    docs = [vehicles] if isinstance(vehicles, Mapping) else list(vehicles)
    if not docs:
        raise SpecError("no vehicles to evaluate", field=field)
    problems: list[tuple[str, str]] = []
    for i, doc in enumerate(docs):
        prefix = field if isinstance(vehicles, Mapping) else f"{field}[{i}]"
        if not isinstance(doc, Mapping):
            problems.append((prefix, "expected a mapping of spec fields"))
            continue
        problems.extend(_problems(doc, scheme, prefix))
    if problems:
        raise_all(problems)
    n = len(docs)
    cols: Columns = {}
    for name in NUMERIC_INPUTS:
        cols[name] = np.array(
            [np.nan if d.get(name) is None else float(d[name]) for d in docs], dtype=np.float64
        )
    for name in CATEGORICAL_INPUTS:
        cols[name] = np.array(
            ["" if d.get(name) is None else str(d[name]).strip() for d in docs], dtype=object
        )
    for name in RULE_ONLY_INPUTS:
        cols[name] = np.array([_yes_no(d.get(name)) or "" for d in docs], dtype=object)
    for name in RULE_ONLY_NUMERIC_INPUTS:
        cols[name] = np.array(
            [np.nan if d.get(name) is None else float(d[name]) for d in docs], dtype=np.float64
        )
    cols["name"] = np.array([str(d.get("name") or "") for d in docs], dtype=object)
    no_tailpipe = np.isin(cols["powertrain"], ["BEV", "FCEV"])
    for name in _ZERO_TAILPIPE:
        cols[name] = np.where(no_tailpipe & np.isnan(cols[name]), 0.0, cols[name])
    return cols, n


def raise_all(problems: Sequence[tuple[str, str]]) -> None:
    """One :class:`SpecError` naming every field: ``a: problem; b: problem`` (field = the paths, comma-separated)."""
    fields = ", ".join(dict.fromkeys(where for where, _ in problems))
    if len(problems) == 1:
        raise SpecError(problems[0][1], field=fields)
    detail = "; ".join(f"{where}: {what}" for where, what in problems)
    raise SpecError(f"{len(problems)} problems — {detail}", field=fields)


def rule_fleet(
    document: Any,
    scheme: Scheme,
    *,
    field: str = "fleet",
    resolve: Callable[[str, str], Mapping[str, Any]] | None = None,
) -> FleetInputs:
    """A fleet document ``{name?, vehicles: [{spec | preset, sales}]}`` as columns and sales.

    Entries need no ``name`` (issue 9 section 2).  ``resolve(kind, text)`` turns a
    ``preset`` id or a ``spec`` path (``kind`` = ``"preset"`` or ``"path"``) into a spec
    mapping (I/O lives in the caller).  Every problem is reported at once.

    Raises
    ------
    SpecError
        Every invalid entry, field and sales figure, each named by its path.
    """
    if not isinstance(document, Mapping):
        raise SpecError("expected a mapping with vehicles", field=field)
    entries = document.get("vehicles")
    if not isinstance(entries, list) or not entries:
        raise SpecError("must be a non-empty list", field=f"{field}.vehicles")
    problems: list[tuple[str, str]] = []
    specs: list[Mapping[str, Any]] = []
    sales: list[float] = []
    for i, entry in enumerate(entries):
        where = f"{field}.vehicles[{i}]"
        if not isinstance(entry, Mapping):
            problems.append((where, "expected a mapping with spec (or preset) and sales"))
            continue
        unknown = set(entry) - {"spec", "preset", "sales"}
        if unknown:
            problems.append((where, f"unknown key(s) {sorted(unknown)}; expected spec or preset, and sales"))
        value = entry.get("sales")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            problems.append((f"{where}.sales", f"expected a number of vehicles >= 0, got {value!r}"))
        spec: Any = entry.get("spec")
        try:
            if "preset" in entry and resolve is not None:
                spec = resolve("preset", str(entry["preset"]))
            elif isinstance(spec, str) and resolve is not None:
                spec = resolve("path", spec)
        except SpecError as exc:
            problems.append((f"{where}.{'preset' if 'preset' in entry else 'spec'}", exc.message))
            continue
        if not isinstance(spec, Mapping):
            shown = "preset" if "preset" in entry else "spec"
            problems.append((f"{where}.{shown}", "expected an inline spec, or preset: ID (with a resolver)"))
            continue
        problems.extend(_problems(spec, scheme, f"{where}.spec"))
        specs.append(spec)
        sales.append(float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0)
    fleet_inputs = _fleet_level_inputs(document.get("inputs"), scheme, f"{field}.inputs", problems)
    if problems:
        raise_all(problems)
    cols, _ = rule_columns(specs, scheme, field=f"{field}.vehicles")
    return FleetInputs(cols, np.asarray(sales, dtype=np.float64), fleet_inputs)


def _fleet_level_inputs(
    raw: Any, scheme: Scheme, where: str, problems: list[tuple[str, str]]
) -> dict[str, float]:
    """The fleet document's ``inputs: {name: number}`` checked against the scheme's ``fleet_inputs``."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append((where, "expected a mapping of fleet-level input names to numbers"))
        return {}
    out: dict[str, float] = {}
    for name, value in raw.items():
        if name not in scheme.fleet_inputs:
            known = ", ".join(sorted(scheme.fleet_inputs)) or "none"
            problems.append(
                (f"{where}.{name}", f"{scheme.id} reads no such fleet-level input (it reads: {known})")
            )
        elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(
                (
                    f"{where}.{name}",
                    f"expected a finite number [{scheme.fleet_inputs[name].unit}], got {value!r}",
                )
            )
        else:
            out[str(name)] = float(value)
    return out
