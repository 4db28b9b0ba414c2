"""Result records of the engine: frozen dataclasses of arrays, units in the names."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadcarbon.constants import G_PER_KG
from roadcarbon.types import STAGES, FloatArray

PRODUCTION_STAGES: tuple[str, ...] = ("materials", "battery", "assembly")
"""Stages that happen before the first km (the intercept of the cumulative-emissions line)."""

USE_STAGES: tuple[str, ...] = ("energy_supply", "tailpipe", "maintenance")
"""Stages that grow with distance driven (the slope of the cumulative-emissions line)."""


@dataclass(frozen=True)
class LifecycleResult:
    """Life-cycle emissions of N set-ups (or S × N Monte Carlo samples).

    Attributes
    ----------
    stages_kg_co2e
        Emissions per vehicle over its life by stage [kg CO2e]; keys are :data:`~roadcarbon.types.STAGES`.
    recycling_credit_kg_co2e
        Avoided burden of battery recycling [kg CO2e], positive, **not** included in any stage or total.
    lifetime_km
        Lifetime distance [km].
    """

    stages_kg_co2e: dict[str, FloatArray]
    recycling_credit_kg_co2e: FloatArray
    lifetime_km: FloatArray

    @property
    def total_kg_co2e(self) -> FloatArray:
        """Sum of the seven stages [kg CO2e per vehicle] (credits excluded)."""
        total: FloatArray = np.zeros_like(self.stages_kg_co2e[STAGES[0]])
        for stage in STAGES:
            total = total + self.stages_kg_co2e[stage]
        return total

    def per_km(self, values_kg_co2e: FloatArray) -> FloatArray:
        """Convert kg CO2e per vehicle to g CO2e per vehicle-km [g CO2e/km]."""
        return np.asarray(values_kg_co2e * G_PER_KG / self.lifetime_km, dtype=np.float64)

    @property
    def stages_g_co2e_per_km(self) -> dict[str, FloatArray]:
        """Stages per vehicle-km [g CO2e/km]."""
        return {stage: self.per_km(v) for stage, v in self.stages_kg_co2e.items()}

    @property
    def total_g_co2e_per_km(self) -> FloatArray:
        """Total per vehicle-km [g CO2e/km]."""
        return self.per_km(self.total_kg_co2e)

    @property
    def production_kg_co2e(self) -> FloatArray:
        """Emissions before the first km: materials + battery + assembly [kg CO2e]."""
        return np.asarray(sum(self.stages_kg_co2e[s] for s in PRODUCTION_STAGES), dtype=np.float64)

    @property
    def use_kg_co2e_per_km(self) -> FloatArray:
        """Average use-phase emissions per km: energy supply + tailpipe + maintenance [kg CO2e/km]."""
        use = sum(self.stages_kg_co2e[s] for s in USE_STAGES)
        return np.asarray(use / self.lifetime_km, dtype=np.float64)
