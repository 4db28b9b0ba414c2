"""CNG city bus against measured CNG/diesel bus consumption (issue 12).

carculator_bus 0.1.0 gives its CNG bus 15 % less tank-to-wheel energy than its diesel bus, which put the CNG
bus 34 % below diesel (725 vs 1,097 g/vkm, China 2025). Measured fleets say the opposite:

* NREL/CVEF 2010 survey of 10 US transit agencies (source ``nrel_2010_cng_bus_survey``): CNG buses average
  about 20 % lower fuel economy than diesel buses on an energy basis, i.e. 1.25 x the energy per km;
* Zhang et al. 2014, PEMS on 75 Beijing buses (``zhang_2014_beijing_buses``): natural-gas buses have
  comparable CO2 per km to diesel buses but higher fuel consumption (equal CO2 means 74.1/56.1 = 1.32 x);
* Nylund & Koponen 2014, VTT (``nylund_2014_sae_cng_bus``): natural gas is at best comparable to diesel on
  full-fuel-cycle GHG.
"""

from __future__ import annotations

import pytest

from roadcarbon.engine import assess
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import load_preset


def _mj_per_km(spec, tables) -> float:
    units = spec.fuel_consumption_l_per_100km or spec.fuel_consumption_kg_per_100km
    return units / 100 * tables.lookup("fuel_energy_mj_per_unit", fuel=spec.fuel.value).value


@pytest.fixture(scope="module")
def buses():
    tables = load_reference()
    diesel, cng = load_preset("bus-12m-diesel"), load_preset("bus-12m-cng")
    return tables, diesel, cng


def test_cng_bus_uses_more_energy_per_km_than_diesel_as_measured(buses):
    tables, diesel, cng = buses
    ratio = _mj_per_km(cng, tables) / _mj_per_km(diesel, tables)
    # measured: 1.25 (NREL 2010) to 1.32 (Beijing, equal CO2); tolerance 0.05 for the presets' LHV rounding
    assert 1.25 - 0.05 <= ratio <= 1.32 + 0.05, ratio


def test_cng_bus_tailpipe_co2_is_comparable_to_diesel(buses):
    """Zhang 2014: comparable CO2 emission factors; 'comparable' read as within 15 %."""
    tables, diesel, cng = buses
    a = assess([diesel, cng], ["CN"], [2025], tables)
    tailpipe = a.stages_g_co2e_per_km["tailpipe"][:, 0, 0]
    assert tailpipe[1] == pytest.approx(tailpipe[0], rel=0.15)


def test_cng_bus_life_cycle_is_no_longer_a_third_below_diesel(buses):
    """Nylund 2014: at best comparable on full-fuel-cycle GHG; the old preset gave -34 %."""
    tables, diesel, cng = buses
    total = assess([diesel, cng], ["CN"], [2025], tables).total_g_co2e_per_km[:, 0, 0]
    assert -0.15 <= total[1] / total[0] - 1 <= 0.15, total
