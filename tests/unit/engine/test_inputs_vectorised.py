"""Reference implementation: ``build_setup`` as it was before vectorisation (issue 15), one set-up at a time.

Kept verbatim so tests can check the vectorised path gives identical inputs, rows and errors.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from roadcarbon.engine.inputs import (
    _NOT_APPLICABLE,
    PARAMETER_FIELDS,
    LifecycleInputs,
    Setup,
    _fuel_units,
    _utility_factor,
    needed_parameters,
)
from roadcarbon.engine.tables import CONSTANT_PROJECTION, ParameterRow, ReferenceTables, grid_mean_intensity
from roadcarbon.errors import InputError, SpecError
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import FloatArray, Fuel, GridSeries, GwpMetric, IntArray, Powertrain


def reference_build_setup(
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
            "battery_packs_per_vehicle",
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
                fixed["battery_packs_per_vehicle"][i] = float(spec.battery_swap_pool_factor or 1.0)
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


# --- Tests: the vectorised build_setup against the one-at-a-time reference above ---------------

import dataclasses  # noqa: E402

import pytest  # noqa: E402

from roadcarbon.engine import assess  # noqa: E402
from roadcarbon.engine.inputs import build_setup  # noqa: E402
from roadcarbon.io.reference import load_reference  # noqa: E402
from roadcarbon.io.specs import list_presets, load_preset  # noqa: E402


@pytest.fixture(scope="module")
def real_tables() -> ReferenceTables:
    """The packaged data without fuel blends: the one-at-a-time reference above predates them; the blend
    inputs (engine/blends.py, appended after these rows) are tested in test_fuel_blends.py."""
    return dataclasses.replace(load_reference(), fuel_blends={})


def _presets() -> list[VehicleSpec]:
    return [load_preset(p if isinstance(p, str) else p[0]) for p in list_presets()]


def _assert_same(a: Setup, b: Setup) -> None:
    for f in dataclasses.fields(LifecycleInputs):
        np.testing.assert_array_equal(getattr(a.inputs, f.name), getattr(b.inputs, f.name), err_msg=f.name)
    # the same reference row (value and provenance) for every set-up and input
    for name in PARAMETER_FIELDS:
        ra = [a.rows[i] for i in a.row_index[name]]
        rb = [b.rows[i] for i in b.row_index[name]]
        assert ra == rb, name
    # rows that are sampled come in the same order (seeded Monte Carlo draws follow it)
    assert [r for r in a.rows if r.distribution != "none"] == [r for r in b.rows if r.distribution != "none"]
    assert a.use_country == b.use_country
    assert a.battery_country == b.battery_country
    assert a.assembly_country == b.assembly_country
    assert a.grid_projection == b.grid_projection
    np.testing.assert_array_equal(a.year, b.year)
    np.testing.assert_array_equal(a.vehicle_index, b.vehicle_index)
    np.testing.assert_array_equal(a.use_years, b.use_years)
    np.testing.assert_array_equal(a.grid_projected_share, b.grid_projected_share)
    assert (a.gwp, a.grid_series, a.data_version) == (b.gwp, b.grid_series, b.data_version)


def test_all_presets_many_countries_years_equal_reference(real_tables: ReferenceTables) -> None:
    presets = _presets()
    assert len(presets) > 5
    countries = ["TH", "ID", "DE", "CN", "VN"]
    years = [2024, 2030]
    new = build_setup(presets, countries, years, real_tables)
    old = reference_build_setup(presets, countries, years, real_tables)
    _assert_same(new, old)


def test_repeated_specs_own_lifetime_and_annual_km_equal_reference(real_tables: ReferenceTables) -> None:
    presets = _presets()[:6]
    own = presets[0].model_copy(update={"lifetime_km": 123_456.0, "annual_km": 9_000.0})
    equal_copy = presets[1].model_copy()  # a distinct object with equal content
    fleet = [presets[2], own, presets[1], equal_copy, own, *presets, presets[2]] * 3
    for gwp in ("AR5", "AR6"):
        new = build_setup(fleet, ["TH", "IN"], [2025], real_tables, gwp=gwp, grid_series="production")
        old = reference_build_setup(fleet, ["TH", "IN"], [2025], real_tables, gwp=gwp)
        _assert_same(new, old)


def test_monte_carlo_through_assess_is_unchanged(real_tables: ReferenceTables) -> None:
    presets = _presets()[:4] * 2
    a = assess(presets, ["TH", "DE"], [2026], real_tables, samples=50, rng=np.random.default_rng(7))
    old = reference_build_setup(presets, ["TH", "DE"], [2026], real_tables)
    from roadcarbon.engine.uncertainty import monte_carlo

    u = real_tables.lookup("grid_intensity_relative_uncertainty").value
    ref = monte_carlo(old, np.random.default_rng(7), 50, grid_relative_uncertainty=u)
    assert a.uncertainty is not None
    np.testing.assert_array_equal(a.uncertainty.total_g_co2e_per_km, ref.total_g_co2e_per_km)


@pytest.mark.parametrize(
    ("change", "countries"),
    [
        ({"battery_chemistry": None}, ["TH"]),
        ({"curb_mass_kg": 100.0}, ["TH"]),
        ({}, ["XX"]),
    ],
)
def test_errors_name_the_same_field(real_tables: ReferenceTables, change: dict, countries: list[str]) -> None:
    bev = next(p for p in _presets() if p.battery_capacity_kwh)
    bad = bev.model_copy(update=change)
    fleet = [_presets()[0], bad, bad]
    with pytest.raises(Exception) as new_err:
        build_setup(fleet, countries, [2025], real_tables)
    with pytest.raises(Exception) as old_err:
        reference_build_setup(fleet, countries, [2025], real_tables)
    assert type(new_err.value) is type(old_err.value)
    assert str(new_err.value) == str(old_err.value)
    assert getattr(new_err.value, "field", None) == getattr(old_err.value, "field", None)


def test_fuel_from_co2_and_phev_without_consumption(real_tables: ReferenceTables) -> None:
    petrol = load_preset("car-medium-petrol")
    from_co2 = petrol.model_copy(update={"fuel_consumption_l_per_100km": None, "co2_g_per_km": 131.0})
    fleet = [petrol, from_co2, load_preset("car-medium-phev"), from_co2]
    _assert_same(
        build_setup(fleet, ["TH", "DE", "CN"], [2025], real_tables),
        reference_build_setup(fleet, ["TH", "DE", "CN"], [2025], real_tables),
    )
    phev = load_preset("car-medium-phev").model_copy(update={"fuel_consumption_l_per_100km": None})
    nothing = petrol.model_copy(update={"fuel_consumption_l_per_100km": None, "co2_g_per_km": None})
    for bad in (phev, nothing):
        with pytest.raises(SpecError) as new_err:
            build_setup([petrol, bad], ["TH"], [2025], real_tables)
        with pytest.raises(SpecError) as old_err:
            reference_build_setup([petrol, bad], ["TH"], [2025], real_tables)
        assert (str(new_err.value), new_err.value.field) == (str(old_err.value), old_err.value.field)
