"""Build ``../grid_projection.csv`` from the vendored source extracts in ``raw/``.

Build-time only (never imported by the package). Run from the repository root::

    .venv/bin/python src/roadcarbon/data/projections/build/build_grid_projection.py

Inputs
------
* ``raw/geco2025_reference_subset.csv``: JRC GECO 2025 "Reference" generation shares for the
  20 of our countries that GECO models as a country, transcribed (rounded to 4 decimals) from
  carculator_utils ``carculator_utils/data/electricity/electricity_projections.csv`` at commit
  19eaf08378817ed3b2bbc647338732801f911a62.
* ``raw/carculator_utils_1_3_5_electricity_mixes_subset.csv``: verbatim lines of
  ``carculator_utils/data/electricity/electricity_mixes.csv`` from the carculator_utils 1.3.5
  wheel (sha256 of the file b6939fda...789d).
* ``../../factors/generation_lca_factors.csv`` (IPCC AR5 medians) and
  ``../../factors/grid_mix.csv`` (observed OWID mixes, used as the anchor of the GECO series).

Method: intensity(y) = sum_i share_i(y) * factor(tech(i)) / sum_i share_i(y) [g CO2e/kWh]
(the division renormalises rounding and the few source rows whose shares do not sum to 1);
index(y) = intensity(y) / intensity(base year of the series).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
OUT = HERE.parent
FACTORS_DIR = HERE.parents[1] / "factors"

GECO_COMMIT = "19eaf08378817ed3b2bbc647338732801f911a62"
GECO_FILE = (
    "https://github.com/Laboratory-for-Energy-Systems-Analysis/carculator_utils/blob/"
    f"{GECO_COMMIT}/carculator_utils/data/electricity/electricity_projections.csv"
)
CU135_FILE = (
    "carculator_utils-1.3.5-py3-none-any.whl: carculator_utils/data/electricity/electricity_mixes.csv"
)

# source technology column -> row of generation_lca_factors.csv
GECO_TECH = {
    "hydro": "hydro",
    "nuclear": "nuclear",
    "gas": "gas",
    "solar": "solar",
    "wind": "wind",
    "biomass": "bio",  # GECO "Biomass & Waste"
    "coal": "coal",
    "oil": "oil",
    "geothermal": "other_renewables",  # GECO "Other" (carculator_utils maps it to Geothermal)
    "biomass_ccs": "bio",  # CCS counted as unabated: conservative (AR5 has CCS medians, not in our factors)
    "coal_ccs": "coal",
    "gas_ccs": "gas",
}
CU135_TECH = {
    "Hydro": "hydro",
    "Hydro, reservoir": "hydro",
    "Nuclear": "nuclear",
    "Gas": "gas",
    "Gas CCGT": "gas",
    "Gas CHP": "gas",
    "Gas CCS": "gas",
    "Solar": "solar",
    "Solar, thermal": "solar",
    "Wind": "wind",
    "Wind, offshore": "wind",
    "Biomass": "bio",
    "Biomass CCS": "bio",
    "Biogas CCS": "bio",
    "Wood CCS": "bio",
    "Waste": "bio",
    "Coal": "coal",
    "Lignite": "coal",
    "Coal CCS": "coal",
    "Oil": "oil",
    "Geothermal": "other_renewables",
}
OWID_TECH = {
    f"{t}_share": t
    for t in ("coal", "gas", "oil", "hydro", "nuclear", "wind", "solar", "bio", "other_renewables")
}

# carculator_utils 1.3.5 series that are shipped, with their years (see README for what is left out)
TYNDP_COUNTRIES = ("DE", "FR", "GB", "NO", "PL")
TYNDP_YEARS = (2025, 2030, 2040)  # TYNDP 2020 horizon is 2040; the file's 2050 row repeats 2040
TEMBA_COUNTRIES = ("ET", "KE", "NG")
TEMBA_YEARS = (2020, 2025, 2030, 2040, 2050)
ANCHOR_YEARS = (2021, 2022, 2023)

FIELDS = (
    "country",
    "scenario",
    "year",
    "intensity_index",
    "implied_g_co2e_per_kwh",
    "source_id",
    "locator",
    "note",
)


def read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def intensity(row: dict[str, str], tech_map: dict[str, str], factors: dict[str, float]) -> float:
    """Share-weighted life-cycle intensity [g CO2e/kWh], shares renormalised to 1."""
    total = sum(float(row[col]) for col in tech_map)
    if total <= 0:
        raise ValueError(f"no generation in {row}")
    return sum(float(row[col]) * factors[tech] for col, tech in tech_map.items()) / total


def series_rows(
    points: list[tuple[int, float, str, str, str]], country: str, scenario: str, base_year: int
) -> list[dict[str, str]]:
    """points: (year, g_per_kwh, source_id, locator, note) -> output rows indexed on base_year."""
    base = {year: g for year, g, *_ in points}[base_year]
    return [
        {
            "country": country,
            "scenario": scenario,
            "year": str(year),
            "intensity_index": f"{g / base:.4f}",
            "implied_g_co2e_per_kwh": f"{g:.1f}",
            "source_id": source_id,
            "locator": locator,
            "note": note,
        }
        for year, g, source_id, locator, note in sorted(points)
    ]


def build() -> list[dict[str, str]]:
    factors = {
        r["technology"]: float(r["g_co2e_per_kwh"]) for r in read(FACTORS_DIR / "generation_lca_factors.csv")
    }
    mixes = {(r["country"], int(r["year"])): r for r in read(FACTORS_DIR / "grid_mix.csv")}
    out: list[dict[str, str]] = []

    # 1. JRC GECO 2025 Reference, anchored on the latest observed OWID mix
    geco = read(RAW / "geco2025_reference_subset.csv")
    for country in sorted({r["country"] for r in geco}):
        anchors = [y for y in ANCHOR_YEARS if (country, y) in mixes]
        base_year = max(anchors)
        points = [
            (
                y,
                intensity(mixes[(country, y)], OWID_TECH, factors),
                mixes[(country, y)]["source_id"],
                mixes[(country, y)]["locator"],
                f"observed mix (anchor of the index, base year {base_year}); not GECO output",
            )
            for y in anchors
        ]
        points.extend(
            (
                int(r["year"]),
                intensity(r, GECO_TECH, factors),
                "jrc_geco2025_via_carculator_utils",
                f"{GECO_FILE} (scenario={r['scenario']}; region={r['region']}; year={r['year']})",
                f"GECO 2025 Reference; index relative to the observed {base_year} mix",
            )
            for r in geco
            if r["country"] == country
        )
        out += series_rows(points, country, "jrc_geco2025_reference", base_year)

    # 2./3. carculator_utils 1.3.5: TYNDP 2020 National Trends (Europe), TEMBA (Africa)
    cu = read(RAW / "carculator_utils_1_3_5_electricity_mixes_subset.csv", delimiter=";")
    by_key = {(r["country"], int(r["year"])): r for r in cu}
    for countries, years, scenario, source_id, note in (
        (
            TYNDP_COUNTRIES,
            TYNDP_YEARS,
            "entsoe_tyndp2020_national_trends",
            "tyndp2020_nt_via_carculator_utils_1_3_5",
            "TYNDP 2020 National Trends (per carculator docs); base year 2025 = scenario value",
        ),
        (
            TEMBA_COUNTRIES,
            TEMBA_YEARS,
            "temba_scenario_unidentified",
            "temba_via_carculator_utils_1_3_5",
            "TEMBA (OSeMOSYS Africa) per carculator_utils docstring; scenario not identified "
            "(unverified); base year 2025 = model value",
        ),
    ):
        for country in countries:
            points = [
                (
                    y,
                    intensity(by_key[(country, y)], CU135_TECH, factors),
                    source_id,
                    f"{CU135_FILE} (country={country}; year={y})",
                    note,
                )
                for y in years
            ]
            out += series_rows(points, country, scenario, 2025)
    return out


def main() -> None:
    rows = build()
    with (OUT / "grid_projection.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sys.stdout.write(f"wrote {len(rows)} rows\n")


if __name__ == "__main__":
    main()
