"""The cross-market compliance table: every vehicle against every per-vehicle scheme, on one date.

Each cell is the rule library's answer (outcome with its status) or, when the
library cannot answer, a reason in the user's language and — for missing
inputs — the fields to fill.  Inputs the user adds travel in the form as
``in.<vehicle>.<field>`` (one value per vehicle, used by every scheme that
declares the field) and prices as ``price.<vehicle>.<market>`` with
``currency.<vehicle>.<market>`` (one price per market: the rule library
converts a price in another currency with its sourced annual rates, or
refuses with the reason).  No number is computed here: the outcomes are the
rule library's (``backend.rule_evaluate``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from roadcarbon.errors import InputError, RoadcarbonError, SpecError
from roadcarbon.rules.columns import CATEGORICAL_INPUTS, DERIVED_FROM, NUMERIC_INPUTS, RULE_ONLY_INPUTS
from roadcarbon.specs import VehicleSpec
from roadcarbon.web import backend, views
from roadcarbon.web.i18n import gettext_ as _
from roadcarbon.web.tables import Table

PRICE_FIELDS = ("price", "price_currency")
"""Given per market (``price.<vehicle>.<market>``, ``currency.<vehicle>.<market>``), not per vehicle."""

_CODE_CHOICES: dict[str, tuple[str, ...]] = {
    name: tuple(sorted(str(getattr(m, "value", m)) for m in VehicleSpec.model_fields[name].annotation))  # type: ignore[union-attr]
    for name in ("category", "segment", "powertrain", "fuel", "test_cycle")
}
_COUNTRY_FIELDS = ("assembly_country", "battery_production_country")
_INTEGER_FIELDS = ("seats",)
_SHARE_FIELDS = ("local_content_share",)


def field_label(name: str) -> str:
    """The translated label of a vehicle input (the code itself when it has none)."""
    labels = {
        "curb_mass_kg": _("Curb mass"),
        "engine_displacement_cc": _("Engine displacement"),
        "engine_power_kw": _("Engine power"),
        "battery_capacity_kwh": _("Battery capacity"),
        "fuel_consumption_l_per_100km": _("Fuel consumption"),
        "fuel_consumption_kg_per_100km": _("Gas consumption"),
        "electricity_consumption_kwh_per_100km": _("Electricity consumption"),
        "electric_range_km": _("Electric range"),
        "co2_g_per_km": _("CO2 emissions"),
        "hc_g_per_km": _("Hydrocarbon (HC) emissions"),
        "co_g_per_km": _("Carbon monoxide (CO) emissions"),
        "nox_g_per_km": _("Nitrogen oxides (NOx) emissions"),
        "pm_mg_per_km": _("Particulate matter (PM) emissions"),
        "seats": _("Seats"),
        "footprint_m2": _("Footprint"),
        "price": _("Price"),
        "price_currency": _("Currency"),
        "local_content_share": _("Local content share (0 to 1)"),
        "lifetime_km": _("Lifetime distance"),
        "annual_km": _("Distance per year"),
        "category": _("Vehicle category"),
        "segment": _("Segment"),
        "powertrain": _("Powertrain"),
        "fuel": _("Fuel"),
        "test_cycle": _("Test cycle"),
        "battery_chemistry": _("Battery chemistry"),
        "battery_production_country": _("Country where the battery is made (ISO code)"),
        "assembly_country": _("Country of assembly (ISO code, e.g. TH)"),
        "emission_standard": _("Emission standard"),
        "electricity_consumption_basis": _("Electricity consumption basis"),
        "th_ev_programme_participant": _("Maker takes part in Thailand's EV 3.0/3.5 measures"),
        "cn_low_fuel_consumption": _("Certified low-fuel-consumption car (China)"),
    }
    return labels.get(name, name)


def extra_outcome_label(key: str) -> str:
    """The translated label of an outcome key beyond the contract's (a life-cycle scheme's footprint, ...)."""
    labels = {
        "footprint": _("Carbon footprint [kg CO2e/kWh delivered]"),
        "obligation": _("Obligation"),
        "complete": _("All stages given"),
        "energy_delivered_kwh": _("Energy delivered over the battery's life [kWh]"),
    }
    return labels.get(key, key.replace("_", " "))


EXTRA_OUTCOME_KEYS = ("footprint", "obligation", "complete")
"""Outcome keys outside the contract's list shown in a compliance cell (the rest are in the trace)."""

