"""Planner: the MILP optimum against brute force, the rule library's own figures, infeasibility, bad lineups."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from roadcarbon.cli import app
from roadcarbon.io.rulebook import default_library
from roadcarbon.rules import evaluate_fleet
from roadcarbon.services.calculations import preset
from roadcarbon.services.planning import LineupError, plan_document
from roadcarbon.specs import Fleet, FleetEntry, VehicleSpec

runner = CliRunner()
LIB = default_library()
EU = "EU.co2_standards_cars"


def eu_lineup(**policy: Any) -> dict[str, Any]:
    """Three EU models and two sourcing options for the BEV (priced or hard 2025 target)."""
    return {
        "market": "EU",
        "lca_country": "DE",
        "years": [2025],
        "currency": "EUR",
        "models": [
            {
                "id": "bev",
                "spec": "car-medium-bev",
                "price": 40000,
                "variable_cost": 37000,
                "demand": {"min": 0, "max": 2},
                "options": [
                    {"id": "cn-battery", "battery_production_country": "CN", "extra_cost": 0},
                    {"id": "de-battery", "battery_production_country": "DE", "extra_cost": 500},
                ],
            },
            {
                "id": "petrol",
                "spec": "car-medium-petrol",
                "price": 30000,
                "variable_cost": 25000,
                "demand": {"min": 0, "max": 6},
            },
            {
                "id": "hev",
                "spec": "car-medium-hev",
                "price": 33000,
                "variable_cost": 30500,
                "demand": {"min": 0, "max": 4},
            },
        ],
        "policy": {"targets": "priced", **policy},
    }


def library_profit(
    lineup: dict[str, Any], units: dict[str, int], extra: dict[str, float]
) -> tuple[float, float]:
    """Profit and penalty of a mix by the rule library's own fleet evaluation (no planner code)."""
    entries = [
        FleetEntry(spec=preset(m["spec"]), sales=units[m["id"]])
        for m in lineup["models"]
        if units[m["id"]] > 0
    ]
    margin = sum(
        (m["price"] - m["variable_cost"] - extra.get(m["id"], 0.0)) * units[m["id"]] for m in lineup["models"]
    )
    if not entries:
        return margin, 0.0
    out = evaluate_fleet(LIB.get(EU), Fleet(name="t", vehicles=entries), 2025, library=LIB).outcome
    penalty = float(out.get("penalty") or 0.0)
    return margin - penalty, penalty


def test_optimum_matches_brute_force_and_the_rule_library() -> None:
    lineup = eu_lineup()
    doc = plan_document(lineup, with_trace=False)
    assert doc["status"] == "optimal"
    best = -float("inf")
    best_mix: dict[str, int] = {}
    # every integer mix and every sourcing option of the BEV (the German battery costs 500 more)
    for b, p, h, opt_cost in itertools.product(range(3), range(7), range(5), (0.0, 500.0)):
        units = {"bev": b, "petrol": p, "hev": h}
        profit, _ = library_profit(lineup, units, {"bev": opt_cost})
        if profit > best + 1e-6:
            best, best_mix = profit, units
    assert doc["profit"] == pytest.approx(best, abs=0.01)
    chosen = {row["model"]: row["units"] for row in doc["mix"]}
    profit, penalty = library_profit(
        lineup, chosen, {"bev": 0.0 if doc["mix"][0]["option"] == "cn-battery" else 500.0}
    )
    assert profit == pytest.approx(best, abs=0.01), (chosen, best_mix)
    fleet = doc["fleet"][0]
    assert fleet["scheme"] == EU and fleet["linear_exact"] is True
    assert fleet["penalty_paid"] == pytest.approx(penalty, abs=0.01)
    # the linear model's objective equals the library's profit (exact linearisation here)
    assert doc["profit_model"] == pytest.approx(doc["profit"], abs=0.01)
    assert doc["mix"][0]["option"] == "cn-battery"


