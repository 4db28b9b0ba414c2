"""Build-time script: grid-intensity history 2010 onwards, spliced onto ``../grid_intensity.csv``.

Never run by the package.  Reads the Our World in Data ``carbon_intensity_elec`` values copied into
``owid_carbon_intensity_elec.csv`` (Ember Yearly Electricity Data + Energy Institute Statistical Review,
CC BY 4.0; generation-based, life-cycle IPCC AR5 medians, g CO2e/kWh) and writes one row per
(country, year, series) for every year from ``FIRST_YEAR`` to the year before the series' first shipped
year.  Rows it wrote earlier (``source_id = owid_carbon_intensity_elec``) are replaced, so the script is
idempotent::

    python src/roadcarbon/data/factors/derivation/build_grid_history.py

Splice rule (docs/methodology.md, "Grid intensity before the first data year"):

* ``production`` (Ember, generation-based, life-cycle): the OWID column *is* Ember's yearly series, same
  publisher, method and scope, so history is copied **unscaled** (ratio 1).  The shipped 2023 values equal
  OWID's to 0.5 %; older co2.js vintages (2021-2022) differ by up to 30 %, which is a revision, not a
  scope difference, and is not carried back.  Exception, Myanmar: the current Ember vintage fails the
  generation-mix plausibility check in every year 2015-2024 (2022-2024 are in ``excluded.csv``), and the
  one shipped value (2021) is an older vintage at 0.68 of it, so MM production history is scaled like
  consumption (``SCALED_PRODUCTION``).
* ``consumption`` (Electricity Maps, flow-traced incl. imports, life-cycle): the generation-based history is
  scaled by the country's ratio of means over the overlap years,
  ``r = sum(consumption[y]) / sum(owid[y])`` for the years both have (2021-2024).  ``r`` carries the
  import and method difference between the two series at its 2021-2024 level; holding it constant before
  2021 is an assumption stated in each row's note, with the yearly ratios' range.

Superseded vintage (``STALE_VINTAGE``): 30 production rows for 2021 came from an older co2.js copy of
Ember (vintage 2023-04-06, noted ``scope=lifecycle?``).  They sit at 0.72-1.03 of the current Ember
value for the same year (median 0.90), while the shipped 2022-2024 rows agree with OWID within 2 % in 87
of 115 cases: a revision (the older vintage's scope is doubtful), which left a dip at 2021 (Nigeria 523 ->
377 -> 516 g/kWh).  The script drops them and lets the current vintage fill 2021 like the years before it
(Myanmar excepted: its one shipped value is the anchor of its scaled history).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GRID = HERE.parent / "grid_intensity.csv"
OWID = HERE / "owid_carbon_intensity_elec.csv"
SOURCE_ID = "owid_carbon_intensity_elec"
FIRST_YEAR = 2010
SCALED_PRODUCTION = {
    "MM": "the current Ember vintage for Myanmar fails the mix plausibility check in 2015-2024 "
    "(2022-2024 excluded), so its shape is scaled to the one shipped (older-vintage) value",
}
"""Production series whose history is scaled like consumption, with the reason (module docstring)."""
EXTRA_NOTE = {
    "UZ": "the level of Ember's Uzbekistan series is not credible (production excluded, see excluded.csv); "
    "only its year-to-year shape is used, at Electricity Maps' level",
}
"""Country caveats appended to every history row's note."""
STALE_VINTAGE = "scope=lifecycle?"
"""Note prefix of the superseded older-vintage production rows (module docstring)."""
FIELDS = ["country", "year", "series", "g_co2e_per_kwh", "scope", "source_id", "locator", "note"]


def splice_ratio(shipped: dict[int, float], owid: dict[int, float]) -> tuple[float, list[int]]:
    """Ratio of means of ``shipped`` over ``owid`` in the years both have, and those years."""
    overlap = sorted(set(shipped) & set(owid))
    if not overlap:
        raise ValueError("no overlap year")
    return sum(shipped[y] for y in overlap) / sum(owid[y] for y in overlap), overlap


def splice(rows: Iterable[Mapping[str, Any]], owid_path: Path = OWID) -> tuple[list[dict[str, Any]], int]:
    """Grid rows with the history spliced on, and the number of history rows added.

    ``rows`` are grid_intensity rows (strings as read from the CSV, or the values
    build_factors.py computes); rows this function wrote earlier
    (``source_id = owid_carbon_intensity_elec``) and the superseded older-vintage production rows are
    dropped first, so ``splice(splice(rows)[0])`` equals ``splice(rows)``.  History rows are strings.
    """
    kept = [
        dict(r)
        for r in rows
        if r["source_id"] != SOURCE_ID
        and not (
            r["series"] == "production"
            and str(r["note"]).startswith(STALE_VINTAGE)
            and r["country"] not in SCALED_PRODUCTION
        )
    ]
    owid: dict[str, dict[int, float]] = defaultdict(dict)
    locator: dict[tuple[str, int], str] = {}
    with owid_path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            owid[r["country"]][int(r["year"])] = float(r["carbon_intensity_elec_g_co2e_per_kwh"])
            locator[(r["country"], int(r["year"]))] = r["locator"]
    shipped: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for r in kept:
        shipped[(r["series"], r["country"])][int(r["year"])] = float(r["g_co2e_per_kwh"])
    new: list[dict[str, Any]] = []
    for (series, country), values in sorted(shipped.items()):
        first = min(values)
        history = owid.get(country, {})
        ratio, overlap = splice_ratio(values, history)
        yearly = [values[y] / history[y] for y in overlap]
        span = f"{overlap[0]}-{overlap[-1]}" if len(overlap) > 1 else str(overlap[0])
        for year in range(FIRST_YEAR, first):
            if year not in history:
                raise SystemExit(f"no OWID value for {country} {year}")
            if series == "production" and country not in SCALED_PRODUCTION:
                value = history[year]
                note = (
                    f"history before {first}: OWID carbon_intensity_elec {history[year]:g} (Ember yearly data, "
                    "generation-based life-cycle, same publisher and scope as this series) unscaled, splice_ratio=1; "
                    f"shipped/OWID over {span}: {min(yearly):.2f}-{max(yearly):.2f} (co2.js copies of Ember)"
                )
            else:
                value = history[year] * ratio
                note = (
                    f"history before {first}: OWID carbon_intensity_elec {history[year]:g} (Ember, generation-based) "
                    f"x splice_ratio={ratio:.3f} = ratio of means {series}/OWID over {span} "
                    f"(yearly {min(yearly):.2f}-{max(yearly):.2f}); assumes the import and method difference "
                    f"of {span} held before {first}"
                )
                if series == "production":
                    note += f"; production scaled because {SCALED_PRODUCTION[country]}"
            if country in EXTRA_NOTE:
                note += f"; {EXTRA_NOTE[country]}"
            new.append(
                {
                    "country": country,
                    "year": str(year),
                    "series": series,
                    "g_co2e_per_kwh": f"{value:.1f}",
                    "scope": "lifecycle",
                    "source_id": SOURCE_ID,
                    "locator": locator[(country, year)],
                    "note": note,
                }
            )
    return sorted([*kept, *new], key=lambda r: (r["country"], r["series"], int(r["year"]))), len(new)


def main() -> None:
    """Splice the history onto the package's grid_intensity.csv in place."""
    with GRID.open(newline="", encoding="utf-8") as fh:
        rows, added = splice(csv.DictReader(fh))
    with GRID.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sys.stdout.write(f"{added} history rows written to {GRID.name}\n")


if __name__ == "__main__":
    main()
