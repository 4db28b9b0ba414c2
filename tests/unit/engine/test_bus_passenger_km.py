"""Bus results per passenger-km (issue 12): sourced occupancy per country, a stated default, a user value;
exposed by the engine, the lca document (JSON) and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from roadcarbon.engine import assess
from roadcarbon.engine.results import per_passenger_km
from roadcarbon.engine.tables import ReferenceTables
from roadcarbon.errors import SpecError
from roadcarbon.io.reference import load_reference
from roadcarbon.io.specs import load_preset, spec_from_mapping
from roadcarbon.services.assessment import lca_document


@pytest.fixture(scope="module")
def real() -> ReferenceTables:
    return load_reference()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "roadcarbon.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_bus_occupancy_comes_from_the_country_row_else_the_stated_default(real):
    bus = load_preset("bus-12m-diesel")
    a = assess([bus], ["GB", "ID"], [2025], real)
    occupancy = a.occupancy_passengers[0, :, 0]
    gb = real.lookup("occupancy_passengers", segment="bus_12m", region="GB")
    default = real.lookup("occupancy_passengers", segment="bus_12m", region="ID")
    assert gb.source_id == "dft_2021_bus_occupancy" and not gb.assumption
    assert default.assumption and dict(default.selectors)["region"] == ""  # no Indonesian figure: the default
    np.testing.assert_allclose(occupancy, [gb.value, default.value])
    np.testing.assert_allclose(a.total_g_co2e_per_pkm, a.total_g_co2e_per_km / a.occupancy_passengers)
    assert a.setup.occupancy_source(0)["source_id"] == "dft_2021_bus_occupancy"


def test_user_occupancy_overrides_the_reference_and_cars_have_none_unless_set(real):
    bus = load_preset("bus-12m-bev").model_copy(update={"occupancy_passengers": 40.0})
    car = load_preset("car-medium-petrol")
    a = assess([bus, car], ["GB"], [2025], real)
    assert a.occupancy_passengers[0, 0, 0] == 40.0
    assert a.setup.occupancy_source(0)["source_id"] == "vehicle spec"
    assert np.isnan(a.total_g_co2e_per_pkm[1, 0, 0]) and a.setup.occupancy_source(1) is None
    shared = assess([car.model_copy(update={"occupancy_passengers": 1.5})], ["GB"], [2025], real)
    assert shared.total_g_co2e_per_pkm[0, 0, 0] == pytest.approx(shared.total_g_co2e_per_km[0, 0, 0] / 1.5)


def test_occupancy_bounds_name_the_field():
    base = load_preset("car-medium-petrol").model_dump(mode="json", exclude_none=True)
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "occupancy_passengers": 12})  # an M1 car has at most 9 seats
    assert info.value.field == "vehicle.occupancy_passengers" and "legal limit" in info.value.message
    with pytest.raises(SpecError) as info:
        spec_from_mapping({**base, "occupancy_passengers": 0})
    assert info.value.field == "vehicle.occupancy_passengers"


def test_per_passenger_km_is_nan_without_a_positive_occupancy():
    out = per_passenger_km(np.array([100.0, 100.0, 100.0]), np.array([4.0, np.nan, 0.0]))
    assert out[0] == 25.0 and np.isnan(out[1]) and np.isnan(out[2])


def test_lca_document_adds_per_passenger_fields_and_keeps_the_vehicle_km_ones():
    doc = lca_document(load_preset("bus-12m-diesel"), "GB", 2025, samples=50, seed=1)
    pp = doc["per_passenger"]
    assert pp["occupancy_source"]["source_id"] == "dft_2021_bus_occupancy"
    assert pp["total_g_co2e_per_pkm"] == pytest.approx(
        doc["total_g_co2e_per_km"] / pp["occupancy_passengers"], rel=1e-4
    )
    assert sum(pp["stages_g_co2e_per_pkm"].values()) == pytest.approx(pp["total_g_co2e_per_pkm"], rel=1e-3)
    assert pp["uncertainty"]["p05"] <= pp["uncertainty"]["p50"] <= pp["uncertainty"]["p95"]
    assert {"total_g_co2e_per_km", "stages_g_co2e_per_km", "lifetime_km"} <= set(doc)
    car = lca_document(load_preset("car-medium-petrol"), "GB", 2025)
    assert "per_passenger" not in car


def test_cli_shows_g_per_pkm_for_buses_in_text_and_json():
    text = _cli("lca", "bus-12m-diesel", "--country", "GB", "--year", "2025")
    assert text.returncode == 0, text.stderr
    assert "total per passenger-km" in text.stdout and "g CO2e per passenger-km" in text.stdout
    assert "dft_2021_bus_occupancy" in text.stdout
    js = _cli("lca", "bus-12m-diesel", "--country", "ID", "--year", "2025", "--json")
    doc = json.loads(js.stdout)
    assert doc["per_passenger"]["occupancy_source"]["assumption"] is True  # the stated default
    car = _cli("lca", "car-medium-petrol", "--country", "ID", "--year", "2025")
    assert "passenger-km" not in car.stdout


def test_xarray_view_carries_per_passenger_km_for_buses_only(real):
    pytest.importorskip("xarray")
    a = assess([load_preset("bus-12m-bev"), load_preset("car-medium-bev")], ["GB", "ID"], [2025], real)
    ds = a.to_xarray()
    assert ds["total_g_co2e_per_pkm"].attrs["units"] == "g CO2e/pkm"
    np.testing.assert_allclose(ds["total_g_co2e_per_pkm"].values[0], a.total_g_co2e_per_pkm[0])
    assert np.all(np.isnan(ds["total_g_co2e_per_pkm"].values[1]))
