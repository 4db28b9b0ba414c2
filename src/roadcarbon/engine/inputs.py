"""From vehicle specs × countries × years to the engine's input arrays (pure lookups, no I/O).

Every factor is looked up in :class:`~roadcarbon.engine.tables.ReferenceTables`
for the place where its step happens: battery factors and electricity for the
battery's production country, assembly electricity for the assembly country,
fuels, lifetimes and use-phase electricity for the country of use.  The rows
used are kept, so a result can say which value, unit and source it used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from roadcarbon.engine.blends import blend_inputs
from roadcarbon.engine.tables import CONSTANT_PROJECTION, ParameterRow, ReferenceTables, grid_mean_intensity
from roadcarbon.errors import InputError, SpecError, YearOutOfRangeError
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import Category, FloatArray, Fuel, GridSeries, GwpMetric, IntArray, Powertrain

LIQUID_FUELS: frozenset[Fuel] = frozenset(
    {Fuel.PETROL, Fuel.DIESEL, Fuel.LPG, Fuel.ETHANOL, Fuel.ETHANOL_HYDROUS}
)
"""Fuels whose consumption is given in litres; CNG and hydrogen are given in kg."""


@dataclass(frozen=True)
class LifecycleInputs:
    """All inputs of :func:`roadcarbon.engine.lifecycle.lifecycle_emissions`, as broadcastable arrays.

    Shapes are ``(N,)`` for N set-ups, or ``(S, N)`` for Monte Carlo samples.
    Every name carries its unit.
    """

    # From the spec (fixed)
    curb_mass_kg: FloatArray
    battery_capacity_kwh: FloatArray
    fuel_type_approval_units_per_100km: FloatArray
    electricity_type_approval_kwh_per_100km: FloatArray
    electricity_measured_at_battery: FloatArray
    combustion_share: FloatArray
    electric_share: FloatArray
    # From the grid of each place (fixed; scaled in Monte Carlo)
    grid_use_g_co2e_per_kwh: FloatArray
    grid_battery_g_co2e_per_kwh: FloatArray
    grid_assembly_g_co2e_per_kwh: FloatArray
    grid_loss_use_multiplier: FloatArray
    grid_loss_battery_multiplier: FloatArray
    grid_loss_assembly_multiplier: FloatArray
    # From parameters.csv (uncertain)
    lifetime_km: FloatArray
    battery_pack_mass_kg_per_kwh: FloatArray
    glider_materials_kg_co2e_per_kg: FloatArray
    battery_materials_kg_co2e_per_kwh: FloatArray
    battery_manufacturing_electricity_kwh_per_kwh: FloatArray
    battery_manufacturing_heat_mj_per_kwh: FloatArray
    process_heat_kg_co2e_per_mj: FloatArray
    assembly_electricity_kwh_per_vehicle: FloatArray
    assembly_heat_mj_per_vehicle: FloatArray
    real_world_fuel_factor: FloatArray
    real_world_electricity_factor: FloatArray
    charging_efficiency: FloatArray
    fuel_well_to_tank_kg_co2e_per_unit: FloatArray
    fuel_combustion_kg_co2_per_unit: FloatArray
    fuel_energy_mj_per_unit: FloatArray
    tailpipe_ch4_n2o_kg_co2e_per_mj: FloatArray
    maintenance_kg_co2e_per_km: FloatArray
    battery_life_km: FloatArray
    vehicle_end_of_life_kg_co2e_per_kg: FloatArray
    battery_end_of_life_kg_co2e_per_kwh: FloatArray
    battery_recycling_credit_kg_co2e_per_kwh: FloatArray
    # Mandated biofuel blend of the fuel in the country of use (fixed; engine/blends.py); defaults = unblended
    fuel_bio_share_volume: FloatArray = field(default_factory=lambda: np.zeros(()))
    """Bio share of the fuel by volume, averaged over the years of use [1] (``fuel_blends.csv``)."""
    fuel_bio_energy_mj_per_unit: FloatArray = field(default_factory=lambda: np.zeros(()))
    """Lower heating value of the bio component [MJ/L]."""
    fuel_bio_combustion_kg_co2_per_unit: FloatArray = field(default_factory=lambda: np.zeros(()))
    """Fossil CO2 of the bio component [kg CO2/L] (0: biogenic CO2 counted as zero)."""
    fuel_bio_well_to_tank_kg_co2e_per_unit: FloatArray = field(default_factory=lambda: np.zeros(()))
    """Well-to-tank factor of the bio component in the country of use [kg CO2e/L]."""
    # From the spec (fixed); last, with a default, so that callers building inputs by hand keep working
    battery_packs_per_vehicle: FloatArray = field(default_factory=lambda: np.ones(()))
    """Packs made per vehicle for its first battery [1]: 1, or the swap-pool factor (``battery_swap_pool_factor``:
    the vehicle's share of the packs charging in swap stations counted with its own)."""

    def replace(self, **changes: FloatArray) -> LifecycleInputs:
        """A copy with some arrays replaced (the original is never modified)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return LifecycleInputs(**values)


PARAMETER_FIELDS: dict[str, tuple[str, str]] = {
    # field of LifecycleInputs: (parameter name in parameters.csv, where: use|battery|assembly)
    "lifetime_km": ("lifetime_km", "use"),
    "battery_pack_mass_kg_per_kwh": ("battery_pack_mass_kg_per_kwh", "battery"),
    "glider_materials_kg_co2e_per_kg": ("glider_materials_kg_co2e_per_kg", "assembly"),
    "battery_materials_kg_co2e_per_kwh": ("battery_materials_kg_co2e_per_kwh", "battery"),
    "battery_manufacturing_electricity_kwh_per_kwh": (
        "battery_manufacturing_electricity_kwh_per_kwh",
        "battery",
    ),
    "battery_manufacturing_heat_mj_per_kwh": ("battery_manufacturing_heat_mj_per_kwh", "battery"),
    "process_heat_kg_co2e_per_mj": ("process_heat_kg_co2e_per_mj", "assembly"),
    "assembly_electricity_kwh_per_vehicle": ("assembly_electricity_kwh_per_vehicle", "assembly"),
    "assembly_heat_mj_per_vehicle": ("assembly_heat_mj_per_vehicle", "assembly"),
    "real_world_fuel_factor": ("real_world_consumption_factor", "use"),
    "real_world_electricity_factor": ("real_world_consumption_factor", "use:electricity"),
    "charging_efficiency": ("charging_efficiency", "use"),
    "fuel_well_to_tank_kg_co2e_per_unit": ("fuel_well_to_tank_kg_co2e_per_unit", "use"),
    "fuel_combustion_kg_co2_per_unit": ("fuel_combustion_kg_co2_per_unit", "use"),
    "fuel_energy_mj_per_unit": ("fuel_energy_mj_per_unit", "use"),
    "tailpipe_ch4_n2o_kg_co2e_per_mj": ("tailpipe_ch4_n2o_kg_co2e_per_mj", "use"),
    "maintenance_kg_co2e_per_km": ("maintenance_kg_co2e_per_km", "use"),
    "battery_life_km": ("battery_life_km", "battery"),
    "vehicle_end_of_life_kg_co2e_per_kg": ("vehicle_end_of_life_kg_co2e_per_kg", "use"),
    "battery_end_of_life_kg_co2e_per_kwh": ("battery_end_of_life_kg_co2e_per_kwh", "battery"),
    "battery_recycling_credit_kg_co2e_per_kwh": ("battery_recycling_credit_kg_co2e_per_kwh", "battery"),
}
"""Which reference factor feeds each uncertain input, and in which country it is looked up."""

_BATTERY_FIELDS = frozenset(
    {
        "battery_pack_mass_kg_per_kwh",
        "battery_materials_kg_co2e_per_kwh",
        "battery_manufacturing_electricity_kwh_per_kwh",
        "battery_manufacturing_heat_mj_per_kwh",
        "battery_life_km",
        "battery_end_of_life_kg_co2e_per_kwh",
        "battery_recycling_credit_kg_co2e_per_kwh",
    }
)
_FUEL_FIELDS = frozenset(
    {
        "real_world_fuel_factor",
        "fuel_well_to_tank_kg_co2e_per_unit",
        "fuel_combustion_kg_co2_per_unit",
        "fuel_energy_mj_per_unit",
        "tailpipe_ch4_n2o_kg_co2e_per_mj",
    }
)
_ELECTRIC_FIELDS = frozenset({"real_world_electricity_factor", "charging_efficiency"})
_NOT_APPLICABLE = ParameterRow("not_applicable", (), 0.0, "1", source_id="")


def needed_parameters(*, has_battery: bool, has_fuel: bool, electric: bool) -> list[tuple[str, str, str]]:
    """The reference factors a vehicle needs: ``(input field, parameter name, place)``.

    ``place`` is where the factor is looked up: ``use``, ``use:electricity`` (country of use, with
    ``fuel=electricity``), ``battery`` or ``assembly``.  Battery factors only with a battery, fuel
    factors only with a combustion fuel or hydrogen, electricity factors only for BEVs and PHEVs.
    ``annual_km`` (the years of use) is always needed as well.
    """
    out = [("annual_km", "annual_km", "use")]
    for name, (parameter, place) in PARAMETER_FIELDS.items():
        if (
            (name in _BATTERY_FIELDS and not has_battery)
            or (name in _FUEL_FIELDS and not has_fuel)
            or (name in _ELECTRIC_FIELDS and not electric)
        ):
            continue
        out.append((name, parameter, place))
    return out


@dataclass(frozen=True)
class Setup:
    """The evaluated set-ups: inputs, the reference rows they use, and where each step happens.

    Attributes
    ----------
    inputs
        Central values of every input, shape ``(N,)``.
    rows
        Unique parameter rows used; ``row_index[field]`` maps each set-up to its row.
    use_country, battery_country, assembly_country
        Alpha-2 codes per set-up.
    year
        First year of use per set-up (battery production and assembly are placed in it).
    use_years
        Years of use = lifetime_km / annual_km (central values) [year].
    grid_projected_share
        Share of the years of use that lie after the last grid data year [0–1].
    grid_projection
        Projection method used after the last grid data year, per set-up (scenario id or ``constant``).
    """

    inputs: LifecycleInputs
    rows: tuple[ParameterRow, ...]
    row_index: dict[str, IntArray]
    use_country: tuple[str, ...]
    battery_country: tuple[str, ...]
    assembly_country: tuple[str, ...]
    year: IntArray
    use_years: FloatArray
    grid_projected_share: FloatArray
    grid_series: str
    data_version: str
    grid_projection: tuple[str, ...] = ()
    vehicle_index: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    gwp: str = GwpMetric.AR5.value
    occupancy_passengers: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Average passengers on board per set-up [passengers]; NaN where none applies (not a bus and no
    ``occupancy_passengers`` in the spec). Empty for set-ups built without it."""
    occupancy_row: tuple[ParameterRow | None, ...] = ()
    """Where each set-up's occupancy comes from: the reference row (bus, country), or ``None`` for the
    spec's own value or no occupancy."""

    @property
    def size(self) -> int:
        """Number of set-ups N."""
        return int(self.year.size)

    def occupancy_source(self, i: int) -> dict[str, object] | None:
        """Provenance of set-up ``i``'s occupancy: the reference row, the spec, or ``None`` (no occupancy)."""
        if self.occupancy_passengers.size == 0 or not np.isfinite(self.occupancy_passengers[i]):
            return None
        row = self.occupancy_row[i] if self.occupancy_row else None
        if row is None:
            return {"parameter": "occupancy_passengers", "source_id": "vehicle spec", "assumption": False}
        return row.describe()

    def rows_used(self, i: int) -> list[dict[str, object]]:
        """Provenance of every reference value set-up ``i`` used."""
        out = []
        for name, idx in self.row_index.items():
            row = self.rows[int(idx[i])]
            if row is _NOT_APPLICABLE:
                continue
            out.append({"input": name, **row.describe()})
        return out


def _utility_factor(tables: ReferenceTables, range_km: float) -> float:
    return float(np.interp(range_km, tables.phev_range_km, tables.phev_utility_factor))


def _fuel_units(spec: VehicleSpec, combustion_kg_co2_per_unit: float, where: str) -> float:
    """Type-approval fuel use [L or kg /100 km], given or derived from type-approval CO2."""
    if spec.fuel in LIQUID_FUELS and spec.fuel_consumption_l_per_100km:
        return float(spec.fuel_consumption_l_per_100km)
    if spec.fuel not in LIQUID_FUELS and spec.fuel_consumption_kg_per_100km:
        return float(spec.fuel_consumption_kg_per_100km)
    unit_field = (
        "fuel_consumption_l_per_100km" if spec.fuel in LIQUID_FUELS else "fuel_consumption_kg_per_100km"
    )
    if spec.powertrain is Powertrain.PHEV:
        raise SpecError(
            "a PHEV needs its charge-sustaining fuel consumption (the UF-weighted CO2 cannot be split)",
            field=f"{where}.{unit_field}",
        )
    if spec.co2_g_per_km and combustion_kg_co2_per_unit > 0:
        # co2 [g/km] × 100 km / (1000 g/kg × kg CO2/unit) = units per 100 km
        return float(spec.co2_g_per_km) / (10.0 * combustion_kg_co2_per_unit)
    raise SpecError(f"{spec.fuel.value} consumption is required (> 0)", field=f"{where}.{unit_field}")


def _spec_key(spec: VehicleSpec) -> tuple[object, ...]:
    """The spec fields the reference look-ups depend on (specs sharing it share their rows)."""
    capacity = float(spec.battery_capacity_kwh or 0.0)
    return (
        spec.segment.value,
        spec.powertrain.value,
        spec.fuel.value,
        spec.battery_chemistry.value if spec.battery_chemistry else "",
        spec.test_cycle.value,
        spec.battery_production_country or spec.assembly_country or "",
        spec.assembly_country or "",
        capacity > 0,
        bool(spec.lifetime_km),
        not spec.annual_km,
    )


def build_setup(
    vehicles: Sequence[VehicleSpec],
    countries: Sequence[str],
    years: Sequence[int],
    tables: ReferenceTables,
    *,
    grid_series: GridSeries | str = GridSeries.PRODUCTION,
    grid_projection: str | None = None,
    gwp: GwpMetric | str = GwpMetric.AR5,
) -> Setup:
    """Look up every input for the Cartesian product vehicles × countries × years.

    Set-ups are ordered vehicle-major: index ``(v * C + c) * Y + y``.
    ``countries`` must already be ISO alpha-2 codes.  ``grid_projection`` names the
    method for years after the grid data (see :meth:`ReferenceTables.projection`).  ``gwp`` picks
    the GWP100 metric of the factors this package converts itself (see :class:`GwpMetric`).

    Reference rows are resolved once per distinct look-up key (segment, powertrain, fuel,
    chemistry, cycle, places) and country, spec values once per distinct spec object, and
    both are broadcast to the set-ups with numpy, so a registry of many vehicles sharing few
    specs costs little more than the engine itself (issue 15).

    Raises
    ------
    SpecError
        A spec lacks a field this vehicle needs (named with its index).
    DataError, UnknownCountryError, YearOutOfRangeError
        The reference data does not cover a country, year or factor.
    """
    series = str(GridSeries(grid_series))
    if str(gwp) not in GwpMetric.__members__:
        raise InputError(f"must be one of {', '.join(GwpMetric.__members__)} (got {gwp!r})", field="gwp")
    metric = str(GwpMetric(gwp))
    n_v, n_c, n_y = len(vehicles), len(countries), len(years)
    n = n_v * n_c * n_y
    if n == 0:
        raise SpecError("nothing to assess: give at least one vehicle, country and year", field="vehicles")
    for year in years:  # before int64 arrays: 10**20 would be an OverflowError, not a year out of range
        if int(year) > tables.max_year:
            raise YearOutOfRangeError(
                f"year {int(year)} is after the last covered year {tables.max_year}", field="year"
            )
        if int(year) < 1:
            raise YearOutOfRangeError(f"year {int(year)} is before any covered year", field="year")

    # 1. Distinct spec objects (by identity, then by look-up key), in order of first appearance.
    ids = np.fromiter(map(id, vehicles), dtype=np.uint64, count=n_v)
    _, first_idx, inverse = np.unique(ids, return_index=True, return_inverse=True)
    order = np.argsort(first_idx, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    spec_of_vehicle = rank[inverse.ravel()]
    first_vehicle = first_idx[order]
    uniq: list[VehicleSpec] = [vehicles[int(i)] for i in first_vehicle]
    n_u = len(uniq)
    key_ids: dict[tuple[object, ...], int] = {}
    key_of_spec = np.empty(n_u, dtype=np.int64)
    key_spec: list[VehicleSpec] = []
    for u, spec in enumerate(uniq):
        capacity = float(spec.battery_capacity_kwh or 0.0)
        where = f"vehicles[{int(first_vehicle[u])}]" if n_v > 1 else "vehicle"
        if capacity > 0 and spec.battery_chemistry is None:
            raise SpecError("is required when battery_capacity_kwh > 0", field=f"{where}.battery_chemistry")
        key = _spec_key(spec)
        if key not in key_ids:
            key_ids[key] = len(key_spec)
            key_spec.append(spec)
        key_of_spec[u] = key_ids[key]
    n_k = len(key_spec)

    # 2. Reference rows once per (look-up key, country), fields in PARAMETER_FIELDS order; row ids
    #    are given in order of first use, as the one-at-a-time path did (Monte Carlo draws follow it).
    country_codes = list(dict.fromkeys(countries))
    for country in country_codes:
        tables.trajectory(country, series)  # an unknown country of use fails here, by name
    row_ids: dict[int, int] = {}
    rows: list[ParameterRow] = []

    def row_id(row: ParameterRow) -> int:
        rid = row_ids.get(id(row))
        if rid is None:
            rid = row_ids[id(row)] = len(rows)
            rows.append(row)
        return rid

    fields_order = list(PARAMETER_FIELDS)
    n_kc = n_k * n_c
    kc_index = np.empty((len(fields_order), n_kc), dtype=np.int64)
    kc_combustion = np.zeros(n_kc)
    kc_annual = np.zeros(n_kc)
    kc_loss = np.ones((3, n_kc))
    kc_place = np.empty((3, n_kc), dtype=np.int64)  # use, battery, assembly: index into place_names
    place_names: list[str] = []
    place_ids: dict[str, int] = {}

    def place_id(code: str) -> int:
        if code not in place_ids:
            place_ids[code] = len(place_names)
            place_names.append(code)
        return place_ids[code]

    lookup_cache: dict[tuple[str, tuple[tuple[str, str], ...]], ParameterRow] = {}

    def lookup(parameter: str, keys: dict[str, str]) -> ParameterRow:
        key = (parameter, tuple(sorted(keys.items())))
        if key not in lookup_cache:
            lookup_cache[key] = tables.lookup(parameter, **keys)
        return lookup_cache[key]

    for k, spec in enumerate(key_spec):
        has_battery = float(spec.battery_capacity_kwh or 0.0) > 0
        has_fuel = spec.powertrain is not Powertrain.BEV
        electric = spec.powertrain in (Powertrain.BEV, Powertrain.PHEV)
        needed = needed_parameters(has_battery=has_battery, has_fuel=has_fuel, electric=electric)
        for c, country in enumerate(countries):
            kc = k * n_c + c
            battery_country = spec.battery_production_country or spec.assembly_country or country
            assembly_country = spec.assembly_country or country
            base = {
                "segment": spec.segment.value,
                "powertrain": spec.powertrain.value,
                "fuel": spec.fuel.value,
                "chemistry": spec.battery_chemistry.value if spec.battery_chemistry else "",
                "test_cycle": spec.test_cycle.value,
                "gwp": metric,
            }
            places = {
                "use": {**base, "region": country},
                "use:electricity": {**base, "fuel": Fuel.ELECTRICITY.value, "region": country},
                "battery": {**base, "region": battery_country},
                "assembly": {**base, "region": assembly_country},
            }
            resolved: dict[str, ParameterRow] = dict.fromkeys(PARAMETER_FIELDS, _NOT_APPLICABLE)
            for name, parameter, place in needed:
                if name in PARAMETER_FIELDS:
                    resolved[name] = lookup(parameter, places[place])
            if has_fuel:
                kc_combustion[kc] = resolved["fuel_combustion_kg_co2_per_unit"].value
            own_lifetime = bool(spec.lifetime_km)
            for f, name in enumerate(fields_order):
                if own_lifetime and name == "lifetime_km":
                    kc_index[f, kc] = -1  # the spec's own lifetime, filled in per spec below
                else:
                    kc_index[f, kc] = row_id(resolved[name])
            if not spec.annual_km:
                kc_annual[kc] = lookup("annual_km", places["use"]).value
            kc_loss[0, kc] = tables.td_multiplier(country, "lv") if electric else 1.0
            kc_loss[1, kc] = tables.td_multiplier(battery_country, "mv") if has_battery else 1.0
            kc_loss[2, kc] = tables.td_multiplier(assembly_country, "mv")
            kc_place[0, kc] = place_id(country)
            kc_place[1, kc] = place_id(battery_country)
            kc_place[2, kc] = place_id(assembly_country)

    # 3. Spec values once per distinct spec, in (U,) arrays.
    def spec_values(attr: str) -> FloatArray:
        return np.array([float(getattr(s, attr) or 0.0) for s in uniq])

    u_mass = spec_values("curb_mass_kg")
    u_capacity = spec_values("battery_capacity_kwh")
    u_electricity = spec_values("electricity_consumption_kwh_per_100km")
    u_at_battery = np.array([float(s.electricity_consumption_basis == "battery") for s in uniq])
    u_uf = np.array(
        [
            _utility_factor(tables, float(s.electric_range_km or 0.0))
            if s.powertrain is Powertrain.PHEV
            else (1.0 if s.powertrain is Powertrain.BEV else 0.0)
            for s in uniq
        ]
    )
    u_has_fuel = np.array([s.powertrain is not Powertrain.BEV for s in uniq])
    u_packs = np.array([float(s.battery_swap_pool_factor or 1.0) for s in uniq])
    u_annual = spec_values("annual_km")
    own_rows: dict[int, int] = {}
    for u, spec in enumerate(uniq):
        if spec.lifetime_km:
            # A spec's own lifetime overrides the reference lifetime (and is then not sampled).
            own_rows[u] = row_id(
                ParameterRow("lifetime_km", (), float(spec.lifetime_km), "km", source_id="vehicle spec")
            )

    # 4. (U, C) pairs: fuel units (may depend on the country's combustion factor), vectorised; the
    #    first (spec, country) without a usable figure raises _fuel_units' own error.
    uc_kc = (key_of_spec[:, None] * n_c + np.arange(n_c)[None, :]).ravel()  # (U*C,)
    liquid = np.array([s.fuel in LIQUID_FUELS for s in uniq])
    u_given = np.where(
        liquid, spec_values("fuel_consumption_l_per_100km"), spec_values("fuel_consumption_kg_per_100km")
    )
    u_co2 = spec_values("co2_g_per_km")
    u_phev = np.array([s.powertrain is Powertrain.PHEV for s in uniq])
    comb = kc_combustion[uc_kc]
    given = np.repeat(u_given, n_c)
    co2 = np.repeat(u_co2, n_c)
    derivable = (co2 > 0) & (comb > 0) & ~np.repeat(u_phev, n_c)
    has_fuel_uc = np.repeat(u_has_fuel, n_c)
    bad = has_fuel_uc & (given <= 0) & ~derivable
    if np.any(bad):
        first = int(np.argmax(bad))
        u = first // n_c
        where = f"vehicles[{int(first_vehicle[u])}]" if n_v > 1 else "vehicle"
        _fuel_units(uniq[u], float(comb[first]), where)  # raises, naming the field
    with np.errstate(divide="ignore", invalid="ignore"):
        # co2 [g/km] × 100 km / (1000 g/kg × kg CO2/unit) = units per 100 km
        derived = np.where(derivable, co2 / (10.0 * np.where(comb > 0, comb, 1.0)), 0.0)
    uc_fuel = np.where(has_fuel_uc, np.where(given > 0, given, derived), 0.0)
    uc_annual = np.where(np.repeat(u_annual, n_c) > 0, np.repeat(u_annual, n_c), kc_annual[uc_kc])

    # 5. Broadcast to set-ups: i = (v * C + c) * Y + y.
    setup_uc = np.repeat((spec_of_vehicle[:, None] * n_c + np.arange(n_c)[None, :]).ravel(), n_y)
    setup_u = setup_uc // n_c
    setup_kc = uc_kc[setup_uc]
    vehicle_index = np.repeat(np.arange(n_v, dtype=np.int64), n_c * n_y)
    year_arr = np.tile(np.asarray([int(y) for y in years], dtype=np.int64), n_v * n_c)
    index: dict[str, IntArray] = {name: kc_index[f][setup_kc] for f, name in enumerate(fields_order)}
    u_own = np.full(n_u, -1, dtype=np.int64)
    if own_rows:
        u_own[np.fromiter(own_rows, dtype=np.int64)] = np.fromiter(own_rows.values(), dtype=np.int64)
        own = u_own[setup_u]
        index["lifetime_km"] = np.where(own >= 0, own, index["lifetime_km"])
    uf = u_uf[setup_u]
    capacity_n = u_capacity[setup_u]
    fixed: dict[str, FloatArray] = {
        "curb_mass_kg": u_mass[setup_u],
        "battery_capacity_kwh": capacity_n,
        "fuel_type_approval_units_per_100km": uc_fuel[setup_uc],
        "electricity_type_approval_kwh_per_100km": u_electricity[setup_u],
        "electricity_measured_at_battery": u_at_battery[setup_u],
        "combustion_share": np.where(u_has_fuel, 1.0 - u_uf, 0.0)[setup_u],
        "electric_share": uf,
        "battery_packs_per_vehicle": u_packs[setup_u],
    }
    fixed["grid_loss_use_multiplier"] = kc_loss[0][setup_kc]
    fixed["grid_loss_battery_multiplier"] = kc_loss[1][setup_kc]
    fixed["grid_loss_assembly_multiplier"] = kc_loss[2][setup_kc]
    annual_km = uc_annual[setup_uc]
    place_codes = kc_place[:, setup_kc]  # (3, N)

    values = np.array([r.value for r in rows])
    central = {name: values[idx] for name, idx in index.items()}

    # Grid means depend on (spec, country, year) only: computed once per distinct triple, then gathered.
    ucy_uc = np.repeat(np.arange(n_u * n_c, dtype=np.int64), n_y)
    ucy_kc = uc_kc[ucy_uc]
    ucy_u = ucy_uc // n_c
    ucy_year = np.tile(np.asarray([int(y) for y in years], dtype=np.int64), n_u * n_c)
    ucy_lifetime_row = kc_index[fields_order.index("lifetime_km")][ucy_kc]
    if own_rows:
        own_ucy = u_own[ucy_u]
        ucy_lifetime_row = np.where(own_ucy >= 0, own_ucy, ucy_lifetime_row)
    ucy_use_years = values[ucy_lifetime_row] / uc_annual[ucy_uc]
    ucy_codes = kc_place[:, ucy_kc]
    m = ucy_uc.size
    grid_use_ucy = np.empty(m)
    projected_ucy = np.empty(m)
    grid_batt_ucy = np.empty(m)
    grid_asm_ucy = np.empty(m)
    methods: dict[str, str] = {}
    one_year = np.ones(m)
    for target, codes, duration, share in (
        (grid_use_ucy, ucy_codes[0], ucy_use_years, projected_ucy),
        (grid_batt_ucy, ucy_codes[1], one_year, None),
        (grid_asm_ucy, ucy_codes[2], one_year, None),
    ):
        present = np.unique(codes)
        single = present.size == 1
        for code in present:
            country = place_names[int(code)]
            mask = slice(None) if single else codes == code
            trajectory = tables.trajectory(country, series)
            scenario = tables.projection(country, grid_projection) if share is not None else None
            if share is not None:
                methods[country] = scenario.scenario if scenario else CONSTANT_PROJECTION
            mean, proj = grid_mean_intensity(
                trajectory, ucy_year[mask], duration[mask], max_year=tables.max_year, projection=scenario
            )
            target[mask] = mean
            if share is not None:
                share[mask] = proj
    not_electric_ucy = u_uf[ucy_u] == 0
    grid_use_ucy = np.where(not_electric_ucy, 0.0, grid_use_ucy)
    projected_ucy = np.where(not_electric_ucy, 0.0, projected_ucy)
    grid_batt_ucy = np.where(u_capacity[ucy_u] == 0, 0.0, grid_batt_ucy)

    setup_ucy = setup_uc * n_y + np.tile(np.arange(n_y, dtype=np.int64), n_v * n_c) if n_y > 1 else setup_uc
    use_years = central["lifetime_km"] / annual_km
    grid_use = grid_use_ucy[setup_ucy]
    projected = projected_ucy[setup_ucy]
    grid_batt = grid_batt_ucy[setup_ucy]
    grid_asm = grid_asm_ucy[setup_ucy]

    too_light = (
        fixed["curb_mass_kg"] < fixed["battery_capacity_kwh"] * central["battery_pack_mass_kg_per_kwh"]
    )
    if np.any(too_light):
        bad = int(np.argmax(too_light))
        raise SpecError(
            "curb_mass_kg is smaller than the battery pack mass implied by battery_capacity_kwh",
            field=f"vehicles[{int(vehicle_index[bad])}].curb_mass_kg",
        )

    blends = blend_inputs(
        tables,
        np.array([s.fuel.value for s in uniq], dtype=object)[setup_u],
        np.array(place_names, dtype=object)[place_codes[0]],
        year_arr,
        use_years,
    )
    if blends.row_index:  # the blend's rows join the provenance and the Monte Carlo draws (appended last)
        blend_ids = np.array([*map(row_id, blends.rows), row_id(_NOT_APPLICABLE)], dtype=np.int64)
        index.update({name: blend_ids[local] for name, local in blends.row_index.items()})
    inputs = LifecycleInputs(
        **fixed,
        **central,
        grid_use_g_co2e_per_kwh=grid_use,
        grid_battery_g_co2e_per_kwh=grid_batt,
        grid_assembly_g_co2e_per_kwh=grid_asm,
        **blends.values,
    )
    occupancy, occupancy_row = _occupancy(uniq, countries, tables, setup_u, setup_uc % n_c)

    names = np.array(place_names, dtype=object)
    method_names = np.array([methods.get(c, CONSTANT_PROJECTION) for c in place_names], dtype=object)

    def per_setup(labels: np.ndarray, codes: IntArray) -> tuple[str, ...]:
        if labels.size == 1:
            return (str(labels[0]),) * n
        return tuple(labels[codes].tolist())

    return Setup(
        inputs=inputs,
        rows=tuple(rows),
        row_index=index,
        use_country=per_setup(names, place_codes[0]),
        battery_country=per_setup(names, place_codes[1]),
        assembly_country=per_setup(names, place_codes[2]),
        year=year_arr,
        use_years=use_years,
        grid_projected_share=projected,
        grid_series=series,
        data_version=tables.version,
        grid_projection=per_setup(method_names, place_codes[0]),
        vehicle_index=vehicle_index,
        gwp=metric,
        occupancy_passengers=occupancy,
        occupancy_row=occupancy_row,
    )


def _occupancy(
    uniq: Sequence[VehicleSpec],
    countries: Sequence[str],
    tables: ReferenceTables,
    setup_u: IntArray,
    setup_c: IntArray,
) -> tuple[FloatArray, tuple[ParameterRow | None, ...]]:
    """Average passengers per set-up: the spec's ``occupancy_passengers``, else for buses the reference
    ``occupancy_passengers`` row of the country of use (most specific row: the country's, else the stated
    default), else NaN (no per-passenger result)."""
    values = np.full((len(uniq), len(countries)), np.nan)
    source: list[list[ParameterRow | None]] = [[None] * len(countries) for _ in uniq]
    for u, spec in enumerate(uniq):
        if spec.occupancy_passengers:
            values[u, :] = float(spec.occupancy_passengers)
        elif spec.category is Category.BUS:
            for c, country in enumerate(countries):
                row = tables.lookup("occupancy_passengers", segment=spec.segment.value, region=country)
                values[u, c] = row.value
                source[u][c] = row
    flat = values[setup_u, setup_c]
    if all(row is None for per_country in source for row in per_country):
        return flat, ()
    table = np.empty(len(uniq) * len(countries), dtype=object)
    table[:] = [row for per_country in source for row in per_country]
    return flat, tuple(table[setup_u * len(countries) + setup_c].tolist())


__all__ = [
    "LIQUID_FUELS",
    "PARAMETER_FIELDS",
    "LifecycleInputs",
    "Setup",
    "build_setup",
    "needed_parameters",
]
