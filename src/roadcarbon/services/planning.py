"""Use-case of the manufacturer planner: lineup document in, plan document out (design part 3).

The CLI's ``plan --json`` and ``POST /api/v1/plan`` both call :func:`plan_document`, so the two give
the same numbers for the same lineup.  A bad lineup raises :class:`LineupError` listing every
offending field at once (one line for the CLI, ``errors`` in the problem+json of the API).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from roadcarbon.countries import to_alpha2
from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.planner import coefficients as pc
from roadcarbon.planner import optimise as po
from roadcarbon.planner import report as pr
from roadcarbon.planner.lineup import OPTION_FIELDS, Demand, Lineup, PlannedModel, Policy, SourcingOption
from roadcarbon.services.assessment import run_assessment
from roadcarbon.services.calculations import resolve_vehicle
from roadcarbon.services.regulations import library as rules_library
from roadcarbon.specs import VehicleSpec

MAX_MODELS = 200
MAX_OPTIONS = 10
MAX_YEARS = 10
MAX_PARETO = 50
MAX_NUMBER = 1e15
"""Largest price, cost, demand or capacity accepted (keeps the optimiser's numbers well conditioned)."""
LINEUPS_DIR = Path(__file__).resolve().parent.parent / "data" / "lineups"

_TOP_KEYS = {"name", "market", "years", "currency", "models", "plants", "policy", "lca_country", "note"}
"""``note`` (and ``source``/``note`` of models and options) are free text for the sources of the figures."""
_MODEL_KEYS = {
    "id",
    "name",
    "spec",
    "price",
    "price_currency",
    "variable_cost",
    "demand",
    "plant",
    "options",
    "source",
    "note",
}
_DEMAND_KEYS = {"min", "max", "elasticity", "reference_volume", "reference_price"}
_OPTION_KEYS = {"id", "extra_cost", "note", *OPTION_FIELDS}
_POLICY_KEYS = {"schemes", "targets", "credit_price", "banking", "incidence"}


class LineupError(InputError):
    """A lineup with one or more bad fields; ``problems`` lists ``{field, message}`` for each."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        self.problems = problems
        text = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        super().__init__(text, field=problems[0]["field"] if problems else None)

    def __str__(self) -> str:
        return self.message


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def number(
        self,
        value: Any,
        field: str,
        *,
        minimum: float | None = 0.0,
        required: bool = True,
        positive: bool = False,
    ) -> float | None:
        if value is None:
            if required:
                self.add(field, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(field, f"expected a number, got {value!r}"[:120])
            return None
        x = float(value)
        if not math.isfinite(x):
            self.add(field, "must be a finite number")
            return None
        if positive and x <= 0:
            self.add(field, "must be > 0")
            return None
        if minimum is not None and x < minimum:
            self.add(field, f"must be >= {minimum:g}")
            return None
        if abs(x) > MAX_NUMBER:
            self.add(field, f"must be at most {MAX_NUMBER:g} in size")
            return None
        return x


def _unknown_keys(p: _Problems, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            p.add(
                f"{where}.{key}" if where else str(key),
                f"unknown key; expected one of {', '.join(sorted(allowed))}",
            )


def _spec(value: Any, field: str, base: Path | None) -> VehicleSpec:
    if (
        isinstance(value, str)
        and base is not None
        and (value.endswith((".yaml", ".yml", ".json")) or "/" in value)
    ):
        from roadcarbon.io.specs import load_vehicle

        path = Path(value) if Path(value).is_absolute() else base / value
        return load_vehicle(str(path))
    if isinstance(value, Mapping) and isinstance(value.get("preset"), str) and len(value) > 1:
        # a preset with some fields replaced (e.g. the engine size a tax needs)
        preset = resolve_vehicle(value["preset"], field=f"{field}.preset")
        changes = {k: v for k, v in value.items() if k != "preset"}
        return resolve_vehicle({**preset.model_dump(exclude_none=True), **changes}, field=field)
    return resolve_vehicle(value, field=field)


def _country(p: _Problems, value: Any, field: str) -> str | None:
    if not isinstance(value, str):
        p.add(field, "expected a country code or name")
        return None
    try:
        return to_alpha2(value, field=field)
    except InputError:
        p.add(field, f"unknown country {value!r}")
        return None


def parse_lineup(data: Any, *, base: Path | None = None) -> tuple[Lineup, str]:
    """Validate a lineup document (YAML/JSON mapping) into a :class:`Lineup` and the life-cycle country.

    Parameters
    ----------
    data
        The lineup (design contract "lineup file").
    base
        Folder for relative spec paths (CLI only; ``None`` refuses paths, as over HTTP).

    Raises
    ------
    LineupError
        Listing every bad field.
    """
    p = _Problems()
    if not isinstance(data, Mapping):
        raise LineupError(
            [{"field": "lineup", "message": "expected a mapping with market, years, currency, models"}]
        )
    _unknown_keys(p, data, _TOP_KEYS, "")
    library = rules_library()
    market = data.get("market")
    if not isinstance(market, str) or not market.strip():
        p.add("market", "required: a country code (or EU)")
        market = ""
    elif market.strip().upper() == "EU":
        market = "EU"
    else:
        market = _country(p, market, "market") or ""
    if market and not library.select(market):
        p.add("market", f"no schemes of market {market} in the rule library")
    years_raw = data.get("years")
    years: list[int] = []
    if not isinstance(years_raw, list) or not years_raw:
        p.add("years", "required: a non-empty list of years")
    else:
        for j, yr in enumerate(years_raw):
            if isinstance(yr, bool) or not isinstance(yr, int) or not 2000 <= yr <= 2100:
                p.add(f"years.{j}", f"expected a year between 2000 and 2100, got {yr!r}"[:120])
            else:
                years.append(yr)
        if len(set(years)) != len(years):
            p.add("years", "repeated year")
        if len(years_raw) > MAX_YEARS:
            p.add("years", f"at most {MAX_YEARS} years")
    currency = data.get("currency")
    if currency is None:
        p.add("currency", "required: the ISO 4217 currency of every price and cost")
        currency = ""
    elif (
        not isinstance(currency, str)
        or len(currency) != 3
        or not currency.isalpha()
        or not currency.isupper()
    ):
        p.add("currency", f"expected an ISO 4217 code such as IDR, got {currency!r}"[:120])
        currency = ""
    lca_country = data.get("lca_country")
    lca: str | None = None
    if lca_country is not None:
        lca = _country(p, lca_country, "lca_country")
    elif market == "EU":
        p.add("lca_country", "required for the EU: the country whose grid and fuels the life-cycle uses")
    else:
        lca = market or None
    plants: dict[str, float] = {}
    plants_raw = data.get("plants") or []
    if not isinstance(plants_raw, list):
        p.add("plants", "expected a list of {id, capacity}")
        plants_raw = []
    for j, plant in enumerate(plants_raw):
        if not isinstance(plant, Mapping) or not isinstance(plant.get("id"), str):
            p.add(f"plants.{j}", "expected {id, capacity}")
            continue
        cap = p.number(plant.get("capacity"), f"plants.{j}.capacity")
        if cap is not None:
            plants[str(plant["id"])] = cap
    models: list[PlannedModel] = []
    models_raw = data.get("models")
    if not isinstance(models_raw, list) or not models_raw:
        p.add("models", "required: a non-empty list of models")
        models_raw = []
    if len(models_raw) > MAX_MODELS:
        p.add("models", f"at most {MAX_MODELS} models")
        models_raw = []
    seen: set[str] = set()
    for i, raw in enumerate(models_raw):
        model = _model(p, raw, i, currency, plants, seen, base)
        if model is not None:
            models.append(model)
    policy = _policy(p, data.get("policy"), library)
    if p.items:
        raise LineupError(p.items)
    assert lca is not None
    name = str(data.get("name") or f"{market} lineup")
    return Lineup(market, tuple(years), currency, tuple(models), plants, policy, name), lca


def _model(
    p: _Problems, raw: Any, i: int, currency: str, plants: dict[str, float], seen: set[str], base: Path | None
) -> PlannedModel | None:
    where = f"models.{i}"
    if not isinstance(raw, Mapping):
        p.add(where, "expected a mapping with id, spec, price, variable_cost, demand")
        return None
    _unknown_keys(p, raw, _MODEL_KEYS, where)
    before = len(p.items)
    mid = raw.get("id")
    if not isinstance(mid, str) or not mid.strip():
        p.add(f"{where}.id", "required: a model id")
        mid = f"model-{i}"
    elif mid in seen:
        p.add(f"{where}.id", f"repeated model id {mid!r}")
    seen.add(mid)
    spec: VehicleSpec | None = None
    if raw.get("spec") is None:
        p.add(f"{where}.spec", "required: a preset id or an inline spec")
    else:
        try:
            spec = _spec(raw["spec"], f"{where}.spec", base)
        except RoadcarbonError as exc:
            msg = exc.message
            if "unknown preset" in msg:
                msg = f"unknown model {raw['spec']!r} (not a preset id; give a preset or an inline spec)"
            p.add(f"{where}.spec", msg)
        except FileNotFoundError:
            p.add(f"{where}.spec", f"spec file not found: {raw['spec']!r}")
    price = p.number(raw.get("price"), f"{where}.price", positive=True)
    pcur = raw.get("price_currency")
    if pcur is not None and pcur != currency:
        p.add(f"{where}.price_currency", f"prices are in the lineup currency {currency or '(missing)'}")
    if raw.get("price") is not None and not currency:
        p.add(f"{where}.price", "a price without a currency: set the lineup's currency")
    cost = p.number(raw.get("variable_cost"), f"{where}.variable_cost")
    demand = _demand(p, raw.get("demand"), f"{where}.demand")
    plant = raw.get("plant")
    if plant is not None and plant not in plants:
        p.add(f"{where}.plant", f"unknown plant {plant!r}; declare it under plants")
    options = _options(p, raw.get("options"), f"{where}.options")
    if len(p.items) > before or spec is None or price is None or cost is None or demand is None:
        return None
    return PlannedModel(mid, spec, price, cost, demand, options, plant)


def _demand(p: _Problems, raw: Any, where: str) -> Demand | None:
    if not isinstance(raw, Mapping):
        p.add(where, "required: {min, max} or {elasticity, reference_volume}")
        return None
    _unknown_keys(p, raw, _DEMAND_KEYS, where)
    lo = p.number(raw.get("min", 0), f"{where}.min")
    hi = p.number(raw.get("max"), f"{where}.max", required=False)
    el = p.number(raw.get("elasticity"), f"{where}.elasticity", required=False, minimum=None)
    vol = p.number(raw.get("reference_volume"), f"{where}.reference_volume", required=False)
    ref = p.number(raw.get("reference_price"), f"{where}.reference_price", required=False, positive=True)
    if hi is None and (el is None or vol is None) and "max" not in raw:
        p.add(where, "needs max, or elasticity with reference_volume")
        return None
    if (el is None) != (vol is None):
        p.add(where, "a demand curve needs both elasticity and reference_volume")
        return None
    if lo is not None and hi is not None and lo > hi:
        p.add(f"{where}.min", "must not exceed max")
        return None
    if lo is None:
        return None
    return Demand(lo, hi, el, vol, ref)


def _options(p: _Problems, raw: Any, where: str) -> tuple[SourcingOption, ...]:
    if raw is None:
        return (SourcingOption("default"),)
    if not isinstance(raw, list) or not raw or len(raw) > MAX_OPTIONS:
        p.add(where, f"expected a list of 1 to {MAX_OPTIONS} options")
        return (SourcingOption("default"),)
    out: list[SourcingOption] = []
    ids: set[str] = set()
    for j, opt in enumerate(raw):
        w = f"{where}.{j}"
        if not isinstance(opt, Mapping):
            p.add(w, "expected a mapping with id and extra_cost")
            continue
        _unknown_keys(p, opt, _OPTION_KEYS, w)
        oid = opt.get("id")
        if not isinstance(oid, str) or not oid.strip() or oid in ids:
            p.add(f"{w}.id", "required: a unique option id")
            continue
        ids.add(oid)
        extra = p.number(opt.get("extra_cost", 0.0), f"{w}.extra_cost", minimum=None)
        changes: dict[str, str | float] = {}
        for key in ("battery_production_country", "assembly_country"):
            if key in opt:
                code = _country(p, opt[key], f"{w}.{key}")
                if code is not None:
                    changes[key] = code
        if "local_content_share" in opt:
            share = p.number(opt["local_content_share"], f"{w}.local_content_share")
            if share is not None and share > 1:
                p.add(f"{w}.local_content_share", "must be between 0 and 1")
            elif share is not None:
                changes["local_content_share"] = share
        out.append(SourcingOption(oid, extra or 0.0, changes))
    return tuple(out) or (SourcingOption("default"),)


def _policy(p: _Problems, raw: Any, library: Any) -> Policy:
    if raw is None:
        return Policy()
    if not isinstance(raw, Mapping):
        p.add("policy", "expected a mapping")
        return Policy()
    _unknown_keys(p, raw, _POLICY_KEYS, "policy")
    schemes = raw.get("schemes")
    ids: tuple[str, ...] | None = None
    if schemes is not None:
        if not isinstance(schemes, list):
            p.add("policy.schemes", "expected a list of scheme ids or null")
        else:
            for j, s in enumerate(schemes):
                if not isinstance(s, str) or s not in library.schemes:
                    p.add(f"policy.schemes.{j}", f"unknown scheme {s!r}"[:120])
            ids = tuple(str(s) for s in schemes)
    targets = raw.get("targets", "priced")
    if targets not in ("hard", "priced"):
        p.add("policy.targets", "expected hard or priced")
        targets = "priced"
    incidence = raw.get("incidence", "maker")
    if incidence not in ("maker", "buyer"):
        p.add("policy.incidence", "expected maker or buyer")
        incidence = "maker"
    price = raw.get("credit_price")
    buy = sell = None
    if isinstance(price, Mapping):
        buy = p.number(price.get("buy"), "policy.credit_price.buy", required=False)
        sell = p.number(price.get("sell"), "policy.credit_price.sell", required=False)
    elif price is not None:
        buy = sell = p.number(price, "policy.credit_price")
    banking = raw.get("banking", False)
    if not isinstance(banking, bool):
        p.add("policy.banking", "expected true or false")
        banking = False
    return Policy(ids, targets, buy, sell, banking, incidence)


def _engine_problem(lineup: Lineup, cands: Any, lca_country: str, exc: RoadcarbonError) -> LineupError:
    """Name the model or sourcing option the life-cycle engine cannot assess (e.g. a country without data)."""
    found: list[dict[str, str]] = []
    for cand in cands:
        try:
            run_assessment([cand.spec], [lca_country], list(lineup.years))
        except RoadcarbonError as one:
            model = lineup.models[cand.model]
            changed = model.options[cand.option].changes
            where = f"models.{cand.model}.options.{cand.option}" if changed else f"models.{cand.model}.spec"
            found.append({"field": where, "message": f"the life-cycle engine cannot assess it: {one}"})
    return LineupError(
        found or [{"field": "lca_country", "message": f"the life-cycle engine cannot assess it: {exc}"}]
    )


def coefficients(lineup: Lineup, lca_country: str) -> pc.Coefficients:
    """Per-unit coefficients of a lineup: life-cycle (engine) and schemes (rule library)."""
    cands = pc.candidates(lineup)
    try:
        a = run_assessment([c.spec for c in cands], [lca_country], list(lineup.years))
    except RoadcarbonError as exc:
        raise _engine_problem(lineup, cands, lca_country, exc) from exc
    t = np.asarray(a.total_t_co2e[:, 0, :])
    g = np.asarray(a.total_g_co2e_per_km[:, 0, :])
    return pc.build(lineup, rules_library(), t, g, cands)


def plan_document(
    data: Any,
    *,
    years: list[int] | None = None,
    pareto: int | None = None,
    base: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    with_trace: bool = True,
) -> dict[str, Any]:
    """The ``plan`` JSON document of the design's contract for a lineup document.

    Parameters
    ----------
    data
        The lineup (mapping).
    years
        Replace the lineup's years.
    pareto
        Number of points of the profit-vs-emissions front (epsilon-constraint), or ``None``.
    base
        Folder of relative spec paths (CLI).
    progress
        Called with (done, total) after each Pareto point.
    """
    if years:
        data = {**data, "years": list(years)} if isinstance(data, Mapping) else data
    if pareto is not None and (isinstance(pareto, bool) or not 1 <= pareto <= MAX_PARETO):
        raise LineupError([{"field": "pareto", "message": f"must be between 1 and {MAX_PARETO}"}])
    lineup, lca = parse_lineup(data, base=base)
    co = coefficients(lineup, lca)
    sol = po.solve(co)
    front = po.pareto(co, pareto, progress=progress) if pareto else None
    doc = pr.plan_document(co, sol, rules_library(), pareto=front, with_trace=with_trace)
    doc["lca_country"] = lca
    return doc


def bundled_lineups() -> dict[str, Path]:
    """Example lineups shipped with the package (id -> path)."""
    if not LINEUPS_DIR.is_dir():
        return {}
    return {p.stem: p for p in sorted(LINEUPS_DIR.glob("*.yaml"))}


def read_lineup(path: Path) -> Any:
    """Read a lineup file (YAML or JSON)."""
    import json

    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    from roadcarbon.io.specs import read_yaml_text

    return read_yaml_text(text)  # YAML 1.2 booleans: `NO` stays a country code
