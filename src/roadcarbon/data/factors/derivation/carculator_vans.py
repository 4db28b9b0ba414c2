"""Extract carculator 1.9.5 model outputs for the 2020 Van size class (build time only).

Run in a separate environment (carculator is not a roadcarbon dependency)::

    python -m venv /tmp/carc && /tmp/carc/bin/pip install carculator==1.9.5
    /tmp/carc/bin/python src/roadcarbon/data/factors/derivation/carculator_vans.py \
        src/roadcarbon/data/factors/derivation/carculator_2020_vans.json

Static (central) default parameters, year 2020, WLTC, powertrains ICEV-d, ICEV-p and BEV, as
``carculator_outputs.py`` does for the car classes; the van presets (``van-*.yaml``) quote the outputs.
"""

from __future__ import annotations

import json
import sys
import warnings

POWERTRAINS = ("ICEV-d", "ICEV-p", "BEV")
NAMES = (
    "curb mass",
    "driving mass",
    "TtW energy",
    "electricity consumption",
    "electric energy stored",
    "LHV fuel MJ per kg",
    "fuel density per kg",
    "power",
    "lifetime kilometers",
    "kilometers per year",
    "battery lifetime kilometers",
)


def main() -> None:
    """Write the outputs as one JSON document to the path given as first argument."""
    warnings.filterwarnings("ignore")
    import carculator  # optional, build-time only

    tip = carculator.CarInputParameters()
    tip.static()
    _, array = carculator.fill_xarray_from_input_parameters(
        tip, scope={"size": ["Van"], "powertrain": list(POWERTRAINS), "year": [2020]}
    )
    cm = carculator.CarModel(array, cycle="WLTC")
    cm.set_all()
    params = {str(p) for p in cm.array.coords["parameter"].values}
    vans = {}
    for pt in POWERTRAINS:
        values: dict[str, object] = {
            n: float(cm.array.sel(size="Van", powertrain=pt, year=2020, parameter=n, value=0))
            for n in NAMES
            if n in params
        }
        values["chemistry"] = cm.energy_storage["electric"].get((pt, "Van", 2020), "")
        vans[f"Van|{pt}"] = values
    document = {"tools": {"carculator": "1.9.5"}, "year": 2020, "cycle": "WLTC", "vans": vans}
    with open(sys.argv[1], "w", encoding="utf-8") as handle:  # carculator prints tables on stdout
        handle.write(json.dumps(document, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
