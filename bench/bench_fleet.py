"""Throughput of the policy lab: many deterministic country-scenarios, and one Monte Carlo run.

Run:  .venv/bin/python bench/bench_fleet.py [--countries 40] [--scenarios 10] [--samples 1000] [--repeat 3]

Goals (issue 11): 40 countries x 10 scenarios x 30 years, deterministic, under 2 s on one core;
1,000 Monte Carlo samples of one country-scenario under 5 s.

The deterministic batch takes the bundled Indonesian car scenario, moves it to each of the first
``--countries`` countries with grid data (engine factors computed per country, inside the timing),
and runs ``--scenarios`` variants per country: a 100 % BEV sales mandate starting one year later
in each (2026, 2027, ...), over 2021-2050 (30 years). Named baseline: the same stock turnover
written as a plain per-cohort Python loop, timed on a few country-scenarios and scaled.
numpy runs these arrays on one thread, so the figures are per core.

The Monte Carlo run is the bundled Thailand EV 3.5 scenario (logit choice on the rule library's
subsidy amounts) with every uncertain input drawn, against its baseline with shared draws.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, before numpy loads

import numpy as np  # noqa: E402

from roadcarbon.fleet.factors import technology_factors  # noqa: E402
from roadcarbon.fleet.run import compare_document, draw_uncertainty, execute, run_scenario  # noqa: E402
from roadcarbon.fleet.scenario import Mandate, Policy, Scenario  # noqa: E402
from roadcarbon.io.reference import load_reference  # noqa: E402
from roadcarbon.io.rulebook import default_library  # noqa: E402
from roadcarbon.io.scenarios import load_scenario  # noqa: E402

DETERMINISTIC_GOAL_S = 2.0
MONTE_CARLO_GOAL_S = 5.0
BASE_YEAR, END_YEAR = 2021, 2050


def variants(template: Scenario, n: int) -> list[Scenario]:
    """``n`` policy variants of a scenario over 2021-2050: BEV mandates from 2026, 2027, ..."""
    sales = template.sales.model_copy(
        update={
            "total": {
                BASE_YEAR: template.sales.total[template.base_year],
                END_YEAR: template.sales.total[2050],
            },
            "shares": {
                BASE_YEAR: template.sales.shares[template.base_year],
                END_YEAR: template.sales.shares[2050],
            },
        }
    )
    out = []
    for i in range(n):
        policy = Policy(mandates=[Mandate(from_year=2026 + i, powertrains=["BEV"], min_share=1.0)])
        out.append(
            template.model_copy(
                update={"base_year": BASE_YEAR, "end_year": END_YEAR, "sales": sales, "policy": policy}
            )
        )
    return out


def naive_stock(
    sales: list[list[float]], stock0: list[float], mean_life: float, shape: float
) -> list[list[float]]:
    """Per-cohort Python loop: the named baseline (same steady-state base stock and Weibull survival)."""
    scale = mean_life / math.gamma(1.0 + 1.0 / shape)

    def surv(a: float) -> float:
        return math.exp(-((a / scale) ** shape))

    n_t, n_p = len(sales), len(stock0)
    weights = [surv(a) for a in range(60)]
    total_w = sum(weights)
    out = []
    for t in range(n_t):
        row = []
        for p in range(n_p):
            s = 0.0
            for a0 in range(60):
                s += stock0[p] * weights[a0] / total_w * surv(a0 + t) / surv(a0)
            for t0 in range(1, t + 1):
                s += sales[t0][p] * surv(t - t0)
            row.append(s)
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=40)
    parser.add_argument("--scenarios", type=int, default=10)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    tables, library = load_reference(), default_library()
    template = load_scenario("id_cars_baseline")
    with_data = [
        c
        for c in tables.countries("production")
        if int(tables.trajectory(c, "production").years[0]) <= BASE_YEAR
    ]
    # The data hold 39 countries, 36 of them from 2021: slots beyond those repeat countries (the work per
    # slot, engine factors included, is the same as for a new country).
    countries = [with_data[i % len(with_data)] for i in range(args.countries)]
    scenarios = variants(template, args.scenarios)
    specs = [t.spec for t in template.technologies.values()]
    years = list(range(BASE_YEAR, END_YEAR + 1))

    best = math.inf
    runs = 0
    checksum = 0.0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        runs = 0
        checksum = 0.0
        for country in countries:
            factors = technology_factors(specs, country, years, tables)
            for sc in scenarios:
                run = run_scenario(sc.model_copy(update={"country": country}), factors)
                checksum += float(run.central.emissions_t_co2e["wtw"].sum())
                runs += 1
        best = min(best, time.perf_counter() - t0)
    per_run = best / runs

    # named baseline: plain-Python cohort loop (stock only), on 3 country-scenarios
    sales_np = run.central.sales[0]
    stock0 = [template.initial_stock.values.get(k, 0.0) for k in template.labels]
    t0 = time.perf_counter()
    for _ in range(3):
        naive_stock(
            sales_np.tolist(), stock0, template.survival.mean_life_years, template.survival.weibull_shape
        )
    naive_per_run = (time.perf_counter() - t0) / 3

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(
        f"deterministic: {len(countries)} country slots ({len(set(countries))} distinct countries with grid data "
        f"from {BASE_YEAR}) x {len(scenarios)} scenarios x {len(years)} years = {runs} runs "
        f"in {best:.3f} s (best of {args.repeat}; engine factors per country included) -> "
        f"{runs / best:,.0f} country-scenarios/s; goal < {DETERMINISTIC_GOAL_S} s: "
        f"{'MET' if best < DETERMINISTIC_GOAL_S else 'NOT MET'}"
    )
    print(
        f"  named baseline (plain-Python cohort loop, stock only): {naive_per_run * 1000:.1f} ms per run "
        f"vs {per_run * 1000:.2f} ms per full run here ({naive_per_run / per_run:,.0f}x); "
        f"{runs} runs would take {naive_per_run * runs:.1f} s"
    )
    print(f"  checksum (sum of WTW t CO2e): {checksum:.6e}")

    sc = load_scenario("th_ev35")
    base = load_scenario("th_cars_baseline")
    best_mc = math.inf
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        draws = draw_uncertainty(sc, args.samples, np.random.default_rng(1))
        rp = execute(sc, tables=tables, library=library, draws=draws, seed=1)
        rb = execute(base, tables=tables, library=library, draws=draws, seed=1)
        doc = compare_document(rb, rp)
        best_mc = min(best_mc, time.perf_counter() - t0)
    band = doc["uncertainty"]["abatement_t_co2e"]["wtw"]["cumulative"]
    print(
        f"monte carlo: {args.samples} samples of th_ev35 against its baseline (shared draws, both runs, rule "
        f"evaluations included) in {best_mc:.3f} s (best of {args.repeat}); goal < {MONTE_CARLO_GOAL_S} s: "
        f"{'MET' if best_mc < MONTE_CARLO_GOAL_S else 'NOT MET'}"
    )
    print(
        f"  cumulative WTW abatement 2023-2050 p05/p50/p95: "
        f"{band['p05'][-1] / 1e6:.2f} / {band['p50'][-1] / 1e6:.2f} / {band['p95'][-1] / 1e6:.2f} Mt CO2e"
    )


if __name__ == "__main__":
    main()
