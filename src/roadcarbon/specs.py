"""Vehicle specs and fleets as in the design's contract (pydantic, strict, pure).

A spec describes one vehicle model: what it is (category, segment, powertrain,
fuel), its masses and battery, where its battery is made and where it is
assembled, and its type-approval figures on a named test cycle.  Field names
carry their units.  Unknown fields are refused, so a typo never passes
silently.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from importlib import resources
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from roadcarbon.countries import to_alpha2
from roadcarbon.types import SEGMENT_CATEGORIES, Category, Chemistry, Fuel, Powertrain, Segment, TestCycle

NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]

_FUELS_BY_POWERTRAIN: dict[Powertrain, set[Fuel]] = {
    Powertrain.ICEV: {Fuel.PETROL, Fuel.DIESEL, Fuel.CNG, Fuel.LPG, Fuel.ETHANOL, Fuel.ETHANOL_HYDROUS},
    Powertrain.HEV: {Fuel.PETROL, Fuel.DIESEL, Fuel.CNG, Fuel.LPG, Fuel.ETHANOL, Fuel.ETHANOL_HYDROUS},
    Powertrain.MHEV: {Fuel.PETROL, Fuel.DIESEL, Fuel.CNG, Fuel.LPG, Fuel.ETHANOL, Fuel.ETHANOL_HYDROUS},
    Powertrain.PHEV: {Fuel.PETROL, Fuel.DIESEL, Fuel.ETHANOL},
    Powertrain.BEV: {Fuel.ELECTRICITY},
    Powertrain.FCEV: {Fuel.HYDROGEN},
}


class VehicleSpec(BaseModel):
    """One vehicle model (design contract "Vehicle spec").

    Consumption figures are type-approval values on ``test_cycle``;
    electricity consumption is measured at the plug (AC energy from the
    mains, as WLTP, EPA and GB/T 18386 define it) unless
    ``electricity_consumption_basis`` says ``battery``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=200)
    category: Category
    segment: Segment
    powertrain: Powertrain
    fuel: Fuel
    curb_mass_kg: Positive
    engine_displacement_cc: NonNegative | None = None
    engine_power_kw: Positive | None = None
    battery_capacity_kwh: NonNegative | None = None
    battery_chemistry: Chemistry | None = None
    battery_production_country: str | None = None
    assembly_country: str | None = None
    test_cycle: TestCycle
    fuel_consumption_l_per_100km: NonNegative | None = None
    fuel_consumption_kg_per_100km: NonNegative | None = None
    electricity_consumption_kwh_per_100km: NonNegative | None = None
    electricity_consumption_basis: str = Field(default="plug", pattern="^(plug|battery)$")
    electric_range_km: NonNegative | None = None
    battery_swap_pool_factor: Annotated[float, Field(ge=1, le=10)] | None = None
    """Swappable batteries: battery capacity in the swap system (the packs on board plus the vehicle's share
    of the packs charging in swap stations) per kWh carried on board [kWh/kWh]; ``battery_capacity_kwh`` is
    the capacity on board (the packs swapped at one stop). Absent or 1 = no pool."""
    occupancy_passengers: Positive | None = None
    """Average people on board over the vehicle's life [passengers], for results per passenger-km; buses
    without it use the country's sourced average (``data/factors/bus_occupancy.csv``)."""
    co2_g_per_km: NonNegative | None = None
    hc_g_per_km: NonNegative | None = None
    co_g_per_km: NonNegative | None = None
    nox_g_per_km: NonNegative | None = None
    pm_mg_per_km: NonNegative | None = None
    seats: Annotated[int, Field(ge=1, le=300)] | None = None
    footprint_m2: Positive | None = None
    price: NonNegative | None = None
    price_currency: str | None = Field(default=None, pattern="^[A-Z]{3}$")
    local_content_share: Annotated[float, Field(ge=0, le=1)] | None = None
    emission_standard: str | None = None
    lifetime_km: Positive | None = None
    annual_km: Positive | None = None
    sources: list[str] = Field(default_factory=list)

    @field_validator("battery_production_country", "assembly_country")
    @classmethod
    def _country(cls, value: str | None, info: Any) -> str | None:
        return None if value is None else to_alpha2(value, field=str(info.field_name))

    @model_validator(mode="after")
    def _consistent(self) -> VehicleSpec:
        allowed = _FUELS_BY_POWERTRAIN[self.powertrain]
        if self.fuel not in allowed:
            names = ", ".join(sorted(f.value for f in allowed))
            raise ValueError(
                f"fuel {self.fuel.value!r} does not fit powertrain {self.powertrain.value}; expected one of: {names}"
            )
        electric = self.powertrain in (Powertrain.BEV, Powertrain.PHEV)
        if electric and not self.electricity_consumption_kwh_per_100km:
            raise ValueError(
                f"electricity_consumption_kwh_per_100km must be > 0 for a {self.powertrain.value}"
            )
        if electric and not self.battery_capacity_kwh:
            raise ValueError(f"battery_capacity_kwh must be > 0 for a {self.powertrain.value}")
        if self.powertrain is Powertrain.PHEV and not self.electric_range_km:
            raise ValueError("electric_range_km must be > 0 for a PHEV (it sets the utility factor)")
        combustion = self.powertrain not in (Powertrain.BEV, Powertrain.FCEV)
        if combustion and not (
            self.fuel_consumption_l_per_100km or self.fuel_consumption_kg_per_100km or self.co2_g_per_km
        ):
            raise ValueError(
                "a combustion vehicle needs fuel_consumption_l_per_100km (liquid fuels), "
                "fuel_consumption_kg_per_100km (CNG) or co2_g_per_km, and it must be > 0"
            )
        if self.powertrain is Powertrain.FCEV and not self.fuel_consumption_kg_per_100km:
            raise ValueError("fuel_consumption_kg_per_100km (hydrogen) must be > 0 for an FCEV")
        if (self.category is Category.BUS) != (self.segment is Segment.BUS_12M):
            raise ValueError("segment bus_12m goes with category bus, and only with it")
        allowed_categories = SEGMENT_CATEGORIES.get(self.segment)
        if allowed_categories is not None and self.category not in allowed_categories:
            names = ", ".join(sorted(c.value for c in allowed_categories))
            raise ValueError(
                f"segment {self.segment.value} goes with category {names}, not {self.category.value}"
            )
        if self.battery_swap_pool_factor is not None and not self.battery_capacity_kwh:
            raise ValueError(
                "battery_swap_pool_factor needs battery_capacity_kwh > 0 (the capacity on board)"
            )
        problems = implausible_fields(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self


Bound = tuple[float, float, str, str, str]
"""``(min, max, unit, status, source or reason)`` of one plausibility row."""


@functools.cache
def _plausibility_rows() -> tuple[tuple[str, str, str, Bound], ...]:
    """Rows of ``roadcarbon/data/plausibility.csv``: ``(category, segment, field, bound)``; segment may be empty."""
    text = (resources.files("roadcarbon") / "data" / "plausibility.csv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        basis = row["source"] or row["reason"]
        bound = (float(row["min"]), float(row["max"]), row["unit"], row["status"], basis)
        rows.append((row["category"], row.get("segment") or "", row["field"], bound))
    return tuple(rows)


def plausibility_bounds() -> dict[tuple[str, str], Bound]:
    """Plausible ranges of spec fields per vehicle category, from ``roadcarbon/data/plausibility.csv``.

    Returns
    -------
    dict
        ``(category, field) -> (min, max, unit, status, source or reason)``.  Legal limits cite
        their instrument; screening bounds are flagged ``assumption`` with their reason in the file.
        Rows narrowed to one segment are in :func:`segment_plausibility_bounds`.
    """
    return {(c, f): b for c, seg, f, b in _plausibility_rows() if not seg}


def segment_plausibility_bounds() -> dict[tuple[str, str, str], Bound]:
    """Plausible ranges that apply to one segment of a category: ``(category, segment, field) -> bound``.

    A value must lie within both its category's range and its segment's range.
    """
    return {(c, seg, f): b for c, seg, f, b in _plausibility_rows() if seg}


def implausible_fields(spec: VehicleSpec) -> list[str]:
    """Messages for the fields of ``spec`` outside their category's (or segment's) plausible range.

    Each message starts with the field name, so callers can name it (``curb_mass_kg: 175000 kg is
    outside …``).  Empty if every field is plausible.
    """
    problems = []
    category_value, segment_value = spec.category.value, spec.segment.value
    for category, segment, field, (low, high, unit, status, basis) in _plausibility_rows():
        if category != category_value or (segment and segment != segment_value):
            continue
        value = getattr(spec, field)
        if value is None or (low <= value <= high and math.isfinite(value)):
            continue
        kind = "legal limit" if status == "legal_limit" else "screening bound (assumption)"
        what = f"{category} ({segment})" if segment else category
        problems.append(
            f"{field}: {value:g} {unit} is outside the plausible range for a {what} "
            f"({low:g}-{high:g} {unit}; {kind}: {basis.split('; ')[0].split(': ')[-1]})"
        )
    return problems


class FleetEntry(BaseModel):
    """One line of a fleet: a spec (inline) and its sales."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec: VehicleSpec
    sales: Annotated[float, Field(ge=0)]


class Fleet(BaseModel):
    """A maker's fleet for one compliance period (design contract "fleet file")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    vehicles: list[FleetEntry] = Field(min_length=1)
