"""Stage ``assembly``: final vehicle assembly (body, paint, assembly) where the vehicle is assembled."""

from __future__ import annotations

import numpy as np

from roadcarbon.constants import G_PER_KG
from roadcarbon.types import FloatArray


def assembly_emissions(
    electricity_kwh: FloatArray,
    heat_mj: FloatArray,
    *,
    grid_g_co2e_per_kwh: FloatArray,
    grid_loss_multiplier: FloatArray,
    process_heat_kg_co2e_per_mj: FloatArray,
) -> FloatArray:
    r"""Final-assembly emissions per vehicle [kg CO2e].

    .. math:: E_{asm} = e_{asm} \frac{I_{grid} \lambda}{1000} + q_{asm} f_{heat}

    Parameters
    ----------
    electricity_kwh
        Assembly-plant electricity per vehicle e_asm [kWh].
    heat_mj
        Assembly-plant process heat per vehicle q_asm [MJ].
    grid_g_co2e_per_kwh
        Grid intensity of the assembly country in the assembly year [g CO2e/kWh].
    grid_loss_multiplier
        kWh generated per kWh delivered to the plant [kWh/kWh].
    process_heat_kg_co2e_per_mj
        Natural-gas process heat factor [kg CO2e/MJ].

    Examples
    --------
    >>> float(assembly_emissions(1000.0, 0.0, grid_g_co2e_per_kwh=500.0, grid_loss_multiplier=1.1,
    ...       process_heat_kg_co2e_per_mj=0.07))
    550.0
    """
    electricity = np.multiply(electricity_kwh, grid_g_co2e_per_kwh) * np.divide(
        grid_loss_multiplier, G_PER_KG
    )
    return np.asarray(
        np.add(electricity, np.multiply(heat_mj, process_heat_kg_co2e_per_mj)), dtype=np.float64
    )
