"""Exchange rates: a price in another currency is converted via USD into the scheme's currency.

Hand checks use the values of data/regulations/exchange_rates.yaml as read from their sources:
IDR 2024 = 15,841 per USD (Bank Indonesia period average, Republic of Indonesia 18-K/A, 25 Jul 2025);
SGD 2024 = 1.3363 and 2025 = 1.3065 per USD (FRED AEXSIUS); SGD ARF tiers from S 70/2023
(100 % / 140 % / 190 % / 250 % / 320 % on S$20,000 steps).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from roadcarbon.errors import RuleError, SpecError
from roadcarbon.io.rulebook import REGULATIONS_DIR, load_library
from roadcarbon.rules import Library, evaluate
from roadcarbon.rules.currency import convert_money, parse_exchange_rates

from .conftest import car

ON_2024 = dt.date(2024, 6, 1)
MARKET_CURRENCIES = ("EUR", "SGD", "IDR", "THB", "MYR", "VND", "PHP", "CNY", "BRL", "CLP", "COP", "MXN")


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def _arf(omv_sgd: float) -> float:
    """ARF by hand on the 2023-02 tiers (S 70/2023)."""
    tiers = [(20000.0, 1.0), (20000.0, 1.4), (20000.0, 1.9), (20000.0, 2.5), (float("inf"), 3.2)]
    left, total = omv_sgd, 0.0
    for width, rate in tiers:
        part = min(left, width)
        total += part * rate
        left -= part
        if left <= 0:
            break
    return total


def _bev(**fields: Any) -> Any:
    return car(
        powertrain="BEV",
        fuel="electricity",
        co2_g_per_km=0,
        electricity_consumption_kwh_per_100km=15,
        **fields,
    )


def test_table_holds_the_market_currencies_with_sourced_values(lib: Library) -> None:
    table = lib.exchange_rates
    assert table is not None
    for code in MARKET_CURRENCIES:
        assert 2018 in table.rates[code], code  # every market currency from 2018 on
    assert table.rates["IDR"][2024].value == 15841
    assert table.rates["IDR"][2024].source == "fx_id_18k_2025"
    assert table.rates["SGD"][2024].value == 1.3363
    assert table.rate("USD", 2024) is not None and table.rate("USD", 2024).value == 1.0  # type: ignore[union-attr]
    for years in table.rates.values():
        for rate in years.values():
            assert rate.source in lib.sources and rate.locator


def test_idr_price_is_converted_for_the_singapore_arf_by_hand(lib: Library) -> None:
    result = evaluate(
        lib.get("SG.additional_registration_fee"),
        [car(price=500_000_000, price_currency="IDR")],
        ON_2024,
        library=lib,
    )
    omv_sgd = 500_000_000 / 15841 * 1.3363  # = 42,178.52 SGD
    out = result.vehicle_outcome(0)
    assert out["currency"] == "SGD"
    assert out["amount"] == pytest.approx(_arf(omv_sgd), rel=1e-12)
    assert out["amount"] == pytest.approx(20000 + 28000 + (omv_sgd - 40000) * 1.9, rel=1e-12)


def test_trace_records_price_rates_year_source_converted_value_and_the_tax_base_caveat(lib: Library) -> None:
    result = evaluate(
        lib.get("SG.additional_registration_fee"),
        [car(price=500_000_000, price_currency="IDR")],
        ON_2024,
        library=lib,
    )
    trace = {entry["name"]: entry for entry in result.vehicle_trace(0)}
    given = trace["price as given"]
    assert given["value"] == 500_000_000 and given["unit"] == "IDR"
    idr = trace["exchange rate IDR per USD, 2024"]
    assert idr["value"] == 15841 and idr["unit"] == "IDR/USD"
    assert "fx_id_18k_2025" in idr["note"] and "annual average 2024" in idr["note"]
    sgd = trace["exchange rate SGD per USD, 2024"]
    assert sgd["value"] == 1.3363 and "fx_fred_annual_datahub" in sgd["note"]
    converted = trace["price"]
    assert converted["type"] == "conversion" and converted["unit"] == "SGD"
    assert converted["value"] == pytest.approx(500_000_000 / 15841 * 1.3363)
    assert "tax base" in converted["note"] and "approximation" in converted["note"]
    assert "Open Market Value" in converted["note"]


def test_usd_price_needs_one_rate_only(lib: Library) -> None:
    result = evaluate(
        lib.get("SG.additional_registration_fee"),
        [car(price=30_000, price_currency="USD")],
        ON_2024,
        library=lib,
    )
    assert result.vehicle_outcome(0)["amount"] == pytest.approx(_arf(30_000 * 1.3363))
    names = [entry["name"] for entry in result.vehicle_trace(0)]
    assert "exchange rate SGD per USD, 2024" in names
    assert not any(name.startswith("exchange rate USD") for name in names)


def test_a_year_not_yet_published_uses_the_latest_and_says_so(lib: Library) -> None:
    result = evaluate(
        lib.get("SG.additional_registration_fee"),
        [car(price=30_000, price_currency="USD")],
        dt.date(2026, 6, 1),
        library=lib,
    )
    assert result.vehicle_outcome(0)["amount"] == pytest.approx(_arf(30_000 * 1.3065))
    notes = [entry.get("note", "") for entry in result.vehicle_trace(0) if entry["type"] == "note"]
    assert any("no 2026 annual averages" in note and "the 2025 averages are used" in note for note in notes)


def test_unsourced_currency_year_is_an_error_naming_currency_and_year(lib: Library) -> None:
    arf = lib.get("SG.additional_registration_fee")
    with pytest.raises(SpecError, match=r"no sourced exchange rate for IDR in 2025") as info:
        evaluate(arf, [car(price=500_000_000, price_currency="IDR")], dt.date(2025, 6, 1), library=lib)
    assert info.value.field == "vehicle.price_currency"
    with pytest.raises(
        SpecError, match=r"no sourced exchange rate for VND in 2024 \(the table holds VND for"
    ):
        evaluate(arf, [car(price=900_000_000, price_currency="VND")], ON_2024, library=lib)
    with pytest.raises(SpecError, match=r"for KES in 2024 \(no KES rates"):
        evaluate(arf, [car(price=5_000_000, price_currency="KES")], ON_2024, library=lib)


def test_same_currency_evaluation_is_unchanged(lib: Library) -> None:
    arf = lib.get("SG.additional_registration_fee")
    without = dataclasses.replace(lib, exchange_rates=None)
    vehicles = [car(price=40_000, price_currency="SGD"), car(price=100_000, price_currency="SGD")]
    with_rates = evaluate(arf, vehicles, ON_2024, library=lib)
    no_rates = evaluate(arf, vehicles, ON_2024, library=without)
    assert with_rates.outcome["amount"].tolist() == [48_000.0, 20000 + 28000 + 38000 + 50000 + 20000 * 3.2]
    assert no_rates.outcome["amount"].tolist() == with_rates.outcome["amount"].tolist()
    assert [s.name for s in with_rates.trace.steps] == [s.name for s in no_rates.trace.steps]
    assert not any(s.type == "conversion" for s in with_rates.trace.steps)


def test_without_a_table_a_foreign_price_is_still_refused(lib: Library) -> None:
    without = dataclasses.replace(lib, exchange_rates=None)
    with pytest.raises(SpecError, match="no exchange rates are applied"):
        evaluate(
            lib.get("SG.additional_registration_fee"),
            [car(price=500_000_000, price_currency="IDR")],
            ON_2024,
            library=without,
        )


def test_mixed_currencies_in_one_batch(lib: Library) -> None:
    vehicles = [
        car(price=40_000, price_currency="SGD"),
        car(price=500_000_000, price_currency="IDR"),
        car(price=30_000, price_currency="USD"),
    ]
    result = evaluate(lib.get("SG.additional_registration_fee"), vehicles, ON_2024, library=lib)
    assert result.outcome["amount"].tolist() == pytest.approx(
        [48_000.0, _arf(500_000_000 / 15841 * 1.3363), _arf(30_000 * 1.3363)]
    )

    def shown(i: int) -> dict[tuple[str, str | None], Any]:
        steps = result.vehicle_trace(i)
        return {(e["name"], e.get("unit")): e["value"] for e in steps if e.get("value") is not None}

    # the SGD vehicle's trace carries no conversion values; each foreign-priced vehicle its own
    assert ("price as given", "IDR") not in shown(0) and ("price", "SGD") not in shown(0)
    assert shown(1)[("price as given", "IDR")] == 500_000_000
    assert shown(1)[("price", "SGD")] == pytest.approx(500_000_000 / 15841 * 1.3363)
    assert ("price as given", "USD") not in shown(1)
    assert shown(2)[("price as given", "USD")] == 30_000
    assert shown(2)[("price", "SGD")] == pytest.approx(30_000 * 1.3363)


def test_eeai_formula_converts_the_price_too(lib: Library) -> None:
    result = evaluate(
        lib.get("SG.ev_early_adoption_incentive"),
        [_bev(price=500_000_000, price_currency="IDR", battery_capacity_kwh=60)],
        ON_2024,
        library=lib,
    )
    arf = _arf(500_000_000 / 15841 * 1.3363)
    out = result.vehicle_outcome(0)
    assert out["arf"] == pytest.approx(arf)
    assert out["amount"] <= 0  # a rebate


def test_convert_money_by_hand(lib: Library) -> None:
    import numpy as np

    table = lib.exchange_rates
    assert table is not None
    values, used = convert_money(
        np.array([1_000_000.0, 100.0, np.nan]), np.array(["THB", "", "THB"]), "MYR", ON_2024, table
    )
    assert values[0] == pytest.approx(1_000_000 / 35.2845 * 4.5747)  # FRED AEXTHUS / AEXMAUS 2024
    assert values[1] == 100.0 and np.isnan(values[2])
    assert [(c.from_currency, c.to_currency, c.year) for c, _ in used] == [("THB", "MYR", 2024)]


# --- schema validation of the rate file ----------------------------------------------------------


def _good() -> dict[str, Any]:
    return {
        "unit": "currency units per US dollar (annual average)",
        "published_through": 2025,
        "rates": {"SGD": {2024: {"value": 1.3363, "source": "fx_fred_annual_datahub", "locator": "x"}}},
    }


def test_valid_document_parses() -> None:
    table = parse_exchange_rates(_good(), origin="rates.yaml")
    assert table.rates["SGD"][2024].value == 1.3363


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["rates"]["SGD"][2024].update(valu=1.0),
            r"rates\.yaml: rates\.SGD\.2024\.valu: unknown key",
        ),
        (lambda d: d["rates"]["SGD"][2024].update(value=-1.0), r"rates\.yaml: rates\.SGD\.2024\.value: "),
        (lambda d: d["rates"]["SGD"][2024].pop("source"), r"rates\.yaml: rates\.SGD\.2024\.source: "),
        (lambda d: d["rates"].update(sgd=d["rates"]["SGD"]), r"rates\.yaml: rates\.sgd"),
        (lambda d: d.update(extra=1), r"rates\.yaml: extra: unknown key"),
        (lambda d: d.pop("published_through"), r"rates\.yaml: published_through: "),
        (
            lambda d: d.update(published_through=2023),
            r"rates\.yaml: rates\.SGD\.2024: after published_through",
        ),
        (lambda d: d["rates"].update(USD={2024: d["rates"]["SGD"][2024]}), r"rates\.USD: USD is the base"),
    ],
)
def test_malformed_document_names_file_and_key_path(change: Any, message: str) -> None:
    document = _good()
    change(document)
    with pytest.raises(RuleError, match=message):
        parse_exchange_rates(document, origin="rates.yaml")


def test_unknown_source_key_is_refused(lib: Library) -> None:
    document = _good()
    document["rates"]["SGD"][2024]["source"] = "fx_nowhere"
    with pytest.raises(
        RuleError, match=r"rates\.SGD\.2024\.source: 'fx_nowhere' is not in the source registry"
    ):
        parse_exchange_rates(document, origin="rates.yaml", sources=lib.sources)


def test_loader_names_the_file_of_a_broken_table(tmp_path: Path) -> None:
    root = tmp_path / "regulations"
    shutil.copytree(REGULATIONS_DIR, root)
    path = root / "exchange_rates.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["rates"]["IDR"][2024]["value"] = "many"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(RuleError, match=r"exchange_rates\.yaml: rates\.IDR\.2024\.value: "):
        load_library(root)
