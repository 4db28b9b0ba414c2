"""Monte Carlo in blocks of set-ups (issue 15 §2): same numbers as evaluating every sample at once, a guard on S × N."""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.engine import assess, build_setup, lifecycle_emissions
from roadcarbon.engine.uncertainty import (
    _GRID_FIELDS,
    MAX_SAMPLE_EVALUATIONS,
    QUANTILES,
    check_sample_budget,
    monte_carlo,
    sample_row,
)
from roadcarbon.errors import InputError
from roadcarbon.types import STAGES

from .conftest import bev, petrol


def _reference(setup, rng, samples, u):
    """All samples × set-ups in one go (the pre-block algorithm, written out)."""
    draws = np.stack([sample_row(r, rng, samples) for r in setup.rows], axis=1)
    keys = {
        p: np.unique(np.array(getattr(setup, f"{p}_country")), return_inverse=True) for _, p in _GRID_FIELDS
    }
    countries = sorted({str(c) for k, _ in keys.values() for c in k})
    factors = np.exp(rng.normal(0.0, float(np.log1p(u)), (samples, len(countries))))
    changes = {name: draws[:, idx] for name, idx in setup.row_index.items()}
    for field, place in _GRID_FIELDS:
        k, inv = keys[place]
        cols = np.array([countries.index(str(c)) for c in k])[inv.ravel()]
        changes[field] = getattr(setup.inputs, field) * factors[:, cols]
    res = lifecycle_emissions(setup.inputs.replace(**changes))
    total = res.total_g_co2e_per_km.astype(np.float32)
    stages = {s: v.astype(np.float32) for s, v in res.stages_g_co2e_per_km.items()}
    return total, stages


@pytest.mark.parametrize("block_size", [1, 2, 5, None])
def test_blocks_equal_all_at_once(tables, block_size):
    setup = build_setup([bev(), petrol(), bev(curb_mass_kg=1800)], ["AD", "CC"], [2021, 2022], tables)
    total, stages = _reference(setup, np.random.default_rng(11), 300, 0.1)
    mc = monte_carlo(
        setup, np.random.default_rng(11), 300, grid_relative_uncertainty=0.1, block_size=block_size
    )
    q = np.array(QUANTILES)
    np.testing.assert_array_equal(mc.total_g_co2e_per_km, np.quantile(total, q, axis=0))
    for s in STAGES:
        np.testing.assert_array_equal(mc.stages_g_co2e_per_km[s], np.quantile(stages[s], q, axis=0))
    np.testing.assert_allclose(mc.mean_total_g_co2e_per_km, total.mean(axis=0, dtype=np.float64), rtol=1e-12)
    assert mc.total_samples_g_co2e_per_km is None and mc.stage_samples_g_co2e_per_km is None


def test_samples_kept_only_when_asked(tables):
    setup = build_setup([bev(), petrol()], ["AD"], [2021], tables)
    total, stages = _reference(setup, np.random.default_rng(3), 50, 0.1)
    mc = monte_carlo(
        setup, np.random.default_rng(3), 50, grid_relative_uncertainty=0.1, keep_samples=True, block_size=1
    )
    np.testing.assert_array_equal(mc.total_samples_g_co2e_per_km, total)
    np.testing.assert_array_equal(mc.stage_samples_g_co2e_per_km["battery"], stages["battery"])


def test_guard_on_samples_times_setups(tables):
    with pytest.raises(InputError, match="samples × set-ups") as err:
        check_sample_budget(100_000, MAX_SAMPLE_EVALUATIONS // 100_000 + 1)
    assert err.value.field == "samples"
    check_sample_budget(10_000, 100_000)  # the goal fits
    with pytest.raises(InputError, match="kept"):
        check_sample_budget(10_000, 100_000, keep_samples=True)
    # assess refuses before any work, naming samples
    many = [bev()] * (MAX_SAMPLE_EVALUATIONS // 50_000 + 1)
    with pytest.raises(InputError) as err2:
        assess(many, ["AD"], [2021], tables, samples=50_000, rng=np.random.default_rng(0))
    assert err2.value.field == "samples"
