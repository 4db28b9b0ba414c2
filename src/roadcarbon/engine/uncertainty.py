"""Monte Carlo: sample every uncertain factor from the distribution its data row carries.

Samples are the leading array axis; randomness comes only from the
``numpy.random.Generator`` passed in, so seeded runs are reproducible.
One draw per reference row and sample is shared by every set-up using that
row (the same battery factor for all BEVs in a sample), which keeps
comparisons between vehicles consistent.  Work is done in chunks of samples
so memory stays linear in vehicles × samples.

Distributions (as written in ``parameters.csv``):

- ``none``: the value itself.
- ``triangular``: mode = value, min = low, max = high.
- ``uniform``: low .. high.
- ``normal``: mean = value; low/high are the 2.5 %/97.5 % quantiles (σ = (high − low) / (2 · 1.96)); truncated at 0.
- ``lognormal``: median = value; low/high are the 2.5 %/97.5 % quantiles (σ_ln = ln(high/low) / (2 · 1.96)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadcarbon.engine.inputs import Setup
from roadcarbon.engine.lifecycle import lifecycle_emissions
from roadcarbon.engine.tables import ParameterRow
from roadcarbon.errors import DataError
from roadcarbon.types import STAGES, FloatArray

Z_975: float = 1.959963984540054
"""97.5 % quantile of the standard normal distribution (definition of the 95 % interval)."""

QUANTILES: tuple[float, float, float] = (0.05, 0.50, 0.95)
"""Reported quantiles p05, p50, p95."""

_GRID_FIELDS = (
    ("grid_use_g_co2e_per_kwh", "use"),
    ("grid_battery_g_co2e_per_kwh", "battery"),
    ("grid_assembly_g_co2e_per_kwh", "assembly"),
)


def sample_row(row: ParameterRow, rng: np.random.Generator, n: int) -> FloatArray:
    """Draw ``n`` samples of one reference value from its distribution.

    Examples
    --------
    >>> import numpy as np
    >>> row = ParameterRow("x", (), 2.0, "1", distribution="uniform", low=1.0, high=3.0)
    >>> s = sample_row(row, np.random.default_rng(0), 10000)
    >>> bool(1.0 <= s.min() and s.max() <= 3.0), round(float(s.mean()), 1)
    (True, 2.0)
    """
    d, v, lo, hi = row.distribution, row.value, row.low, row.high
    if d == "none" or (lo is None and hi is None):
        return np.full(n, v)
    if lo is None or hi is None:
        raise DataError(f"{row.parameter}: distribution {d!r} needs both low and high", field=row.parameter)
    if d == "triangular":
        if hi == lo:
            return np.full(n, v)
        return rng.triangular(lo, v, hi, n)
    if d == "uniform":
        return rng.uniform(lo, hi, n)
    if d == "normal":
        return np.clip(rng.normal(v, (hi - lo) / (2 * Z_975), n), 0.0, None)
    if d == "lognormal":
        if lo <= 0 or v <= 0:
            raise DataError(f"{row.parameter}: lognormal needs positive value and low", field=row.parameter)
        return v * np.exp(rng.normal(0.0, np.log(hi / lo) / (2 * Z_975), n))
    raise DataError(f"{row.parameter}: unknown distribution {d!r}", field=row.parameter)


@dataclass(frozen=True)
class MonteCarloSummary:
    """Monte Carlo results per set-up.

    Attributes
    ----------
    samples
        Number of samples S.
    total_g_co2e_per_km
        ``(3, N)``: p05, p50, p95 of the total per km [g CO2e/km].
    stages_g_co2e_per_km
        Per stage, ``(3, N)`` quantiles [g CO2e/km].
    mean_total_g_co2e_per_km
        ``(N,)`` sample mean of the total [g CO2e/km].
    total_samples_g_co2e_per_km
        ``(S, N)`` float32 samples of the total (for break-even probabilities and charts).
    """

    samples: int
    total_g_co2e_per_km: FloatArray
    stages_g_co2e_per_km: dict[str, FloatArray]
    mean_total_g_co2e_per_km: FloatArray
    total_samples_g_co2e_per_km: np.ndarray


def monte_carlo(
    setup: Setup,
    rng: np.random.Generator,
    samples: int,
    *,
    grid_relative_uncertainty: float,
    chunk_size: int | None = None,
) -> MonteCarloSummary:
    """Propagate the data's distributions through the engine.

    Parameters
    ----------
    setup
        Set-ups with their reference rows.
    rng
        The only source of randomness.
    samples
        Number of samples S (≥ 2).
    grid_relative_uncertainty
        Relative standard uncertainty of average grid intensity [1]; each
        country's grid is scaled by one lognormal factor (median 1) per sample.
    chunk_size
        Samples evaluated at once; default keeps each working array near 4 MB.
    """
    if samples < 2:
        raise DataError("samples must be at least 2", field="samples")
    n = setup.size
    draws = np.stack([sample_row(row, rng, samples) for row in setup.rows], axis=1)  # (S, R)
    grid_keys = {
        place: np.unique(np.array(getattr(setup, f"{place}_country")), return_inverse=True)
        for _, place in _GRID_FIELDS
    }
    all_countries = sorted({str(c) for keys, _ in grid_keys.values() for c in keys})
    sigma = float(np.log1p(grid_relative_uncertainty))
    grid_factors = np.exp(rng.normal(0.0, sigma, (samples, len(all_countries))))
    country_pos = {c: i for i, c in enumerate(all_countries)}

    chunk = chunk_size or max(1, min(samples, 500_000 // max(n, 1)))
    totals = np.empty((samples, n), dtype=np.float32)
    stages = {s: np.empty((samples, n), dtype=np.float32) for s in STAGES}
    base = setup.inputs
    for start in range(0, samples, chunk):
        stop = min(samples, start + chunk)
        changes: dict[str, FloatArray] = {
            name: draws[start:stop][:, idx] for name, idx in setup.row_index.items()
        }
        for field_name, place in _GRID_FIELDS:
            keys, inverse = grid_keys[place]
            cols = np.array([country_pos[str(k)] for k in keys])[inverse]
            changes[field_name] = getattr(base, field_name) * grid_factors[start:stop][:, cols]
        result = lifecycle_emissions(base.replace(**changes))
        totals[start:stop] = result.total_g_co2e_per_km
        for s, values in result.stages_g_co2e_per_km.items():
            stages[s][start:stop] = values
    q = np.array(QUANTILES)
    return MonteCarloSummary(
        samples=samples,
        total_g_co2e_per_km=np.quantile(totals, q, axis=0).astype(np.float64),
        stages_g_co2e_per_km={s: np.quantile(v, q, axis=0).astype(np.float64) for s, v in stages.items()},
        mean_total_g_co2e_per_km=totals.mean(axis=0, dtype=np.float64),
        total_samples_g_co2e_per_km=totals,
    )
