"""BEV vs petrol life-cycle reduction for medium cars registered in 2021, against ICCT (2021).

Source: G. Bieker, "A global comparison of the life-cycle greenhouse gas emissions of combustion engine
and electric passenger cars", ICCT, July 2021, Figure ES.1 / Table 5 (medium segment, cars registered in
2021, average grid of the registration-year trajectory): the battery electric car's life-cycle emissions
are lower than the average gasoline car's by 66–69 % in Europe, 60–68 % in the United States, 37–45 % in
China and 19–34 % in India (ranges as quoted in ``anchors.md``).

Tolerance: each range widened by 10 percentage points on both sides (issue 2), because our defaults differ
from the study's (grid series and vintage, lifetimes, real-world factors) and we do not tune per test.

Year: the study's cars are registered in 2021, and 2021 is our first year of use. (Until the grid series
reached back to 2010, DE/FR/PL started in 2022 and the test used 2022, one year later; with 2022 every
region passed, Europe at 56.7 %. Kept at the study's year whatever that does to the results.)

Region proxies (documented choice, not tuned): Europe → the unweighted mean reduction over Germany,
France, Poland and the United Kingdom (the four European countries in our grid data, spanning the
continent's low- and high-carbon grids); United States → US; China → CN; India → IN.

Vehicles (issue 12): each country's market-average new cars, ``avg-<cc>-medium-bev`` against
``avg-<cc>-medium-petrol`` (IEA/GFEI 2019 sales-weighted 2017 consumption by powertrain, WLTP-calibrated;
body from the generic medium presets). Where the source has no usable pair (Poland: its BEV figure is a
data error) the generic pair ``car-medium-bev`` / ``car-medium-petrol`` is used for both, never a mixed
pair. One rule for every region, chosen before looking at the results; the default grid series and
projection. The table with both pairs and the gaps explained: ``docs/validation.md``.
"""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.io.specs import list_presets, load_preset
from roadcarbon.services.assessment import run_assessment

WIDEN_PP = 10.0
FIRST_YEAR_OF_USE = 2021
ICCT_2021_REDUCTION_PCT = {
    "Europe": ((66.0, 69.0), ("DE", "FR", "PL", "GB")),
    "United States": ((60.0, 68.0), ("US",)),
    "China": ((37.0, 45.0), ("CN",)),
    "India": ((19.0, 34.0), ("IN",)),
}


def vehicle_pair(country: str) -> tuple[str, str]:
    """The market-average (BEV, petrol) preset ids of ``country``, or the generic pair when one is missing."""
    pair = (f"avg-{country.lower()}-medium-bev", f"avg-{country.lower()}-medium-petrol")
    return pair if all(p in list_presets() for p in pair) else ("car-medium-bev", "car-medium-petrol")


def reduction_by_country(pairs: dict[str, tuple[str, str]]) -> dict[str, float]:
    """BEV reduction vs petrol [%] per country, each with its own pair of presets."""
    out = {}
    for country, (bev, petrol) in pairs.items():
        a = run_assessment([load_preset(bev), load_preset(petrol)], [country], [FIRST_YEAR_OF_USE])
        total = a.total_g_co2e_per_km[:, 0, 0]
        out[country] = 100.0 * (1.0 - total[0] / total[1])
    return out


@pytest.fixture(scope="module")
def reductions_pct() -> dict[str, float]:
    countries = sorted({c for _, cs in ICCT_2021_REDUCTION_PCT.values() for c in cs})
    by_country = reduction_by_country({c: vehicle_pair(c) for c in countries})
    return {
        region: float(np.mean([by_country[c] for c in cs]))
        for region, (_, cs) in ICCT_2021_REDUCTION_PCT.items()
    }


