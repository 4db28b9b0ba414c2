"""Fleet stock-turnover model: conservation, baselines, mandates, hand-computed cases, Monte Carlo."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest

from roadcarbon.fleet.run import compare_document, draw_uncertainty, execute
from roadcarbon.fleet.scenario import ScenarioError
from roadcarbon.fleet.stock import logit_shares, turnover, weibull_survival
from roadcarbon.io.reference import load_reference
from roadcarbon.io.rulebook import default_library
from roadcarbon.io.scenarios import load_scenario, parse_document, read_text, scenario_path


@pytest.fixture(scope="module")
def tables() -> Any:
    return load_reference()


@pytest.fixture(scope="module")
def library() -> Any:
    return default_library()


def _doc(name: str) -> dict[str, Any]:
    text = scenario_path(name).read_text(encoding="utf-8")
    return dict(read_text(text))


def test_turnover_conserves_stock_each_year() -> None:
    rng = np.random.default_rng(1)
    n_t, n_p = 12, 3
    sales = rng.uniform(0, 100, (1, n_t, n_p))
    ages = np.arange(60 + n_t + 1, dtype=float)
    surv = weibull_survival(ages, 8.0, 3.0)[None, :]
    km = np.ones_like(surv) * 1000.0
    cohorts = rng.uniform(0, 50, (1, 60, n_p))
    out = turnover(sales, cohorts, surv, km)
    stock, scrap = out["stock"][0], out["scrappage"][0]
    np.testing.assert_allclose(stock[0], cohorts[0].sum(axis=0))
    for t in range(1, n_t):
        np.testing.assert_allclose(stock[t], stock[t - 1] + sales[0, t] - scrap[t], rtol=1e-12)
    assert (scrap >= -1e-9).all()


def test_turnover_matches_hand_computed_case() -> None:
    # One technology, survival S(a) = exp(-(a/2)^1): S(1) = e^-0.5, S(2) = e^-1.
    # Base stock 100 vehicles all of age 0 (cohort array with one age), sales 10 in year 1.
    ages = np.arange(10, dtype=float)
    surv = np.exp(-ages / 2.0)[None, :]
    km = np.full_like(surv, 1.0)
    cohorts = np.array([[[100.0]]])
    sales = np.array([[[999.0], [10.0], [0.0]]])  # year-0 sales are inside the base stock
    out = turnover(sales, cohorts, surv, km)
    s1 = 100 * math.exp(-0.5) + 10
    s2 = 100 * math.exp(-1.0) + 10 * math.exp(-0.5)
    np.testing.assert_allclose(out["stock"][0, :, 0], [100.0, s1, s2])
    np.testing.assert_allclose(out["scrappage"][0, 1:, 0], [100 - 100 * math.exp(-0.5), s1 + 0 - s2])
    np.testing.assert_allclose(out["vkm"][0, :, 0], [100.0, s1, s2])


def test_logit_hand_case_and_no_change_is_identity() -> None:
    base = np.array([[0.5, 0.5]])
    same = logit_shares(base, np.zeros_like(base), -2.0)
    np.testing.assert_allclose(same, base)
    # Price of B up 10 %: weights 0.5 and 0.5 * 1.1^-2.
    moved = logit_shares(base, np.array([[0.0, 0.1]]), -2.0)
    wb = 0.5 * 1.1**-2
    np.testing.assert_allclose(moved[0], [0.5 / (0.5 + wb), wb / (0.5 + wb)])


def test_no_policy_scenario_equals_its_baseline(tables: Any, library: Any) -> None:
    doc = _doc("sg_cleaner_energy_2030")
    doc.pop("policy")
    plain = parse_document(doc)
    base = load_scenario("sg_cars_baseline")
    a = execute(plain, tables=tables, library=library).to_dict()
    b = execute(base, tables=tables, library=library).to_dict()
    assert a["emissions_t_co2e"] == b["emissions_t_co2e"]
    assert a["stock"] == b["stock"]
    cmp = compare_document(
        execute(base, tables=tables, library=library), execute(plain, tables=tables, library=library)
    )
    assert all(v == 0.0 for v in cmp["total_abatement_t_co2e"].values())


def test_full_bev_mandate_leaves_no_new_ice_cohort(tables: Any, library: Any) -> None:
    doc = _doc("id_cars_baseline")
    doc["policy"] = {"mandates": [{"from_year": 2030, "powertrains": ["BEV"], "min_share": 1.0}]}
    sc = parse_document(doc)
    run = execute(sc, tables=tables, library=library)
    years = sc.years
    sales = run.central.sales[0]
    labels = sc.labels
    after = np.array(years) >= 2030
    for i, lab in enumerate(labels):
        if lab != "electric":
            assert (sales[after, i] == 0).all()
    np.testing.assert_allclose(sales[after].sum(axis=1), sales[after, labels.index("electric")])
    # Combustion stock only shrinks once the mandate is in force.
    petrol = run.central.stock[0, :, labels.index("petrol")]
    assert (np.diff(petrol[after]) < 0).all()


def test_mandate_increases_abatement_and_sg_rule_has_no_petrol_sales(tables: Any, library: Any) -> None:
    base = execute(load_scenario("sg_cars_baseline"), tables=tables, library=library)
    pol = execute(load_scenario("sg_cleaner_energy_2030"), tables=tables, library=library)
    doc = compare_document(base, pol)
    i2030 = doc["years"].index(2030)
    assert doc["policy"]["sales"]["petrol"][i2030] == 0.0
    assert doc["baseline"]["sales"]["petrol"][i2030] > 0.0
    assert doc["abatement_t_co2e"]["ttw"]["per_year"][i2030 - 1] == pytest.approx(0.0, abs=1e-6)
    assert doc["abatement_t_co2e"]["ttw"]["cumulative"][-1] > 0
    steps = doc["waterfall"]
    total = steps[0]["value_t_co2e"] + sum(s["value_t_co2e"] for s in steps[1:-1])
    assert total == pytest.approx(steps[-1]["value_t_co2e"], rel=1e-9)


def test_emissions_follow_engine_factors_by_hand(tables: Any, library: Any) -> None:
    sc = load_scenario("cl_santiago_buses_baseline")
    run = execute(sc, tables=tables, library=library)
    f = run.factors
    vkm = run.central.vkm[0]
    ttw = (vkm * f.ttw_kg_co2e_per_km).sum(axis=1) / 1000
    np.testing.assert_allclose(run.central.emissions_t_co2e["ttw"][0], ttw)
    # Electric buses: WTW = kWh/km x vkm x T&D multiplier x grid / 1e6.
    e = sc.labels.index("electric")
    elec = vkm[:, e] * f.electricity_kwh_per_km[e] * f.grid_loss_multiplier[e] * f.grid_g_co2e_per_kwh / 1e6
    np.testing.assert_allclose(run.central.emissions_by_technology_t_co2e["wtw"][0][:, e], elec)
    assert f.ttw_kg_co2e_per_km[e] == 0.0


def test_monte_carlo_is_seeded_and_reproducible(tables: Any, library: Any) -> None:
    sc = load_scenario("th_ev35")
    r1 = execute(
        sc, tables=tables, library=library, samples=50, rng=np.random.default_rng(7), seed=7
    ).to_dict()
    r2 = execute(
        sc, tables=tables, library=library, samples=50, rng=np.random.default_rng(7), seed=7
    ).to_dict()
    r3 = execute(
        sc, tables=tables, library=library, samples=50, rng=np.random.default_rng(8), seed=8
    ).to_dict()
    assert r1["uncertainty"] == r2["uncertainty"]
    assert r1["uncertainty"] != r3["uncertainty"]
    band = r1["uncertainty"]["emissions_t_co2e"]["wtw"]
    assert all(lo <= mid <= hi for lo, mid, hi in zip(band["p05"], band["p50"], band["p95"], strict=True))
    assert band["p95"][-1] > band["p05"][-1]


def test_paired_draws_give_zero_abatement_band_for_identical_scenarios(tables: Any, library: Any) -> None:
    sc = load_scenario("sg_cars_baseline")
    draws = draw_uncertainty(sc, 20, np.random.default_rng(3))
    a = execute(sc, tables=tables, library=library, draws=draws)
    b = execute(sc, tables=tables, library=library, draws=draws)
    doc = compare_document(a, b)
    assert doc["uncertainty"]["abatement_t_co2e"]["wtw"]["cumulative"]["p95"][-1] == 0.0


def test_cross_country_scheme_moves_shares_and_revenue(tables: Any, library: Any) -> None:
    own = execute(load_scenario("id_cars_ppnbm"), tables=tables, library=library).to_dict()
    ves = execute(load_scenario("id_cars_band_scheme"), tables=tables, library=library).to_dict()
    assert own["fiscal"]["schemes"][0]["cross_country"] is False
    assert ves["fiscal"]["schemes"][0]["cross_country"] is True
    assert ves["fiscal"]["schemes"][0]["market"] == "SG"
    assert ves["sales"]["electric"][0] > own["sales"]["electric"][0]
    assert own["fiscal"]["revenue"][0] > 0
    # Same scheme as reference and policy: shares untouched, equal to the no-scheme baseline.
    base = execute(load_scenario("id_cars_baseline"), tables=tables, library=library).to_dict()
    assert own["sales"] == base["sales"]


BAD = """
name: broken
country: ID
segment: passenger_car
base_year: 2023
end_year: 2030
sources: [{title: test}]
technologies:
  petrol: {preset: car-medium-petrol}
  electric: {preset: car-medium-bev}
