"""Physical and definitional constants, each with its source.

Factors of the world (emission factors, efficiencies) are *data*, not constants:
they live in ``roadcarbon/data/factors`` with unit, year and source.
"""

from __future__ import annotations

G_PER_KG: float = 1_000.0
"""Grams per kilogram [g/kg] (SI definition)."""

KG_PER_TONNE: float = 1_000.0
"""Kilograms per tonne [kg/t] (SI definition)."""

MJ_PER_KWH: float = 3.6
"""Megajoules per kilowatt-hour [MJ/kWh] (SI definition: 1 kWh = 3.6e6 J)."""

KM_PER_100KM: float = 100.0
"""Kilometres in the 100 km consumption basis [km] (definition)."""
