"""Extract carculator 1.9.5 / carculator_bus 0.1.0 model outputs for 2020 vehicles (build time only).

Run in a separate environment (carculator is not a roadcarbon dependency)::

    python -m venv /tmp/carc && /tmp/carc/bin/pip install carculator==1.9.5 carculator_bus==0.1.0
    /tmp/carc/bin/python src/roadcarbon/data/factors/derivation/carculator_outputs.py \
        src/roadcarbon/data/factors/derivation/carculator_2020_outputs.json

With ``--hvac-share`` instead of an output path it prints, for the lower-medium 2020 cars, the share of
the simulated consumption that the heating and cooling auxiliaries make up (the run repeated with the
heating and cooling thermal demands set to 0), quoted in docs/methodology.md (use phase).

Both models are run with their static (central) default parameters, year 2020, their default
driving cycles (cars: WLTC; buses: carculator_bus default urban cycle), and the outputs are
written as JSON: curb mass [kg], tank-to-wheel energy [kJ/km] (total and per mode), electricity
consumption at the plug [kWh/km], stored electric energy [kWh], electric utility factor,
lower heating value [MJ/kg] and density [kg/L] of the fuel, and battery chemistry.
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

CAR_SIZES = ("Small", "Lower medium", "Medium", "Large", "Medium SUV")
CAR_POWERTRAINS = ("ICEV-p", "ICEV-d", "ICEV-g", "HEV-p", "PHEV-p", "BEV", "FCEV")
BUS_POWERTRAINS = ("ICEV-d", "ICEV-g", "HEV-d", "BEV-depot", "FCEV")
NAMES = [
    "curb mass",
    "TtW energy",
    "TtW energy, combustion mode",
    "TtW energy, electric mode",
    "electricity consumption",
    "electric energy stored",
    "electric utility factor",
    "LHV fuel MJ per kg",
    "fuel density per kg",
    "battery DoD",
    "power",
]


def _background_gwp(names: list[str]) -> dict[str, float]:
    """Aggregated GWP100 (IPCC 2021) per unit of carculator_utils background activities."""
    from importlib import resources

    import numpy as np
    import scipy.sparse as sp

    data = resources.files("carculator_utils") / "data"
    rows = (data / "IAM" / "dict_inputs_A_matrix.csv").read_text(encoding="utf-8").splitlines()
    index = {line.split(";")[0]: i for i, line in enumerate(rows)}
    with (data / "IAM" / "B_matrix_recipe_midpoint_static.npz").open("rb") as handle:
        npz = np.load(handle, allow_pickle=True)
        matrix = sp.csr_matrix((npz["data"], npz["indices"], npz["indptr"]), shape=tuple(npz["shape"]))
    return {name: float(matrix[0, index[name]]) for name in names}


def _car_model(sizes: list[str], powertrains: list[str], *, hvac: bool = True) -> Any:
    """carculator's car model for 2020 on the WLTC, static defaults; ``hvac=False`` zeroes the thermal demands."""
    import carculator  # optional, build-time only

    tip = carculator.CarInputParameters()
    tip.static()
    _, array = carculator.fill_xarray_from_input_parameters(
        tip, scope={"size": sizes, "powertrain": powertrains, "year": [2020]}
    )
    if not hvac:
        for parameter in ("heating thermal demand", "cooling thermal demand"):
            array.loc[{"parameter": parameter}] = 0.0
    cm = carculator.CarModel(array, cycle="WLTC")
    cm.set_all()
    return cm


def hvac_share() -> None:
    """Print the HVAC share of the lower-medium cars' simulated consumption (carculator 1.9.5, 2020, WLTC)."""
    powertrains = ["ICEV-p", "HEV-p", "BEV"]
    models = {hvac: _car_model(["Lower medium"], powertrains, hvac=hvac) for hvac in (True, False)}
    for pt in powertrains:
        name = "electricity consumption" if pt == "BEV" else "TtW energy"
        with_hvac, without = (
            float(models[h].array.sel(size="Lower medium", powertrain=pt, year=2020, parameter=name, value=0))
            for h in (True, False)
        )
        sys.stdout.write(
            f"{pt}: {name} {with_hvac:.4f} -> {without:.4f} without HVAC = {1 - without / with_hvac:.1%}\n"
        )


def main() -> None:
    """Write the outputs as one JSON document to the path given as first argument."""
    warnings.filterwarnings("ignore")
    if sys.argv[1:] == ["--hvac-share"]:
        hvac_share()
        return
    cm = _car_model(list(CAR_SIZES), list(CAR_POWERTRAINS))
    params = {str(p) for p in cm.array.coords["parameter"].values}
    cars = {}
    for size in CAR_SIZES:
        for pt in CAR_POWERTRAINS:
            values = {
                n: float(cm.array.sel(size=size, powertrain=pt, year=2020, parameter=n, value=0))
                for n in NAMES
                if n in params
            }
            values["chemistry"] = cm.energy_storage["electric"].get((pt, size, 2020), "")
            cars[f"{size}|{pt}"] = values

    import carculator_bus  # imported only after the car run: it changes carculator_utils' shared settings

    bip = carculator_bus.BusInputParameters()
    bip.static()
    _, barray = carculator_bus.fill_xarray_from_input_parameters(
        bip, scope={"size": ["13m-city"], "powertrain": list(BUS_POWERTRAINS), "year": [2020]}
    )
    bm = carculator_bus.BusModel(barray)
    bm.set_all()
    bparams = {str(p) for p in bm.array.coords["parameter"].values}
    buses = {}
    for pt in BUS_POWERTRAINS:
        values = {
            n: float(bm.array.sel(size="13m-city", powertrain=pt, year=2020, parameter=n, value=0))
            for n in NAMES
            if n in bparams
        }
        values["chemistry"] = bm.energy_storage["electric"].get((pt, "13m-city", 2020), "")
        buses[f"13m-city|{pt}"] = values

    lcia = _background_gwp(
        ["maintenance, passenger car", "maintenance, bus", "market for glider, passenger car"]
    )
    document = {
        "tools": {"carculator": "1.9.5", "carculator_bus": "0.1.0"},
        "year": 2020,
        "car_cycle": "WLTC",
        "cars": cars,
        "buses": buses,
        "background_gwp100_kg_co2e_per_unit": lcia,
        "background_note": (
            "carculator_utils 1.3.5 data/IAM/B_matrix_recipe_midpoint_static.npz, category 'IPCC 2021 climate "
            "change GWP 100a' (row 0 of lcia/dict_impact_categories.csv), per unit of the input activity in "
            "data/IAM/dict_inputs_A_matrix.csv (aggregated ecoinvent-based scores shipped with carculator_utils)"
        ),
    }
    with open(sys.argv[1], "w", encoding="utf-8") as handle:  # carculator prints tables on stdout
        handle.write(json.dumps(document, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
