"""Monte Carlo: reproducible with a seed, ordered quantiles, central value inside the band."""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.engine import assess
from roadcarbon.engine.uncertainty import sample_row
from roadcarbon.errors import InputError

from .conftest import bev, petrol, row


def test_same_seed_same_numbers(tables):
    a = assess([bev(), petrol()], ["AD"], [2021], tables, samples=300, rng=np.random.default_rng(42))
    b = assess([bev(), petrol()], ["AD"], [2021], tables, samples=300, rng=np.random.default_rng(42))
    c = assess([bev(), petrol()], ["AD"], [2021], tables, samples=300, rng=np.random.default_rng(43))
    np.testing.assert_array_equal(a.uncertainty.total_g_co2e_per_km, b.uncertainty.total_g_co2e_per_km)
    assert not np.array_equal(a.uncertainty.total_g_co2e_per_km, c.uncertainty.total_g_co2e_per_km)


def test_quantiles_ordered_and_bracket_central(tables):
    a = assess([bev(), petrol()], ["AD", "CC"], [2021], tables, samples=2000, rng=np.random.default_rng(0))
    q = a.uncertainty.total_g_co2e_per_km
    assert np.all(q[0] < q[1]) and np.all(q[1] < q[2])
    central = a.result.total_g_co2e_per_km
    assert np.all(q[0] < central) and np.all(central < q[2])


def test_chunking_does_not_change_results(tables):
    from roadcarbon.engine import build_setup, monte_carlo

    setup = build_setup([bev(), petrol()], ["AD"], [2021], tables)
    one = monte_carlo(setup, np.random.default_rng(5), 400, grid_relative_uncertainty=0.1, chunk_size=400)
    many = monte_carlo(setup, np.random.default_rng(5), 400, grid_relative_uncertainty=0.1, chunk_size=37)
    np.testing.assert_allclose(one.total_g_co2e_per_km, many.total_g_co2e_per_km, rtol=1e-6)


def test_samples_need_a_generator(tables):
    with pytest.raises(InputError, match="rng"):
        assess([bev()], ["AD"], [2021], tables, samples=10)


@pytest.mark.parametrize(
    ("dist", "low", "high", "mean"),
    [("triangular", 1.0, 4.0, (1 + 2 + 4) / 3), ("uniform", 1.0, 3.0, 2.0), ("normal", 1.0, 3.0, 2.0)],
)
def test_sample_row_distributions(dist, low, high, mean):
    s = sample_row(row("x", 2.0, dist=dist, low=low, high=high), np.random.default_rng(0), 200_000)
    assert s.mean() == pytest.approx(mean, rel=0.01)


def test_lognormal_quantiles_match_data():
    s = sample_row(row("x", 10.0, dist="lognormal", low=5.0, high=20.0), np.random.default_rng(0), 400_000)
    assert np.quantile(s, [0.025, 0.5, 0.975]) == pytest.approx([5.0, 10.0, 20.0], rel=0.02)