UNITS = {
    "curb_mass_kg": "kg",
    "engine_displacement_cc": "cm³",
    "engine_power_kw": "kW",
    "battery_capacity_kwh": "kWh",
    "fuel_consumption_l_per_100km": "L/100 km",
    "fuel_consumption_kg_per_100km": "kg/100 km",
    "electricity_consumption_kwh_per_100km": "kWh/100 km",
    "electric_range_km": "km",
    "co2_g_per_km": "g/km",
    "hc_g_per_km": "g/km",
    "co_g_per_km": "g/km",
    "nox_g_per_km": "g/km",
    "pm_mg_per_km": "mg/km",
    "footprint_m2": "m²",
    "lifetime_km": "km",
    "annual_km": "km",
}
"""Unit shown next to each numeric input (the unit in the field's name)."""


@dataclass(frozen=True)
class FieldSpec:
    """How one input is asked for: its form name, kind (number, integer, share, choice, yes/no, text)."""

    name: str
    label: str
    unit: str
    kind: str
    choices: tuple[str, ...] = ()


def field_spec(name: str) -> FieldSpec:
    """The input a user fills for the vehicle field ``name``."""
    if name in _CODE_CHOICES:
        return FieldSpec(name, field_label(name), "", "choice", _CODE_CHOICES[name])
    if name in RULE_ONLY_INPUTS:
        return FieldSpec(name, field_label(name), "", "yesno", ("yes", "no"))
    if name in _INTEGER_FIELDS:
        return FieldSpec(name, field_label(name), "", "integer")
    if name in _SHARE_FIELDS:
        return FieldSpec(name, field_label(name), "", "share")
    if name in NUMERIC_INPUTS:
        return FieldSpec(name, field_label(name), UNITS.get(name, ""), "number")
    return FieldSpec(name, field_label(name), "", "text")


FILLABLE = frozenset(NUMERIC_INPUTS + CATEGORICAL_INPUTS + RULE_ONLY_INPUTS)


def parse_value(name: str, text: str) -> Any:
    """A typed value for field ``name`` from the form's text.

    Raises
    ------
    InputError
        Naming the field (``in.<vehicle>.<name>`` is added by the caller) and what was expected.
    """
    text = text.strip()
    spec = field_spec(name)
    if spec.kind in ("number", "integer", "share"):
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise InputError(f"expected a number, got {text!r}", field=name) from None
        if not math.isfinite(value) or value < 0:
            raise InputError(f"expected a finite number >= 0, got {text!r}", field=name)
        if spec.kind == "share" and value > 1:
            raise InputError(f"expected a share between 0 and 1, got {text!r}", field=name)
        if spec.kind == "integer":
            if value != int(value) or value < 1:
                raise InputError(f"expected a whole number >= 1, got {text!r}", field=name)
            return int(value)
        return value
    if spec.kind == "choice":
        if text not in spec.choices:
            raise InputError(f"expected one of {', '.join(spec.choices)}, got {text!r}", field=name)
        return text
    if spec.kind == "yesno":
        if text not in ("yes", "no"):
            raise InputError(f"expected yes or no, got {text!r}", field=name)
        return text == "yes"
    if name in _COUNTRY_FIELDS:
        from roadcarbon.countries import to_alpha2

        return to_alpha2(text, field=name)
    if not text:
        raise InputError("expected a value", field=name)
    return text


