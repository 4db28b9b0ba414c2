"""Stage ``tailpipe`` (tank-to-wheel): fossil CO2 and CH4/N2O from burning fuel on board."""

from __future__ import annotations

import numpy as np

from roadcarbon.constants import KM_PER_100KM
from roadcarbon.types import FloatArray


def tailpipe_emissions(
    lifetime_km: FloatArray,
    fuel_units_per_100km: FloatArray,
    *,
    combustion_kg_co2_per_unit: FloatArray,
    energy_mj_per_unit: FloatArray,
    ch4_n2o_kg_co2e_per_mj: FloatArray,
) -> FloatArray:
    r"""Tank-to-wheel emissions over the vehicle's life [kg CO2e].

    .. math:: E_{TTW} = \frac{L}{100} c_{fuel} \left( f_{CO_2} + H \, f_{CH_4+N_2O} \right)

    Parameters
    ----------
    lifetime_km
        Lifetime distance L [km].
    fuel_units_per_100km
        Real-world fuel use c_fuel [L/100 km or kg/100 km].
    combustion_kg_co2_per_unit
        Fossil CO2 per unit of fuel f_CO2 [kg CO2/L or kg CO2/kg] (biogenic CO2 counted as 0).
    energy_mj_per_unit
        Lower heating value H [MJ/L or MJ/kg].
    ch4_n2o_kg_co2e_per_mj
        Tailpipe CH4 and N2O in CO2e per MJ of fuel [kg CO2e/MJ] (HBEFA 4.2 × IPCC GWP100, AR5 or AR6).

    Examples
    --------
    >>> float(tailpipe_emissions(100000.0, 5.0, combustion_kg_co2_per_unit=2.3, energy_mj_per_unit=32.0,
    ...       ch4_n2o_kg_co2e_per_mj=0.0))
    11500.0
    """
    per_unit = np.add(combustion_kg_co2_per_unit, np.multiply(energy_mj_per_unit, ch4_n2o_kg_co2e_per_mj))
    return np.multiply(np.divide(lifetime_km, KM_PER_100KM), np.multiply(fuel_units_per_100km, per_unit))
