"""Market-average presets (issue 12): derived from the GFEI figures by the stated arithmetic, resolved by
``average`` for the country of use, refused with the available list when a market has none."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from roadcarbon.errors import SpecError
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import list_presets, load_preset, market_average_id, presets_path

# IEA/GFEI 2019 Fig. 37 data (Lge/100 km, 2017 registrations, WLTP): values re-typed from the source
# file, independently of the generator script, to check what the presets hold.
GFEI = {
    ("us", "petrol"): 8.6,
    ("us", "bev"): 1.9,
    ("cn", "petrol"): 7.8,
    ("cn", "bev"): 1.6,
    ("in", "petrol"): 5.5,
    ("in", "bev"): 1.8,
    ("th", "bev"): 2.3,
    ("id", "petrol"): 7.4,
    ("de", "diesel"): 5.6,
}


@pytest.mark.parametrize(("market", "kind"), sorted(GFEI))
def test_preset_holds_the_gfei_figure_converted_with_package_energy_contents(market: str, kind: str) -> None:
    spec = load_preset(f"avg-{market}-medium-{kind}")
    tables = load_reference()
    petrol_mj_per_l = tables.lookup("fuel_energy_mj_per_unit", fuel="petrol").value
    lge = GFEI[(market, kind)]
    assert "gfei_2019_fig37" in spec.sources
    assert spec.test_cycle.value == "WLTP"
    if kind == "bev":
        assert spec.electricity_consumption_kwh_per_100km == pytest.approx(
            lge * petrol_mj_per_l / 3.6, abs=0.006
        )
    elif kind == "diesel":
        diesel_mj_per_l = tables.lookup("fuel_energy_mj_per_unit", fuel="diesel").value
        assert spec.fuel_consumption_l_per_100km == pytest.approx(
            lge * petrol_mj_per_l / diesel_mj_per_l, abs=0.006
        )
    else:
        assert spec.fuel_consumption_l_per_100km == lge


def test_every_average_preset_cites_gfei_in_the_package_sources() -> None:
    ids = [p for p in list_presets() if p.startswith("avg-")]
    assert len(ids) >= 30
    sources = (presets_path().parent / "factors" / "sources.csv").read_text(encoding="utf-8")
    assert re.search(r"^gfei_2019_fig37,", sources, flags=re.MULTILINE)
    for pid in ids:
        assert load_preset(pid).sources[0] == "gfei_2019_fig37", pid


def test_implausible_source_values_are_not_shipped() -> None:
    """Poland's GFEI electric figure (20.6 Lge = 183 kWh/100 km) is a data error: no PL BEV preset."""
    assert "avg-pl-medium-bev" not in list_presets()
    assert "avg-pl-medium-petrol" in list_presets()


@pytest.mark.parametrize(
    ("arg", "powertrain", "expected"),
    [
        ("average", None, "avg-us-medium-petrol"),
        ("average", "BEV", "avg-us-medium-bev"),
        ("average", "electric", "avg-us-medium-bev"),
        ("average-bev", None, "avg-us-medium-bev"),
        ("average-medium-hev", None, "avg-us-medium-hev"),
        ("average-diesel", "diesel", "avg-us-medium-diesel"),
    ],
)
def test_average_resolves_for_the_country(arg: str, powertrain: str | None, expected: str) -> None:
    assert market_average_id(arg, "US", powertrain) == expected


def test_missing_average_names_what_the_market_has() -> None:
    with pytest.raises(
        SpecError, match=r"no market-average medium bev car for ID; available for ID: avg-id-medium-diesel"
    ):
        market_average_id("average-bev", "ID")
    with pytest.raises(SpecError, match="markets with averages: CN, DE"):
        market_average_id("average", "SG")
    with pytest.raises(SpecError, match="unknown market-average car"):
        market_average_id("average-rocket", "US")
    with pytest.raises(SpecError, match="give one"):
        market_average_id("average-bev", "US", "petrol")


def test_cli_average_is_the_market_preset() -> None:
    """`roadcarbon lca average --powertrain bev --country US` gives the same numbers as the preset id."""

    def run(*args: str) -> dict[str, object]:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "roadcarbon.cli",
                "lca",
                *args,
                "--country",
                "US",
                "--year",
                "2025",
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout)

    by_word = run("average", "--powertrain", "bev")
    by_id = run("avg-us-medium-bev")
    assert by_word["total_g_co2e_per_km"] == by_id["total_g_co2e_per_km"]
    assert by_word["vehicle"] == load_preset("avg-us-medium-bev").name


def test_cli_average_without_one_for_the_market_exits_2() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "roadcarbon.cli", "lca", "average-bev", "--country", "ID", "--year", "2025"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert "available for ID" in out.stderr and "Traceback" not in out.stderr
