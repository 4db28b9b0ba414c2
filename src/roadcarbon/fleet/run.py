"""Run a fleet scenario and compare a policy with its baseline (pure, vectorised).

``simulate`` is the array core (a leading axis carries Monte Carlo samples); ``run_scenario``
builds its inputs from a :class:`~roadcarbon.fleet.scenario.Scenario`, engine factors and scheme
amounts; ``compare`` puts a policy against its baseline with common random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from roadcarbon.engine import ReferenceTables
from roadcarbon.errors import InputError
from roadcarbon.fleet.factors import TechnologyFactors, technology_factors
from roadcarbon.fleet.fiscal import SchemeAmounts, scheme_amounts, scheme_totals
from roadcarbon.fleet.scenario import Scenario
from roadcarbon.fleet.stock import (
    apply_mandate,
    initial_cohorts,
    interpolate_path,
    logit_shares,
    turnover,
    weibull_scale_from_mean,
    weibull_survival,
)
from roadcarbon.rules import Library
from roadcarbon.types import FloatArray

SCOPES = ("ttw", "wtw", "lifecycle")
"""Emission scopes: tank-to-wheel, well-to-wheel, life-cycle (WTW + maintenance + manufacture of new sales)."""
MAX_INITIAL_AGE = 60
"""Oldest age kept in the base-year stock [years] (survival beyond it is negligible for k > 1)."""
MAX_SAMPLES = 10_000
BAND_QUANTILES = (0.05, 0.5, 0.95)
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Draws:
    """Monte Carlo multipliers (``(S,)`` each); one set is shared by a baseline and its policy."""

    sales_total: FloatArray
    annual_km: FloatArray
    mean_life: FloatArray
    grid: FloatArray
    elasticity_unit: FloatArray

    @property
    def samples(self) -> int:
        return int(self.sales_total.shape[0])


def draw_uncertainty(sc: Scenario, samples: int, rng: np.random.Generator) -> Draws:
    """Draw the uncertain inputs of a scenario (normal multipliers truncated at 0.05; uniform elasticity).

    The order of draws is fixed, so a seed reproduces a run exactly.
    """
    if not 2 <= samples <= MAX_SAMPLES:
        raise InputError(f"must be between 2 and {MAX_SAMPLES}", field="samples")
    u = sc.uncertainty

    def mult(sd: float) -> FloatArray:
        return np.maximum(1.0 + sd * rng.standard_normal(samples), 0.05)

    return Draws(
        sales_total=mult(u.sales_total_relative_sd),
        annual_km=mult(u.annual_km_relative_sd),
        mean_life=mult(u.mean_life_relative_sd),
        grid=mult(u.grid_relative_sd),
        elasticity_unit=rng.random(samples),
    )


@dataclass(frozen=True)
class FleetArrays:
    """Results of :func:`simulate`, each ``(S, T, P)`` or ``(S, T)``; S = 1 without samples."""

    stock: FloatArray
    sales: FloatArray
    scrappage: FloatArray
    vkm: FloatArray
    emissions_t_co2e: dict[str, FloatArray]
    emissions_by_technology_t_co2e: dict[str, FloatArray]
    energy: dict[str, FloatArray]
    fiscal_revenue: dict[str, FloatArray]
    purchase_cost: FloatArray | None
    grid_g_co2e_per_kwh: FloatArray


def simulate(
    *,
    base_shares: FloatArray,
    total_sales: FloatArray,
    initial_stock: FloatArray,
    mean_life_years: FloatArray,
    weibull_shape: float,
    km_by_age: FloatArray,
    grid_g_co2e_per_kwh: FloatArray,
    factors: TechnologyFactors,
    mandates: Sequence[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], float]] = (),
    relative_price_change: FloatArray | None = None,
    price_elasticity: FloatArray | float = 0.0,
    scheme_amounts: dict[str, FloatArray] | None = None,
    prices: FloatArray | None = None,
) -> FleetArrays:
    """Cohort stock turnover, energy, emissions and fiscal flows of one fleet.

    Parameters
    ----------
    base_shares
        Baseline sales shares ``(T, P)`` [0-1].
    total_sales
        New registrations per year ``(S, T)`` [vehicles/year].
    initial_stock
        Base-year stock by technology ``(P,)`` [vehicles].
    mean_life_years
        Mean life ``(S,)`` [years]; Weibull scale from :func:`weibull_scale_from_mean`.
    weibull_shape
        Weibull shape k [1].
    km_by_age
        Annual distance by age ``(S, A+1)`` with ``A >= MAX_INITIAL_AGE + T`` [km/year].
    grid_g_co2e_per_kwh
        Grid intensity per calendar year ``(S, T)`` [g CO2e/kWh generated].
    factors
        Engine factors of the technologies.
    mandates
        ``(active years (T,), covered technologies (P,), min_share)``, applied in order after choice.
    relative_price_change
        Price change of each technology against the baseline's ``(T, P)`` [1].
    price_elasticity
        Logit coefficient on log price [1], scalar or ``(S,)``.
    scheme_amounts
        Per scheme, amount per vehicle ``(T, P)`` [currency]; revenue = sales x amount.
    prices
        Purchase price per vehicle ``(P,)`` [currency], for the fleet purchase cost.

    Returns
    -------
    FleetArrays
    """
    n_t = base_shares.shape[0]
    shares = base_shares[None, :, :]
    if relative_price_change is not None:
        shares = logit_shares(shares, relative_price_change[None, :, :], np.atleast_1d(price_elasticity))
    for active, covered, min_share in mandates:
        shares = apply_mandate(shares, active, covered, min_share)
    sales = total_sales[:, :, None] * shares
    ages = np.arange(MAX_INITIAL_AGE + n_t + 1, dtype=np.float64)
    scale = weibull_scale_from_mean(mean_life_years, weibull_shape)
    survival = weibull_survival(ages[None, :], scale[:, None], weibull_shape)
    cohorts = initial_cohorts(initial_stock, survival, MAX_INITIAL_AGE)
    flows = turnover(sales, cohorts, survival, km_by_age)
    vkm = flows["vkm"]
    f = factors
    ttw = vkm * f.ttw_kg_co2e_per_km / 1000.0
    wtt_fuel = vkm * f.fuel_wtt_kg_co2e_per_km / 1000.0
    kwh = vkm * f.electricity_kwh_per_km
    wtt_elec = kwh * f.grid_loss_multiplier * grid_g_co2e_per_kwh[:, :, None] / 1e6
    wtw = ttw + wtt_fuel + wtt_elec
    lifecycle = wtw + vkm * f.maintenance_kg_co2e_per_km / 1000.0 + sales * f.manufacture_t_co2e_per_vehicle
    by_tech = {"ttw": ttw, "wtw": wtw, "lifecycle": lifecycle}
    energy: dict[str, FloatArray] = {}
    fuel = vkm * f.fuel_units_per_km
    for carrier in sorted({c for c in f.carriers if c}):
        mask = np.array([c == carrier for c in f.carriers])
        unit = "kg" if carrier in ("cng", "hydrogen") else "l"
        energy[f"{carrier}_{unit}"] = fuel[..., mask].sum(axis=-1)
    if np.any(f.electricity_kwh_per_km > 0):
        energy["electricity_kwh"] = kwh.sum(axis=-1)
    revenue = {k: (sales * v).sum(axis=-1) for k, v in (scheme_amounts or {}).items()}
    return FleetArrays(
        stock=flows["stock"],
        sales=sales,
        scrappage=flows["scrappage"],
        vkm=vkm,
        emissions_t_co2e={k: v.sum(axis=-1) for k, v in by_tech.items()},
        emissions_by_technology_t_co2e=by_tech,
        energy=energy,
        fiscal_revenue=revenue,
        purchase_cost=None if prices is None else (sales * prices).sum(axis=-1),
        grid_g_co2e_per_kwh=grid_g_co2e_per_kwh,
    )


@dataclass
class FleetRun:
    """A scenario's deterministic result and, with samples, its Monte Carlo arrays."""

    scenario: Scenario
    central: FleetArrays
    sampled: FleetArrays | None
    factors: TechnologyFactors
    schemes: list[SchemeAmounts]
    seed: int | None = None
    assumptions: list[str] = field(default_factory=list)
    scheme_totals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per scheme, the rule library's fleet totals of each year's new sales (central run)."""

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON of ``roadcarbon fleet run`` (design: planner, policy lab and batch contracts)."""
        return run_document(self)