initial_stock: {values: {petrol: 100, electric: 1}, source: test}
sales:
  total: {2023: 10}
  shares: {2023: {petrol: 0.7, electric: 0.2}, 2030: {petrol: 0.5, electric: 0.5}}
  source: test
survival: {mean_life_years: 15, weibull_shape: 4.79, source: test}
activity: {annual_km_new: 10000, age_profile: [1.0], source: test}
policy:
  schemes: [{id: XX.no_such_scheme}]
  choice: {price_elasticity: -2, source: test}
currency: IDR
"""


def test_bad_scenario_names_every_problem() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_document(read_text(BAD))
    fields = {f for f, _ in info.value.problems}
    text = str(info.value)
    assert "sales.total" in fields and "missing years 2030" in text
    assert "sales.shares.2023" in fields and "sum to 0.9" in text
    assert "policy.schemes.0.id" in fields and "XX.no_such_scheme" in text
    assert "technologies.petrol.price" in fields
    assert "\n" not in text


def test_structural_errors_also_report_share_sums() -> None:
    doc = read_text(BAD)
    doc["survival"]["mean_life_years"] = -1
    with pytest.raises(ScenarioError) as info:
        parse_document(copy.deepcopy(doc))
    fields = {f for f, _ in info.value.problems}
    assert "survival.mean_life_years" in fields
    assert "sales.shares.2023" in fields
    assert "sales.total" in fields


def test_bundled_scenarios_all_run(tables: Any, library: Any) -> None:
    from roadcarbon.io.scenarios import bundled_scenarios

    names = bundled_scenarios()
    assert len(names) >= 13
    for name in names:
        sc = load_scenario(name)
        doc = execute(sc, tables=tables, library=library).to_dict()
        assert len(doc["years"]) == len(doc["emissions_t_co2e"]["wtw"])
        assert all(math.isfinite(x) and x >= 0 for x in doc["emissions_t_co2e"]["lifecycle"])
        if sc.baseline:
            assert load_scenario(sc.baseline.removesuffix(".yaml")).years == sc.years


def test_fiscal_line_equals_the_rule_library_fleet_totals(tables: Any, library: Any) -> None:
    doc = execute(load_scenario("id_cars_band_scheme"), tables=tables, library=library).to_dict()
    scheme = doc["fiscal"]["schemes"][0]
    assert scheme["provisional"] is True and "unverified" in scheme["statuses"]
    for i, totals in enumerate(scheme["totals"][:2]):  # years with sourced SGD and IDR rates
        assert totals["converted"]["currency"] == "IDR"
        assert doc["fiscal"]["revenue"][i] == pytest.approx(totals["converted"]["net"], rel=1e-9)
        assert sum(totals["share_by_band"].values()) == pytest.approx(1.0)
    assert any("exchange rate" in note for note in scheme["notes"])
