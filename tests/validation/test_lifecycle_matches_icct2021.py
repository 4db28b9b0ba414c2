"""BEV vs petrol life-cycle reduction for medium cars registered in 2021, against ICCT (2021).

Source: G. Bieker, "A global comparison of the life-cycle greenhouse gas emissions of combustion engine
and electric passenger cars", ICCT, July 2021, Figure ES.1 / Table 5 (medium segment, cars registered in
2021, average grid of the registration-year trajectory): the battery electric car's life-cycle emissions
are lower than the average gasoline car's by 66–69 % in Europe, 60–68 % in the United States, 37–45 % in
China and 19–34 % in India (ranges as quoted in ``anchors.md``).

Tolerance: each range widened by 10 percentage points on both sides (issue 2), because our defaults differ
from the study's (grid series and vintage, lifetimes, real-world factors) and we do not tune per test.

Year: the study's cars are registered in 2021; our default grid series (Ember) starts in 2022 for
Germany, France and Poland, so the first year of use is 2022 for every region (one year later).

Region proxies (documented choice, not tuned): Europe → the unweighted mean reduction over Germany,
France, Poland and the United Kingdom (the four European countries in our grid data, spanning the
continent's low- and high-carbon grids); United States → US; China → CN; India → IN.
We use our own default presets ``car-medium-bev`` and ``car-medium-petrol``, the default grid series and
the default grid projection (no per-test tuning).
"""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.io.specs import load_preset
from roadcarbon.services.assessment import run_assessment

WIDEN_PP = 10.0
FIRST_YEAR_OF_USE = 2022
ICCT_2021_REDUCTION_PCT = {
    "Europe": ((66.0, 69.0), ("DE", "FR", "PL", "GB")),
    "United States": ((60.0, 68.0), ("US",)),
    "China": ((37.0, 45.0), ("CN",)),
    "India": ((19.0, 34.0), ("IN",)),
}


@pytest.fixture(scope="module")
def reductions_pct() -> dict[str, float]:
    countries = sorted({c for _, cs in ICCT_2021_REDUCTION_PCT.values() for c in cs})
    a = run_assessment(
        [load_preset("car-medium-bev"), load_preset("car-medium-petrol")], countries, [FIRST_YEAR_OF_USE]
    )
    total = a.total_g_co2e_per_km[:, :, 0]
    by_country = {c: 100.0 * (1.0 - total[0, i] / total[1, i]) for i, c in enumerate(countries)}
    return {
        region: float(np.mean([by_country[c] for c in cs]))
        for region, (_, cs) in ICCT_2021_REDUCTION_PCT.items()
    }


KNOWN_GAPS = {
    # Measured with data 2026.11.1, the default presets and the default grid projection (JRC GECO 2025
    # Reference / ENTSO-E TYNDP 2020 National Trends anchored to the last observed year), first use 2022,
    # battery replacements as a fleet average (carculator's rule for the pack life we take from it):
    #   Europe 56.4 % (DE 54.4, FR 75.8, PL 31.6, GB 64.0), United States 45.2 %, China 30.9 %, India 12.5 %
    #   (US BEV 131.5 g/km, petrol 240.1 g/km). Until 2026.11 whole replacement packs were counted, which
    #   charged every US BEV (244,843 km life vs 200,000 km pack life) a full second pack: 39.5 %.
    # The United States stays 4.8 pp below the widened range. ICCT compares region-specific average cars; we
    # use one generic (carculator, European lower-medium) pair everywhere, and the GECO 2025 Reference US
    # grid falls only ~14 % from 2023 to 2040 (ICCT's grids follow stated policies as of 2020). What US cars
    # would do, measured and NOT adopted (illustrative specs; only the Model 3's 14.9 kWh/100 km is an EPA
    # label value we hold a source for), because choosing the pair that passes would be the per-test
    # tuning issue 2 forbids:
    #   Toyota Corolla 1.8 (EPA 7.13 L/100 km) vs Chevrolet Bolt-like C-segment BEV (EPA 17.8 kWh/100 km,
    #   66 kWh): 48.2 %; vs Tesla Model 3 SR-like D-segment BEV (EPA 14.9 kWh/100 km, 54 kWh): 54.5 %.
    # A strict xfail: when sourced region-average vehicles (EPA Automotive Trends production-weighted
    # values) or data make it pass, the marker must go.
    "United States": "45.2 % measured (ICCT 60-68 % - 10 pp = 50): generic European lower-medium pair, "
    "slowly falling GECO 2025 US grid",
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


def test_regions_rank_as_in_icct2021(reductions_pct: dict[str, float]) -> None:
    """The ordering Europe > US > China > India is the study's main finding; ours must keep it."""
    order = [reductions_pct[r] for r in ("Europe", "United States", "China", "India")]
    assert order == sorted(order, reverse=True), reductions_pct
