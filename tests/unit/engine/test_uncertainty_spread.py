"""Monte Carlo spread of measured consumption and the headline-vs-median explanation (issue 12).

* A bus whose consumption is measured in service (test_cycle ``measured``) used to have p95/p05 = 1.05:
  its fuel figure carried no uncertainty. It now carries the route-to-route spread of its data row.
* The headline (deterministic, inputs at their central values) sits below the Monte Carlo median for a
  BEV because several input ranges are skewed; setting every input to the median of its own
  distribution moves the deterministic result toward the Monte Carlo median.
"""

from __future__ import annotations

import numpy as np
import pytest

from roadcarbon.engine import assess, lifecycle_emissions
from roadcarbon.engine.uncertainty import sample_row
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import load_preset
from roadcarbon.services.assessment import lca_document


def _triangular_quantile(p: float, low: float, mode: float, high: float) -> float:
    cut = (mode - low) / (high - low)
    if p <= cut:
        return low + np.sqrt(p * (high - low) * (mode - low))
    return high - np.sqrt((1 - p) * (high - low) * (high - mode))


def test_measured_bus_consumption_carries_its_rows_spread() -> None:
    tables = load_reference()
    a = assess(
        [load_preset("bus-12m-diesel")], ["CN"], [2025], tables, samples=4000, rng=np.random.default_rng(3)
    )
    row = a.setup.rows[int(a.setup.row_index["real_world_fuel_factor"][0])]
    assert row.distribution == "triangular" and row.source_id != "roadcarbon_definitions"
    central = float(a.result.stages_g_co2e_per_km["tailpipe"][0])
    q = a.uncertainty.stages_g_co2e_per_km["tailpipe"][:, 0]
    # the tailpipe stage is fuel x combustion factor: its quantiles follow the factor's distribution
    expected = [_triangular_quantile(p, row.low, row.value, row.high) for p in (0.05, 0.95)]
    assert q[0] / central == pytest.approx(expected[0], abs=0.01)
    assert q[2] / central == pytest.approx(expected[1], abs=0.01)
    total = a.uncertainty.total_g_co2e_per_km[:, 0]
    assert total[2] / total[0] > expected[1] / expected[0] * 0.97  # no longer ~1.05


def test_lca_document_names_the_headline_and_gives_the_mean() -> None:
    doc = lca_document(load_preset("car-medium-bev"), "TH", 2025, samples=3000, seed=11)
    u = doc["uncertainty"]
    again = assess(
        [load_preset("car-medium-bev")],
        ["TH"],
        [2025],
        load_reference(),
        samples=3000,
        rng=np.random.default_rng(11),
        keep_samples=True,
    )
    assert u["mean"] == pytest.approx(
        float(again.uncertainty.total_samples_g_co2e_per_km[:, 0].mean()), rel=1e-4
    )
    assert "headline" in u["note"] and "deterministic" in u["note"]
    shift = (u["p50"] - doc["total_g_co2e_per_km"]) / doc["total_g_co2e_per_km"]
    assert f"{shift:+.1%}" in u["note"]


def test_skewed_input_ranges_explain_why_the_median_is_above_the_headline() -> None:
    """Deterministic result with every input at the median of its own distribution lies closer to the
    Monte Carlo median than the headline (inputs at their central values) does."""
    tables = load_reference()
    a = assess(
        [load_preset("car-medium-bev")], ["TH"], [2025], tables, samples=4000, rng=np.random.default_rng(7)
    )
    headline = float(a.result.total_g_co2e_per_km[0])
    p50 = float(a.uncertainty.total_g_co2e_per_km[1, 0])
    assert p50 > headline
    rng = np.random.default_rng(0)
    medians = {
        name: np.array([np.median(sample_row(a.setup.rows[int(idx[0])], rng, 100_000))])
        for name, idx in a.setup.row_index.items()
    }
    at_medians = float(lifecycle_emissions(a.setup.inputs.replace(**medians)).total_g_co2e_per_km[0])
    assert abs(p50 - at_medians) < abs(p50 - headline)
