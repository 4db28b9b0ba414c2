"""Tables the rule library reads besides the schemes: test-cycle conversions and emission standards.

Both are plain typed rows, parsed from data the I/O layer reads
(``data/factors/cycle_conversion.csv`` and
``data/regulations/emission_standards.yaml``); nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from roadcarbon.rules.parameters import Reference, Status


class CycleConversion(BaseModel):
    """One ratio ``value on to_cycle / value on from_cycle`` for a quantity and powertrain.

    ``low``/``high`` bound the ratio where the source gives a range.
    ``powertrain`` is a powertrain code, or ``""``/``all`` for any.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    from_cycle: str
    to_cycle: str
    quantity: str
    powertrain: str = ""
    factor: float = Field(gt=0)
    low: float | None = None
    high: float | None = None
    source_id: str
    locator: str = ""
    note: str = ""


# which conversion-table quantities convert which input, and whether the input scales with the
# ratio ("same") or with its inverse ("inverse": a consumption per km moves opposite to a range)
_QUANTITY_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "co2_g_per_km": (("co2", "same"), ("fuel_consumption", "same")),
    "fuel_consumption_l_per_100km": (("fuel_consumption", "same"), ("co2", "same")),
    "fuel_consumption_kg_per_100km": (("fuel_consumption", "same"), ("co2", "same")),
    "electricity_consumption_kwh_per_100km": (("electricity_consumption", "same"), ("range", "inverse")),
    "electric_range_km": (("range", "same"), ("electricity_consumption", "inverse")),
}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _cycle_matches(row_cycle: str, cycle: str) -> bool:
    words = _norm(row_cycle).split("_")
    return _norm(cycle) in words


def _quantity_matches(row_quantity: str, word: str) -> bool:
    q = _norm(row_quantity)
    if word == "co2":
        return q in ("co2", "co2_g_per_km")
    if word == "range":
        return q in ("ev_range", "range", "electric_range", "electric_range_km")
    if word == "electricity_consumption":
        return q in ("ev_energy", "electricity_consumption", "energy_consumption", "ev_consumption")
    if word == "fuel_consumption":
        return q in ("fuel_consumption", "fc", "fuel_consumption_l_per_100km")
    return q == word


def find_conversion(
    rows: Iterable[CycleConversion],
    *,
    input_name: str,
    from_cycle: str,
    to_cycle: str,
    powertrain: str,
    fuel: str = "",
    _reversed: bool = False,
) -> tuple[CycleConversion, str] | None:
    """The conversion row for an input between two cycles, and how it applies (``same``/``inverse``).

    A row for the exact powertrain and fuel (``ICEV-diesel``) is preferred to one for
    the powertrain (``ICEV``), then to a row for all powertrains; a direct
    quantity (e.g. CO2 for ``co2_g_per_km``) to an indirect one.  Failing
    those, a row between the same cycles the other way round is used inverted
    (how ends in ``_reversed``).
    """
    rows = list(rows)
    for word, how in _QUANTITY_WORDS.get(input_name, ()):
        candidates = [
            r
            for r in rows
            if _quantity_matches(r.quantity, word)
            and _cycle_matches(r.from_cycle, from_cycle)
            and _cycle_matches(r.to_cycle, to_cycle)
        ]
        with_fuel = [r for r in candidates if fuel and _norm(r.powertrain) == _norm(f"{powertrain}-{fuel}")]
        exact = [r for r in candidates if _norm(r.powertrain) == _norm(powertrain)]
        generic = [r for r in candidates if r.powertrain.strip().lower() in ("", "all", "*", "any")]
        for group in (with_fuel, exact, generic):
            if group:
                return group[0], how
    # a row the other way round, inverted (NEDC->WLTP read backwards for a WLTP->NEDC need)
    found = None
    if not _reversed:
        found = find_conversion(
            rows,
            input_name=input_name,
            from_cycle=to_cycle,
            to_cycle=from_cycle,
            powertrain=powertrain,
            fuel=fuel,
            _reversed=True,
        )
    if found is not None:
        row, how = found
        return row, ("inverse" if how == "same" else "same") + "_reversed"
    return None


