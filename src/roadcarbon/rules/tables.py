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
