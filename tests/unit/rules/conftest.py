"""Small synthetic schemes for the rule-library unit tests (numbers here are test inputs, not law)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from roadcarbon.rules.registry import Library, parse_scheme
from roadcarbon.rules.schema import Scheme, Source
from roadcarbon.specs import VehicleSpec

SOURCES = {"xx_test": Source(title="test source")}


def ref(locator: str = "t") -> dict[str, str]:
    return {"source": "xx_test", "locator": locator}


def value(v: Any, status: str = "enacted", note: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"value": v, "reference": ref(), "status": status}
    if note:
        out["note"] = note
    return out


BAND_DOC: dict[str, Any] = {
    "id": "XX.bands",
    "market": "XX",
    "title": "Test bands",
    "category": "emission_band",
    "kind": "band_table",
    "legal_reference": [{"instrument": "test"}],
    "scope": {"categories": ["passenger_car"]},
    "test_cycle": "WLTP",
    "period": "instant",
    "period_basis": "registration_date",
    "currency": "SGD",
    "last_verified_on": "2026-11-28",
    "versions": [
        {"id": "v1", "valid_from": "2020-01-01", "valid_to": "2020-12-31"},
        {"id": "v2", "valid_from": "2021-01-01", "valid_to": "2021-12-31"},
    ],
    "inputs": ["co2_g_per_km", "nox_g_per_km"],
    "parameters": {
        "names": {"unit": "band", "values": {"2020-01-01": value(["A", "B", "C"])}},
        "co2_limits": {
            "unit": "g/km",
            "values": {
                "2020-01-01": value([100, 150]),
                "2021-01-01": value([90, 140], "unverified", "secondary only"),
                "2022-01-01": None,
            },
        },
        "nox_limits": {"unit": "g/km", "values": {"2020-01-01": value([0.01, 0.02])}},
        "amounts": {"unit": "SGD", "values": {"2020-01-01": value([-1000, 0, 1000])}},
    },
    "band_table": {
        "combine": "worst_of",
        "band_names": "names",
        "amounts": "amounts",
        "metrics": [
            {"input": "co2_g_per_km", "thresholds": "co2_limits"},
            {"input": "nox_g_per_km", "thresholds": "nox_limits"},
        ],
    },
}


def doc(**changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(BAND_DOC)
    d.update(changes)
    return d


def scheme(document: dict[str, Any] | None = None) -> Scheme:
    return parse_scheme(document or doc(), origin="test.yaml")


def library(*schemes: Scheme) -> Library:
    return Library.build([(s, f"{s.id}.yaml") for s in schemes], SOURCES)


def car(**fields: Any) -> VehicleSpec:
    base: dict[str, Any] = {
        "name": "car",
        "category": "passenger_car",
        "segment": "medium",
        "powertrain": "ICEV",
        "fuel": "petrol",
        "curb_mass_kg": 1400,
        "test_cycle": "WLTP",
        "co2_g_per_km": 120,
        "nox_g_per_km": 0.005,
    }
    base.update(fields)
    return VehicleSpec.model_validate(base)


@pytest.fixture
def band_scheme() -> Scheme:
    return scheme()
