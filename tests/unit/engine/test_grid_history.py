"""Grid-intensity history 2010 onwards (issue 12): coverage, source values, splice rule, lifetime rule.

Source: Our World in Data ``carbon_intensity_elec`` (Ember + Energy Institute), copied into
``data/factors/derivation/owid_carbon_intensity_elec.csv``; the splice rule is in
``derivation/build_grid_history.py`` and ``docs/methodology.md``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

import roadcarbon
from roadcarbon.engine.tables import grid_mean_intensity
from roadcarbon.errors import YearOutOfRangeError
from roadcarbon.io.reference import load_reference, package_path

HISTORY_SOURCE = "owid_carbon_intensity_elec"
FIRST_YEAR = 2010


@pytest.fixture(scope="module")
def tables():
    return load_reference()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def owid() -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = defaultdict(dict)
    for r in _read(package_path() / "derivation" / "owid_carbon_intensity_elec.csv"):
        out[r["country"]][int(r["year"])] = float(r["carbon_intensity_elec_g_co2e_per_kwh"])
    return out


@pytest.fixture(scope="module")
def grid_rows() -> list[dict[str, str]]:
    return _read(package_path() / "grid_intensity.csv")


def test_every_covered_country_has_every_year_from_2010(tables):
    for series in ("production", "consumption"):
        for country in tables.countries(series):
            years = tables.trajectory(country, series).years
            assert years[0] == FIRST_YEAR, (series, country)
            assert np.array_equal(years, np.arange(FIRST_YEAR, years[-1] + 1)), (series, country, years)


@pytest.mark.parametrize("series", ["production", "consumption"])
def test_every_covered_country_assesses_2010_to_2050(tables, series):
    countries = tables.countries(series)
    a = roadcarbon.assess(
        ["car-medium-bev", "car-medium-petrol"], countries, [2010, 2015, 2030, 2050], grid_series=series
    )
    total = a.result.total_g_co2e_per_km
    assert total.size == 2 * len(countries) * 4
    assert np.all(np.isfinite(total)) and np.all(total > 0)
    grid = a.setup.inputs.grid_use_g_co2e_per_kwh
    assert np.all(grid[a.setup.inputs.electric_share > 0] > 0)


def test_a_year_before_2010_is_refused_naming_the_first_year(tables):
    with pytest.raises(YearOutOfRangeError, match="2009 is before the first grid-intensity year 2010"):
        roadcarbon.assess(["car-medium-bev"], ["BR"], [2009])


# Values read on the source page (OWID grapher carbon-intensity-electricity, copy at commit 7149bf4,
# rows "Brazil,BRA,2015", "Germany,DEU,2010", "India,IND,2012", "Indonesia,IDN,2023", "United States,USA,2019").
SOURCE_VALUES = {
    ("BR", 2015): 188.6377,
    ("DE", 2010): 516.637,
    ("IN", 2012): 741.2076,
    ("ID", 2023): 682.4301,
    ("US", 2019): 439.40912,
}


def test_history_values_match_the_source_rows(owid, tables):
    for (country, year), value in SOURCE_VALUES.items():
        assert owid[country][year] == pytest.approx(value, rel=1e-9)
    # production is copied unscaled (rounded to 0.1 g/kWh), except Myanmar (scaled, see the splice rule)
    for (country, year), value in SOURCE_VALUES.items():
        traj = tables.trajectory(country, "production")
        if year < 2021:
            shipped = float(traj.g_co2e_per_kwh[traj.years == year][0])
            assert shipped == pytest.approx(value, abs=0.051)


# Cross-check of the copy against the authoritative file: owid/energy-data, owid-energy-data.csv at commit
# e7897aed55b514b8d16e0a3d8f1518789ac3de31, rows "Argentina,2010,ARG" ... "Argentina,2020,ARG", column
# carbon_intensity_elec (rounded to 0.01 there).
ENERGY_DATA_ARGENTINA = {
    2010: 401.590,
    2011: 419.880,
    2012: 432.140,
    2013: 422.230,
    2014: 424.140,
    2015: 426.560,
    2016: 431.920,
    2017: 425.380,
    2018: 414.290,
    2019: 397.620,
    2020: 394.700,
}


def test_the_copy_matches_owid_energy_data_for_the_spliced_years(owid):
    for year, value in ENERGY_DATA_ARGENTINA.items():
        assert owid["AR"][year] == pytest.approx(value, abs=0.0051)


def _series(grid_rows, history: bool) -> dict[tuple[str, str], dict[int, float]]:
    out: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for r in grid_rows:
        if (r["source_id"] == HISTORY_SOURCE) == history:
            out[(r["series"], r["country"])][int(r["year"])] = float(r["g_co2e_per_kwh"])
    return out


def test_splice_rule_consumption_ratio_of_means_over_the_overlap(grid_rows, owid):
    shipped, history = _series(grid_rows, False), _series(grid_rows, True)
    notes = {(r["series"], r["country"], int(r["year"])): r["note"] for r in grid_rows}
    checked = 0
    for (series, country), values in shipped.items():
        scaled = series == "consumption" or country == "MM"
        overlap = sorted(set(values) & set(owid[country]))
        ratio = sum(values[y] for y in overlap) / sum(owid[country][y] for y in overlap)
        for year, value in history[(series, country)].items():
            expected = owid[country][year] * (ratio if scaled else 1.0)
            assert value == pytest.approx(expected, abs=0.051), (series, country, year)
            if scaled:
                assert f"splice_ratio={ratio:.3f}" in notes[(series, country, year)]
            else:
                assert "splice_ratio=1" in notes[(series, country, year)]
            checked += 1
        # in the overlap, the ratio reproduces the shipped series on average (definition of the rule) ...
        mean_shipped = np.mean([values[y] for y in overlap])
        assert np.mean([owid[country][y] * ratio for y in overlap]) == pytest.approx(mean_shipped, rel=1e-9)
        # ... and the history joins the shipped series without a step larger than the overlap's own spread
        if scaled:
            yearly = [values[y] / owid[country][y] for y in overlap]
            first = min(values)
            joined = history[(series, country)][first - 1] / owid[country][first - 1]
            rounding = 0.051 / owid[country][first - 1]  # values are shipped to 0.1 g/kWh
            assert min(yearly) - rounding <= joined <= max(yearly) + rounding
    assert checked == sum(len(v) for v in history.values()) > 800


def test_production_history_is_the_same_series_as_the_shipped_years(grid_rows, owid):
    """Unscaled production history is defensible only if, in the latest overlap year (same Ember vintage),
    the shipped production value is OWID's: within 4 % (the newest year is preliminary and revised)."""
    shipped = _series(grid_rows, False)
    for (series, country), values in shipped.items():
        if series != "production" or country == "MM":
            continue
        latest = max(set(values) & set(owid[country]))
        assert values[latest] == pytest.approx(owid[country][latest], rel=0.04), (country, latest)