def test_hard_target_infeasible_names_the_target_and_priced_pays_the_library_penalty() -> None:
    lineup = eu_lineup()
    # the petrol model must sell 6 and the BEV is not offered: the mix is fixed and above target
    lineup["models"][0]["demand"] = {"min": 0, "max": 0}
    lineup["models"][1]["demand"] = {"min": 6, "max": 6}
    lineup["models"][2]["demand"] = {"min": 4, "max": 4}
    units = {"bev": 0, "petrol": 6, "hev": 4}
    specs = Fleet(
        name="t",
        vehicles=[
            FleetEntry(spec=preset("car-medium-petrol"), sales=6),
            FleetEntry(spec=preset("car-medium-hev"), sales=4),
        ],
    )
    library = evaluate_fleet(LIB.get(EU), specs, 2025, library=LIB).outcome
    assert library["excess"] > 0
    hard = json.loads(json.dumps(lineup))
    hard["policy"]["targets"] = "hard"
    doc = plan_document(hard, with_trace=False)
    assert doc["status"] == "infeasible"
    [miss] = [b for b in doc["binding"] if b["constraint"] == f"{EU}:2025"]
    assert miss["unit"] == "g/km"
    assert miss["shortfall"] == pytest.approx(library["excess"], rel=1e-6)
    priced = plan_document(lineup, with_trace=False)
    assert priced["status"] == "optimal"
    assert priced["fleet"][0]["penalty_paid"] == pytest.approx(library["penalty"], abs=0.01)
    profit, _ = library_profit(lineup, units, {})
    assert priced["profit"] == pytest.approx(profit, abs=0.01)


def test_cli_infeasible_exit_1_and_json_contract(tmp_path: Path) -> None:
    lineup = eu_lineup()
    lineup["policy"]["targets"] = "hard"
    lineup["models"][1]["demand"] = {"min": 6, "max": 6}
    lineup["models"][0]["demand"] = {"min": 0, "max": 0}
    path = tmp_path / "l.yaml"
    path.write_text(yaml.safe_dump(lineup))
    res = runner.invoke(app, ["plan", str(path), "--json"])
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    assert doc["status"] == "infeasible"
    assert any(b["constraint"].startswith(EU) for b in doc["binding"])


def test_cli_optimal_with_pareto(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_text(yaml.safe_dump(eu_lineup()))
    res = runner.invoke(app, ["plan", str(path), "--json", "--pareto", "4"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) >= {"status", "currency", "profit", "mix", "fleet", "binding", "pareto"}
    assert doc["currency"] == "EUR"
    assert {"model", "year", "units", "option"} <= set(doc["mix"][0])
    assert {"target", "average", "unit", "compliant", "penalty"} <= set(doc["fleet"][0]["outcome"])
    assert {"scheme", "year", "target", "average", "unit", "compliant", "penalty", "currency"} <= set(
        doc["fleet"][0]
    )
    assert all({"constraint", "shadow_price"} <= set(b) for b in doc["binding"])
    front = doc["pareto"]
    assert len(front) >= 2
    # less emissions never earn more profit
    for lo, hi in itertools.pairwise(front):
        assert lo["t_co2e"] <= hi["t_co2e"] and lo["profit"] <= hi["profit"] + 0.01
    assert front[-1]["profit"] == pytest.approx(doc["profit_model"], abs=0.01)
    table = runner.invoke(app, ["plan", str(path)])
    assert table.exit_code == 0 and "petrol" in table.stdout and "profit" in table.stdout


BAD = {
    "models.0.spec": ("spec", "no-such-car"),
    "models.1.demand.min": ("demand", {"min": -5, "max": 10}),
    "models.0.options.1.battery_production_country": ("battery", "Atlantis"),
}


def bad_lineup() -> dict[str, Any]:
    lineup = eu_lineup()
    del lineup["currency"]
    lineup["models"][0]["spec"] = "no-such-car"
    lineup["models"][1]["demand"] = {"min": -5, "max": 10}
    lineup["models"][0]["options"][1]["battery_production_country"] = "Atlantis"
    return lineup


def test_bad_lineup_names_every_field() -> None:
    with pytest.raises(LineupError) as err:
        plan_document(bad_lineup())
    fields = {p["field"] for p in err.value.problems}
    assert {
        "currency",
        "models.0.spec",
        "models.1.demand.min",
        "models.0.options.1.battery_production_country",
        "models.0.price",
    } <= fields
    assert "unknown model 'no-such-car'" in str(err.value)


def test_cli_bad_lineup_exit_2_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad_lineup()))
    res = runner.invoke(app, ["plan", str(path)])
    assert res.exit_code == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output
    for field in (
        "currency",
        "models.0.spec",
        "models.1.demand.min",
        "models.0.options.1.battery_production_country",
    ):
        assert field in lines[0]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "1e3", True])