def _km_by_age(sc: Scenario, n_ages: int) -> FloatArray:
    profile = np.asarray(sc.activity.age_profile, dtype=np.float64)
    if profile.shape[0] < n_ages:
        profile = np.concatenate([profile, np.full(n_ages - profile.shape[0], profile[-1])])
    return profile[:n_ages] * sc.activity.annual_km_new


def _inputs(
    sc: Scenario,
    factors: TechnologyFactors,
    schemes: Sequence[SchemeAmounts],
    reference: Sequence[SchemeAmounts],
    draws: Draws | None,
) -> dict[str, Any]:
    years = sc.years
    labels = sc.labels
    n_t = len(years)
    n_s = 1 if draws is None else draws.samples
    shares_points = {y: {lab: row.get(lab, 0.0) for lab in labels} for y, row in sc.sales.shares.items()}
    base_shares = np.stack(
        [interpolate_path({y: r[lab] for y, r in shares_points.items()}, years) for lab in labels], axis=-1
    )
    base_shares = base_shares / base_shares.sum(axis=-1, keepdims=True)
    total = interpolate_path(dict(sc.sales.total), years)
    grid = (
        interpolate_path(dict(sc.grid.g_co2e_per_kwh), years)
        if sc.grid is not None
        else factors.grid_g_co2e_per_kwh
    )
    km = _km_by_age(sc, MAX_INITIAL_AGE + n_t + 1)
    life = np.full(n_s, sc.survival.mean_life_years)
    elasticity: FloatArray | float = sc.policy.choice.price_elasticity if sc.policy.choice else 0.0
    totals = np.broadcast_to(total, (n_s, n_t)).copy()
    grids = np.broadcast_to(grid, (n_s, n_t)).copy()
    kms = np.broadcast_to(km, (n_s, km.shape[0])).copy()
    if draws is not None:
        totals *= draws.sales_total[:, None]
        grids *= draws.grid[:, None]
        kms *= draws.annual_km[:, None]
        life = life * draws.mean_life
        rng_e = sc.uncertainty.price_elasticity_range
        if rng_e is not None and sc.policy.choice is not None:
            elasticity = rng_e[0] + (rng_e[1] - rng_e[0]) * draws.elasticity_unit
    pt = [t.spec.powertrain for t in sc.technologies.values()]
    year_arr = np.asarray(years)
    mandates = []
    for m in sc.policy.mandates:
        active = (year_arr >= m.from_year) & (year_arr <= (m.to_year or 10_000))
        covered = np.array([p in m.powertrains for p in pt])
        mandates.append((active, covered, m.min_share))
    prices = None
    if all(t.price is not None for t in sc.technologies.values()):
        prices = np.array([float(t.price or 0.0) for t in sc.technologies.values()])
    delta = None
    amounts = {s.scheme: s.amount for s in schemes}
    if (schemes or reference) and prices is not None:
        diff = sum((s.amount for s in schemes), np.zeros((n_t, len(labels))))
        diff = diff - sum((s.amount for s in reference), np.zeros((n_t, len(labels))))
        delta = np.where(prices > 0, diff / np.where(prices > 0, prices, 1.0), 0.0)
    stock0 = np.array([sc.initial_stock.values.get(lab, 0.0) for lab in labels])
    return {
        "base_shares": base_shares,
        "total_sales": totals,
        "initial_stock": stock0,
        "mean_life_years": life,
        "weibull_shape": sc.survival.weibull_shape,
        "km_by_age": kms,
        "grid_g_co2e_per_kwh": grids,
        "factors": factors,
        "mandates": mandates,
        "relative_price_change": delta,
        "price_elasticity": elasticity,
        "scheme_amounts": amounts,
        "prices": prices,
    }


