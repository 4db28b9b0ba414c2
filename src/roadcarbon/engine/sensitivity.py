"""One-at-a-time sensitivity: which reference values move a result most.

For each reference row a set-up uses that has a range (``low``/``high``), the
total is recomputed with that row at its low and at its high value, every
other input held at its central value; the grid intensity of each place is
moved by ± its relative uncertainty.  The swing ``high − low`` ranks the
inputs (a tornado chart).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadcarbon.engine.inputs import Setup
from roadcarbon.engine.lifecycle import lifecycle_emissions
from roadcarbon.types import FloatArray

_GRID_INPUTS: dict[str, str] = {
    "grid_use_g_co2e_per_kwh": "grid intensity, country of use",
    "grid_battery_g_co2e_per_kwh": "grid intensity, battery production country",
    "grid_assembly_g_co2e_per_kwh": "grid intensity, assembly country",
}


@dataclass(frozen=True)
class SensitivityItem:
    """Effect of one input on the total of one set-up [g CO2e/km]."""

    input: str
    parameter: str
    low_value: float
    high_value: float
    unit: str
    total_at_low_g_co2e_per_km: float
    total_at_high_g_co2e_per_km: float

    @property
    def swing_g_co2e_per_km(self) -> float:
        """Absolute difference of the total between the high and the low value [g CO2e/km]."""
        return abs(self.total_at_high_g_co2e_per_km - self.total_at_low_g_co2e_per_km)


def one_at_a_time(setup: Setup, index: int, *, grid_relative_uncertainty: float) -> list[SensitivityItem]:
    """Tornado data for set-up ``index``, sorted by swing (largest first).

    Parameters
    ----------
    setup
        Set-ups from :func:`roadcarbon.engine.inputs.build_setup`.
    index
        Which set-up.
    grid_relative_uncertainty
        Relative move of each grid intensity [1] (± this share).
    """
    base = setup.inputs
    one = {name: np.asarray(getattr(base, name))[index : index + 1] for name in base.__dataclass_fields__}
    x = base.replace(**one)
    items: list[SensitivityItem] = []

    def total(**changes: FloatArray) -> float:
        return float(lifecycle_emissions(x.replace(**changes)).total_g_co2e_per_km[0])

    for name, idx in setup.row_index.items():
        row = setup.rows[int(idx[index])]
        if row.low is None or row.high is None or row.low == row.high or row.parameter == "not_applicable":
            continue
        low = total(**{name: np.array([row.low])})
        high = total(**{name: np.array([row.high])})
        items.append(SensitivityItem(name, row.parameter, row.low, row.high, row.unit, low, high))
    for name, label in _GRID_INPUTS.items():
        value = float(one[name][0])
        if value <= 0:
            continue
        lo, hi = value * (1 - grid_relative_uncertainty), value * (1 + grid_relative_uncertainty)
        items.append(
            SensitivityItem(
                name,
                label,
                lo,
                hi,
                "g CO2e/kWh",
                total(**{name: np.array([lo])}),
                total(**{name: np.array([hi])}),
            )
        )
    items.sort(key=lambda it: it.swing_g_co2e_per_km, reverse=True)
    return items
