"""Shipped values equal the published numbers or the documented arithmetic on them.

Each expected value below is typed from the cited source (not read from the package), so a
wrong edit of a CSV cell or of the build script fails here.
"""

from __future__ import annotations

import pytest

from roadcarbon.io.datapackage import default_package_path, read_table, resolve

ROOT = default_package_path()
PARAMS = read_table(ROOT / "parameters.csv")


def value(parameter: str, **keys: str) -> float:
    row = resolve(PARAMS, parameter, keys)
    assert row is not None, f"{parameter} does not resolve for {keys}"
    return float(row["value"])


def test_petrol_combustion_is_ipcc_default_times_lhv() -> None:
    # IPCC 2006 Vol.2 Ch.3 Table 3.2.1: 69.3 t CO2/TJ; carculator_utils: 42.6 MJ/kg x 0.75 kg/L
    assert value("fuel_energy_mj_per_unit", fuel="petrol") == pytest.approx(42.6 * 0.75)
    assert value("fuel_combustion_kg_co2_per_unit", fuel="petrol") == pytest.approx(
        69.3 * 42.6 * 0.75 / 1000, abs=1e-4
    )


def test_diesel_wtt_is_desnz_2025() -> None:
    # DESNZ 2025 WTT- fuels, diesel (100 % mineral): 0.62409 kg CO2e/L
    assert value("fuel_well_to_tank_kg_co2e_per_unit", fuel="diesel") == pytest.approx(0.62409)


def test_brazil_ethanol_row_is_region_specific() -> None:
    # Seabra et al. 2011: 21.3 g CO2e/MJ; LHV 26.5 MJ/kg x 0.785 kg/L (carculator_utils)
    brazil = value("fuel_well_to_tank_kg_co2e_per_unit", fuel="ethanol", region="BR")
    elsewhere = value("fuel_well_to_tank_kg_co2e_per_unit", fuel="ethanol", region="ID")
    assert brazil == pytest.approx(21.3 * 26.5 * 1.5386 / 1.96 / 1000, rel=1e-3)
    assert elsewhere == pytest.approx(0.61516)  # DESNZ 2025 bioethanol, UK supply mix


def test_hydrogen_default_is_grey_smr() -> None:
    # Patel et al. 2024: grey SMR (pipeline gas) 12.3 kg CO2e/kg H2
    assert value("fuel_well_to_tank_kg_co2e_per_unit", fuel="hydrogen") == pytest.approx(12.3)
    assert value("fuel_combustion_kg_co2_per_unit", fuel="hydrogen") == 0.0


def test_process_heat_arithmetic() -> None:
    # (56.1 IPCC natural gas + 11.66 DESNZ WTT) g/MJ / boiler efficiency 0.9
    assert value("process_heat_kg_co2e_per_mj") == pytest.approx((56.1 + 11.66) / 0.9 / 1000, rel=1e-3)


@pytest.mark.parametrize(("gwp", "ch4", "n2o"), [("AR5", 28.0, 265.0), ("AR6", 27.0, 273.0)])
def test_tailpipe_ch4_n2o_uses_the_selected_gwp(gwp: str, ch4: float, n2o: float) -> None:
    # HBEFA 4.2 diesel car Euro 6: CH4 0.007003119, N2O 0.005019042 g/MJ; GWP100 AR5 28 / 265 (IPCC AR5 via
    # globalwarmingpotentials 0.13.2), AR6 27.0 (CH4 non-fossil) / 273 (IPCC AR6 WGI Table 7.15)
    expected = (0.007003119 * ch4 + 0.005019042 * n2o) / 1000
    assert value(
        "tailpipe_ch4_n2o_kg_co2e_per_mj", fuel="diesel", segment="medium", gwp=gwp
    ) == pytest.approx(expected)


def test_battery_values_by_chemistry() -> None:
    # GREET 2024 LIB_BoM (300-mile packs): LFP 41.79, NCA 54.15 kg CO2e/kWh; BatPaC 5.2: LFP 6.66 kg/kWh
    assert value("battery_materials_kg_co2e_per_kwh", chemistry="LFP") == pytest.approx(41.79)
    assert value("battery_materials_kg_co2e_per_kwh", chemistry="NCA") == pytest.approx(54.15)
    assert value("battery_pack_mass_kg_per_kwh", chemistry="LFP") == pytest.approx(6.66)


def test_glider_factor_arithmetic() -> None:
    # GREET 2024 ICE car 6,162,169 g minus Sullivan 2012 VMA 2 t, over an assumed 1,400 kg
    assert value("glider_materials_kg_co2e_per_kg", segment="medium") == pytest.approx(
        (6162.169 - 2000) / 1400, abs=1e-3
    )


@pytest.mark.parametrize(
    ("cycle", "fuel", "expected"),
    [
        ("NEDC", "petrol", 1.37),  # ICCT 2021 China gap 37 %
        ("WLTP", "diesel", 1.14),  # ICCT 2024: EU WLTP gap 14 % (2022)
        ("CLTC", "electricity", 1.14 / 0.85),  # CLTC->WLTP 1/0.85 x WLTP gap (derived)
        ("EPA", "electricity", 1.0),  # EPA labels include the real-world adjustment
    ],
)
def test_real_world_factors(cycle: str, fuel: str, expected: float) -> None:
    assert value("real_world_consumption_factor", test_cycle=cycle, fuel=fuel) == pytest.approx(
        expected, abs=1e-3
    )


def test_region_rows_win_over_defaults() -> None:
    # NHTSA (Lu 2006): 152,137 mi passenger-car lifetime; carculator default 200,000 km elsewhere
    assert value("lifetime_km", segment="medium", region="US") == pytest.approx(244843)
    assert value("lifetime_km", segment="medium", region="ID") == pytest.approx(200000)
    assert value("lifetime_km", segment="bus_12m", region="US") == pytest.approx(700000)


def test_phev_utility_factor_curve_is_icct_2020() -> None:
    rows = read_table(ROOT / "phev_utility_factor.csv")
    curve = {float(r["electric_range_km"]): float(r["utility_factor"]) for r in rows}
    # ICCT 2020 (Ploetz et al.), private cars in Germany, via carculator docs Table 11
    assert {k: curve[k] for k in (20.0, 40.0, 60.0, 80.0)} == {20.0: 0.30, 40.0: 0.50, 60.0: 0.65, 80.0: 0.75}


def test_cycle_conversions_carry_the_research_ids() -> None:
    rows = read_table(ROOT / "cycle_conversion.csv")
    nedc_wltp = next(
        r for r in rows if (r["from_cycle"], r["to_cycle"], r["quantity"]) == ("NEDC", "WLTP", "co2")
    )
    assert float(nedc_wltp["factor"]) == pytest.approx(1.21)  # ICCT 2019, CF01
    assert "CF01" in nedc_wltp["locator"]


def test_td_losses_china_from_carculator_utils() -> None:
    rows = {r["country"]: r for r in read_table(ROOT / "td_losses.csv")}
    # carculator_utils 1.3.5 cumulative losses, CHN low voltage 1.078867646 (7.31 % implied loss)
    assert float(rows["CN"]["lv_multiplier"]) == pytest.approx(1.078868, abs=1e-6)
    # Laos is not in carculator_utils: World Bank 2015, national distribution loss 13 % -> 1 / (1 - 0.13)
    assert rows["LA"]["source_id"] == "worldbank_2015_lao_grid"
    assert float(rows["LA"]["lv_multiplier"]) == pytest.approx(1 / (1 - 0.13), abs=1e-6)
    assert rows["LA"]["assumption"] == "true"
