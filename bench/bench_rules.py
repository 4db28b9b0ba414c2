"""Throughput of vectorised rule evaluation: band and rate schemes over 1,000,000 vehicles.

Run:  .venv/bin/python bench/bench_rules.py [--vehicles 1000000] [--repeat 5]

Goal (issue 3): >= 5,000,000 vehicle-evaluations per second per core.  Named
baseline: a naive per-vehicle Python loop doing the same band lookup
(worst-of five pollutants, Singapore VES 2024 parameters read from the
library), timed on a subset and reported per vehicle.  The evaluators use
numpy element-wise operations and searchsorted, which run on one thread, so the
figure is per core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import time

import numpy as np

from roadcarbon.io.rulebook import load_library
from roadcarbon.rules import evaluate

GOAL = 5_000_000.0
ON = dt.date(2024, 6, 1)


def fleet_columns(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Synthetic vehicle columns (random but plausible ranges; not data)."""
    powertrain = rng.choice(np.array(["ICEV", "HEV", "PHEV", "BEV"]), size=n, p=[0.6, 0.25, 0.05, 0.10])
    fuel = np.where(
        powertrain == "BEV", "electricity", rng.choice(np.array(["petrol", "diesel"]), size=n, p=[0.85, 0.15])
    )
    bev = powertrain == "BEV"
    # hybrids kept within the hybrid articles' CO2 range (a hybrid outside it matches no PPnBM row)
    co2 = np.where(bev, 0.0, np.where(powertrain == "HEV", rng.uniform(70, 150, n), rng.uniform(30, 260, n)))
    return {
        "category": np.full(n, "passenger_car"),
        "powertrain": powertrain,
        "fuel": fuel,
        "co2_g_per_km": co2,
        "hc_g_per_km": np.where(bev, 0.0, rng.uniform(0, 0.06, n)),
        "co_g_per_km": np.where(bev, 0.0, rng.uniform(0, 0.4, n)),
        "nox_g_per_km": np.where(bev, 0.0, rng.uniform(0, 0.03, n)),
        "pm_mg_per_km": np.where(bev, 0.0, rng.uniform(0, 1.5, n)),
        "electricity_consumption_kwh_per_100km": np.where(
            bev | (powertrain == "PHEV"), rng.uniform(12, 22, n), np.nan
        ),
        "fuel_consumption_l_per_100km": np.where(bev, np.nan, co2 / 23.7),
        "engine_displacement_cc": np.where(bev, np.nan, rng.uniform(1000, 3000, n)),
        "price": rng.uniform(2e8, 9e8, n),
        "price_currency": np.full(n, "IDR"),
    }


def naive_ves(
    cols: dict[str, np.ndarray],
    params: dict[str, list[float]],
    amounts: list[float],
    ev_factor: float,
    count: int,
) -> list[float]:
    """Per-vehicle Python loop: the baseline."""
    metrics = ["co2_g_per_km", "hc_g_per_km", "co_g_per_km", "nox_g_per_km", "pm_mg_per_km"]
    rows = [[float(cols[m][i]) for m in metrics] for i in range(count)]
    pts = cols["powertrain"][:count].tolist()
    wh = (cols["electricity_consumption_kwh_per_100km"][:count] * 10).tolist()
    limits = [params[m] for m in metrics]
    out = []
    for values, pt, e in zip(rows, pts, wh, strict=True):
        if pt == "BEV":
            values[0] = e * ev_factor
        elif pt == "PHEV":  # tailpipe CO2 + Wh/km x 0.4 g/Wh (LTA, EVs and PHEVs)
            values[0] = values[0] + e * ev_factor
        worst = 0
        for v, lim in zip(values, limits, strict=True):
            band = 0
            while band < len(lim) and v > lim[band]:
                band += 1
            worst = max(worst, band)
        out.append(amounts[worst])
    return out


def timed(func, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vehicles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--naive", type=int, default=100_000, help="vehicles in the naive-loop baseline")
    args = parser.parse_args()

    lib = load_library()
    cols = fleet_columns(args.vehicles, np.random.default_rng(42))
    ves = lib.get("SG.vehicular_emissions_scheme")
    ppnbm = lib.get("ID.ppnbm_motor_vehicles")
    # PPnBM: BEV/HEV/ICEV rows (PHEVs removed: some fail the PHEV condition, which matches no row)
    ppnbm_cols = {k: v[cols["powertrain"] != "PHEV"] for k, v in cols.items()}

    results = {}
    n_band = args.vehicles
    t_band = timed(lambda: evaluate(ves, cols, ON, allow_status="all", library=lib), args.repeat)
    results["band_table (SG VES, worst of 5 pollutants)"] = (n_band, t_band)
    n_rate = len(ppnbm_cols["price"])
    t_rate = timed(lambda: evaluate(ppnbm, ppnbm_cols, ON, allow_status="all", library=lib), args.repeat)
    results["rate_scale rows (ID PPnBM, 15 rows, ~40 conditions)"] = (n_rate, t_rate)
    arf = lib.get("SG.additional_registration_fee")
    arf_cols = {  # OMV-like SGD values
        "category": cols["category"],
        "price": cols["price"] / 10_000.0,
        "price_currency": np.full(len(cols["price"]), "SGD"),
    }
    t_arf = timed(lambda: evaluate(arf, arf_cols, ON, allow_status="all", library=lib), args.repeat)
    results["rate_scale tiers (SG ARF, 5 marginal tiers)"] = (n_band, t_arf)

    # naive baseline on a subset, with the same dated parameters
    vals = {
        name: ves.parameters[
            f"thresholds_{name.replace('_g_per_km', '').replace('_mg_per_km', '')}_{name.split('_', 1)[1]}"
        ].value_at(ON)
        for name in ["co2_g_per_km", "hc_g_per_km", "co_g_per_km", "nox_g_per_km", "pm_mg_per_km"]
    }
    amounts = ves.parameters["amounts_sgd"].value_at(ON)
    ev = float(ves.parameters["ev_co2_g_per_wh"].value_at(ON))  # type: ignore[arg-type]
    n_naive = min(args.naive, args.vehicles)
    t_naive = timed(lambda: naive_ves(cols, vals, amounts, ev, n_naive), max(1, args.repeat // 2))  # type: ignore[arg-type]
    check = evaluate(ves, {k: v[:n_naive] for k, v in cols.items()}, ON, allow_status="all", library=lib)
    agree = np.allclose(check.outcome["amount"], naive_ves(cols, vals, amounts, ev, n_naive))  # type: ignore[arg-type]

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, 1 thread")
    print(f"{'evaluation':52s} {'vehicles':>10s} {'best s':>8s} {'veh-evals/s':>14s} {'vs goal':>8s}")
    for name, (n, t) in results.items():
        rate = n / t
        print(f"{name:52s} {n:10,d} {t:8.3f} {rate:14,.0f} {rate / GOAL:7.2f}x")
    naive_rate = n_naive / t_naive
    print(
        f"{'naive per-vehicle loop (SG VES), baseline':52s} {n_naive:10,d} {t_naive:8.3f} {naive_rate:14,.0f} {naive_rate / GOAL:7.2f}x"
    )
    print(
        f"vectorised band_table / naive loop: {results['band_table (SG VES, worst of 5 pollutants)'][0] / t_band / naive_rate:,.0f}x; "
        f"same amounts on the {n_naive:,d}-vehicle subset: {agree}"
    )


if __name__ == "__main__":
    main()
