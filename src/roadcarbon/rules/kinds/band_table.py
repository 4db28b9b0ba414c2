"""``band_table``: several metrics -> one band per vehicle -> amount.

Each metric is banded with ``numpy.searchsorted`` on its thresholds (ordered
best band first).  ``worst_of`` gives a vehicle the worst of its metric bands
(Singapore VES: "determined by the worst performing pollutant"); ``any_of``
the best (Indonesia: fuel economy *or* CO2 qualifies).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.errors import RuleError
from roadcarbon.rules.context import Context
from roadcarbon.rules.schema import BandMetric, BandTable, Direction
from roadcarbon.types import FloatArray, IntArray


def band_index(
    values: FloatArray, thresholds: FloatArray, *, direction: Direction, inclusive: bool
) -> IntArray:
    """Band index per value: 0 is the best band, ``len(thresholds)`` the worst.

    Parameters
    ----------
    values
        Metric per vehicle, shape ``(n,)`` [metric unit].
    thresholds
        Band limits from the best band to the worst [metric unit]: upper bounds
        when lower is better, lower bounds when higher is better.
    direction
        ``lower_is_better`` or ``higher_is_better``.
    inclusive
        Whether a value equal to a threshold belongs to the better band.

    Returns
    -------
    numpy.ndarray of int64
        Band index per value (NaN values get the worst band; callers mask them).

    Examples
    --------
    >>> band_index(np.array([90.0, 90.5, 200.0]), np.array([90.0, 125.0]),
    ...            direction=Direction.LOWER_IS_BETTER, inclusive=True).tolist()
    [0, 1, 2]
    >>> band_index(np.array([15.5, 16.0]), np.array([15.5, 11.5]),
    ...            direction=Direction.HIGHER_IS_BETTER, inclusive=False).tolist()
    [1, 0]
    """
    if direction is Direction.LOWER_IS_BETTER:
        if np.any(np.diff(thresholds) < 0):
            raise RuleError("band thresholds of a lower-is-better metric must be ascending")
    elif np.any(np.diff(thresholds) > 0):
        raise RuleError("band thresholds of a higher-is-better metric must be descending")
    if len(thresholds) > _FEW:
        side: Any = "left" if inclusive else "right"
        if direction is Direction.LOWER_IS_BETTER:
            found = np.searchsorted(thresholds, values, side=side)
        else:
            found = np.searchsorted(-thresholds, -values, side=side)
        # NaN sorts last in searchsorted: it already lands in the worst band
        return np.asarray(found, dtype=np.int64)
    # few thresholds: counting the limits passed is much faster than a binary search per value
    idx = np.zeros(values.shape, dtype=np.int64)
    for t in thresholds:
        if direction is Direction.LOWER_IS_BETTER:
            idx += (values > t) if inclusive else (values >= t)
        else:
            idx += (values < t) if inclusive else (values <= t)
    nan = np.isnan(values)
    if nan.any():
        idx[nan] = len(thresholds)
    return idx


_FEW = 16


def evaluate_band_table(block: BandTable, ctx: Context) -> dict[str, npt.NDArray[Any]]:
    """Band and amount per vehicle.

    Returns
    -------
    dict
        ``band`` (names), ``band_index`` (0 = best) and, where the scheme has
        amounts, ``amount`` [scheme currency; negative = rebate].
    """
    names = ctx.codes(block.band_names)
    n_bands = len(names)
    combined: IntArray | None = None
    for metric in block.metrics:
        idx = _metric_band(metric, ctx, n_bands, block.combine)
        ctx.trace.intermediate(f"band_index[{metric.input}]", idx, note=f"0 = {names[0]}")
        if combined is None:
            combined = idx
        elif block.combine == "worst_of":
            combined = np.maximum(combined, idx)
        else:
            combined = np.minimum(combined, idx)
    assert combined is not None
    # every metric ignored (missing): the worst band
    combined = np.where((combined < 0) | (combined >= n_bands), n_bands - 1, combined)
    band = np.asarray(names, dtype=str)[combined]
    ctx.trace.intermediate("band", band, note=f"{block.combine} of the metric bands")
    out: dict[str, npt.NDArray[Any]] = {"band": band, "band_index": combined}
    if block.amounts is not None:
        amounts = ctx.numbers(block.amounts)
        if len(amounts) != n_bands:
            raise RuleError(
                f"{ctx.scheme.id}: {block.amounts} has {len(amounts)} values on {ctx.on}, "
                f"but there are {n_bands} bands"
            )
        out["amount"] = amounts[combined]
    return out


def _metric_band(metric: BandMetric, ctx: Context, n_bands: int, combine: str) -> IntArray:
    thresholds = ctx.numbers(metric.thresholds)
    if len(thresholds) != n_bands - 1:
        raise RuleError(
            f"{ctx.scheme.id}: {metric.thresholds} has {len(thresholds)} thresholds on {ctx.on}; "
            f"{n_bands} bands need {n_bands - 1}"
        )
    values = ctx.numeric(metric.input)
    idx = band_index(values, thresholds, direction=metric.direction, inclusive=metric.inclusive)
    missing = np.isnan(values)
    if missing.any():
        if metric.missing == "worst_band":
            ctx.trace.condition(f"{metric.input} missing -> worst band", missing)
        elif metric.missing == "ignore":
            # a neutral index that never decides the combination
            idx = np.where(missing, -1 if combine == "worst_of" else n_bands, idx)
            ctx.trace.condition(f"{metric.input} missing -> ignored", missing)
        # "error" was enforced before evaluation (required inputs)
    return idx