@dataclass
class Added:
    """Values a user added to the vehicles on the page (already checked), and the problems found."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    """vehicle key → field → value."""
    prices: dict[str, dict[str, tuple[float, str]]] = field(default_factory=dict)
    """vehicle key → market → (price, currency)."""
    raw: dict[str, str] = field(default_factory=dict)
    """form name → text as typed (shown back in the fields)."""
    problems: dict[str, str] = field(default_factory=dict)
    """form name → problem (shown next to the field)."""


def _first(values: Iterable[str]) -> str:
    return next((v.strip() for v in values if v and v.strip()), "")


def parse_added(items: list[tuple[str, str]], keys: list[str], currencies: tuple[str, ...]) -> Added:
    """The ``in.*``, ``price.*`` and ``currency.*`` entries of the query or form (the first non-empty wins)."""
    grouped: dict[str, list[str]] = {}
    for name, value in items:
        if name.startswith(("in.", "price.", "currency.")):
            grouped.setdefault(name, []).append(value)
    added = Added()
    for name, values in grouped.items():
        text = _first(values)
        if not text:
            continue
        kind, _dot, rest = name.partition(".")
        key, _dot, part = rest.rpartition(".")
        if key not in keys:
            continue  # a value for a vehicle the user has just unticked: not an error, just not used
        if kind == "in":
            if part not in FILLABLE or part in PRICE_FIELDS:
                added.problems[name] = f"{part!r} is not a vehicle input a scheme reads"
                continue
            added.raw[name] = text
            try:
                added.values.setdefault(key, {})[part] = parse_value(part, text)
            except InputError as exc:
                added.problems[name] = str(exc).split(": ", 1)[-1]
        elif kind == "price":
            added.raw[name] = text
            # the currency chosen next to the price given (the same field repeats in each cell of the market)
            at = next(i for i, v in enumerate(values) if v and v.strip())
            choices = grouped.get(f"currency.{rest}", [])
            currency = (choices[at] if at < len(choices) else _first(choices)).strip().upper()
            added.raw[f"currency.{rest}"] = currency
            try:
                amount = parse_value("price", text)
            except InputError as exc:
                added.problems[name] = str(exc).split(": ", 1)[-1]
                continue
            if not re.fullmatch(r"[A-Z]{3}", currency):
                added.problems[f"currency.{rest}"] = (
                    f"expected an ISO 4217 code such as IDR, got {currency!r}"
                )
                continue
            added.prices.setdefault(key, {})[part] = (amount, currency)
    return added


def currencies() -> tuple[str, ...]:
    """Currencies a price may be given in: those with sourced rates, USD, and every scheme's currency."""
    from roadcarbon.services.regulations import library

    lib = library()
    found = {"USD"}
    if lib.exchange_rates is not None:
        found.update(lib.exchange_rates.rates)
    found.update(s.currency for s in lib.select() if getattr(s, "currency", None))
    return tuple(sorted(found))


def market_currency(market: str) -> str:
    """The currency a market's schemes tax in (the first scheme that names one), else USD."""
    from roadcarbon.services.regulations import library

    for scheme in library().select(market):
        if getattr(scheme, "currency", None):
            return str(scheme.currency)
    return "USD"


def declared_fields(scheme_id: str) -> list[str]:
    """The vehicle fields a scheme declares in its ``inputs`` (derived inputs mapped to their field)."""
    from roadcarbon.services.regulations import library

    out: list[str] = []
    for name in library().get(scheme_id).inputs:
        base = DERIVED_FROM.get(name, name)
        if base in FILLABLE and base not in out:
            out.append(base)
    return out


_LACKS = re.compile(r"lacks ([a-z0-9_, ]+?),? which")
_SCOPE = re.compile(
    r"does not apply to these vehicles: its scope is categories \[([^\]]*)\], powertrains \[([^\]]*)\]"
)
_NO_VERSION = re.compile(r"no version of \S+ is in force on (\S+); its versions cover (\S+) to (\S+)")
_NO_RATE = re.compile(
    r"no sourced exchange rate for ([A-Z]{3}) in (\d{4}).*cannot convert ([A-Z]{3}) to ([A-Z]{3})"
)


