"""Array and scalar variants agree (pvlib habit): a large batch equals the same vehicles one by one.

The batch takes the vectorised paths (row compaction above 4,096 vehicles, two-valued fast path);
single vehicles do not.
"""

import datetime as dt

import numpy as np
import pytest

from roadcarbon.errors import RoadcarbonError
from roadcarbon.io.rulebook import load_library
from roadcarbon.rules import evaluate

ON = dt.date(2024, 6, 1)


def _fleet(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    powertrain = rng.choice(np.array(["ICEV", "HEV", "BEV"]), size=n, p=[0.6, 0.25, 0.15])
    bev = powertrain == "BEV"
    fuel = np.where(bev, "electricity", rng.choice(np.array(["petrol", "diesel"]), size=n))
    co2 = np.where(bev, 0.0, np.where(powertrain == "HEV", rng.uniform(70, 150, n), rng.uniform(80, 280, n)))
    fc = np.where(bev, np.nan, rng.uniform(3.5, 12.0, n))
    fc[rng.random(n) < 0.05] = np.nan  # some specs give CO2 only
    return {
        "category": np.full(n, "passenger_car"),
        "powertrain": powertrain,
        "fuel": fuel,
        "co2_g_per_km": co2,
        "fuel_consumption_l_per_100km": fc,
        "engine_displacement_cc": np.where(bev, np.nan, rng.uniform(1000, 3000, n)),
        "price": rng.uniform(1e8, 1e9, n),
        "price_currency": np.full(n, "IDR"),
    }


def test_ppnbm_batch_equals_one_by_one() -> None:
    lib = load_library()
    scheme = lib.get("ID.ppnbm_motor_vehicles")
    cols = _fleet(20_000, 3)
    # keep the vehicles a single evaluation can decide (drop those missing a deciding input or no row)
    ok = []
    for i in range(0, 20_000, 97):
        try:
            evaluate(scheme, {k: v[i : i + 1] for k, v in cols.items()}, ON, allow_status="all", library=lib)
        except RoadcarbonError:  # undecidable single vehicles are dropped from the batch below
            continue
        ok.append(i)
    assert len(ok) > 150
    batch_cols = {k: np.concatenate([v[ok]] * 40) for k, v in cols.items()}  # > 4,096 vehicles
    batch = evaluate(scheme, batch_cols, ON, allow_status="all", library=lib)
    for j, i in enumerate(ok):
        one = evaluate(
            scheme, {k: v[i : i + 1] for k, v in cols.items()}, ON, allow_status="all", library=lib
        )
        for key in ("tax_rate", "tax_base_share", "amount"):
            assert batch.outcome[key][j] == pytest.approx(one.outcome[key][0], nan_ok=True), (i, key)
        assert batch.outcome["row"][j] == one.outcome["row"][0]