def run_scenario(
    sc: Scenario,
    factors: TechnologyFactors,
    *,
    schemes: Sequence[SchemeAmounts] = (),
    reference_schemes: Sequence[SchemeAmounts] = (),
    draws: Draws | None = None,
    seed: int | None = None,
) -> FleetRun:
    """Run a scenario: central values, and Monte Carlo arrays when ``draws`` are given.

    Parameters
    ----------
    sc
        The scenario.
    factors
        Engine factors for its technologies, country and years (:func:`technology_factors`).
    schemes, reference_schemes
        Amounts of the scenario's schemes and of the schemes its baseline shares already reflect
        (:func:`roadcarbon.fleet.fiscal.scheme_amounts`).
    draws
        Monte Carlo draws (:func:`draw_uncertainty`).
    seed
        Recorded in the result only.
    """
    central = simulate(**_inputs(sc, factors, schemes, reference_schemes, None))
    sampled = None if draws is None else simulate(**_inputs(sc, factors, schemes, reference_schemes, draws))
    assumptions = [
        "base-year stock split by age in proportion to survival (steady state; no published age distribution used)",
        "lifecycle scope = well-to-wheel + maintenance per km + manufacture (materials, battery, assembly) "
        "of the year's new vehicles; end of life not counted",
        "each technology is represented by one vehicle; its per-km energy does not improve over model years",
    ]
    if sc.grid is None:
        assumptions.append(
            f"grid path: the engine's data for {sc.country}, projection {factors.grid_projection}"
        )
    for s in schemes:
        assumptions.extend(f"{s.scheme}: {n}" for n in s.notes)
    return FleetRun(sc, central, sampled, factors, list(schemes), seed, assumptions)