def test_non_finite_or_text_numbers_are_refused(value: Any) -> None:
    lineup = eu_lineup()
    lineup["models"][2]["price"] = value
    with pytest.raises(LineupError) as err:
        plan_document(lineup)
    assert err.value.problems[0]["field"] == "models.2.price"


@pytest.mark.parametrize("lineup_id", ["th-byd", "id-wuling-toyota", "eu-byd-vinfast"])
def test_bundled_lineups_plan_and_agree_with_the_rule_library(lineup_id: str) -> None:
    from roadcarbon.services.planning import bundled_lineups, read_lineup

    doc = plan_document(read_lineup(bundled_lineups()[lineup_id]), with_trace=False)
    assert doc["status"] == "optimal"
    # each chosen model's per-unit amounts are the rule library's own outcome for that vehicle
    for model in doc["models"]:
        for year in model["years"]:
            for s in year["schemes"]:
                assert s["amount_per_unit"] == pytest.approx(
                    float(s["outcome"].get("amount") or 0.0), abs=0.01
                )


def test_id_local_content_option_earns_the_vat_incentive() -> None:
    from roadcarbon.services.planning import bundled_lineups, read_lineup

    doc = plan_document(read_lineup(bundled_lineups()["id-wuling-toyota"]), with_trace=False)
    air = next(m for m in doc["models"] if m["model"] == "wuling-air-ev-lr")
    vat = next(s for s in air["years"][0]["schemes"] if s["scheme"] == "ID.ev_vat_incentive")
    # the local pack reaches the TKDN threshold; the rule library grants the incentive (a negative amount)
    assert air["option"] == "local-pack" and vat["amount_per_unit"] < 0


def test_option_country_without_engine_data_names_the_option() -> None:
    lineup = eu_lineup()
    lineup["models"][0]["options"][1]["battery_production_country"] = "HU"
    with pytest.raises(LineupError) as err:
        plan_document(lineup)
    assert err.value.problems[0]["field"] == "models.0.options.1"


def cn_lineup(**policy: Any) -> dict[str, Any]:
    return {
        "market": "CN",
        "years": [2025],
        "currency": "CNY",
        "models": [
            {
                "id": "bev",
                "spec": {"preset": "car-medium-bev", "electric_range_km": 450},
                "price": 150000,
                "variable_cost": 140000,
                "demand": {"min": 0, "max": 200},
            },
            {
                "id": "petrol",
                "spec": "car-medium-petrol",
                "price": 120000,
                "variable_cost": 100000,
                "demand": {"min": 0, "max": 2000},
            },
        ],
        "policy": {"targets": "priced", **policy},
    }