def test_lifetime_from_the_past_into_the_projection(tables):
    """Indonesia, first use 2015 for 15 years: observed 2015-2023, then the JRC GECO index anchored on 2023."""
    traj = tables.trajectory("ID", "production")
    proj = tables.projection("ID", None)
    assert proj is not None and int(traj.years[-1]) == 2023
    by_year = dict(zip(traj.years.tolist(), traj.g_co2e_per_kwh.tolist(), strict=True))
    anchor = np.interp(2023, proj.years, proj.intensity_index)
    expected = [by_year[y] for y in range(2015, 2024)] + [
        by_year[2023] * np.interp(y, proj.years, proj.intensity_index) / anchor for y in range(2024, 2030)
    ]
    mean, projected = grid_mean_intensity(
        traj, np.array([2015]), np.array([15.0]), max_year=tables.max_year, projection=proj
    )
    assert float(mean[0]) == pytest.approx(np.mean(expected), rel=1e-12)
    assert float(projected[0]) == pytest.approx(6 / 15)
    # and the engine uses it: a 2015 BEV in Indonesia reports the same mean and projected share
    spec = roadcarbon.load_vehicle("car-medium-bev")
    years_of_use = 15.0
    own = spec.model_copy(update={"lifetime_km": years_of_use * 20_000, "annual_km": 20_000})
    a = roadcarbon.assess([own], ["ID"], [2015])
    assert float(a.setup.inputs.grid_use_g_co2e_per_kwh[0]) == pytest.approx(float(mean[0]), rel=1e-12)
    assert float(a.setup.grid_projected_share[0]) == pytest.approx(6 / 15)
