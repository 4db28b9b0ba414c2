# ruff: noqa: T201  (an example prints what it shows)
"""Worked example: three medium cars in five Belt-and-Road countries, first used 2025–2035.

Run it with the ``notebook`` extra (pandas, xarray, matplotlib)::

    pip install "roadcarbon[notebook]"
    python examples/three_vehicles_five_countries.py            # writes three_vehicles_five_countries.png

It uses only the public Python API: :func:`roadcarbon.assess` (countries by name or ISO code),
``Assessment.to_dataframe()`` (tidy table) and ``Assessment.to_xarray()`` (labelled arrays with units).
"""

from __future__ import annotations

import sys
from pathlib import Path

import roadcarbon as rc

VEHICLES = ["car-medium-bev", "car-medium-hev", "car-medium-petrol"]
COUNTRIES = ["Indonesia", "China", "Thailand", "Chile", "Brazil"]
YEARS = list(range(2025, 2036))


def main(out: Path) -> Path:
    """Assess 3 × 5 × 11 set-ups, print two summaries and save a chart [g CO2e/km] to ``out``."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    a = rc.assess(VEHICLES, COUNTRIES, YEARS)
    print(a)

    # Tidy table: one row per vehicle, country, year and stage.
    df = a.to_dataframe()
    short = {v.name: v.powertrain.value for v in a.vehicles}
    df["powertrain"] = df["vehicle"].map(short)
    totals = df.groupby(["powertrain", "country", "year"], as_index=False)["value"].sum()
    print(
        totals[totals.year.isin([2025, 2035])]
        .pivot_table(index="country", columns=["year", "powertrain"], values="value")
        .round(0)
    )

    # Labelled arrays: select by name, units travel with the data.
    ds = a.to_xarray()
    total = ds["total_g_co2e_per_km"]
    print(
        f"BEV in Indonesia, 2030: {total.sel(country='ID', year=2030).isel(vehicle=0).item():.0f} {total.attrs['units']}"
    )

    fig, axes = plt.subplots(1, len(a.countries), figsize=(3.2 * len(a.countries), 3.4), sharey=True)
    for ax, country in zip(axes, a.countries, strict=True):
        for v, vehicle in enumerate(ds.vehicle.values):
            ax.plot(
                ds.year,
                total.sel(country=country).isel(vehicle=v),
                marker="o",
                ms=3,
                label=short[str(vehicle)],
            )
        ax.set_title(country)
        ax.set_xlabel("first year of use")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(f"life-cycle GHG [{total.attrs['units']}]")
    axes[-1].legend(frameon=False)
    fig.suptitle(f"Medium cars, cradle to grave (roadcarbon data {ds.attrs['data_version']})")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(f"chart: {out}")
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("three_vehicles_five_countries.png"))