def _leg(row: CycleConversion, how: str) -> tuple[float, float, float]:
    """Factor, low and high of one conversion as applied (inverted where ``how`` says so)."""
    if how.startswith("same"):
        low = row.low if row.low is not None else row.factor
        high = row.high if row.high is not None else row.factor
        return row.factor, low, high
    low = 1.0 / row.high if row.high is not None else 1.0 / row.factor
    high = 1.0 / row.low if row.low is not None else 1.0 / row.factor
    return 1.0 / row.factor, low, high


def find_chain(
    rows: Iterable[CycleConversion],
    *,
    input_name: str,
    from_cycle: str,
    to_cycle: str,
    powertrain: str,
    fuel: str = "",
) -> tuple[CycleConversion, str] | None:
    """A conversion through one intermediate cycle (NEDC -> CLTC -> WLTP) when no direct row exists.

    Returns a combined row (factor = product of the two legs as applied, range = product of
    the legs' ranges, a leg without a range counting at its factor) applied as ``same``.
    """
    rows = list(rows)
    direct = find_conversion(
        rows,
        input_name=input_name,
        from_cycle=from_cycle,
        to_cycle=to_cycle,
        powertrain=powertrain,
        fuel=fuel,
    )
    if direct is not None:
        return direct
    middles = sorted({r.from_cycle for r in rows} | {r.to_cycle for r in rows} - {from_cycle, to_cycle})
    for mid in middles:
        first = find_conversion(
            rows, input_name=input_name, from_cycle=from_cycle, to_cycle=mid, powertrain=powertrain, fuel=fuel
        )
        second = find_conversion(
            rows, input_name=input_name, from_cycle=mid, to_cycle=to_cycle, powertrain=powertrain, fuel=fuel
        )
        if first is None or second is None:
            continue
        (r1, h1), (r2, h2) = first, second
        f1, lo1, hi1 = _leg(r1, h1)
        f2, lo2, hi2 = _leg(r2, h2)
        combined = CycleConversion(
            from_cycle=from_cycle,
            to_cycle=to_cycle,
            quantity=f"{r1.quantity} {from_cycle}->{mid} x {r2.quantity} {mid}->{to_cycle}",
            powertrain=powertrain,
            factor=f1 * f2,
            low=lo1 * lo2,
            high=hi1 * hi2,
            source_id=f"{r1.source_id} + {r2.source_id}",
            locator=f"{r1.locator}; {r2.locator}",
            note=f"chained through {mid}: {f1:.4g} x {f2:.4g}",
        )
        return combined, "same"
    return None


class StandardLevel(BaseModel):
    """A named emission-standard stage and its Euro-equivalent rank (4 = Euro 4, 6 = Euro 6, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: str
    euro_rank: int = Field(ge=1, le=7)
    reference: Reference
    status: Status
    note: str | None = None


class MarketStandard(BaseModel):
    """The light-duty emission stage required for new vehicles in a market from a date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    market: str = Field(pattern=r"^[A-Z]{2}$")
    fuel: str = "all"
    stage: str
    since: dt.date
    reference: Reference
    status: Status
    note: str | None = None


class EmissionStandards(BaseModel):
    """Stages with their Euro-equivalent ranks, and the stage in force per market."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    levels: list[StandardLevel]
    markets: list[MarketStandard]

    def rank(self, stage: str) -> StandardLevel | None:
        """The level of a stage name (case- and space-insensitive), or ``None``."""
        key = _norm(stage)
        for level in self.levels:
            if _norm(level.stage) == key:
                return level
        return None

    def required(self, market: str, fuel: str, on: dt.date) -> MarketStandard | None:
        """The stage in force for new light-duty vehicles of a fuel in a market on a date."""
        found: MarketStandard | None = None
        for row in self.markets:
            if row.market != market or row.since > on or row.fuel not in ("all", fuel):
                continue
            if found is None or row.since > found.since or (row.since == found.since and row.fuel == fuel):
                found = row
        return found