def _by_label(arr: FloatArray, labels: Sequence[str]) -> dict[str, list[float]]:
    return {lab: _floats(arr[0, :, i]) for i, lab in enumerate(labels)}


def _floats(a: npt.ArrayLike) -> list[float]:
    return [float(v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def _bands(arr: FloatArray) -> dict[str, list[float]]:
    q = np.quantile(arr, BAND_QUANTILES, axis=0)
    return {"p05": _floats(q[0]), "p50": _floats(q[1]), "p95": _floats(q[2])}


def run_document(run: FleetRun) -> dict[str, Any]:
    """JSON-ready document of a run (every number a float; NaN never appears)."""
    sc, c = run.scenario, run.central
    labels = sc.labels
    fiscal_schemes = [
        {
            "scheme": s.scheme,
            "market": s.market,
            "title": s.title,
            "cross_country": s.market != sc.country,
            "revenue": _floats(c.fiscal_revenue[s.scheme][0]),
            "statuses": list(s.statuses),
            "provisional": any(x != "enacted" for x in s.statuses),
            "held_from": s.held_from,
            "notes": list(s.notes),
            "totals": run.scheme_totals.get(s.scheme, []),
        }
        for s in run.schemes
    ]
    revenue_total = np.zeros(len(sc.years))
    for s in run.schemes:
        revenue_total = revenue_total + c.fiscal_revenue[s.scheme][0]
    doc: dict[str, Any] = {
        "scenario": sc.name,
        "country": sc.country,
        "segment": sc.segment,
        "years": sc.years,
        "technologies": [
            {
                "id": lab,
                "powertrain": t.spec.powertrain.value,
                "fuel": t.spec.fuel.value,
                "preset": t.preset,
                "price": t.price,
            }
            for lab, t in sc.technologies.items()
        ],
        "stock": _by_label(c.stock, labels),
        "sales": _by_label(c.sales, labels),
        "scrappage": _by_label(c.scrappage, labels),
        "vehicle_km": _floats(c.vkm[0].sum(axis=-1)),
        "energy": {k: _floats(v[0]) for k, v in c.energy.items()},
        "emissions_t_co2e": {k: _floats(v[0]) for k, v in c.emissions_t_co2e.items()},
        "cumulative_emissions_t_co2e": {k: _floats(np.cumsum(v[0])) for k, v in c.emissions_t_co2e.items()},
        "emissions_by_technology_t_co2e": {
            k: _by_label(v, labels) for k, v in c.emissions_by_technology_t_co2e.items()
        },
        "grid_g_co2e_per_kwh": _floats(c.grid_g_co2e_per_kwh[0]),
        "fiscal": {
            "currency": sc.currency,
            "revenue": _floats(revenue_total),
            "schemes": fiscal_schemes,
            "purchase_cost": None if c.purchase_cost is None else _floats(c.purchase_cost[0]),
            "sign": "positive: paid by buyers (revenue); negative: rebates paid out (cost)",
        },
        "uncertainty": None,
        "data_version": run.factors.data_version,
        "sources": [s.model_dump(exclude_none=True) for s in sc.sources],
        "assumptions": run.assumptions,
    }
    if run.sampled is not None:
        mc = run.sampled
        doc["uncertainty"] = {
            "samples": int(mc.stock.shape[0]),
            "seed": run.seed,
            "quantiles": list(BAND_QUANTILES),
            "emissions_t_co2e": {k: _bands(v) for k, v in mc.emissions_t_co2e.items()},
            "cumulative_emissions_t_co2e": {
                k: _bands(np.cumsum(v, axis=-1)) for k, v in mc.emissions_t_co2e.items()
            },
            "stock_total": _bands(mc.stock.sum(axis=-1)),
            "stock": {lab: _bands(mc.stock[..., i]) for i, lab in enumerate(labels)},
            "energy": {k: _bands(v) for k, v in mc.energy.items()},
            "fiscal_revenue": _bands(
                sum((v for v in mc.fiscal_revenue.values()), np.zeros(mc.stock.shape[:2]))
            ),
        }
    return doc


def compare_document(base: FleetRun, policy: FleetRun) -> dict[str, Any]:
    """``fleet compare`` JSON: both runs, abatement per year and cumulative, fiscal difference,
    cost per tonne avoided, the waterfall from baseline to policy and abatement bands.

    Abatement = baseline − policy (positive: the policy emits less).
    """
    if base.scenario.years != policy.scenario.years:
        raise InputError(
            f"baseline years {base.scenario.base_year}-{base.scenario.end_year} differ from the policy's "
            f"{policy.scenario.base_year}-{policy.scenario.end_year}",
            field="policy.years",
        )
    b, p = base.central, policy.central
    abatement = {k: b.emissions_t_co2e[k][0] - p.emissions_t_co2e[k][0] for k in SCOPES}
    rev_b = sum((v[0] for v in b.fiscal_revenue.values()), np.zeros(len(base.scenario.years)))
    rev_p = sum((v[0] for v in p.fiscal_revenue.values()), np.zeros(len(base.scenario.years)))
    fiscal_change = rev_p - rev_b
    total_abatement = {k: float(v.sum()) for k, v in abatement.items()}
    cost_per_t: dict[str, float | None] = {}
    for k, tot in total_abatement.items():
        cost_per_t[k] = None if abs(tot) < 1e-9 else float(-fiscal_change.sum() / tot)
    purchase = None
    if b.purchase_cost is not None and p.purchase_cost is not None:
        purchase = p.purchase_cost[0] - b.purchase_cost[0]
    # Waterfall of cumulative life-cycle emissions: baseline -> change per technology -> policy.
    labels_b, labels_p = base.scenario.labels, policy.scenario.labels
    cum_b = b.emissions_by_technology_t_co2e["lifecycle"][0].sum(axis=0)
    cum_p = p.emissions_by_technology_t_co2e["lifecycle"][0].sum(axis=0)
    by_b = dict(zip(labels_b, cum_b.tolist(), strict=True))
    by_p = dict(zip(labels_p, cum_p.tolist(), strict=True))
    steps = [{"label": "baseline", "value_t_co2e": float(cum_b.sum()), "kind": "total"}]
    steps.extend(
        {"label": lab, "value_t_co2e": float(by_p.get(lab, 0.0) - by_b.get(lab, 0.0)), "kind": "change"}
        for lab in [*labels_b, *[x for x in labels_p if x not in by_b]]
    )
    steps.append({"label": "policy", "value_t_co2e": float(cum_p.sum()), "kind": "total"})
    doc: dict[str, Any] = {
        "country": policy.scenario.country,
        "years": policy.scenario.years,
        "baseline": base.to_dict(),
        "policy": policy.to_dict(),
        "abatement_t_co2e": {
            k: {"per_year": _floats(v), "cumulative": _floats(np.cumsum(v))} for k, v in abatement.items()
        },
        "total_abatement_t_co2e": total_abatement,
        "fiscal_change": {
            "currency": policy.scenario.currency,
            "revenue_per_year": _floats(fiscal_change),
            "revenue_total": float(fiscal_change.sum()),
            "purchase_cost_per_year": None if purchase is None else _floats(purchase),
        },
        "cost_per_t_co2e": {
            "currency": policy.scenario.currency,
            "public_by_scope": cost_per_t,
            "purchase_lifecycle": (
                None
                if purchase is None or abs(total_abatement["lifecycle"]) < 1e-9
                else float(purchase.sum() / total_abatement["lifecycle"])
            ),
            "definition": "public: -(policy revenue - baseline revenue) / cumulative abatement; "
            "purchase: extra fleet purchase cost / cumulative life-cycle abatement",
        },
        "waterfall": steps,
        "uncertainty": None,
    }
    if base.sampled is not None and policy.sampled is not None:
        bands = {}
        for k in SCOPES:
            diff = base.sampled.emissions_t_co2e[k] - policy.sampled.emissions_t_co2e[k]
            bands[k] = {"per_year": _bands(diff), "cumulative": _bands(np.cumsum(diff, axis=-1))}
        doc["uncertainty"] = {
            "samples": int(policy.sampled.stock.shape[0]),
            "seed": policy.seed,
            "common_random_numbers": True,
            "abatement_t_co2e": bands,
        }
    return doc


def check_finite(doc: Any, path: str = "") -> None:
    """Refuse a result holding NaN or infinity (names where)."""
    if isinstance(doc, float) and not math.isfinite(doc):
        raise InputError("the inputs produce a non-finite result", field=path or "result")
    if isinstance(doc, dict):
        for k, v in doc.items():
            check_finite(v, f"{path}.{k}" if path else str(k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            check_finite(v, f"{path}.{i}")


def execute(
    sc: Scenario,
    *,
    tables: ReferenceTables,
    library: Library,
    samples: int | None = None,
    rng: np.random.Generator | None = None,
    draws: Draws | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> FleetRun:
    """Engine factors, scheme amounts and the run of one scenario.

    Parameters
    ----------
    sc
        The scenario.
    tables
        Reference data of the engine.
    library
        The rule library.
    samples
        Monte Carlo samples (``None``: central values only); needs ``rng`` unless ``draws`` are given.
    rng
        The only source of randomness.
    draws
        Ready draws (shared by a baseline and its policy).
    seed
        Recorded in the result.
    progress
        Called with ``(fraction done, step)``.
    """

    def tick(fraction: float, step: str) -> None:
        if progress is not None:
            progress(fraction, step)

    specs = [t.spec for t in sc.technologies.values()]
    if sc.currency is not None:
        specs = [
            s.model_copy(update={"price": t.price, "price_currency": sc.currency})
            if t.price is not None
            else s
            for s, t in zip(specs, sc.technologies.values(), strict=True)
        ]
    tick(0.05, "engine factors")
    factors = technology_factors(specs, sc.country, sc.years, tables)
    amounts: list[SchemeAmounts] = []
    reference: list[SchemeAmounts] = []
    uses = [(u.id, amounts) for u in sc.policy.schemes] + [
        (u.id, reference) for u in sc.policy.reference_schemes
    ]
    for i, (scheme_id, target) in enumerate(uses):
        tick(0.1 + 0.4 * i / max(len(uses), 1), f"scheme {scheme_id}")
        target.append(scheme_amounts(scheme_id, specs, sc.years, library, currency=sc.currency or "USD"))
    if draws is None and samples is not None:
        if rng is None:
            raise InputError("a numpy.random.Generator is required when samples are requested", field="rng")
        draws = draw_uncertainty(sc, samples, rng)
    tick(0.6, "stock turnover")
    run = run_scenario(sc, factors, schemes=amounts, reference_schemes=reference, draws=draws, seed=seed)
    tick(0.9, "fleet totals")
    for s in amounts:
        run.scheme_totals[s.scheme] = scheme_totals(
            s, run.central.sales[0], sc.years, library, currency=sc.currency or "USD"
        )
    tick(1.0, "done")
    return run
