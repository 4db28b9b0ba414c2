"""The profit-maximising compliant mix: a mixed-integer linear programme solved by scipy ``milp`` (HiGHS).

Variables (all per plan year ``y``):

* ``x[k, y]`` integer units of candidate ``k`` (model x sourcing option);
* ``z[k]`` binary: the model's sourcing choice (one option per model for the whole plan);
* ``deficit[r]`` >= 0 per priced fleet row (pays the scheme's penalty rate);
* ``buy[r]``, ``sell[r]`` >= 0 per credit row when credits trade, ``bank[r]`` >= 0 with banking;
* ``counted[k, r]`` >= 0 per candidate of a fleet target with a phase-in (EU 2020: 95 %): the units
  the scheme counts (``phase_in_cap``: counted <= x; ``phase_in``: sum counted = share x sum x); the
  fleet row and its penalty read them (Reg. (EU) 2019/631 Art. 8(2)).

Constraints, each with a name: ``demand_max:<model>:<option>:<year>`` (``x <= cap x z``),
``choice:<model>`` (``sum z = 1``), ``demand_min:<model>:<year>``, ``capacity:<plant>:<year>``,
``<scheme>:<year>`` (fleet surplus ``sum(s_k x_k) + deficit + buy - sell + bank_in - bank_out >= 0``)
and, for the Pareto sweep, ``emissions_cap``.

Shadow prices: ``milp`` returns no duals for a MILP.  We fix the binary sourcing choices at the
optimum, relax the units to continuous and solve that LP with ``linprog(method="highs")``; its
``ineqlin.marginals`` are the shadow prices of the constraints at the chosen sourcing (the change
of profit per unit of right-hand side).  For a fleet target the value of one g/km more target is
that marginal times the units the scheme counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_array, lil_array  # type: ignore[import-untyped]

from roadcarbon.planner.coefficients import Coefficients, FleetRow
from roadcarbon.types import FloatArray

_TOL = 1e-6
PARETO_GAP = 1e-4
"""Relative MIP gap of each Pareto point (a point's profit is within 0.01 % of its best)."""


@dataclass
class Row:
    """One named linear constraint ``lb <= a x <= ub``."""

    name: str
    kind: str
    coef: dict[int, float]
    lb: float
    ub: float
    unit: str = "units"
    year: int | None = None
    scale: float = 1.0


@dataclass
class Formulation:
    """The MILP: objective (to minimise: minus profit), rows, bounds, integrality and variable names."""

    c: FloatArray
    rows: list[Row]
    lower: FloatArray
    upper: FloatArray
    integrality: FloatArray
    names: list[str]
    n_x: int
    n_z: int
    deficit_of: dict[int, int]
    trade_of: dict[int, tuple[int, int]]
    bank_of: dict[int, int]

    def matrix(self) -> csr_array:
        """Sparse constraint matrix, one row per :class:`Row`."""
        a = lil_array((len(self.rows), len(self.c)))
        for i, row in enumerate(self.rows):
            for j, v in row.coef.items():
                a[i, j] = v
        return csr_array(a)


@dataclass
class Solution:
    """A solved plan: units ``(K, Y)``, chosen option per model, fleet variables and explanations."""

    status: str
    profit: float
    units: FloatArray
    choice: list[int]
    deficit: dict[int, float] = field(default_factory=dict)
    bought: dict[int, float] = field(default_factory=dict)
    sold: dict[int, float] = field(default_factory=dict)
    banked: dict[int, float] = field(default_factory=dict)
    binding: list[dict[str, object]] = field(default_factory=list)
    infeasible: list[dict[str, object]] = field(default_factory=list)
    message: str = ""


def formulate(co: Coefficients, *, emissions_cap: float | None = None) -> Formulation:
    """Build the MILP of a lineup's coefficients (see the module docstring)."""
    lineup = co.lineup
    cands = co.candidates
    k, ny = len(cands), len(co.years)
    n_x = k * ny
    names = [f"x:{c.model_id}:{c.option_id}:{yr}" for c in cands for yr in co.years]
    names += [f"z:{c.model_id}:{c.option_id}" for c in cands]
    cost: list[float] = [-float(co.unit_margin[i, j]) for i in range(k) for j in range(ny)] + [0.0] * k
    lower = [0.0] * (n_x + k)
    upper = [float(co.demand_max[i, j]) for i in range(k) for j in range(ny)] + [1.0] * k
    integ = [1.0] * (n_x + k)
    rows: list[Row] = []

    def xi(i: int, j: int) -> int:
        return i * ny + j

    def add_var(name: str, c: float, ub: float = np.inf) -> int:
        names.append(name)
        cost.append(c)
        lower.append(0.0)
        upper.append(ub)
        integ.append(0.0)
        return len(names) - 1

    for i, cand in enumerate(cands):
        for j, yr in enumerate(co.years):
            rows.append(
                Row(
                    f"demand_max:{cand.model_id}:{cand.option_id}:{yr}",
                    "demand_max",
                    {xi(i, j): 1.0, n_x + i: -float(co.demand_max[i, j])},
                    -np.inf,
                    0.0,
                    year=yr,
                )
            )
    for m, model in enumerate(lineup.models):
        ks = [i for i, c in enumerate(cands) if c.model == m]
        rows.append(Row(f"choice:{model.id}", "choice", {n_x + i: 1.0 for i in ks}, 1.0, 1.0))
        if model.demand.minimum > 0:
            for j, yr in enumerate(co.years):
                rows.append(
                    Row(
                        f"demand_min:{model.id}:{yr}",
                        "demand_min",
                        {xi(i, j): 1.0 for i in ks},
                        model.demand.minimum,
                        np.inf,
                        year=yr,
                    )
                )
    for plant, capacity in lineup.plants.items():
        ks = [i for i, c in enumerate(cands) if lineup.models[c.model].plant == plant]
        for j, yr in enumerate(co.years):
            rows.append(
                Row(
                    f"capacity:{plant}:{yr}",
                    "capacity",
                    {xi(i, j): 1.0 for i in ks},
                    -np.inf,
                    capacity,
                    year=yr,
                )
            )
    deficit_of: dict[int, int] = {}
    trade_of: dict[int, tuple[int, int]] = {}
    bank_of: dict[int, int] = {}
    policy = lineup.policy
    previous_bank: dict[str, int] = {}
    for r, fr in enumerate(co.fleet_rows):
        j = co.years.index(fr.year)
        coef = {
            xi(int(i), j): float(fr.surplus[i]) for i in np.flatnonzero(fr.in_scope) if fr.surplus[i] != 0.0
        }
        if fr.phase_in_share is not None:
            # a phase-in counts only a share of the units: counted units y_k <= x_k, sum y = share x sum x;
            # the row and its penalty read y (Reg. (EU) 2019/631 Art. 8(2)), see FleetRow.phase_in_share
            ys: dict[int, float] = {}
            share_row: dict[int, float] = {}
            for i_in in np.flatnonzero(fr.in_scope):
                i = int(i_in)
                y = add_var(
                    f"counted:{fr.scheme}:{cands[int(i)].model_id}:{cands[int(i)].option_id}:{fr.year}", 0.0
                )
                rows.append(
                    Row(
                        f"phase_in_cap:{fr.scheme}:{fr.year}:{int(i)}",
                        "phase_in",
                        {y: 1.0, xi(int(i), j): -1.0},
                        -np.inf,
                        0.0,
                        year=fr.year,
                    )
                )
                share_row[y] = 1.0
                share_row[xi(int(i), j)] = -float(fr.phase_in_share)
                if fr.surplus[i] != 0.0:
                    ys[y] = float(fr.surplus[i])
            rows.append(Row(f"phase_in:{fr.scheme}:{fr.year}", "phase_in", share_row, 0.0, 0.0, year=fr.year))
            coef = ys
        if fr.kind == "fleet_target" and policy.targets == "priced" and fr.penalty_rate is not None:
            d = add_var(f"deficit:{fr.scheme}:{fr.year}", fr.penalty_rate)
            deficit_of[r] = d
            coef[d] = 1.0
        if fr.tradable:
            buy_ub = np.inf if policy.credit_price_buy is not None else 0.0
            sell_ub = np.inf if policy.credit_price_sell is not None else 0.0
            b = add_var(f"buy:{fr.scheme}:{fr.year}", policy.credit_price_buy or 0.0, buy_ub)
            s = add_var(f"sell:{fr.scheme}:{fr.year}", -(policy.credit_price_sell or 0.0), sell_ub)
            trade_of[r] = (b, s)
            coef[b] = 1.0
            coef[s] = -1.0
            if policy.banking:
                if fr.scheme in previous_bank:
                    coef[previous_bank[fr.scheme]] = 1.0
                bank = add_var(f"bank:{fr.scheme}:{fr.year}", 0.0)
                coef[bank] = -1.0
                bank_of[r] = bank
                previous_bank[fr.scheme] = bank
        scale = float(np.abs(fr.surplus).max()) if fr.surplus.size else 1.0
        rows.append(
            Row(
                f"{fr.scheme}:{fr.year}",
                fr.kind,
                coef,
                0.0,
                np.inf,
                unit=fr.unit,
                year=fr.year,
                scale=max(scale, 1e-9),
            )
        )
    if emissions_cap is not None:
        coef = {xi(i, j): float(co.t_co2e[i, j]) for i in range(k) for j in range(ny)}
        rows.append(Row("emissions_cap", "emissions", coef, -np.inf, emissions_cap, unit="t CO2e"))
    return Formulation(
        c=np.array(cost),
        rows=rows,
        lower=np.array(lower),
        upper=np.array(upper),
        integrality=np.array(integ),
        names=names,
        n_x=n_x,
        n_z=k,
        deficit_of=deficit_of,
        trade_of=trade_of,
        bank_of=bank_of,
    )


def _constraints(f: Formulation) -> LinearConstraint:
    return LinearConstraint(f.matrix(), np.array([r.lb for r in f.rows]), np.array([r.ub for r in f.rows]))


def _solve_milp(f: Formulation, time_limit_s: float, gap: float = 1e-9) -> tuple[bool, FloatArray, str]:
    res = milp(
        f.c,
        constraints=_constraints(f),
        integrality=f.integrality,
        bounds=Bounds(f.lower, f.upper),
        options={"time_limit": time_limit_s, "mip_rel_gap": gap},
    )
    ok = res.status == 0 and res.x is not None
    return ok, (np.asarray(res.x) if res.x is not None else np.zeros(len(f.c))), str(res.message)


def _duals(f: Formulation, x: FloatArray) -> FloatArray:
    """Shadow prices per row [profit per unit of right-hand side] at the optimum's sourcing choice."""
    lower = f.lower.copy()
    upper = f.upper.copy()
    z = np.round(x[f.n_x : f.n_x + f.n_z])
    lower[f.n_x : f.n_x + f.n_z] = z
    upper[f.n_x : f.n_x + f.n_z] = z
    upper[: f.n_x] = np.inf  # the demand_max rows carry the caps, so their duals are reported
    a = f.matrix().toarray()
    ub_rows: list[FloatArray] = []
    ub_rhs: list[float] = []
    which: list[tuple[int, float]] = []
    eq_rows: list[FloatArray] = []
    eq_rhs: list[float] = []
    for i, row in enumerate(f.rows):
        if row.lb == row.ub:
            eq_rows.append(a[i])
            eq_rhs.append(row.lb)
            continue
        if np.isfinite(row.ub):
            ub_rows.append(a[i])
            ub_rhs.append(row.ub)
            which.append((i, 1.0))
        if np.isfinite(row.lb):
            ub_rows.append(-a[i])
            ub_rhs.append(-row.lb)
            which.append((i, -1.0))
    res = linprog(
        f.c,
        A_ub=np.array(ub_rows) if ub_rows else None,
        b_ub=np.array(ub_rhs) if ub_rhs else None,
        A_eq=np.array(eq_rows) if eq_rows else None,
        b_eq=np.array(eq_rhs) if eq_rhs else None,
        bounds=list(zip(lower, upper, strict=True)),
        method="highs",
    )
    duals = np.zeros(len(f.rows))
    if res.status != 0:
        return duals
    marg = np.asarray(res.ineqlin.marginals)
    for (i, _sign), mu in zip(which, marg, strict=True):
        # linprog minimises -profit and mu = d(-profit)/d(b) for a row a <= b; a lower bound enters as
        # -a <= -lb.  Either way -mu is the profit gained when the constraint is relaxed by one unit.
        duals[i] += -mu
    return duals


def _binding(co: Coefficients, f: Formulation, x: FloatArray) -> list[dict[str, object]]:
    a = f.matrix()
    activity = a @ x
    duals = _duals(f, x)
    out: list[dict[str, object]] = []
    for i, row in enumerate(f.rows):
        if row.kind in ("choice", "phase_in"):
            continue
        at_ub = np.isfinite(row.ub) and abs(activity[i] - row.ub) <= _TOL * max(1.0, abs(row.ub))
        at_lb = np.isfinite(row.lb) and abs(activity[i] - row.lb) <= _TOL * max(1.0, abs(row.lb), row.scale)
        if not (at_ub or at_lb) and abs(duals[i]) <= _TOL:
            continue
        if row.kind == "demand_max" and all(x[j] < 0.5 for j in row.coef if j >= f.n_x):
            continue  # an option not chosen
        entry: dict[str, object] = {"constraint": row.name, "shadow_price": float(duals[i]), "kind": row.kind}
        if row.kind in ("fleet_target", "credits", "mandate"):
            fr = co.fleet_rows[_fleet_index(co, row.name)]
            j = co.years.index(fr.year)
            counted = float(sum(x[i2 * len(co.years) + j] for i2 in np.flatnonzero(fr.in_scope)))
            counted *= fr.phase_in_share or 1.0
            if fr.kind in ("fleet_target", "mandate"):
                # one unit more target adds `counted` to the surplus: relaxes the row by that much
                entry["shadow_price_per_unit_of_target"] = float(duals[i]) * counted
                entry["unit"] = fr.unit
            else:
                entry["unit"] = fr.unit
        out.append(entry)
    return out


def _fleet_index(co: Coefficients, name: str) -> int:
    for r, fr in enumerate(co.fleet_rows):
        if f"{fr.scheme}:{fr.year}" == name:
            return r
    raise KeyError(name)


def diagnose(co: Coefficients, f: Formulation, time_limit_s: float = 30.0) -> list[dict[str, object]]:
    """Which constraints cannot be met, and by how much (elastic programme).

    Every softenable row (minimum demand, capacity, fleet rows, the emissions cap) gets a
    non-negative slack in its unit; the programme minimises the slacks (each divided by the row's
    largest coefficient so units compare) while respecting demand caps and the sourcing choice.
    Rows whose slack stays positive are the ones that cannot be met; ``shortfall`` is the slack
    converted to the row's own unit (for a fleet target: g/km on the fleet average).
    """
    soft = [i for i, r in enumerate(f.rows) if r.kind not in ("choice", "demand_max", "phase_in")]
    n = len(f.c)
    c = np.zeros(n + len(soft))
    for s, i in enumerate(soft):
        c[n + s] = 1.0 / f.rows[i].scale
    a = f.matrix().toarray()
    extra = np.zeros((len(f.rows), len(soft)))
    for s, i in enumerate(soft):
        extra[i, s] = 1.0 if np.isfinite(f.rows[i].lb) else -1.0
    big = np.hstack([a, extra])
    integ = np.concatenate([f.integrality, np.zeros(len(soft))])
    lower = np.concatenate([f.lower, np.zeros(len(soft))])
    upper = np.concatenate([f.upper, np.full(len(soft), np.inf)])
    res = milp(
        c,
        constraints=LinearConstraint(big, np.array([r.lb for r in f.rows]), np.array([r.ub for r in f.rows])),
        integrality=integ,
        bounds=Bounds(lower, upper),
        options={"time_limit": time_limit_s},
    )
    if res.x is None:
        return [{"constraint": "demand_max", "shortfall": None, "unit": "", "message": str(res.message)}]
    x = np.asarray(res.x)
    out: list[dict[str, object]] = []
    for s, i in enumerate(soft):
        slack = float(x[n + s])
        if slack <= _TOL * max(1.0, f.rows[i].scale):
            continue
        row = f.rows[i]
        entry: dict[str, object] = {"constraint": row.name, "kind": row.kind, "shadow_price": None}
        if row.kind in ("fleet_target", "mandate") and row.year is not None:
            fr = co.fleet_rows[_fleet_index(co, row.name)]
            j = co.years.index(fr.year)
            counted = float(sum(x[i2 * len(co.years) + j] for i2 in np.flatnonzero(fr.in_scope)))
            counted *= fr.phase_in_share or 1.0
            entry["shortfall"] = slack / counted if counted > 0 else slack
            entry["unit"] = fr.unit if fr.kind == "fleet_target" else "share"
            entry["message"] = (
                f"{row.name}: the fleet misses the target by {entry['shortfall']:.4g} {entry['unit']}"
            )
        else:
            entry["shortfall"] = slack
            entry["unit"] = row.unit
            entry["message"] = f"{row.name}: short by {slack:.6g} {row.unit}"
        out.append(entry)
    return out


def solve(
    co: Coefficients,
    *,
    emissions_cap: float | None = None,
    time_limit_s: float = 60.0,
    explain: bool = True,
    gap: float = 1e-9,
) -> Solution:
    """Maximise profit; an infeasible plan names what cannot be met (see :func:`diagnose`).

    ``explain=False`` skips the dual LP and the diagnosis (Pareto points); ``gap`` is HiGHS's
    relative MIP gap.
    """
    f = formulate(co, emissions_cap=emissions_cap)
    ok, x, message = _solve_milp(f, time_limit_s, gap)
    k, ny = len(co.candidates), len(co.years)
    if not ok:
        return Solution(
            status="infeasible",
            profit=float("nan"),
            units=np.zeros((k, ny)),
            choice=[],
            infeasible=diagnose(co, f) if explain else [],
            message=message,
        )
    x = np.where(f.integrality > 0, np.round(x), x)
    units = x[: f.n_x].reshape(k, ny)
    z = x[f.n_x : f.n_x + f.n_z]
    choice: list[int] = []
    for m in range(len(co.lineup.models)):
        ks = [i for i, c in enumerate(co.candidates) if c.model == m]
        chosen = max(ks, key=lambda i: (z[i], -i))
        choice.append(co.candidates[chosen].option)
    sol = Solution(
        status="optimal",
        profit=float(-(f.c @ x)),
        units=units,
        choice=choice,
        deficit={r: float(x[d]) for r, d in f.deficit_of.items()},
        bought={r: float(x[b]) for r, (b, _) in f.trade_of.items()},
        sold={r: float(x[s]) for r, (_, s) in f.trade_of.items()},
        banked={r: float(x[b]) for r, b in f.bank_of.items()},
        message=message,
    )
    if explain:
        sol.binding = _binding(co, f, x)
    return sol


def emissions(co: Coefficients, units: FloatArray) -> float:
    """Life-cycle emissions of a mix [t CO2e]."""
    return float((co.t_co2e * units).sum())


def pareto(
    co: Coefficients,
    points: int,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, float]]:
    """Profit against life-cycle emissions by the epsilon-constraint method.

    The first point is the unconstrained optimum (emissions ``E_max``); the last the least
    emissions any feasible mix reaches (``E_min``, found by minimising emissions).  Between them,
    ``points - 2`` caps evenly spaced; each point maximises profit with emissions <= cap.

    Returns
    -------
    list of dict
        ``profit`` [lineup currency], ``t_co2e`` [t CO2e], ``cap_t_co2e``, sorted by emissions.
    """
    best = solve(co)
    if best.status != "optimal" or points < 1:
        return []
    e_max = emissions(co, best.units)
    f = formulate(co)
    k, ny = len(co.candidates), len(co.years)
    g = np.zeros_like(f.c)
    g[: f.n_x] = co.t_co2e.reshape(-1)
    res = milp(
        g,
        constraints=_constraints(f),
        integrality=f.integrality,
        bounds=Bounds(f.lower, f.upper),
    )
    e_min = float(g @ res.x) if res.x is not None else e_max
    caps = np.linspace(e_max, e_min, max(points, 2))[:points] if points > 1 else np.array([e_max])
    out: list[dict[str, float]] = []
    for n, cap in enumerate(caps):
        sol = (
            best
            if n == 0
            else solve(
                co, emissions_cap=float(cap) + 1e-9 * max(1.0, abs(float(cap))), explain=False, gap=PARETO_GAP
            )
        )
        if sol.status == "optimal":
            out.append(
                {
                    "profit": sol.profit,
                    "t_co2e": emissions(co, sol.units.reshape(k, ny)),
                    "cap_t_co2e": float(cap),
                }
            )
        if progress is not None:
            progress(n + 1, len(caps))
    out.sort(key=lambda p: p["t_co2e"])
    return out


def fleet_units(co: Coefficients, row: FleetRow, units: FloatArray) -> float:
    """Units a fleet row counts in the mix."""
    j = co.years.index(row.year)
    return float(units[row.in_scope, j].sum())
