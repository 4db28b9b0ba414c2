"""Invariants of the evaluators (hypothesis): monotone bands, continuous marginal tiers."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from roadcarbon.rules.kinds.band_table import band_index
from roadcarbon.rules.kinds.rate_scale import marginal_amount
from roadcarbon.rules.schema import Direction

limits = st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=20, unique=True).map(sorted)
values = st.lists(st.floats(-10, 600, allow_nan=False), min_size=1, max_size=50)


@settings(max_examples=200, deadline=None)
@given(limits, values, st.booleans())
def test_band_index_is_monotone_and_matches_a_count(
    thresholds: list[float], xs: list[float], inclusive: bool
) -> None:
    t = np.array(thresholds)
    x = np.sort(np.array(xs))
    idx = band_index(x, t, direction=Direction.LOWER_IS_BETTER, inclusive=inclusive)
    assert (np.diff(idx) >= 0).all()  # a higher value never gets a better band
    expected = [sum((v > lim) if inclusive else (v >= lim) for lim in thresholds) for v in x]
    assert idx.tolist() == expected


@settings(max_examples=200, deadline=None)
@given(limits, values)
def test_higher_is_better_mirrors_lower_is_better(thresholds: list[float], xs: list[float]) -> None:
    t = np.array(thresholds)
    x = np.array(xs)
    up = band_index(-x, np.sort(-t), direction=Direction.LOWER_IS_BETTER, inclusive=True)
    down = band_index(x, np.sort(t)[::-1], direction=Direction.HIGHER_IS_BETTER, inclusive=True)
    assert up.tolist() == down.tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(1, 1e5, allow_nan=False), min_size=1, max_size=6, unique=True).map(sorted),
    st.lists(st.floats(0, 5, allow_nan=False), min_size=7, max_size=7),
    st.floats(0, 2e5, allow_nan=False),
)
def test_marginal_tiers_are_continuous_and_monotone(
    bounds: list[float], rates: list[float], base: float
) -> None:
    b = np.array(bounds)
    r = np.array(rates[: len(bounds) + 1])
    x = np.array([base, base + 1e-6, base + 1.0])
    amount = marginal_amount(x, b, r)
    assert amount[0] <= amount[1] <= amount[2]  # rates are >= 0
    assert amount[1] - amount[0] <= r.max() * 1e-6 + 1e-9  # no jump at tier bounds