KNOWN_GAPS = {
    # Measured with data 2026.11.1, the market-average pairs, first use 2021, petrol as sold in the country
    # of use (fuel_blends.csv: US E10, India E10-E20, DE 6.7 %, FR ~7 %, GB and PL E5 then E10;
    # docs/validation.md):
    #   Europe 54.1 % = mean(DE 55.8, FR 73.1, GB 61.1, PL 26.3 with the generic pair), United States 58.2 %,
    #   China 49.0 %, India 2.1 % (with pure petrol: Europe 55.5, US 59.4, India 8.5 %). Europe is 1.9 pp
    #   below the widened floor (66 - 10 = 56): the unweighted proxy gives Poland's coal grid (505 g/kWh over
    #   the use years, BEV 179.9 vs petrol 244.2 g/km) a quarter of the weight; DE/FR/GB alone give 63.3 %.
    #   ICCT's Europe is the EU+UK average grid. Changing the proxy or the year to pass would be tuning.
    #   Until 2026-12 the United States was the strict xfail here (45.2 % with the generic European pair).
    "Europe": "54.1 % measured (ICCT 66-69 % - 10 pp = 56): unweighted DE/FR/PL/GB proxy, Poland (26.3 %) "
    "weighs a quarter; DE/FR/GB alone 63.3 %",
    # India fell from 9.2 to 8.5 % when the superseded 2021 Ember vintage (637 g/kWh, co2.js copy of
    # 2023-04) was replaced by the current one (710 g/kWh, OWID), then to 2.1 % when India's ethanol blend
    # (10 % in 2021-22 rising to E20, 17.95 % on average over the use years; UK-mix ethanol factor) was
    # modelled: data corrections, not undone to pass. The grid holds India low: 584 g/kWh generated on
    # average over the use years x 1.314 low-voltage losses; BEV 203.9 vs petrol 208.2 g/km (222.9 pure).
    "India": "2.1 % measured (ICCT 19-34 % - 10 pp = 9): India's grid in the current Ember vintage (710 g/kWh "
    "in 2021) with the low-voltage loss multiplier 1.314, against petrol with E10-E20; see docs/validation.md",
}


@pytest.mark.parametrize(
    "region",
    [
        pytest.param(r, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[r])) if r in KNOWN_GAPS else r
        for r in ICCT_2021_REDUCTION_PCT
    ],
)
def test_bev_reduction_matches_icct2021(region: str, reductions_pct: dict[str, float]) -> None:
    (low, high), _ = ICCT_2021_REDUCTION_PCT[region]
    got = reductions_pct[region]
    assert low - WIDEN_PP <= got <= high + WIDEN_PP, (
        f"{region}: BEV reduction {got:.1f} % outside ICCT 2021 range {low}–{high} % ± {WIDEN_PP} pp"
    )


RANK_GAP = (
    "Europe 54.1 % < United States 58.2 %: our Europe proxy is the unweighted mean of DE/FR/PL/GB, in which "
    "Poland's coal grid (BEV 26.3 % below petrol) weighs a quarter; ICCT's Europe is the EU+UK average grid. "
    "The other orderings (US > China > India) hold."
)


@pytest.mark.xfail(strict=True, reason=RANK_GAP)
def test_regions_rank_as_in_icct2021(reductions_pct: dict[str, float]) -> None:
    """The ordering Europe > US > China > India is the study's main finding; ours must keep it."""
    order = [reductions_pct[r] for r in ("Europe", "United States", "China", "India")]
    assert order == sorted(order, reverse=True), reductions_pct


def test_us_china_india_rank_as_in_icct2021(reductions_pct: dict[str, float]) -> None:
    """US > China > India holds whatever the European proxy."""
    order = [reductions_pct[r] for r in ("United States", "China", "India")]
    assert order == sorted(order, reverse=True), reductions_pct


def test_every_region_uses_a_consistent_pair() -> None:
    """Both cars of a country come from the same family: two market averages or two generic presets."""
    for country in ("DE", "FR", "PL", "GB", "US", "CN", "IN"):
        bev, petrol = vehicle_pair(country)
        assert bev.split("-")[0] == petrol.split("-")[0], (country, bev, petrol)
    assert vehicle_pair("US") == ("avg-us-medium-bev", "avg-us-medium-petrol")
    assert vehicle_pair("PL") == ("car-medium-bev", "car-medium-petrol")
