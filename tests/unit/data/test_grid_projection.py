"""Grid-projection data package (``src/roadcarbon/data/projections``).

The important check: where a series overlaps the observed years of
``factors/grid_intensity.csv`` (2021-2025), its mix-implied life-cycle intensity,
linearly interpolated between the series' years as the engine does, lies within
``max(40 % of the implied value, 100 g/kWh)`` of the observed value (default series
``production`` = Ember; ``consumption`` = Electricity Maps where Ember has no value for
that year). Same tolerance and reasons as the factors plausibility check
(``factors/README.md``): Ember's plant-level factors exceed the IPCC AR5 medians
(hard coal 952-1045 vs 820 g/kWh), and hydro alone spans 6-147 g/kWh (UNECE 2021).
Here it also absorbs the drift of a 2020-vintage scenario (TYNDP 2020, TEMBA) from
what happened in 2021-2025. Documented exceptions: ``OBSERVED_EXCEPTIONS``.

Sources: IPCC AR5 WG3 Annex III Table A.III.2 (medians); JRC GECO 2025; carculator_utils
1.3.5 ``electricity_mixes.csv`` (TYNDP 2020 National Trends, TEMBA); OWID mixes.
"""

from __future__ import annotations

import csv
import itertools
import json
import shutil
from collections import defaultdict
from pathlib import Path

import frictionless
import pytest

ROOT = Path(__file__).resolve().parents[3] / "src" / "roadcarbon" / "data"
PROJ = ROOT / "projections"
FACTORS = ROOT / "factors"

COLUMNS = [
    "country",
    "scenario",
    "year",
    "intensity_index",
    "implied_g_co2e_per_kwh",
    "source_id",
    "locator",
    "note",
]
OBSERVED_YEARS = range(2021, 2026)
REL_TOL = 0.40
ABS_TOL_G_PER_KWH = 100.0

# (country, scenario, year) -> reason; also (country, scenario, None) for a series with
# no observed year inside its span.
OBSERVED_EXCEPTIONS: dict[tuple[str, str, int | None], str] = {}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


PROJECTION = read(PROJ / "grid_projection.csv")
SOURCES = read(PROJ / "sources.csv")


def series() -> dict[tuple[str, str], list[dict[str, str]]]:
    out: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in PROJECTION:
        out[(row["country"], row["scenario"])].append(row)
    return {k: sorted(v, key=lambda r: int(r["year"])) for k, v in out.items()}


def observed() -> dict[tuple[str, int], float]:
    """Default series (production), consumption where production has no value."""
    values: dict[tuple[str, int], float] = {}
    for preferred in ("consumption", "production"):  # production overwrites
        for row in read(FACTORS / "grid_intensity.csv"):
            if row["series"] == preferred:
                values[(row["country"], int(row["year"]))] = float(row["g_co2e_per_kwh"])
    return values


def interpolate(rows: list[dict[str, str]], year: int, column: str) -> float:
    points = [(int(r["year"]), float(r[column])) for r in rows]
    for (y0, v0), (y1, v1) in itertools.pairwise(points):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    raise ValueError(f"{year} outside {points[0][0]}-{points[-1][0]}")


def test_package_validates_with_frictionless() -> None:
    report = frictionless.validate(str(PROJ / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_rejects_an_unknown_source_id(tmp_path: Path) -> None:
    # the foreign key is really enforced (guards against a schema that checks nothing)
    copy = tmp_path / "projections"
    shutil.copytree(PROJ, copy, ignore=shutil.ignore_patterns("build", "*.md"))
    text = (copy / "grid_projection.csv").read_text(encoding="utf-8")
    (copy / "grid_projection.csv").write_text(
        text.replace("jrc_geco2025_via_carculator_utils", "no_such_source", 1), encoding="utf-8"
    )
    assert not frictionless.validate(str(copy / "datapackage.json")).valid


def test_columns_are_exactly_the_contract() -> None:
    with (PROJ / "grid_projection.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == COLUMNS


def test_datapackage_declares_version_and_licence() -> None:
    descriptor = json.loads((PROJ / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"]
    assert descriptor["licenses"] and descriptor["attribution"]
    assert {r["path"] for r in descriptor["resources"]} == {"grid_projection.csv", "sources.csv"}


def test_every_source_id_resolves() -> None:
    known = {s["source_id"] for s in SOURCES}
    assert {r["source_id"] for r in PROJECTION} <= known
    assert all(s["licence"].strip() and s["quality"].strip() for s in SOURCES)


def test_indexes_are_positive_and_each_series_has_a_base_year() -> None:
    assert all(float(r["intensity_index"]) > 0 for r in PROJECTION)
    assert all(float(r["implied_g_co2e_per_kwh"]) > 0 for r in PROJECTION)
    for key, rows in series().items():
        bases = [r for r in rows if r["intensity_index"] == "1.0000"]
        assert len(bases) >= 1, key
        base_g = float(bases[0]["implied_g_co2e_per_kwh"])
        for r in rows:  # index = implied / implied(base), up to the 1-decimal rounding of g
            expected = float(r["implied_g_co2e_per_kwh"]) / base_g
            assert float(r["intensity_index"]) == pytest.approx(expected, abs=2e-3), (key, r)


def test_each_series_has_at_least_two_years() -> None:
    for key, rows in series().items():
        assert len({r["year"] for r in rows}) >= 2, key


def test_countries_are_ours() -> None:
    ours = {r["country"] for r in read(FACTORS / "grid_intensity.csv")}
    assert {r["country"] for r in PROJECTION} <= ours


def test_implied_intensity_is_the_share_weighted_ar5_median() -> None:
    # GECO 2025 Reference, Norway 2030: hydro 0.9622, gas 0.0128, wind 0.0248, other 0.0001
    # (sum 0.9999) x AR5 medians 24, 490, 11, 38 g/kWh -> 29.64 g/kWh (hand-checked)
    row = next(
        r
        for r in PROJECTION
        if (r["country"], r["scenario"], r["year"]) == ("NO", "jrc_geco2025_reference", "2030")
    )
    assert float(row["implied_g_co2e_per_kwh"]) == pytest.approx(29.6, abs=0.05)


def test_implied_intensity_matches_observed_years() -> None:
    obs = observed()
    problems = []
    for (country, scenario), rows in series().items():
        first, last = int(rows[0]["year"]), int(rows[-1]["year"])
        checked = [y for y in OBSERVED_YEARS if first <= y <= last and (country, y) in obs]
        if not checked:
            if (country, scenario, None) not in OBSERVED_EXCEPTIONS:
                problems.append((country, scenario, "no observed year inside the series"))
            continue
        for year in checked:
            implied = interpolate(rows, year, "implied_g_co2e_per_kwh")
            tolerance = max(REL_TOL * implied, ABS_TOL_G_PER_KWH)
            off = abs(obs[(country, year)] - implied) > tolerance
            if off and (country, scenario, year) not in OBSERVED_EXCEPTIONS:
                problems.append((country, scenario, year, obs[(country, year)], implied))
    assert problems == [], "\n".join(map(str, problems))


def test_documented_exceptions_are_shipped_series() -> None:
    shipped = set(series())
    for (country, scenario, _year), reason in OBSERVED_EXCEPTIONS.items():
        assert (country, scenario) in shipped
        assert reason.strip()