def test_cn_credits_trade_at_the_library_balance() -> None:
    doc = plan_document(cn_lineup(credit_price={"buy": 800, "sell": 500}), with_trace=False)
    assert doc["status"] == "optimal"
    units = {m["model"]: m["units"] for m in doc["mix"]}
    fleet = Fleet(
        name="t",
        vehicles=[
            FleetEntry(
                spec=preset("car-medium-bev").model_copy(update={"electric_range_km": 450}),
                sales=units["bev"],
            ),
            FleetEntry(spec=preset("car-medium-petrol"), sales=units["petrol"]),
        ],
    )
    balance = float(evaluate_fleet(LIB.get("CN.nev_credits"), fleet, 2025, library=LIB).outcome["credits"])
    nev = next(f for f in doc["fleet"] if f["scheme"] == "CN.nev_credits")
    assert nev["outcome"]["credits"] == pytest.approx(balance)
    # a surplus is sold, a deficit bought: never both, and the balance after trading is >= 0
    assert min(nev["credits_bought"], nev["credits_sold"]) == 0
    assert balance + nev["credits_bought"] - nev["credits_sold"] >= -1e-6
    assert doc["credit_trade"] == pytest.approx(
        500 * nev["credits_sold"] - 800 * nev["credits_bought"], abs=0.01
    )


def test_cn_without_trading_a_deficit_is_infeasible_and_named() -> None:
    lineup = cn_lineup()
    lineup["models"][0]["demand"] = {"min": 0, "max": 0}
    lineup["models"][1]["demand"] = {"min": 1000, "max": 2000}
    doc = plan_document(lineup, with_trace=False)
    assert doc["status"] == "infeasible"
    assert any(b["constraint"] == "CN.nev_credits:2025" and b["shortfall"] > 0 for b in doc["binding"])


def test_huge_numbers_are_refused() -> None:
    lineup = eu_lineup()
    lineup["models"][0]["price"] = 1e300
    with pytest.raises(LineupError) as err:
        plan_document(lineup)
    assert err.value.problems[0]["field"] == "models.0.price"


def test_sg_registration_taxes_shift_demand_between_models() -> None:
    # a linear demand curve at the buyer price (list price + the rule library's ARF incl. VES/EEAI)
    curve = {"elasticity": -1.0, "reference_volume": 1000, "reference_price": 250000}
    lineup = {
        "market": "SG",
        "years": [2025],
        "currency": "SGD",
        "models": [
            {
                "id": "bev",
                "spec": "mg4-electric-64kwh-wltp",
                "price": 100000,
                "variable_cost": 90000,
                "demand": curve,
            },
            {
                "id": "petrol",
                "spec": "mazda-cx-5-2-0-wltp",
                "price": 100000,
                "variable_cost": 90000,
                "demand": curve,
            },
        ],
        "policy": {"incidence": "buyer"},
    }
    doc = plan_document(lineup, with_trace=False)
    units = {m["model"]: m["units"] for m in doc["mix"]}
    for model in doc["models"]:
        arf = next(s for s in model["years"][0]["schemes"] if s["scheme"] == "SG.arf_payable")
        buyer_price = 100000 + float(arf["outcome"]["amount"])
        expected = max(int(1000 * (1 - (buyer_price - 250000) / 250000)), 0)
        assert units[model["model"]] == expected
    assert units["bev"] != units["petrol"]