def reported_missing(exc: RoadcarbonError, declared: list[str]) -> list[str]:
    """Fields the rule library reports missing (the scheme's declared inputs first, then fields of a scheme it
    builds on), each one a user can fill."""
    text = str(exc)
    if not any(word in text for word in ("lacks", "missing", "gives no")):
        return []
    named = [
        path.strip().removeprefix("vehicle.").split("[")[0]
        for path in (getattr(exc, "field", None) or "").split(",")
    ]
    for match in _LACKS.finditer(text):
        named.extend(part.strip() for part in match.group(1).split(","))
    out: list[str] = []
    for name in named:
        base = DERIVED_FROM.get(name, name)
        if base == "price_currency":
            base = "price"
        # a field of the scheme's own inputs, or of a scheme it builds on (SG ARF reads the VES band)
        if (base in declared or base in FILLABLE) and base not in out:
            out.append(base)
    return sorted(out, key=lambda n: (n not in declared, named.index(n) if n in named else 0))


def explain(exc: RoadcarbonError) -> tuple[str, str]:
    """The kind of refusal and a sentence in the user's language (the library's text when not recognised)."""
    text = str(exc)
    if m := _NO_RATE.search(text):
        return "currency", _(
            "No sourced exchange rate for %(currency)s in %(year)s: cannot convert %(source)s to %(target)s. "
            "Give the price in %(target)s or in a currency with a rate for that year."
        ) % {"currency": m.group(1), "year": m.group(2), "source": m.group(3), "target": m.group(4)}
    if m := _SCOPE.search(text):
        return "scope", _(
            "Does not apply to this vehicle: the scheme covers %(powertrains)s (%(categories)s)."
        ) % {"powertrains": m.group(2), "categories": m.group(1)}
    if m := _NO_VERSION.search(text):
        return "no_version", _("No version in force on %(on)s (its versions cover %(start)s to %(end)s).") % {
            "on": m.group(1),
            "start": m.group(2),
            "end": m.group(3),
        }
    if "not enacted" in text or "allow_status" in text or "strict" in text:
        return "status", _(
            "Refused: it rests on values that are not enacted. Tick the statuses to accept above."
        )
    return "other", text.split(": ", 1)[-1] if isinstance(exc, SpecError) else text


@dataclass
class State:
    """The compliance page's state (query or posted form)."""

    vehicles: list[str]
    on: dt.date
    spec: str = ""
    allow: tuple[str, ...] = ()
    items: list[tuple[str, str]] = field(default_factory=list)
    """Every entry of the query or form (for the added values)."""
    library: Any = None
    """A rule library to evaluate with instead of the packaged one (the published rule values), or None."""


def published_schemes(lib: Any) -> list[str]:
    """Ids of the schemes whose published version differs from the packaged one."""
    if lib is None:
        return []
    from roadcarbon.services.regulations import library

    packaged = library()
    return sorted(sid for sid, scheme in lib.schemes.items() if packaged.schemes.get(sid) is not scheme)


def evaluate(state: State, scheme_id: str, vehicle: dict[str, Any]) -> dict[str, Any]:
    """The rule library's ``rules evaluate`` document, with the published rule values when there are any."""
    if state.library is None:  # the service evaluates a rule-input mapping as the API does
        from roadcarbon.services.regulations import evaluate as evaluate_packaged

        return evaluate_packaged(scheme_id, vehicle, state.on, allow=list(state.allow))
    from roadcarbon.rules.documents import evaluate_document
    from roadcarbon.services.exports import json_safe
    from roadcarbon.services.regulations import lifecycle_inputs

    extra = lifecycle_inputs(state.library.get(scheme_id), vehicle, state.on)
    doc = evaluate_document(
        state.library,
        scheme_id,
        vehicle,
        state.on,
        allow_status=list(state.allow),
        extra_inputs=extra or None,
    )
    return dict(json_safe(doc))


