"""Throughput of the life-cycle engine, side by side with carculator (the named baseline).

Run: ``.venv/bin/python bench/bench_engine.py`` (or ``make bench``).

1. Deterministic: vehicle × country × year evaluations per second on one core,
   from input arrays already in memory (1,000,000 set-ups).  Baseline:
   carculator 1.9.5 needs about 3 s of computation for 10 set-ups (medium car,
   5 powertrains × 2 years × 1 country; 5.5 s with start-up) on the same kind of
   2-core machine (``anchors.md``).
2. Monte Carlo: sample-evaluations per second and peak memory for 10,000
   samples × 1,000 set-ups (goal: under 2 GB).  Baseline: carculator, 100
   iterations of one set-up in 18 s and 6.4 GB.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from dataclasses import fields

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from rich.console import Console
from rich.table import Table

from roadcarbon.engine import build_setup, lifecycle_emissions, monte_carlo
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import list_presets, load_preset

CARCULATOR_SETUPS_PER_S = 10 / 3.0  # anchors.md: ~3 s of computation for 10 set-ups
CARCULATOR_MC_SAMPLE_EVALS_PER_S = 100 / 18.0  # anchors.md: 100 iterations, one set-up, 18 s


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    console = Console()
    tables = load_reference()
    presets = [load_preset(p) for p in list_presets()]
    countries = tables.countries("production")
    years = [2022, 2025, 2030]
    # 1,000 set-ups: 40 vehicles (the presets, cycled) × 25 countries × 1 year; measured first, so the
    # process's peak RSS reflects the Monte Carlo and not the deterministic arrays below
    vehicles = [presets[i % len(presets)] for i in range(40)]
    mc_small = build_setup(vehicles, countries[:25], [2025], tables)
    rss_before = _peak_rss_mb()
    t0 = time.perf_counter()
    summary = monte_carlo(
        mc_small,
        np.random.default_rng(1),
        10_000,
        grid_relative_uncertainty=tables.lookup("grid_intensity_relative_uncertainty").value,
    )
    mc_time = time.perf_counter() - t0
    rss_after = _peak_rss_mb()
    mc_rate = summary.samples * mc_small.size / mc_time

    base = build_setup(presets, countries, years, tables)
    n_target = 1_000_000
    reps = -(-n_target // base.size)
    tiled = base.inputs.replace(
        **{
            f.name: np.tile(np.asarray(getattr(base.inputs, f.name)), reps)[:n_target]
            for f in fields(base.inputs)
        }
    )
    lifecycle_emissions(tiled)  # warm-up
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = lifecycle_emissions(tiled)
        _ = result.total_g_co2e_per_km
        timings.append(time.perf_counter() - t0)
    best = min(timings)
    det_rate = n_target / best

    table = Table(title="Life-cycle engine throughput (one core)", title_justify="left")
    for col in ("work", "roadcarbon", "carculator 1.9.5 (anchors.md)", "ratio"):
        table.add_column(col, justify="right" if col != "work" else "left")
    table.add_row(
        f"deterministic, {n_target:,} set-ups",
        f"{det_rate:,.0f} set-ups/s ({best * 1000:.0f} ms)",
        f"{CARCULATOR_SETUPS_PER_S:.1f} set-ups/s",
        f"{det_rate / CARCULATOR_SETUPS_PER_S:,.0f}×",
    )
    table.add_row(
        f"Monte Carlo, 10,000 samples × {mc_small.size:,} set-ups",
        f"{mc_rate:,.0f} sample-evals/s ({mc_time:.1f} s)",
        f"{CARCULATOR_MC_SAMPLE_EVALS_PER_S:.1f} sample-evals/s",
        f"{mc_rate / CARCULATOR_MC_SAMPLE_EVALS_PER_S:,.0f}×",
    )
    table.add_row(
        "Monte Carlo peak memory (process RSS)",
        f"{rss_after:,.0f} MB (was {rss_before:,.0f} MB before)",
        "6,400 MB for 100 × 1",
        "",
    )
    console.print(table)
    console.print(
        f"goal ≥ 1,000,000 set-ups/s: {'met' if det_rate >= 1e6 else 'NOT met'}; "
        f"goal peak < 2,048 MB: {'met' if rss_after < 2048 else 'NOT met'}"
    )
    console.print(f"python {sys.version.split()[0]}, numpy {np.__version__}, data {tables.version}")


if __name__ == "__main__":
    main()