def test_cli_bundled_lineup_and_year_option() -> None:
    res = runner.invoke(app, ["plan", "eu-byd-vinfast", "--year", "2026", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["years"] == [2026] and {m["year"] for m in doc["mix"]} == {2026}
    missing = runner.invoke(app, ["plan", "no-such-lineup"])
    assert missing.exit_code == 2 and "lineup" in missing.stderr


def test_cli_table_shows_odd_model_ids_verbatim(tmp_path: Path) -> None:
    lineup = eu_lineup()
    lineup["models"][1]["id"] = "[bold]petrol[/bold] 汽油"
    path = tmp_path / "l.yaml"
    path.write_text(yaml.safe_dump(lineup, allow_unicode=True), encoding="utf-8")
    res = runner.invoke(app, ["plan", str(path)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "[bold]petrol[/bold] 汽油" in res.stdout


def nedc_petrol(co2_g_per_km: float) -> dict[str, Any]:
    """The medium petrol preset rated on NEDC (the EU 2020 version's cycle), with a given CO2."""
    spec = preset("car-medium-petrol").model_dump(mode="json")
    spec.update(test_cycle="NEDC", co2_g_per_km=co2_g_per_km)
    return spec


def test_eu_2020_phase_in_penalty_is_the_library_penalty_on_the_counted_cars() -> None:
    """EU 2020: the 95 % phase-in (Annex I Part A) and the premium on the cars counted (Art. 8(2)).

    Before the fix the planner priced rate x 95 % x the excess of ALL cars (the highest emitters
    included): 10,045.81 EUR for this mix where the library (Art. 8(2)) charges 9,476.25.
    """
    hi, lo = nedc_petrol(120.0), nedc_petrol(90.0)
    lineup: dict[str, Any] = {
        "market": "EU",
        "lca_country": "DE",
        "years": [2020],
        "currency": "EUR",
        "models": [
            {"id": "hi", "spec": hi, "price": 30000, "variable_cost": 25000, "demand": {"min": 6, "max": 6}},
            {"id": "lo", "spec": lo, "price": 33000, "variable_cost": 30500, "demand": {"min": 4, "max": 4}},
        ],
        "policy": {"targets": "priced"},
    }
    doc = plan_document(lineup, with_trace=False)
    assert doc["status"] == "optimal"
    fleet = Fleet(
        name="t",
        vehicles=[
            FleetEntry(spec=VehicleSpec.model_validate(hi), sales=6),
            FleetEntry(spec=VehicleSpec.model_validate(lo), sales=4),
        ],
    )
    library = evaluate_fleet(LIB.get(EU), fleet, 2020, library=LIB).outcome
    assert library["penalty"] > 0
    margin = 6 * 5000 + 4 * 2500
    planner_penalty = margin - doc["profit_model"]  # the penalty the optimiser priced
    # the only difference allowed: Art. 8(2) rounds the excess to 3 decimals before multiplying
    counted = 0.95 * 10
    rounding = 0.0005 * 95 * counted
    assert planner_penalty == pytest.approx(library["penalty"], abs=rounding + 0.01)
    assert doc["fleet"][0]["penalty_paid"] == pytest.approx(library["penalty"], abs=0.01)
    assert doc["fleet"][0]["linear_exact"] is True


def test_eu_2020_phase_in_leaves_out_the_highest_emitter_when_choosing() -> None:
    """A free mix under the 2020 phase-in: the optimum's profit is the best by the library's own figures."""
    hi, lo = nedc_petrol(140.0), nedc_petrol(80.0)
    lineup: dict[str, Any] = {
        "market": "EU",
        "lca_country": "DE",
        "years": [2020],
        "currency": "EUR",
        "models": [
            {"id": "hi", "spec": hi, "price": 30000, "variable_cost": 27000, "demand": {"min": 0, "max": 20}},
            {"id": "lo", "spec": lo, "price": 31000, "variable_cost": 29500, "demand": {"min": 0, "max": 20}},
        ],
        "policy": {"targets": "priced"},
    }
    doc = plan_document(lineup, with_trace=False)
    assert doc["status"] == "optimal"
    best = -float("inf")
    for h, low in itertools.product(range(21), range(21)):
        entries = [
            FleetEntry(spec=VehicleSpec.model_validate(s), sales=n) for s, n in ((hi, h), (lo, low)) if n > 0
        ]
        penalty = 0.0
        if entries:
            out = evaluate_fleet(LIB.get(EU), Fleet(name="t", vehicles=entries), 2020, library=LIB).outcome
            penalty = float(out.get("penalty") or 0.0)
        best = max(best, 3000 * h + 1500 * low - penalty)
    assert doc["profit"] == pytest.approx(best, abs=0.01)
