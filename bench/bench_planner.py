"""Planner benchmark: 50 models x 3 sourcing options x 5 years in one market (issue 10).

Targets: optimal mix < 1 s on one core; a 20-point Pareto front < 10 s.  Coefficient building
(engine + rule-library probing) is timed apart from the optimisation.

Run: .venv/bin/python bench/bench_planner.py
"""

from __future__ import annotations

import time

from roadcarbon.planner import optimise
from roadcarbon.services.planning import coefficients, parse_lineup, plan_document

PRESETS = [
    "car-medium-bev",
    "car-medium-petrol",
    "car-medium-hev",
    "car-small-bev",
    "car-small-petrol",
    "car-large-petrol",
    "car-suv-hev",
    "car-suv-bev",
    "car-medium-phev",
    "car-large-hev",
]


def lineup() -> dict[str, object]:
    models = [
        {
            "id": f"m{i}",
            "spec": PRESETS[i % len(PRESETS)],
            "price": 25000 + 500 * i,
            "variable_cost": 21000 + 430 * i + 37 * (i % 7),
            "demand": {"min": 0, "max": 2000 + 100 * (i % 13)},
            "plant": f"p{i % 4}",
            "options": [
                {"id": "cn", "battery_production_country": "CN", "extra_cost": 0},
                {"id": "de", "battery_production_country": "DE", "extra_cost": 150 + i},
                {
                    "id": "pl",
                    "battery_production_country": "PL",
                    "assembly_country": "PL",
                    "extra_cost": 90 + i,
                },
            ],
        }
        for i in range(50)
    ]
    return {
        "market": "EU",
        "lca_country": "DE",
        "years": [2025, 2026, 2027, 2028, 2029],
        "currency": "EUR",
        "models": models,
        "plants": [{"id": f"p{k}", "capacity": 25000} for k in range(4)],
        "policy": {"targets": "priced"},
    }


def main() -> None:
    parsed, lca = parse_lineup(lineup())
    t0 = time.perf_counter()
    co = coefficients(parsed, lca)
    t1 = time.perf_counter()
    sol = optimise.solve(co)
    t2 = time.perf_counter()
    front = optimise.pareto(co, 20)
    t3 = time.perf_counter()
    k = len(co.candidates) * len(co.years)
    print(
        f"candidates x years: {k} integer units + {len(co.candidates)} binaries, {len(co.fleet_rows)} fleet rows"
    )
    print(f"coefficients (engine + rule library): {t1 - t0:.2f} s")
    print(f"optimal mix: {t2 - t1:.3f} s (target < 1 s), status {sol.status}, profit {sol.profit:,.0f} EUR")
    print(f"20-point Pareto front: {t3 - t2:.2f} s (target < 10 s), {len(front)} points")
    # end to end through the entry point the CLI (`plan --json --pareto 20`) and POST /api/v1/plan call:
    # validation, engine, rule library, optimum, shadow prices, the rule library's re-evaluation, the front
    t4 = time.perf_counter()
    document = plan_document(lineup(), pareto=20)
    t5 = time.perf_counter()
    print(
        f"end to end, plan_document with a 20-point front: {t5 - t4:.2f} s (optimum + front target < 11 s), "
        f"status {document['status']}"
    )


if __name__ == "__main__":
    main()