def _base(spec: VehicleSpec) -> dict[str, Any]:
    return dict(spec.model_dump(mode="json", exclude_none=True))


def view(state: State) -> dict[str, Any]:
    """Rows (one per scheme), vehicle columns, the added values and the downloadable table."""
    specs: list[tuple[str, VehicleSpec]] = [(pid, backend.vehicle(pid)) for pid in state.vehicles]
    if state.spec.strip():
        specs.append(("custom", views.parse_spec(state.spec)))
    if not specs:
        raise InputError("choose at least one vehicle", field="v")
    keys = [k for k, _s in specs]
    money = currencies()
    added = parse_added(state.items, keys, money)
    schemes = [s for s in backend.rule_schemes() if s["category"] not in ("fleet_target", "mandate")]
    rows: list[dict[str, Any]] = []
    flat: list[list[Any]] = []
    markets: dict[str, str] = {}
    published = published_schemes(state.library)
    for scheme in sorted(schemes, key=lambda s: (s["market"], s["id"])):
        market = scheme["market"]
        markets.setdefault(market, market_currency(market))
        declared = declared_fields(scheme["id"])
        cells = []
        for key, spec in specs:
            doc = _base(spec)
            given = added.values.get(key, {})
            for name, value in given.items():
                if name in RULE_ONLY_INPUTS and name not in declared:
                    continue
                doc[name] = value
            price = added.prices.get(key, {}).get(market)
            if price is not None:
                doc["price"], doc["price_currency"] = price
            cell: dict[str, Any] = {
                "vehicle": key,
                "market": market,
                "added": bool(given) or price is not None or scheme["id"] in published,
            }
            try:
                result = evaluate(state, scheme["id"], doc)
            except RoadcarbonError as exc:
                missing = reported_missing(exc, declared)
                kind, reason = ("missing", "") if missing else explain(exc)
                cell.update(kind=kind, reason=reason, error=str(exc))
                if kind == "currency":
                    missing = ["price"]
                cell["fields"] = [field_spec(n) for n in missing if n != "price"]
                cell["needs_price"] = "price" in missing and price is None
            else:
                outcome = result.get("outcome", {})
                cell["outcome"] = outcome
                cell["evaluation"] = result
                cell["fields"] = []
                cell["needs_price"] = (
                    "price" in declared
                    and outcome.get("amount") is None
                    and price is None
                    and doc.get("price") is None
                )
            cells.append(cell)
            outcome = cell.get("outcome", {})
            flat.append(
                [
                    market,
                    scheme["id"],
                    spec.name,
                    *[views._plain(outcome.get(k)) for k in views.OUTCOME_KEYS],
                    outcome.get("status"),
                    cell.get("error"),
                ]
            )
        rows.append({"scheme": scheme, "cells": cells})
    table = Table(
        "compliance",
        ["market", "scheme", "vehicle", *views.OUTCOME_KEYS, "status", "not_evaluated_because"],
        flat,
        [
            f"on={state.on.isoformat()}",
            "statuses used: " + ", ".join(("enacted", *state.allow)),
            *[
                f"{k}: " + ", ".join(f"{n}={v}" for n, v in sorted(vals.items()))
                for k, vals in added.values.items()
            ],
            *[
                f"{k}: price in {m} = {p} {c}"
                for k, by_market in added.prices.items()
                for m, (p, c) in sorted(by_market.items())
            ],
        ],
    )
    names = [(key, spec.name) for key, spec in specs]
    return {
        "rows": rows,
        "published": published,
        "names": names,
        "table": table,
        "added": added,
        "market_currencies": markets,
        "currencies": money,
        "given_fields": {
            key: [(field_spec(n), v) for n, v in sorted(added.values.get(key, {}).items())] for key in keys
        },
    }
