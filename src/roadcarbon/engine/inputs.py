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

from roadcarbon.engine.tables import CONSTANT_PROJECTION, ParameterRow, ReferenceTables, grid_mean_intensity
from roadcarbon.errors import InputError, SpecError
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import FloatArray, Fuel, GridSeries, GwpMetric, IntArray, Powertrain

LIQUID_FUELS: frozenset[Fuel] = frozenset({Fuel.PETROL, Fuel.DIESEL, Fuel.LPG, Fuel.ETHANOL})
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

    @property
    def size(self) -> int:
        """Number of set-ups N."""
        return int(self.year.size)

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

    row_ids: dict[int, int] = {}
    rows: list[ParameterRow] = []
    index: dict[str, IntArray] = {name: np.empty(n, dtype=np.int64) for name in PARAMETER_FIELDS}
    fixed: dict[str, FloatArray] = {
        name: np.empty(n)
        for name in (
            "curb_mass_kg",
            "battery_capacity_kwh",
            "fuel_type_approval_units_per_100km",
            "electricity_type_approval_kwh_per_100km",
            "electricity_measured_at_battery",
            "combustion_share",
            "electric_share",
            "grid_loss_use_multiplier",
            "grid_loss_battery_multiplier",
            "grid_loss_assembly_multiplier",
        )
    }
    annual_km = np.empty(n)
    use_c: list[str] = []
    batt_c: list[str] = []
    asm_c: list[str] = []
    year_arr = np.empty(n, dtype=np.int64)
    vehicle_index = np.empty(n, dtype=np.int64)
    own_lifetime: dict[int, ParameterRow] = {}
    lookup_cache: dict[tuple[str, tuple[tuple[str, str], ...]], ParameterRow] = {}

    def lookup(parameter: str, keys: dict[str, str]) -> ParameterRow:
        key = (parameter, tuple(sorted(keys.items())))
        if key not in lookup_cache:
            lookup_cache[key] = tables.lookup(parameter, **keys)
        return lookup_cache[key]

    def row_id(row: ParameterRow) -> int:
        rid = row_ids.get(id(row))
        if rid is None:
            rid = row_ids[id(row)] = len(rows)
            rows.append(row)
        return rid

    for v, spec in enumerate(vehicles):
        where = f"vehicles[{v}]" if n_v > 1 else "vehicle"
        capacity = float(spec.battery_capacity_kwh or 0.0)
        if capacity > 0 and spec.battery_chemistry is None:
            raise SpecError("is required when battery_capacity_kwh > 0", field=f"{where}.battery_chemistry")
        has_fuel = spec.powertrain is not Powertrain.BEV
        electric = spec.powertrain in (Powertrain.BEV, Powertrain.PHEV)
        uf = 0.0
        if spec.powertrain is Powertrain.PHEV:
            uf = _utility_factor(tables, float(spec.electric_range_km or 0.0))
        elif spec.powertrain is Powertrain.BEV:
            uf = 1.0
        for c, country in enumerate(countries):
            tables.trajectory(country, series)  # an unknown country of use fails here, by name
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
            for name, parameter, place in needed_parameters(
                has_battery=capacity > 0, has_fuel=has_fuel, electric=electric
            ):
                if name in PARAMETER_FIELDS:
                    resolved[name] = lookup(parameter, places[place])
            if spec.lifetime_km:
                # A spec's own lifetime overrides the reference lifetime (and is then not sampled).
                resolved["lifetime_km"] = own_lifetime.setdefault(
                    v,
                    ParameterRow("lifetime_km", (), float(spec.lifetime_km), "km", source_id="vehicle spec"),
                )
            fuel_units = 0.0
            if has_fuel:
                fuel_units = _fuel_units(spec, resolved["fuel_combustion_kg_co2_per_unit"].value, where)
            annual = spec.annual_km or lookup("annual_km", places["use"]).value
            loss_use = tables.td_multiplier(country, "lv") if electric else 1.0
            loss_batt = tables.td_multiplier(battery_country, "mv") if capacity > 0 else 1.0
            loss_asm = tables.td_multiplier(assembly_country, "mv")
            for y, year in enumerate(years):
                i = (v * n_c + c) * n_y + y
                for name, row in resolved.items():
                    index[name][i] = row_id(row)
                fixed["curb_mass_kg"][i] = spec.curb_mass_kg
                fixed["battery_capacity_kwh"][i] = capacity
                fixed["fuel_type_approval_units_per_100km"][i] = fuel_units
                fixed["electricity_type_approval_kwh_per_100km"][i] = float(
                    spec.electricity_consumption_kwh_per_100km or 0.0
                )
                fixed["electricity_measured_at_battery"][i] = float(
                    spec.electricity_consumption_basis == "battery"
                )
                fixed["combustion_share"][i] = (1.0 - uf) if has_fuel else 0.0
                fixed["electric_share"][i] = uf
                fixed["grid_loss_use_multiplier"][i] = loss_use
                fixed["grid_loss_battery_multiplier"][i] = loss_batt
                fixed["grid_loss_assembly_multiplier"][i] = loss_asm
                annual_km[i] = annual
                use_c.append(country)
                batt_c.append(battery_country)
                asm_c.append(assembly_country)
                year_arr[i] = int(year)
                vehicle_index[i] = v

    values = np.array([r.value for r in rows])
    central = {name: values[idx] for name, idx in index.items()}

    use_years = central["lifetime_km"] / annual_km
    grid_use = np.empty(n)
    projected = np.empty(n)
    grid_batt = np.empty(n)
    grid_asm = np.empty(n)
    use_arr, batt_arr, asm_arr = np.array(use_c), np.array(batt_c), np.array(asm_c)
    methods: dict[str, str] = {}
    one_year = np.ones(n)
    for target, countries_arr, duration, share in (
        (grid_use, use_arr, use_years, projected),
        (grid_batt, batt_arr, one_year, None),
        (grid_asm, asm_arr, one_year, None),
    ):
        for country in np.unique(countries_arr):
            mask = countries_arr == country
            trajectory = tables.trajectory(str(country), series)
            scenario = tables.projection(str(country), grid_projection) if share is not None else None
            if share is not None:
                methods[str(country)] = scenario.scenario if scenario else CONSTANT_PROJECTION
            mean, proj = grid_mean_intensity(
                trajectory, year_arr[mask], duration[mask], max_year=tables.max_year, projection=scenario
            )
            target[mask] = mean
            if share is not None:
                share[mask] = proj

    not_electric = fixed["electric_share"] == 0
    grid_use = np.where(not_electric, 0.0, grid_use)
    projected = np.where(not_electric, 0.0, projected)
    no_battery = fixed["battery_capacity_kwh"] == 0
    grid_batt = np.where(no_battery, 0.0, grid_batt)

    if np.any(
        fixed["curb_mass_kg"] < fixed["battery_capacity_kwh"] * central["battery_pack_mass_kg_per_kwh"]
    ):
        bad = int(
            np.argmax(
                fixed["curb_mass_kg"]
                < fixed["battery_capacity_kwh"] * central["battery_pack_mass_kg_per_kwh"]
            )
        )
        raise SpecError(
            "curb_mass_kg is smaller than the battery pack mass implied by battery_capacity_kwh",
            field=f"vehicles[{int(vehicle_index[bad])}].curb_mass_kg",
        )

    inputs = LifecycleInputs(
        **fixed,
        **central,
        grid_use_g_co2e_per_kwh=grid_use,
        grid_battery_g_co2e_per_kwh=grid_batt,
        grid_assembly_g_co2e_per_kwh=grid_asm,
    )
    return Setup(
        inputs=inputs,
        rows=tuple(rows),
        row_index=index,
        use_country=tuple(use_c),
        battery_country=tuple(batt_c),
        assembly_country=tuple(asm_c),
        year=year_arr,
        use_years=use_years,
        grid_projected_share=projected,
        grid_series=series,
        data_version=tables.version,
        grid_projection=tuple(methods[c] for c in use_c),
        vehicle_index=vehicle_index,
        gwp=metric,
    )


__all__ = [
    "LIQUID_FUELS",
    "PARAMETER_FIELDS",
    "LifecycleInputs",
    "Setup",
    "build_setup",
    "needed_parameters",
]
