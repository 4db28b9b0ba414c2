"""Reference rows for the vehicle classes of issue 12: two-wheelers, tricycles, vans and pickups, bus occupancy.

Build time only.  Every number below is copied from the source named beside it (with its locator);
derived values show their arithmetic.  Run::

    python src/roadcarbon/data/factors/derivation/vehicle_classes.py --write

to replace this module's rows in ``parameters.csv`` (identified by their keys, see :func:`owned`) and
append its sources to ``sources.csv`` if missing.  Without ``--write`` it prints the rows.

Sources (ids in ``sources.csv``):

* ``carculator_two_wheeler_docs``: carculator_two_wheeler documentation tables (docs/_static/tables/table-2,
  -3, -5, -9.csv; docs/modeling.rst) and ``default_parameters.json`` (cycle life, mass shares), repository
  Laboratory-for-Energy-Systems-Analysis/carculator_two_wheeler, commit 52c2157d (2025-04-06).
* ``carculator_utils_1_3_5_lcia``: aggregated GWP100 (IPCC 2021) scores of ecoinvent background activities
  shipped with carculator_utils 1.3.5 (read as in derivation/carculator_outputs.py).
* ``carculator_two_wheeler_lcia_2021``: the same kind of scores shipped with carculator_two_wheeler itself
  (data/IAM/B_matrix_two_wheelers_recipe_midpoint_static 3.7 cutoff.csv, row 'climate change', ReCiPe 2008
  (H) GWP100 = IPCC 2007 factors), commit d6743731, for the one activity carculator_utils does not ship.
* ``orf_2021_india_2w``, ``messageix_r12_lifetime``, ``icct_roadmap_2019_retirement``: use of two-wheelers
  in the target markets.
* ``carculator_1_9_5`` and ``carculator_1_9_5_van_outputs_2020``: the van class.
* ``evweb_2021_piaggio_ape_e_city_fx``, ``ians_2022_piaggio_3w``: the tricycle class (other rows: motorcycle
  proxies).  ``icct_roadmap_2019_retirement`` also sets two-wheeler lifetimes per country.
* ``isuzu_dmax_ev_*``, ``autoblog_2007_ranger_3_0``: sources of the pickup presets (rows only in sources.csv).
* ``dft_2021_bus_occupancy``, ``ssb_2009_bus``, ``carculator_bus_0_1_0``: bus occupancy.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE.parent

TWO_WHEELERS = ("motorcycle", "scooter")
LCV = ("van", "pickup")
TRICYCLE = "tricycle"
# Piaggio Ape E-City FX (India 2021, electricvehicleweb.com spec table): 7.5 kWh, 110 +/- 5 km, 413 kg
TRICYCLE_PACK_KWH, TRICYCLE_RANGE_KM = 7.5, 110.0
TRICYCLE_KM_PER_DAY = 75.0  # Piaggio Vehicles EVP (IANS): a passenger three-wheeler travels about 75 km a day
# proxies taken from the motorcycle rows (no three-wheeler LCA factor found)
TRICYCLE_PROXY = (
    "glider_materials_kg_co2e_per_kg",
    "assembly_electricity_kwh_per_vehicle",
    "assembly_heat_mj_per_vehicle",
    "maintenance_kg_co2e_per_km",
    "tailpipe_ch4_n2o_kg_co2e_per_mj",
)
C2W = "https://github.com/Laboratory-for-Energy-Systems-Analysis/carculator_two_wheeler/blob"
C2W_HEAD = f"{C2W}/52c2157d95597bf9be206949d2dc14a717128b9d"

HEADER = [
    "parameter",
    "segment",
    "powertrain",
    "fuel",
    "chemistry",
    "test_cycle",
    "region",
    "gwp",
    "value",
    "low",
    "high",
    "distribution",
    "unit",
    "year",
    "source_id",
    "locator",
    "assumption",
    "reason",
]

# ---- two-wheelers: use in the target markets -------------------------------------------------
ANNUAL_KM_INDIA_2W = 8800.0  # ORF (Sati, Powell, Tomar 2021): Indian urban two-wheelers, average km/year
ANNUAL_KM_INDIA_2W_MAX = 22500.0  # same source: maximum km/year
TECH_LIFETIME_2W_YEARS = 10.0  # MESSAGEix-Transport R12 lifetime.csv: two-wheelers, all regions
RETIREMENT_AGE_2W_YEARS = 14.0  # ICCT Roadmap 2019 AvgRetAge: two/three-wheelers, Brazil and South Africa
# carculator_two_wheeler (Swiss registry MOFIS + 2015 micro-census), 2020 classes
# ICCT Roadmap 2019 (Model-inputs-global-2019.xlsx, sheet AvgRetAge), two/three-wheelers, years; the
# sheet's Key defines AvgRetirementAge as "Average lifetime of vehicles" (the survival curve's parameter,
# not a survival-weighted mean computed from a registry); copied in data/fleet/survival_curves.csv.
RETIREMENT_AGE_2W_BY_COUNTRY = {"ID": 17, "IN": 16, "PH": 16, "TH": 13, "VN": 16}
FLEET = HERE.parents[1] / "fleet" / "annual_distance.csv"  # ICCT sheet Deg (mileage degradation by age)
C2W_LIFETIME_KM = {"motorcycle": 25000.0, "scooter": 25000.0}  # Motorcycle 4-11 kW; Scooter <4 kW
C2W_ANNUAL_KM = {"motorcycle": 1776.0, "scooter": 1570.0}

# ---- two-wheelers: production (carculator_utils 1.3.5 GWP100 IPCC 2021, per unit of activity) ---
MOTOR_SCOOTER_PRODUCTION_KG_CO2E = 435.03  # 'motor scooter production' (RER), per unit (50 cc scooter)
MOTOR_SCOOTER_REFERENCE_MASS_KG = 90.0  # carculator_two_wheeler modeling.rst: reference scooter mass
E_SCOOTER_GLIDER_KG_CO2E_PER_KG = 5.838  # 'market for glider, for electric scooter' (GLO), per kg
E_SCOOTER_POWERTRAIN_KG_CO2E_PER_KG = 18.943  # 'powertrain production, for electric scooter', per kg
# carculator_two_wheeler default_parameters.json 2020, BEV: 'electrical powertrain mass share' (of glider base mass)
E_POWERTRAIN_SHARE = {"motorcycle": (0.20, 0.18, 0.22), "scooter": (0.11, 0.099, 0.121)}
MAINTENANCE_MOTOR_SCOOTER_KG_CO2E = 260.43  # 'maintenance, motor scooter' (CH), per unit
MAINTENANCE_E_SCOOTER_KG_CO2E = (
    304.33  # 'market for maintenance, electric scooter, without battery', ReCiPe 2008
)
MAINTENANCE_UNIT_KM = 25000.0  # carculator_two_wheeler: one maintenance unit is valid for 25,000 km

# ---- two-wheelers: battery life (carculator_two_wheeler replacement rule) ------------------------
CYCLE_LIFE_NMC = (3000.0, 2250.0, 3750.0)  # default_parameters.json 'battery cycle life, NMC' (Preger 2020)
# Representative packs and stored-energy use of carculator_two_wheeler's 2020 electric classes:
# Motorcycle 4-11 kW: 2.9 kWh, 0.182 MJ/km; Scooter <4 kW: 2.3 kWh, 0.133 MJ/km (table-9, table-3).
PACK_KWH = {"motorcycle": 2.9, "scooter": 2.3}
TTW_MJ_PER_KM = {"motorcycle": 0.182, "scooter": 0.133}

# ---- two-wheelers: tailpipe CH4 and N2O (EMEP/EEA 2019 via carculator_two_wheeler table-1.csv) ---
# g/km of the EURO-5 petrol classes and their energy use (table-5: 1.01 MJ/km; table-2: 1.04 MJ/km)
TAILPIPE_2W = {
    "motorcycle": {
        "ch4_g_km": 0.056,
        "n2o_g_km": 0.002,
        "mj_km": 1.01,
        "cls": "Motorbike, gasoline, 4-11kW, EURO-5",
    },
    "scooter": {
        "ch4_g_km": 0.029,
        "n2o_g_km": 0.001,
        "mj_km": 1.04,
        "cls": "Scooter, gasoline, 4-11kW, EURO-5",
    },
}
GWP = {"AR5": (28.0, 265.0), "AR6": (27.0, 273.0)}  # as in parameters.csv's car rows

# ---- vans and pickups ---------------------------------------------------------------------------
CAR_MAINTENANCE_KG_CO2E = 1018.2  # carculator_utils 1.3.5 'maintenance, passenger car' per unit
CAR_MAINTENANCE_REF_KG, CAR_MAINTENANCE_UNIT_KM = 1240.0, 150000.0  # carculator 1.9.5 inventory scaling
VAN_CURB_KG = {
    "ICEV": 1645.7,
    "BEV": 2021.4,
}  # carculator 1.9.5 Van 2020 ICEV-d / BEV (carculator_2020_vans.json)

# ---- bus occupancy ------------------------------------------------------------------------------
# (region, value, year, source_id, locator)
BUS_OCCUPANCY = [
    (
        "GB",
        11.8,
        2020,
        "dft_2021_bus_occupancy",
        "Great Britain, local bus services, 2019/20: passenger miles (BUS0302) / vehicle miles (BUS0203)",
    ),
    (
        "NO",
        10.6,
        2007,
        "ssb_2009_bus",
        "Bus, all services, 2007: 3,623,382 thousand passenger-km / 341,706 thousand vehicle-km = 10.6",
    ),
]
BUS_OCCUPANCY_DEFAULT = (10.0, 7.5, 12.5)  # carculator_bus 0.1.0 'average passengers' 13m-city (triangular)


def row(
    parameter: str, value: float, unit: str, year: int, source_id: str, locator: str, **kw: Any
) -> dict[str, Any]:
    """One parameters.csv row (empty selectors apply to all)."""
    out: dict[str, Any] = dict.fromkeys(HEADER, "")
    out.update(
        parameter=parameter,
        value=_fmt(value),
        unit=unit,
        year=year,
        source_id=source_id,
        locator=locator,
        distribution=kw.pop("distribution", "none"),
        assumption=str(kw.pop("assumption", False)).lower(),
        reason=kw.pop("reason", ""),
    )
    for key in ("low", "high"):
        if key in kw:
            out[key] = _fmt(kw.pop(key))
    for key in ("segment", "powertrain", "fuel", "chemistry", "test_cycle", "region", "gwp"):
        out[key] = kw.pop(key, "")
    if kw:
        raise SystemExit(f"unknown keys {kw}")
    return out


def _fmt(x: float) -> str:
    return f"{x:.6g}" if abs(x) < 1e6 else f"{x:.0f}"


def two_wheeler_rows() -> list[dict[str, Any]]:
    """Lifetime, use, production, maintenance, battery life and tailpipe rows for motorcycles and scooters."""
    rows = []
    lifetime = ANNUAL_KM_INDIA_2W * TECH_LIFETIME_2W_YEARS
    lifetime_high = ANNUAL_KM_INDIA_2W * RETIREMENT_AGE_2W_YEARS
    for seg in TWO_WHEELERS:
        rows.append(
            row(
                "lifetime_km",
                lifetime,
                "km",
                2021,
                "orf_2021_india_2w",
                f"8,800 km/yr (ORF, Indian urban two-wheelers) x 10 yr (MESSAGEix R12 two-wheeler lifetime) = "
                f"{lifetime:,.0f} km; low = carculator_two_wheeler Swiss {C2W_LIFETIME_KM[seg]:,.0f} km; "
                f"high = 8,800 x 14 yr (ICCT Roadmap retirement age BR/ZA) = {lifetime_high:,.0f} km",
                segment=seg,
                low=C2W_LIFETIME_KM[seg],
                high=lifetime_high,
                distribution="triangular",
                assumption=True,
                reason=(
                    "No measured lifetime distance of two-wheelers in South-East Asia was found. Derived for the "
                    "markets where two-wheelers dominate: India's sourced urban use (8,800 km/yr, ORF 2021) times "
                    "MESSAGEix-Transport's technical lifetime of two-wheelers (10 years, all regions). The low bound "
                    "is the Swiss value of carculator_two_wheeler (registry age x micro-census use), the high bound "
                    "the same use over ICCT's 14-year average retirement age. European users should set "
                    "lifetime_km (about 25,000 km) in the spec."
                ),
            )
        )
        rows.extend(country_lifetime_rows(seg))
        rows.append(
            row(
                "annual_km",
                ANNUAL_KM_INDIA_2W,
                "km/year",
                2021,
                "orf_2021_india_2w",
                "average of Indian urban two-wheelers 8,800 km/yr (daily 27-33 km, maximum 22,500 km/yr)",
                segment=seg,
                low=C2W_ANNUAL_KM[seg],
                high=ANNUAL_KM_INDIA_2W_MAX,
                distribution="none",
                assumption=True,
                reason=(
                    "India's sourced average is used for every country (no South-East Asian survey found); "
                    f"Switzerland: {C2W_ANNUAL_KM[seg]:,.0f} km/yr (carculator_two_wheeler). Sets the years of "
                    "use over which the grid is averaged."
                ),
            )
        )
        km = PACK_KWH[seg] / (TTW_MJ_PER_KM[seg] / 3.6)
        life = [c * km for c in CYCLE_LIFE_NMC]
        rows.append(
            row(
                "battery_life_km",
                round(life[0], -2),
                "km",
                2020,
                "carculator_two_wheeler_docs",
                f"cycle life NMC 3,000 (2,250-3,750) x {PACK_KWH[seg]} kWh / ({TTW_MJ_PER_KM[seg]} MJ/km / 3.6) "
                "(carculator_two_wheeler 2020 class; replacement rule of docs/battery_replacements.rst)",
                segment=seg,
                low=round(life[1], -2),
                high=round(life[2], -2),
                distribution="triangular",
                assumption=True,
                reason=(
                    "Derived with carculator_two_wheeler's own rule (lifetime throughput / nominal capacity / cycle "
                    "life, no DoD term): km per pack = cycle life x capacity / stored energy per km. A swap-system "
                    "pack serves the same km whether it sits in one vehicle or circulates; LFP packs (7,000 cycles) "
                    "last longer."
                ),
            )
        )
        # production: petrol = whole 'motor scooter production' per kg, assembly and disposal included
        per_kg = MOTOR_SCOOTER_PRODUCTION_KG_CO2E / MOTOR_SCOOTER_REFERENCE_MASS_KG
        rows.append(
            row(
                "glider_materials_kg_co2e_per_kg",
                round(per_kg, 3),
                "kg CO2e/kg",
                2024,
                "carculator_utils_1_3_5_lcia",
                "'motor scooter production' (RER) 435.03 kg CO2e/unit (IPCC 2021 GWP100) / 90 kg reference scooter "
                "(carculator_two_wheeler modeling.rst)",
                segment=seg,
                low=round(per_kg * 0.8, 3),
                high=round(per_kg * 1.2, 3),
                distribution="triangular",
                assumption=True,
                reason=(
                    "ecoinvent's 50 cc motor scooter (materials, parts, assembly and disposal) per kg, the proxy "
                    "carculator_two_wheeler scales by mass for every petrol scooter and motorcycle. Assembly and "
                    "disposal are inside it, so the assembly rows of two-wheelers are zero. Bounds +/-20 % are an "
                    "assumption (one 50 cc reference vehicle)."
                ),
            )
        )
        share, share_lo, share_hi = E_POWERTRAIN_SHARE[seg]

        def mix(s: float) -> float:
            return (E_SCOOTER_GLIDER_KG_CO2E_PER_KG + s * E_SCOOTER_POWERTRAIN_KG_CO2E_PER_KG) / (1.0 + s)

        rows.append(
            row(
                "glider_materials_kg_co2e_per_kg",
                round(mix(share), 3),
                "kg CO2e/kg",
                2024,
                "carculator_utils_1_3_5_lcia",
                f"('market for glider, for electric scooter' 5.838 + {share} x 'powertrain production, for electric "
                f"scooter' 18.943 kg CO2e/kg) / (1 + {share}); electrical powertrain mass share of glider {share} "
                f"({share_lo}-{share_hi}), carculator_two_wheeler default_parameters.json 2020",
                segment=seg,
                powertrain="BEV",
                low=round(mix(share_lo), 3),
                high=round(mix(share_hi), 3),
                distribution="triangular",
                assumption=True,
                reason=(
                    "Mass-weighted ecoinvent factors of the electric-scooter glider and electric powertrain "
                    "(without battery), weighted with carculator_two_wheeler's electrical-powertrain mass share; "
                    "the traction battery is the battery stage. The off-board charger (1.2-2.4 kg, 27.5 kg "
                    "CO2e/kg) is left out."
                ),
            )
        )
        for parameter, unit in (
            ("assembly_electricity_kwh_per_vehicle", "kWh/vehicle"),
            ("assembly_heat_mj_per_vehicle", "MJ/vehicle"),
        ):
            rows.append(
                row(
                    parameter,
                    0.0,
                    unit,
                    2024,
                    "carculator_utils_1_3_5_lcia",
                    "included in glider_materials_kg_co2e_per_kg of two-wheelers (ecoinvent scooter datasets)",
                    segment=seg,
                    assumption=True,
                    reason=(
                        "The ecoinvent scooter, glider and powertrain datasets behind the two-wheeler materials "
                        "factor include their assembly; a separate assembly term would count it twice."
                    ),
                )
            )
        m = MAINTENANCE_MOTOR_SCOOTER_KG_CO2E / MAINTENANCE_UNIT_KM
        rows.append(
            row(
                "maintenance_kg_co2e_per_km",
                round(m, 6),
                "kg CO2e/km",
                2024,
                "carculator_utils_1_3_5_lcia",
                "'maintenance, motor scooter' (CH) 260.43 kg CO2e/unit (IPCC 2021 GWP100) / 25,000 km per unit "
                "(carculator_two_wheeler: one unit valid for a 25,000 km life)",
                segment=seg,
                low=round(m * 0.5, 6),
                high=round(m * 1.5, 6),
                distribution="triangular",
                assumption=True,
                reason="Per km as carculator_two_wheeler applies it; bounds +/-50 % are an assumption as for cars.",
            )
        )
        mb = MAINTENANCE_E_SCOOTER_KG_CO2E / MAINTENANCE_UNIT_KM
        rows.append(
            row(
                "maintenance_kg_co2e_per_km",
                round(mb, 6),
                "kg CO2e/km",
                2021,
                "carculator_two_wheeler_lcia_2021",
                "'market for maintenance, electric scooter, without battery' (GLO) 304.33 kg CO2e/unit (ReCiPe 2008 "
                "(H) GWP100) / 25,000 km per unit",
                segment=seg,
                powertrain="BEV",
                low=round(mb * 0.5, 6),
                high=round(mb * 1.5, 6),
                distribution="triangular",
                assumption=True,
                reason=(
                    "carculator_utils 1.3.5 does not ship this activity: score from carculator_two_wheeler's own "
                    "static matrix (ecoinvent 3.7 cut-off, ReCiPe 2008 GWP100 = IPCC 2007 factors, used in its "
                    "source's metric). Bounds +/-50 % as for cars."
                ),
            )
        )
        t = TAILPIPE_2W[seg]
        for metric, (g_ch4, g_n2o) in GWP.items():
            value = (t["ch4_g_km"] * g_ch4 + t["n2o_g_km"] * g_n2o) / t["mj_km"] / 1000.0
            rows.append(
                row(
                    "tailpipe_ch4_n2o_kg_co2e_per_mj",
                    round(value, 7),
                    "kg CO2e/MJ",
                    2019,
                    "carculator_two_wheeler_docs",
                    f"table-1.csv '{t['cls']}': CH4 {t['ch4_g_km']} g/km, N2O {t['n2o_g_km']} g/km (EMEP/EEA 2019 "
                    f"guidebook) / {t['mj_km']} MJ/km x {metric} GWP100 (CH4 {g_ch4:g}, N2O {g_n2o:g})",
                    segment=seg,
                    fuel="petrol",
                    gwp=metric,
                    reason=(
                        "Two-wheelers emit far more CH4 per MJ than cars with three-way catalysts (the car row is "
                        "0.08 g CO2e/MJ)."
                    ),
                )
            )
    return rows


def _degradation_2w() -> dict[int, float]:
    """ICCT mileage degradation factor by age for two/three-wheelers (fraction of age-0 annual km)."""
    with FLEET.open(encoding="utf-8") as handle:
        return {
            int(r["age"]): float(r["value"])
            for r in csv.DictReader(handle)
            if r["parameter"] == "mileage_degradation_factor_by_age" and "two/three" in r["vehicle_type"]
        }


def country_lifetime_rows(seg: str) -> list[dict[str, Any]]:
    """lifetime_km per country: ICCT retirement age x the sourced annual use (India's, the only one found)."""
    deg = _degradation_2w()
    rows = []
    for region, age in sorted(RETIREMENT_AGE_2W_BY_COUNTRY.items()):
        flat = ANNUAL_KM_INDIA_2W * age
        factor = sum(deg[a] for a in range(age))
        low = ANNUAL_KM_INDIA_2W * factor
        high = flat + (flat - low)
        rows.append(
            row(
                "lifetime_km",
                flat,
                "km",
                2019,
                "icct_roadmap_2019_retirement",
                f"ICCT Roadmap AvgRetAge two/three-wheelers {region}: {age} yr x 8,800 km/yr (ORF 2021, Indian urban "
                f"two-wheelers) = {flat:,.0f} km; low = 8,800 x sum of ICCT's two/three-wheeler mileage degradation "
                f"factors for ages 0-{age - 1} ({factor:.4f}, sheet Deg) = {low:,.0f} km; high = mode + (mode - low) "
                f"= {high:,.0f} km",
                segment=seg,
                region=region,
                low=round(low, 0),
                high=round(high, 0),
                distribution="triangular",
                assumption=True,
                reason=(
                    f"Years sourced per country (ICCT Roadmap average retirement age of two/three-wheelers, {region} "
                    f"{age} yr: the survival curve's parameter, 'average lifetime of vehicles', calibrated to IEA "
                    "MoMo; not a survival-weighted mean from a registry). No annual distance of two-wheelers was "
                    "found for this country, so India's sourced fleet-average use (8,800 km/yr, ORF 2021) is used: "
                    "fleet-average km/yr x average life is the steady-state lifetime distance. The low bound "
                    "treats 8,800 km/yr as a new vehicle's use declining with ICCT's degradation factors; the high "
                    "bound mirrors it (symmetric range, an assumption)."
                ),
            )
        )
    return rows


def lcv_rows() -> list[dict[str, Any]]:
    """Lifetime, use, battery life and maintenance rows for vans and pickups."""
    rows = []
    for seg in LCV:
        rows.append(
            row(
                "lifetime_km",
                200000.0,
                "km",
                2020,
                "carculator_1_9_5",
                "default_parameters.json 'lifetime kilometers' 200,000 (80,000-300,000), sizes incl. Van",
                segment=seg,
                low=80000.0,
                high=300000.0,
                distribution="triangular",
                assumption=seg == "pickup",
                reason="" if seg == "van" else "carculator has no pickup class: its Van value is used.",
            )
        )
        rows.append(
            row(
                "annual_km",
                12000.0,
                "km/year",
                2020,
                "carculator_1_9_5",
                "default_parameters.json 'kilometers per year' 12,000 (8,000-15,000), sizes incl. Van",
                segment=seg,
                low=8000.0,
                high=15000.0,
                distribution="triangular",
                assumption=True,
                reason="European (Swiss) typical value used as the generic default, as for cars.",
            )
        )
        rows.append(
            row(
                "battery_life_km",
                200000.0,
                "km",
                2020,
                "carculator_1_9_5",
                "default_parameters.json 'battery lifetime kilometers' 200,000 (100,000-300,000), sizes incl. Van",
                segment=seg,
                low=100000.0,
                high=300000.0,
                distribution="triangular",
                assumption=seg == "pickup",
                reason="" if seg == "van" else "carculator has no pickup class: its Van value is used.",
            )
        )
        for pt, factor in (("", 1.0), ("BEV", 0.5)):
            mass = VAN_CURB_KG["BEV" if pt else "ICEV"]
            value = CAR_MAINTENANCE_KG_CO2E / CAR_MAINTENANCE_REF_KG / CAR_MAINTENANCE_UNIT_KM * mass * factor
            rows.append(
                row(
                    "maintenance_kg_co2e_per_km",
                    round(value, 6),
                    "kg CO2e/km",
                    2024,
                    "carculator_utils_1_3_5_lcia",
                    f"'maintenance, passenger car' (RER) 1018.2 kg CO2e/unit / 1,240 kg / 150,000 km x {mass:,.0f} kg "
                    f"(carculator 1.9.5 Van 2020 {'BEV' if pt else 'ICEV-d'} curb mass)"
                    + (" x 0.5 (carculator: BEV maintenance half)" if pt else ""),
                    segment=seg,
                    powertrain=pt,
                    low=round(value * 0.5, 6),
                    high=round(value * 1.5, 6),
                    distribution="triangular",
                    assumption=True,
                    reason=(
                        "Derived as for cars (carculator scales ecoinvent's car maintenance by curb mass); "
                        "bounds +/-50 % are an assumption."
                        + (
                            " carculator has no pickup class: the Van mass is used."
                            if seg == "pickup"
                            else ""
                        )
                    ),
                )
            )
    return rows


def occupancy_rows() -> list[dict[str, Any]]:
    """Average bus occupancy: a sourced row per country where found, and a stated default."""
    value, low, high = BUS_OCCUPANCY_DEFAULT
    rows = [
        row(
            "occupancy_passengers",
            value,
            "passengers",
            2020,
            "carculator_bus_0_1_0",
            "default_parameters.json 'average passengers' 13m-city 10 (7.5-12.5), triangular",
            segment="bus_12m",
            low=low,
            high=high,
            distribution="triangular",
            assumption=True,
            reason=(
                "Default where no national figure was found: carculator_bus's Swiss 12-13 m city-bus value. "
                "Occupancy varies far more between cities and routes than this range; set "
                "occupancy_passengers in the spec for a given network."
            ),
        )
    ]
    for region, occ, year, source, locator in BUS_OCCUPANCY:
        rows.append(
            row(
                "occupancy_passengers",
                occ,
                "passengers",
                year,
                source,
                locator,
                segment="bus_12m",
                region=region,
                reason="National average of all local bus services (passenger-km / vehicle-km).",
            )
        )
    return rows


def tricycle_rows() -> list[dict[str, Any]]:
    """L5e powered tricycles: use from Piaggio, battery life by the two-wheeler rule, the rest motorcycle proxies."""
    annual = TRICYCLE_KM_PER_DAY * 365
    years, years_high = TECH_LIFETIME_2W_YEARS, 16.0  # MESSAGEix two-wheelers; ICCT AvgRetAge 2/3-wheelers IN
    rows = [
        row(
            "annual_km",
            annual,
            "km/year",
            2022,
            "ians_2022_piaggio_3w",
            "about 75 km per day (Piaggio Vehicles EVP, passenger three-wheelers) x 365 days = 27,375 km/yr",
            segment=TRICYCLE,
            assumption=True,
            reason=(
                "The source gives km per day; every day of the year is counted (days off are not published), so "
                "this is an upper reading of a commercial auto-rickshaw's use. Sets the years over which the grid "
                "is averaged."
            ),
        ),
        row(
            "lifetime_km",
            annual * years,
            "km",
            2022,
            "ians_2022_piaggio_3w",
            f"27,375 km/yr x 10 yr (MESSAGEix two-wheeler lifetime) = {annual * years:,.0f} km; low = 8,800 km/yr "
            f"(two-wheeler use, ORF) x 10 yr = 88,000 km; high = 27,375 x 16 yr (ICCT AvgRetAge two/three-"
            f"wheelers, India) = {annual * years_high:,.0f} km",
            segment=TRICYCLE,
            low=ANNUAL_KM_INDIA_2W * years,
            high=annual * years_high,
            distribution="triangular",
            assumption=True,
            reason=(
                "No measured lifetime distance of three-wheelers was found. Commercial use (Piaggio: about 75 "
                "km/day) over the two-wheeler technical lifetime of MESSAGEix-Transport (10 years); the range "
                "spans private two-wheeler use (low) and ICCT's 16-year retirement age of Indian two/three-"
                "wheelers (high)."
            ),
        ),
    ]
    stored_kwh_per_km = TRICYCLE_PACK_KWH / TRICYCLE_RANGE_KM
    life = [c * TRICYCLE_PACK_KWH / stored_kwh_per_km for c in CYCLE_LIFE_NMC]
    rows.append(
        row(
            "battery_life_km",
            round(life[0], -2),
            "km",
            2021,
            "evweb_2021_piaggio_ape_e_city_fx",
            "cycle life NMC 3,000 (2,250-3,750) x 7.5 kWh / (7.5 kWh / 110 km) (Piaggio Ape E-City FX; "
            "carculator_two_wheeler replacement rule)",
            segment=TRICYCLE,
            low=round(life[1], -2),
            high=round(life[2], -2),
            distribution="triangular",
            assumption=True,
            reason=(
                "carculator_two_wheeler's rule (cycle life x capacity / stored energy per km) with the Ape E-City "
                "FX pack and range: km per pack = cycle life x range. NMC cycle life is used; LFP packs last longer."
            ),
        )
    )
    for r in two_wheeler_rows():
        if r["segment"] != "motorcycle" or r["parameter"] not in TRICYCLE_PROXY:
            continue
        proxy = dict(r)
        proxy.update(
            segment=TRICYCLE,
            assumption="true",
            reason=(
                "Motorcycle row used for three-wheelers (no LCA factor of an auto-rickshaw found): per-kg "
                "production, per-km maintenance and per-MJ CH4/N2O of the 4-11 kW motorcycle class. "
                + r["reason"]
            ).strip(),
        )
        rows.append(proxy)
    return rows


def all_rows() -> list[dict[str, Any]]:
    """Every row this module owns."""
    return two_wheeler_rows() + tricycle_rows() + lcv_rows() + occupancy_rows()


def owned(r: dict[str, str]) -> bool:
    """Whether a parameters.csv row is produced here."""
    return r["segment"] in (*TWO_WHEELERS, TRICYCLE, *LCV) or r["parameter"] == "occupancy_passengers"


SOURCES = [
    {
        "source_id": "carculator_two_wheeler_docs",
        "title": "carculator_two_wheeler documentation and default parameters: specifications of the 2020 two-wheeler "
        "classes (docs/_static/tables/table-1,-2,-3,-5,-9.csv; docs/modeling.rst), battery replacement rule "
        "(docs/battery_replacements.rst), default_parameters.json",
        "publisher": "Paul Scherrer Institute (R. Sacchi et al.)",
        "year": "2025",
        "url": f"{C2W_HEAD}/docs/modeling.rst",
        "licence": "BSD-3-Clause",
        "quality": "good (model documentation; consumption from owner-reported Spritmonitor data, masses from "
        "manufacturers)",
        "notes": "Repository Laboratory-for-Energy-Systems-Analysis/carculator_two_wheeler, commit "
        "52c2157d95597bf9be206949d2dc14a717128b9d (tables: commits d9fd7226, 61c881e6, 100b4e8c). Exhaust "
        "CH4/N2O per km from the EMEP/EEA 2019 guidebook as tabulated there.",
    },
    {
        "source_id": "carculator_two_wheeler_lcia_2021",
        "title": "carculator_two_wheeler aggregated impact scores of background activities (data/IAM/"
        "B_matrix_two_wheelers_recipe_midpoint_static 3.7 cutoff.csv, ReCiPe 2008 (H) climate change GWP100)",
        "publisher": "Paul Scherrer Institute (derived from ecoinvent 3.7 cut-off)",
        "year": "2021",
        "url": f"{C2W}/d6743731d25c8012ab17be7749a383803e6bf66c/carculator_two_wheeler/data/IAM",
        "licence": "BSD-3-Clause (package); redistribution terms of the ecoinvent-derived aggregated scores "
        "UNVERIFIED",
        "quality": "good (machine-readable); ReCiPe 2008 GWP100 (IPCC 2007 factors)",
        "notes": "Column order of data/dict_inputs_A_matrix.csv at the same commit; 'market for maintenance, "
        "electric scooter, without battery' 304.33 kg CO2e/unit.",
    },
    {
        "source_id": "orf_2021_india_2w",
        "title": "Road emission control: electrifying personal mobility in India (Sati, Powell, Tomar, ORF), as "
        "republished by The Global Eye",
        "publisher": "Observer Research Foundation",
        "year": "2021",
        "url": "https://theglobaleye.it/road-emission-control-electrifying-personal-mobility-in-india-akhilesh-"
        "sati-lydia-powell-vinod-kumar-tomar-orf/",
        "licence": "figures cited",
        "quality": "medium (secondary republication of a think-tank paper)",
        "notes": "Indian urban two-wheelers: about 8,800 km/year on average (27-33 km/day), at most 22,500 km/year.",
    },
    {
        "source_id": "messageix_r12_lifetime",
        "title": "MESSAGEix-Transport (IIASA message-ix-models) data/transport/R12/lifetime.csv: technical lifetime "
        "by vehicle type, default scenario",
        "publisher": "IIASA",
        "year": "2024",
        "url": "https://github.com/iiasa/message-ix-models/blob/09324b2f821896a1471c01b38f36e064437a8e00/"
        "message_ix_models/data/transport/R12/lifetime.csv",
        "licence": "Apache-2.0",
        "quality": "medium (model input)",
        "notes": "Two-wheelers: 10 years in every R12 region.",
    },
    {
        "source_id": "icct_roadmap_2019_retirement",
        "title": "ICCT Roadmap model global inputs 2019 (Model-inputs-global-2019.xlsx, sheet AvgRetAge): average "
        "retirement age by country and vehicle type",
        "publisher": "International Council on Clean Transportation",
        "year": "2019",
        "url": "https://github.com/ayuicct/China-Scrappage-Survival-Curve",
        "licence": "figures cited",
        "quality": "medium (model input committed by ICCT staff)",
        "notes": "Two/three-wheelers: 14 years for Brazil and South Africa (12 Nigeria, 30 Kenya/Ethiopia).",
    },
    {
        "source_id": "carculator_1_9_5_van_outputs_2020",
        "title": "carculator 1.9.5 CarModel outputs for the 2020 Van size class (static default parameters, WLTC): "
        "curb mass, tank-to-wheel energy, plug electricity, battery energy",
        "publisher": "Paul Scherrer Institute (model); run by roadcarbon (derivation/carculator_vans.py)",
        "year": "2024",
        "url": "https://pypi.org/project/carculator/1.9.5/",
        "licence": "BSD-3-Clause",
        "quality": "model output (simulation), reproducible",
        "notes": "Outputs in src/roadcarbon/data/factors/derivation/carculator_2020_vans.json.",
    },
    {
        "source_id": "dft_2021_bus_occupancy",
        "title": "Average bus occupancy on local bus services by area, Great Britain, 2004/05-2019/20 (written answer "
        "to Parliamentary Question 41595, 13 September 2021; passenger miles BUS0302 / vehicle miles BUS0203)",
        "publisher": "UK Department for Transport",
        "year": "2021",
        "url": "https://johnredwoodsdiary.com/2021/09/13/average-seat-occupancy-on-public-service-buses/",
        "licence": "Open Parliament Licence (figures cited)",
        "quality": "good (official statistics, read through a republication of the answer)",
        "notes": "2019/20: Great Britain 11.8, England 12.8, London 18.7, English non-metropolitan areas 10.6, "
        "Scotland 7.6, Wales 8.8.",
    },
    {
        "source_id": "ssb_2009_bus",
        "title": "Public transport: Bus. Main figures, by type of service, 2007",
        "publisher": "Statistics Norway",
        "year": "2009",
        "url": "https://ssb.no/a/en/static/kolltrans_en/tab-2009-04-23-02-en.html",
        "licence": "NLOD (figures cited)",
        "quality": "good (official statistics)",
        "notes": "3,623,382 thousand passenger-km, 341,706 thousand vehicle-km, utilisation of capacity 28 %.",
    },
    {
        "source_id": "gogoro_network_2023",
        "title": "Gogoro batteries power 90 % of Taiwan's electric scooters (CleanTechnica, 11 January 2023): more "
        "than 524,000 riders and more than 1.1 million smart batteries in circulation",
        "publisher": "CleanTechnica (company figures)",
        "year": "2023",
        "url": "https://cleantechnica.com/2023/01/11/gogoro-batteries-power-90-of-taiwans-electric-scooters/",
        "licence": "figures cited",
        "quality": "medium (company figures via trade press)",
        "notes": "Earlier: 1 millionth battery made, 450,000 riders (Taiwan News, 23 Feb 2022) = 2.2 packs per "
        "rider. Two batteries on board a Smartscooter: electricbikeinsider.com (2015) hands-on.",
    },
    {
        "source_id": "cnn_indonesia_2024_honda_mpp",
        "title": "Baterai Honda CUV e: diimpor dari India, Icon e: dari China (CNN Indonesia, October 2024)",
        "publisher": "CNN Indonesia (republished by fun-eastern.com)",
        "year": "2024",
        "url": "https://fun-eastern.com/2024/10/23/baterai-honda-cuv-e-diimpor-dari-india-icon-e-dari-china",
        "licence": "figures cited",
        "quality": "medium (trade press quoting Honda)",
        "notes": "Honda Mobile Power Pack e: 50.2 V, 29.4 Ah, about 1.478 kWh; the CUV e: carries two (range "
        "80.7 km); packs swappable or charged off board.",
    },
    {
        "source_id": "nrel_2010_cng_bus_survey",
        "title": "Compressed natural gas (CNG) transit bus experience survey: April 2009 - April 2010 (R. Adams, "
        "D. B. Horne), NREL/SR-7A2-48814",
        "publisher": "National Renewable Energy Laboratory / Clean Vehicle Education Foundation",
        "year": "2010",
        "url": "http://digitalscholarship.unlv.edu/conserv_pubs/2/",
        "licence": "US government work (figures cited)",
        "quality": "good (survey of 10 US transit agencies)",
        "notes": "Average fuel economy of CNG buses about 20 % lower than diesel buses (diesel-gallon-equivalent, "
        "i.e. energy basis).",
    },
    {
        "source_id": "zhang_2014_beijing_buses",
        "title": "Real-world fuel consumption and CO2 emissions of urban public buses in Beijing (Zhang, Wu, Liu et "
        "al.), Applied Energy 113:1645-1655",
        "publisher": "Elsevier",
        "year": "2014",
        "url": "https://ideas.repec.org/a/eee/appene/v113y2014icp1645-1655.html",
        "licence": "abstract cited",
        "quality": "good (PEMS on 75 in-service buses)",
        "notes": "Diesel buses 32.6 L/100 km on the Beijing bus cycle; natural-gas buses have comparable CO2 "
        "emission factors but higher fuel consumption than diesel buses.",
    },
    {
        "source_id": "nylund_2014_sae_cng_bus",
        "title": "Comparison of Diesel and Natural Gas Bus Performance (N.-O. Nylund, K. Koponen), SAE Technical "
        "Paper 2014-01-2432",
        "publisher": "SAE International",
        "year": "2014",
        "url": "https://www.sae.org/publications/technical-papers/content/2014-01-2432/",
        "licence": "abstract cited",
        "quality": "good (VTT chassis-dynamometer programme)",
        "notes": "Natural gas is at best comparable to diesel on full-fuel-cycle GHG, because of the low fuel "
        "efficiency of spark-ignited gas engines.",
    },
    {
        "source_id": "isuzu_dmax_ev_vroom_2025",
        "title": "Isuzu D-Max EV: le pick-up japonais passe a l'electrique (vroom.be)",
        "publisher": "Vroom.be (manufacturer figures)",
        "year": "2025",
        "url": "https://www.vroom.be/fr/information/isuzu-d-max-pickup-japonais-electrique",
        "licence": "figures cited",
        "quality": "medium (trade press quoting Isuzu's Belgian launch data)",
        "notes": "Double Cab only; two motors, 140 kW (190 hp), 325 Nm; 2,350 kg; 67 kWh lithium-ion; WLTP range "
        "263 km; payload 1,010 kg, towing 3,500 kg; 50 kW DC; from 71,015 EUR excl. VAT.",
    },
    {
        "source_id": "isuzu_dmax_ev_newmobility_2025",
        "title": "Isuzu D-Max EV enters production in Thailand and comes to Europe (New Mobility News, 2 October 2025)",
        "publisher": "New Mobility News",
        "year": "2025",
        "url": "https://newmobility.news/fr/2025/10/02/isuzu-d-max-ev-enters-production-in-thailand-and-comes-to-europe/",
        "licence": "figures cited",
        "quality": "medium (trade press quoting Isuzu)",
        "notes": "Production in Thailand; battery 66.9 kWh; WLTP range 263 km; 140 kW, 325 Nm; payload up to 1,010 kg; "
        "11 kW AC.",
    },
    {
        "source_id": "evweb_2021_piaggio_ape_e_city_fx",
        "title": "New Piaggio Ape Electric three-wheelers launched in India (E-City FX and E-Xtra FX), with a "
        "specification table of the Ape E-City and E-City FX",
        "publisher": "ElectricVehicleWeb (manufacturer figures)",
        "year": "2021",
        "url": "https://electricvehicleweb.com/piaggio-ape-electric-three-wheeler/",
        "licence": "figures cited",
        "quality": "medium (trade press tabulating Piaggio's specification)",
        "notes": "E-City FX: 7.5 kWh fixed pack, range 110 +/- 5 km, kerb weight 413 kg, gross 713 kg, 5.44 kW, "
        "29 Nm; E-City (swappable, 2019): 4.5 kWh, 68 km, 389 kg. Launch February 2021 (Moneycontrol, 23 Feb 2021: "
        "E-City FX range about 110 km, top speed 45 km/h).",
    },
    {
        "source_id": "ians_2022_piaggio_3w",
        "title": "Piaggio launches 3-wheeler EV in TN, town size does not matter for adoption (IANS, via "
        "newsroomodisha.com)",
        "publisher": "IANS",
        "year": "2022",
        "url": "https://newsroomodisha.com/piaggio-launches-3-wheeler-ev-in-tn-town-size-does-not-matter-for-adoption",
        "licence": "figures cited",
        "quality": "low-medium (company executive quoted by a news agency)",
        "notes": "'At an average a three wheeler passenger vehicle travels about 75 km per day' (Amit Sagar, "
        "Piaggio Vehicles). Article undated: 2022 inferred from 'over 26,000 EVs since its launch a couple of "
        "years ago' (Ape E-City launched December 2019).",
    },
    {
        "source_id": "autoblog_2007_ranger_3_0",
        "title": "Ford launches new diesel engine for the Ranger, in Europe (Autoblog, 18 October 2007; source: Ford "
        "France)",
        "publisher": "Autoblog (manufacturer figures)",
        "year": "2007",
        "url": "https://www.autoblog.com/2007/10/18/ford-launches-new-diesel-engine-for-the-ranger-in-europe/",
        "licence": "figures cited",
        "quality": "medium (trade press quoting Ford France)",
        "notes": "3.0 TDCi 4-cylinder common rail, 156 HP, 380 Nm, Euro IV; 1,910 kg; CO2 252 g/km (European mixed "
        "cycle); '25 MPG' without the gallon stated.",
    },
]


def _write() -> None:
    path = OUT / "parameters.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    # line by line, so that the other rows keep their exact text (no field spans two lines)
    kept = [line for line in lines[1:] if not owned(dict(zip(header, next(csv.reader([line])), strict=True)))]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writerows(all_rows())
    path.write_text(lines[0] + "".join(kept) + out.getvalue(), encoding="utf-8")
    src = OUT / "sources.csv"
    existing = {r["source_id"] for r in csv.DictReader(io.StringIO(src.read_text(encoding="utf-8")))}
    missing = [s for s in SOURCES if s["source_id"] not in existing]
    if missing:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(SOURCES[0]), lineterminator="\n")
        w.writerows(missing)
        with src.open("a", encoding="utf-8") as handle:
            handle.write(buf.getvalue())


def main() -> None:
    """Print the rows, or write them with ``--write``."""
    if sys.argv[1:] == ["--write"]:
        _write()
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(all_rows())


if __name__ == "__main__":
    main()
