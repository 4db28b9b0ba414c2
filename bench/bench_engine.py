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
3. End to end through the public ``assess()`` (specs in, results out, input look-up included;
   issue 15): a registry-like input (1,000,000 vehicles sharing 10 specs, one country, one year;
   goal ≥ 2 million set-ups/s) and 40,000 distinct specs × 25 countries (goal ≥ 1 million/s).
4. Monte Carlo 10,000 samples × 100,000 set-ups in a child process (its own peak RSS; goal < 2 GB).
   ``--quick`` runs it with 10,000 set-ups instead.

Where carculator is installed it is timed in the same run (10 set-ups: medium car, 5 powertrains ×
2 years); otherwise the baseline is the recorded run of ``anchors.md`` and the table says so.
"""

from __future__ import annotations

import os
import resource
import subprocess
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


def _carculator_setups_per_s() -> tuple[float, str]:
    """Time carculator on 10 set-ups where it is installed, else the recorded figure."""
    try:
        import carculator  # type: ignore[import-not-found]
    except ImportError:
        return CARCULATOR_SETUPS_PER_S, "carculator 1.9.5, recorded run (anchors.md; not installed here)"
    try:  # pragma: no cover - only where carculator is installed
        t0 = time.perf_counter()
        cip = carculator.CarInputParameters()
        cip.static()
        _, array = carculator.fill_xarray_from_input_parameters(
            cip,
            scope={
                "size": ["Medium"],
                "powertrain": ["ICEV-p", "ICEV-d", "HEV-p", "PHEV-p", "BEV"],
                "year": [2020, 2030],
            },
        )
        model = carculator.CarModel(array, cycle="WLTC")
        model.set_all()
        carculator.InventoryCar(model).calculate_impacts()
        return 10 / (time.perf_counter() - t0), f"carculator {carculator.__version__}, this run"
    except Exception as exc:
        return (
            CARCULATOR_SETUPS_PER_S,
            f"carculator failed here ({type(exc).__name__}); recorded run (anchors.md)",
        )


def end_to_end(tables, presets) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    """(label, set-ups/s, seconds) through the public assess(), best of 3."""
    from roadcarbon.engine import assess

    rng = np.random.default_rng(0)
    cars = [p for p in presets if p.category.value == "passenger_car"][:10]
    registry = [cars[i] for i in rng.integers(0, len(cars), 1_000_000)]
    distinct = [
        presets[i % len(presets)].model_copy(
            update={"curb_mass_kg": float(presets[i % len(presets)].curb_mass_kg) + i * 1e-3}
        )
        for i in range(40_000)
    ]
    countries = tables.countries("production")[:25]
    out = []
    for label, vehicles, cs in (
        ("registry: 1,000,000 vehicles, 10 specs, 1 country, 1 year", registry, ["TH"]),
        ("40,000 distinct specs × 25 countries, 1 year", distinct, countries),
    ):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            a = assess(vehicles, cs, [2025], tables)
            _ = a.result.total_g_co2e_per_km
            best = min(best, time.perf_counter() - t0)
        n = len(vehicles) * len(cs)
        out.append((label, n / best, best))
    return out


def big_monte_carlo(samples: int, setups: int) -> None:
    """Child process: Monte Carlo samples × setups through assess(); prints time and own peak RSS."""
    from roadcarbon.engine import assess

    tables = load_reference()
    presets = [load_preset(p) for p in list_presets()]
    countries = tables.countries("production")[:25]
    per_country = setups // len(countries)
    vehicles = [presets[i % len(presets)] for i in range(per_country)]
    before = _hwm_mb()
    t0 = time.perf_counter()
    a = assess(vehicles, countries, [2025], tables, samples=samples, rng=np.random.default_rng(2))
    seconds = time.perf_counter() - t0
    assert a.uncertainty is not None
    print(f"MC {samples} {a.setup.size} {seconds:.3f} {_hwm_mb():.0f} {before:.0f}")


def _hwm_mb() -> float:
    """Peak resident memory of this process image [MB] (VmHWM: unlike ru_maxrss, not inherited over exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return _peak_rss_mb()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--mc-child":
        big_monte_carlo(int(sys.argv[2]), int(sys.argv[3]))
        return
    quick = "--quick" in sys.argv
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

    e2e = end_to_end(tables, presets)
    big_n = 10_000 if quick else 100_000
    child = subprocess.run(
        [sys.executable, __file__, "--mc-child", "10000", str(big_n)],
        capture_output=True,
        text=True,
        check=True,
    )
    _, big_s, big_setups, big_seconds, big_rss, big_before = child.stdout.split()[-6:]
    carc_rate, carc_label = _carculator_setups_per_s()

    table = Table(title="Life-cycle engine throughput (one core)", title_justify="left")
    for col in ("work", "roadcarbon", carc_label, "ratio"):
        table.add_column(col, justify="right" if col != "work" else "left")
    table.add_row(
        f"deterministic, {n_target:,} set-ups",
        f"{det_rate:,.0f} set-ups/s ({best * 1000:.0f} ms)",
        f"{carc_rate:.1f} set-ups/s",
        f"{det_rate / carc_rate:,.0f}×",
    )
    for label, rate, seconds in e2e:
        table.add_row(
            f"end to end (assess), {label}",
            f"{rate:,.0f} set-ups/s ({seconds:.2f} s)",
            f"{carc_rate:.1f} set-ups/s",
            f"{rate / carc_rate:,.0f}×",
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
    big_rate = int(big_s) * int(big_setups) / float(big_seconds)
    table.add_row(
        f"Monte Carlo through assess, {int(big_s):,} samples × {int(big_setups):,} set-ups (child process)",
        f"{big_rate:,.0f} sample-evals/s ({float(big_seconds):.0f} s), peak RSS {float(big_rss):,.0f} MB "
        f"({float(big_before):,.0f} MB before)",
        "",
        "",
    )
    console.print(table)
    console.print(
        f"goal ≥ 1,000,000 set-ups/s: {'met' if det_rate >= 1e6 else 'NOT met'}; "
        f"goal peak < 2,048 MB: {'met' if rss_after < 2048 else 'NOT met'}; "
        f"end to end ≥ 2 M/s registry: {'met' if e2e[0][1] >= 2e6 else 'NOT met'}, "
        f"≥ 1 M/s distinct: {'met' if e2e[1][1] >= 1e6 else 'NOT met'}; "
        f"10,000 × {int(big_setups):,} under 2,048 MB: {'met' if float(big_rss) < 2048 else 'NOT met'}"
    )
    console.print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    console.print(f"python {sys.version.split()[0]}, numpy {np.__version__}, data {tables.version}")


if __name__ == "__main__":
    main()
