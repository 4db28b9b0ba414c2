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

from dataclasses import dataclass, fields

import numpy as np

from roadcarbon.engine.inputs import Setup
from roadcarbon.engine.lifecycle import lifecycle_emissions
from roadcarbon.engine.tables import ParameterRow
from roadcarbon.errors import DataError, InputError
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


MAX_SAMPLE_EVALUATIONS = 1_000_000_000
"""Guard on samples × set-ups per call (quantiles are reduced block by block, so memory stays bounded;
this bounds time: about a minute or two per 10⁹ sample-evaluations on one core)."""

MAX_KEPT_SAMPLE_VALUES = 250_000_000
"""Guard on samples × set-ups when the samples themselves are kept (``keep_samples``): 1 GB of float32
per kept array."""

_BLOCK_BYTES = 256 * 2**20
"""Memory for the per-block sample arrays (total and seven stages, float32) before they are reduced."""


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
        ``(S, N)`` float32 samples of the total (for break-even probabilities and charts), only when
        asked for with ``keep_samples``; else ``None``.
    stage_samples_g_co2e_per_km
        Per stage, ``(S, N)`` float32 samples, only with ``keep_samples``; else ``None``.
    """

    samples: int
    total_g_co2e_per_km: FloatArray
    stages_g_co2e_per_km: dict[str, FloatArray]
    mean_total_g_co2e_per_km: FloatArray
    total_samples_g_co2e_per_km: np.ndarray | None = None
    stage_samples_g_co2e_per_km: dict[str, np.ndarray] | None = None


def check_sample_budget(samples: int, setups: int, *, keep_samples: bool = False) -> None:
    """Raise :class:`~roadcarbon.errors.InputError` (field ``samples``) when samples × set-ups is too large.

    The limits are :data:`MAX_SAMPLE_EVALUATIONS` (and :data:`MAX_KEPT_SAMPLE_VALUES` when the
    samples are kept); the message says what to do instead.
    """
    limit = MAX_KEPT_SAMPLE_VALUES if keep_samples else MAX_SAMPLE_EVALUATIONS
    if samples * setups > limit:
        kept = " with the samples kept" if keep_samples else ""
        raise InputError(
            f"samples × set-ups = {samples:,} × {setups:,} = {samples * setups:,} exceeds {limit:,}{kept}; "
            "use fewer samples, split the set-ups, or run them through `roadcarbon batch`",
            field="samples",
        )


def monte_carlo(
    setup: Setup,
    rng: np.random.Generator,
    samples: int,
    *,
    grid_relative_uncertainty: float,
    chunk_size: int | None = None,
    block_size: int | None = None,
    keep_samples: bool = False,
) -> MonteCarloSummary:
    """Propagate the data's distributions through the engine.

    Set-ups are evaluated in blocks: for each block every sample is evaluated (in chunks of
    samples), the block's quantiles and mean are taken and its samples dropped, so peak memory is
    bounded by the block, not by samples × set-ups (issue 15).  The draws are made once, up front,
    so blocks and chunks do not change the numbers.

    Parameters
    ----------
    setup
        Set-ups with their reference rows.
    rng
        The only source of randomness.
    samples
        Number of samples S (≥ 2); S × N is limited by :func:`check_sample_budget`.
    grid_relative_uncertainty
        Relative standard uncertainty of average grid intensity [1]; each
        country's grid is scaled by one lognormal factor (median 1) per sample.
    chunk_size
        Samples evaluated at once; default keeps each working array near 4 MB.
    block_size
        Set-ups reduced at once; default keeps the block's sample arrays near 256 MB.
    keep_samples
        Keep the ``(S, N)`` samples of the total and of every stage in the summary.
    """
    if samples < 2:
        raise DataError("samples must be at least 2", field="samples")
    n = setup.size
    check_sample_budget(samples, n, keep_samples=keep_samples)
    draws = np.stack([sample_row(row, rng, samples) for row in setup.rows], axis=1)  # (S, R)
    grid_keys = {
        place: np.unique(np.array(getattr(setup, f"{place}_country")), return_inverse=True)
        for _, place in _GRID_FIELDS
    }
    all_countries = sorted({str(c) for keys, _ in grid_keys.values() for c in keys})
    sigma = float(np.log1p(grid_relative_uncertainty))
    grid_factors = np.exp(rng.normal(0.0, sigma, (samples, len(all_countries))))
    country_pos = {c: i for i, c in enumerate(all_countries)}
    grid_cols = {
        place: np.array([country_pos[str(k)] for k in keys])[inverse.ravel()]
        for place, (keys, inverse) in grid_keys.items()
    }

    block = block_size or max(1, min(n, _BLOCK_BYTES // (samples * 4 * (1 + len(STAGES)))))
    q = np.array(QUANTILES)
    out_total = np.empty((3, n))
    out_stages = {s: np.empty((3, n)) for s in STAGES}
    out_mean = np.empty(n)
    kept_total = np.empty((samples, n), dtype=np.float32) if keep_samples else None
    kept_stages = {s: np.empty((samples, n), dtype=np.float32) for s in STAGES} if keep_samples else None
    base = setup.inputs
    for b0 in range(0, n, block):
        b1 = min(n, b0 + block)
        width = b1 - b0
        part = base.replace(**{f.name: _block(getattr(base, f.name), b0, b1) for f in fields(base)})
        index = {name: idx[b0:b1] for name, idx in setup.row_index.items()}
        chunk = chunk_size or max(1, min(samples, 500_000 // max(width, 1)))
        totals = np.empty((samples, width), dtype=np.float32)
        stages = {s: np.empty((samples, width), dtype=np.float32) for s in STAGES}
        for start in range(0, samples, chunk):
            stop = min(samples, start + chunk)
            changes: dict[str, FloatArray] = {name: draws[start:stop][:, idx] for name, idx in index.items()}
            for field_name, place in _GRID_FIELDS:
                cols = grid_cols[place][b0:b1]
                changes[field_name] = getattr(part, field_name) * grid_factors[start:stop][:, cols]
            result = lifecycle_emissions(part.replace(**changes))
            totals[start:stop] = result.total_g_co2e_per_km
            for s, values in result.stages_g_co2e_per_km.items():
                stages[s][start:stop] = values
        out_total[:, b0:b1] = np.quantile(totals, q, axis=0)
        for s, v in stages.items():
            out_stages[s][:, b0:b1] = np.quantile(v, q, axis=0)
        out_mean[b0:b1] = totals.mean(axis=0, dtype=np.float64)
        if kept_total is not None and kept_stages is not None:
            kept_total[:, b0:b1] = totals
            for s, v in stages.items():
                kept_stages[s][:, b0:b1] = v
        del totals, stages
    return MonteCarloSummary(
        samples=samples,
        total_g_co2e_per_km=out_total,
        stages_g_co2e_per_km=out_stages,
        mean_total_g_co2e_per_km=out_mean,
        total_samples_g_co2e_per_km=kept_total,
        stage_samples_g_co2e_per_km=kept_stages,
    )


def _block(values: FloatArray, b0: int, b1: int) -> FloatArray:
    """Set-ups ``b0:b1`` of an input array (scalars and broadcast rows pass unchanged)."""
    arr = np.asarray(values)
    if arr.ndim == 0:
        return arr
    return arr[..., b0:b1]
