"""Grid intensity vs the intensity implied by the generation mix.

Check: every shipped value lies within ``max(40 % of the mix-implied value, 100 g/kWh)``
of ``sum(share x IPCC AR5 life-cycle median)`` for the same year's mix (or the latest
mix year). Why that tolerance: Ember's plant-level factors exceed the IPCC AR5 medians
(hard coal 952-1045 vs 820 g/kWh, research table ``tech_lca_factors.csv``), a mix can be
two years older than the value, and hydropower alone spans 6-147 g/kWh (UNECE 2021), so
hydro-dominated grids need an absolute margin. Documented exceptions:
``GRID_PLAUSIBILITY_EXCEPTIONS`` (none at present: failing values are left out and
listed in ``excluded.csv``).

Sources: IPCC AR5 WG3 Annex III Table A.III.2 (medians); OWID share-elec-by-source.
"""

from __future__ import annotations

import pytest

from roadcarbon.io.datapackage import (
    GRID_PLAUSIBILITY_EXCEPTIONS,
    default_package_path,
    grid_plausibility_problems,
    implied_grid_intensity,
    read_table,
)

ROOT = default_package_path()
GRID = read_table(ROOT / "grid_intensity.csv")
MIX = read_table(ROOT / "grid_mix.csv")
FACTORS = read_table(ROOT / "generation_lca_factors.csv")
EXCLUDED = read_table(ROOT / "excluded.csv")


def mix_row(country: str, year: int, **shares: float) -> dict[str, str]:
    techs = ("coal", "gas", "oil", "hydro", "nuclear", "wind", "solar", "bio", "other_renewables")
    row = {"country": country, "year": str(year)}
    row.update({f"{t}_share": str(shares.get(t, 0.0)) for t in techs})
    return row


def test_every_shipped_value_is_plausible() -> None:
    problems = grid_plausibility_problems(GRID, MIX, FACTORS)
    assert problems == [], "\n".join(map(str, problems))


def test_documented_exceptions_are_shipped_rows() -> None:
    shipped = {(r["country"], int(r["year"]), r["series"]) for r in GRID}
    assert set(GRID_PLAUSIBILITY_EXCEPTIONS) <= shipped
    assert all(reason.strip() for reason in GRID_PLAUSIBILITY_EXCEPTIONS.values())


def test_implied_intensity_is_the_share_weighted_median() -> None:
    # IPCC AR5 medians: gas CC 490, coal PC 820, hydro 24 g/kWh (hand-checkable)
    implied = implied_grid_intensity(
        [mix_row("AA", 2022, gas=1.0), mix_row("BB", 2022, coal=0.5, hydro=0.5)], FACTORS
    )
    assert implied[("AA", 2022)] == pytest.approx(490.0)
    assert implied[("BB", 2022)] == pytest.approx(422.0)


def test_shares_not_summing_to_one_are_normalised() -> None:
    implied = implied_grid_intensity([mix_row("AA", 2022, gas=0.44, coal=0.44)], FACTORS)
    assert implied[("AA", 2022)] == pytest.approx(655.0)


def test_uzbek_ember_series_fails_and_is_excluded() -> None:
    # Ember via co2.js: UZB 2021 = 1176.7 g/kWh (research table grid_intensity.csv) vs an 88 % gas mix.
    row = {"country": "UZ", "year": "2021", "series": "production", "g_co2e_per_kwh": "1176.7"}
    problems = grid_plausibility_problems([row], MIX, FACTORS)
    assert len(problems) == 1
    assert "UZ 2021 production" in problems[0].message
    excluded = {(r["table"], r["key"]) for r in EXCLUDED}
    assert {("grid_intensity", f"UZ,{y},production") for y in (2021, 2022, 2023)} <= excluded
    assert not [r for r in GRID if r["country"] == "UZ" and r["series"] == "production"]


def test_electricity_maps_uzbek_value_passes() -> None:
    # Electricity Maps 2021 = 483 g/kWh, close to the ~470 the gas-heavy mix implies.
    row = {"country": "UZ", "year": "2021", "series": "consumption", "g_co2e_per_kwh": "483"}
    assert grid_plausibility_problems([row], MIX, FACTORS) == []


def test_tolerance_edges() -> None:
    mix = [mix_row("AA", 2022, gas=1.0)]  # implies 490; tolerance max(196, 100) = 196
    rows = [
        {"country": "AA", "year": "2022", "series": "production", "g_co2e_per_kwh": v}
        for v in ("686", "687", "294", "293")
    ]
    flagged = [p.message.split(": ")[1].split(" ")[0] for p in grid_plausibility_problems(rows, mix, FACTORS)]
    assert flagged == ["687", "293"]


def test_absolute_tolerance_for_low_carbon_grids() -> None:
    mix = [mix_row("AA", 2022, hydro=1.0)]  # implies 24; tolerance max(9.6, 100) = 100
    rows = [
        {"country": "AA", "year": "2022", "series": "production", "g_co2e_per_kwh": v} for v in ("124", "125")
    ]
    assert len(grid_plausibility_problems(rows, mix, FACTORS)) == 1


def test_later_years_use_the_latest_mix_and_missing_mix_fails() -> None:
    mix = [mix_row("AA", 2021, coal=1.0), mix_row("AA", 2023, gas=1.0)]
    later = {"country": "AA", "year": "2025", "series": "production", "g_co2e_per_kwh": "800"}
    no_mix = {"country": "BB", "year": "2023", "series": "production", "g_co2e_per_kwh": "500"}
    problems = grid_plausibility_problems([later, no_mix], mix, FACTORS)
    assert [p.message for p in problems] == [
        "AA 2025 production: 800 g/kWh vs 490 implied by the 2023 mix (tolerance 196)",
        "BB 2023 production: no generation mix to check against",
    ]


def test_an_exception_silences_one_row_only() -> None:
    mix = [mix_row("AA", 2022, gas=1.0)]
    rows = [
        {"country": "AA", "year": "2022", "series": s, "g_co2e_per_kwh": "1200"}
        for s in ("production", "consumption")
    ]
    problems = grid_plausibility_problems(rows, mix, FACTORS, exceptions={("AA", 2022, "production"): "test"})
    assert [p.message.split(":")[0] for p in problems] == ["AA 2022 consumption"]


def test_all_forty_countries_are_covered_by_some_series() -> None:
    assert len({r["country"] for r in GRID}) == 40
    assert len({r["country"] for r in GRID if r["series"] == "consumption"}) == 40


def test_superseded_ember_vintage_of_2021_is_replaced_by_the_current_one() -> None:
    """The 2023-04 co2.js copy of Ember's 2021 values (0.72-1.03 of the current vintage) is gone.

    derivation/build_grid_history.py drops it and fills 2021 from the current Ember vintage (via OWID), so a
    production series has no revision step at 2021: Nigeria read 523 -> 377 -> 516 g/kWh for 2020-2022.
    """
    assert not [r for r in GRID if "scope=lifecycle?" in r["note"]]
    prod = {
        (r["country"], int(r["year"])): float(r["g_co2e_per_kwh"])
        for r in GRID
        if r["series"] == "production"
    }
    assert prod[("NG", 2021)] == pytest.approx(522.7, abs=0.05)  # OWID carbon_intensity_elec, Nigeria 2021
    for country in {c for c, _ in prod}:
        if (country, 2020) in prod and (country, 2021) in prod and (country, 2022) in prod:
            neighbours = (prod[(country, 2020)] + prod[(country, 2022)]) / 2
            assert prod[(country, 2021)] > 0.75 * neighbours, country
