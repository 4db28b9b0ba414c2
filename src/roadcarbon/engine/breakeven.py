"""Break-even distance between two vehicles: where one's cumulative emissions fall below the other's."""

from __future__ import annotations

import numpy as np

from roadcarbon.types import FloatArray


def cumulative_emissions(
    production_kg_co2e: FloatArray, use_kg_co2e_per_km: FloatArray, distance_km: FloatArray
) -> FloatArray:
    r"""Cumulative emissions after ``distance_km`` [kg CO2e]: a line from production, slope = use per km.

    .. math:: E(d) = E_{prod} + e_{use} \, d

    End-of-life emissions happen at the end and are not part of the line.

    Examples
    --------
    >>> float(cumulative_emissions(10000.0, 0.1, 50000.0))
    15000.0
    """
    return np.add(production_kg_co2e, np.multiply(use_kg_co2e_per_km, distance_km))


def break_even_km(
    production_a_kg_co2e: FloatArray,
    use_a_kg_co2e_per_km: FloatArray,
    production_b_kg_co2e: FloatArray,
    use_b_kg_co2e_per_km: FloatArray,
) -> FloatArray:
    r"""Distance at which A's cumulative emissions fall below B's [km].

    .. math:: d^* = \frac{E_{prod,A} - E_{prod,B}}{e_{use,B} - e_{use,A}}

    Returns 0 if A starts at or below B (no more production emissions), and ``inf`` if A never falls below B
    (its use-phase slope is not lower).  The slopes are the lifetime-average
    use-phase emissions per km (grid intensity averaged over the years of use).

    Examples
    --------
    >>> float(break_even_km(12000.0, 0.05, 8000.0, 0.15))
    40000.0
    >>> float(break_even_km(8000.0, 0.05, 9000.0, 0.15)), float(break_even_km(12000.0, 0.2, 8000.0, 0.15))
    (0.0, inf)
    """
    pa, ua = np.asarray(production_a_kg_co2e, float), np.asarray(use_a_kg_co2e_per_km, float)
    pb, ub = np.asarray(production_b_kg_co2e, float), np.asarray(use_b_kg_co2e_per_km, float)
    gap = pa - pb
    slope = ub - ua
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(slope > 0, gap / np.where(slope > 0, slope, 1.0), np.inf)
    return np.asarray(np.where(gap <= 0, 0.0, d), dtype=np.float64)
