"""The notebook-facing Python API: country names, labelled results, a short repr."""

from __future__ import annotations

import numpy as np
import pytest

import roadcarbon
from roadcarbon import assess, load_reference, load_vehicle
from roadcarbon.errors import UnknownCountryError
from roadcarbon.types import STAGES

pd = pytest.importorskip("pandas")
xr = pytest.importorskip("xarray")

VEHICLES = ["car-medium-bev", "car-medium-petrol"]


@pytest.fixture(scope="module")
def assessment() -> roadcarbon.Assessment:
    return assess(VEHICLES, ["Indonesia", "THA", "cn"], [2025, 2030])


def test_names_and_alpha3_give_the_same_numbers_as_alpha2(assessment: roadcarbon.Assessment) -> None:
    direct = roadcarbon.engine.assess(
        [load_vehicle(v) for v in VEHICLES], ["ID", "TH", "CN"], [2025, 2030], load_reference()
    )
    assert assessment.countries == ("ID", "TH", "CN")
    np.testing.assert_array_equal(assessment.total_g_co2e_per_km, direct.total_g_co2e_per_km)


def test_unknown_country_names_the_position() -> None:
    with pytest.raises(UnknownCountryError, match=r"countries\[1\].*Atlantis"):
        assess(VEHICLES, ["Indonesia", "Atlantis"], [2025])


def test_dataframe_is_tidy_and_sums_to_the_total(assessment: roadcarbon.Assessment) -> None:
    df = assessment.to_dataframe()
    assert list(df.columns) == ["vehicle", "country", "year", "stage", "value", "unit"]
    assert len(df) == 2 * 3 * 2 * len(STAGES)
    assert set(df["unit"]) == {"g CO2e/km"}
    assert df["value"].map(type).eq(float).all() or df["value"].dtype == np.float64
    bev = load_vehicle("car-medium-bev").name
    row = df[(df.vehicle == bev) & (df.country == "TH") & (df.year == 2030)]
    assert list(row.stage) == list(STAGES)
    assert row.value.sum() == pytest.approx(float(assessment.total_g_co2e_per_km[0, 1, 1]), rel=1e-12)
    per_vehicle = assessment.to_dataframe(per="vehicle")
    total_kg = per_vehicle[
        (per_vehicle.vehicle == bev) & (per_vehicle.country == "TH") & (per_vehicle.year == 2030)
    ]
    assert total_kg.value.sum() / 1000 == pytest.approx(float(assessment.total_t_co2e[0, 1, 1]), rel=1e-12)
    assert set(per_vehicle["unit"]) == {"kg CO2e"}


def test_xarray_has_named_dimensions_and_units(assessment: roadcarbon.Assessment) -> None:
    ds = assessment.to_xarray()
    var = ds["stages_g_co2e_per_km"]
    assert var.dims == ("vehicle", "country", "year", "stage")
    assert var.attrs["units"] == "g CO2e/km"
    assert ds["total_t_co2e"].attrs["units"] == "t CO2e"
    assert list(ds.country.values) == ["ID", "TH", "CN"]
    assert ds.attrs["data_version"] == assessment.setup.data_version
    picked = ds["total_g_co2e_per_km"].sel(country="CN", year=2025).isel(vehicle=1).item()
    assert picked == pytest.approx(float(assessment.total_g_co2e_per_km[1, 2, 0]))
    np.testing.assert_allclose(var.sum("stage").values, ds["total_g_co2e_per_km"].values, rtol=1e-12)


def test_xarray_carries_monte_carlo_quantiles() -> None:
    a = assess(["car-medium-bev"], "Indonesia", 2025, samples=200, rng=np.random.default_rng(3))
    q = a.to_xarray()["total_g_co2e_per_km_quantiles"]
    assert q.dims == ("quantile", "vehicle", "country", "year")
    low, mid, high = (q.sel(quantile=x).item() for x in (0.05, 0.5, 0.95))
    assert low < mid < high


def test_repr_is_one_short_line(assessment: roadcarbon.Assessment) -> None:
    text = repr(assessment)
    assert "\n" not in text and len(text) < 120
    assert text.startswith("<Assessment 2 vehicles × 3 countries (ID, TH, CN) × 2 years (2025–2030)")


def test_bad_unit_choice_names_the_field(assessment: roadcarbon.Assessment) -> None:
    with pytest.raises(roadcarbon.InputError, match="per"):
        assessment.to_dataframe(per="mile")


def test_version_is_the_installed_metadata() -> None:
    from importlib.metadata import version

    assert roadcarbon.__version__ == version("roadcarbon")


def test_citation_and_metadata_carry_the_one_version() -> None:
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == roadcarbon.__version__
    assert citation["cff-version"] == "1.2.0" and citation["title"] and citation["authors"]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and 'path = "src/roadcarbon/__init__.py"' in pyproject
