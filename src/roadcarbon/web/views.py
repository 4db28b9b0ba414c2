"""The numbers behind each dashboard view, built from the service layer.

Each ``*_view`` function takes the page's state (its URL query, already
parsed) and returns the data the template draws and the tables a user can
download.  They compute no factor of their own: the life-cycle numbers are the
service's ``lca`` documents, the rule outcomes are the rule library's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from roadcarbon.errors import InputError, SpecError
from roadcarbon.io.specs import read_yaml_text, spec_from_mapping
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import STAGES
from roadcarbon.web import backend
from roadcarbon.web.i18n import gettext_ as _
from roadcarbon.web.tables import Table


def stage_label(stage: str) -> str:
    """The translated name of a life-cycle stage."""
    labels = {
        "materials": _("Materials"),
        "battery": _("Battery"),
        "assembly": _("Assembly"),
        "energy_supply": _("Energy supply"),
        "tailpipe": _("Tailpipe"),
        "maintenance": _("Maintenance"),
        "end_of_life": _("End of life"),
    }
    return labels.get(stage, stage)


def parse_spec(text: str) -> VehicleSpec:
    """A custom vehicle spec typed by the user (YAML or JSON), validated against the contract.

    Raises
    ------
    SpecError
        Naming the first offending field and what was expected.
    """
    try:
        raw = read_yaml_text(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"not valid YAML or JSON ({exc.__class__.__name__})", field="spec") from exc
    if not isinstance(raw, dict):
        raise SpecError("expected a mapping of spec fields (name, category, segment, …)", field="spec")
    return spec_from_mapping(raw, field="spec")


def spec_yaml(spec: VehicleSpec) -> str:
    """A spec as the YAML a user can edit (fields that are set, in the contract's order)."""
    data = spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"name": spec.name, **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def with_origins(spec: VehicleSpec, battery_country: str | None, assembly_country: str | None) -> VehicleSpec:
    """``spec`` with its battery-production and assembly countries replaced where given."""
    update: dict[str, Any] = {}
    if battery_country and spec.battery_capacity_kwh:
        update["battery_production_country"] = battery_country
    if assembly_country:
        update["assembly_country"] = assembly_country
    if not update:
        return spec
    try:
        return VehicleSpec.model_validate({**spec.model_dump(), **update})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        raise InputError(str(first.get("msg", "invalid")).removeprefix("Value error, "), field=loc) from exc


@dataclass
class CompareState:
    """The comparator's state, as in its URL."""

    vehicles: list[str]
    country: str = "ID"
    year: int = 2025
    grid: str = "production"
    battery_country: str = ""
    assembly_country: str = ""
    samples: int = 200
    spec: str = ""
    year2: int = 0
    """A second registration year shown beside the first (0: none)."""
    record: dict[str, Any] | None = None
    """A supply-chain record of the user's organisation applied to every vehicle (private: never in a URL)."""


@dataclass
class CompareView:
    """What the comparator draws."""

    names: list[str] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    stages: Table | None = None
    cumulative: Table | None = None
    uncertainty: Table | None = None
    sensitivity: Table | None = None
    break_even: list[dict[str, Any]] = field(default_factory=list)
    data_version: str | None = None


def _total_t(doc: dict[str, Any]) -> float:
    return float(doc["total_g_co2e_per_km"]) * float(doc["lifetime_km"]) / 1e6


def _interpolate(xs: list[float], ys: list[float], x: float) -> float:
    """Linear interpolation of ``ys`` at ``x`` (the cumulative curves are straight lines)."""
    for i in range(1, len(xs)):
        if xs[i] >= x:
            share = (x - xs[i - 1]) / (xs[i] - xs[i - 1]) if xs[i] > xs[i - 1] else 0.0
            return ys[i - 1] + share * (ys[i] - ys[i - 1])
    return ys[-1]


def compare_view(state: CompareState) -> CompareView:
    """Life-cycle comparison of the chosen vehicles in one country and year."""
    if not 1 <= len(state.vehicles) + (1 if state.spec.strip() else 0) <= 6:
        raise InputError("choose between one and six vehicles", field="v")
    specs: list[tuple[str, VehicleSpec]] = [(pid, backend.vehicle(pid)) for pid in state.vehicles]
    if state.spec.strip():
        specs.append(("custom", parse_spec(state.spec)))
    view = CompareView()
    samples = state.samples if state.samples > 0 else None
    specs_used: list[VehicleSpec] = []
    for key, spec in specs:
        spec2 = with_origins(spec, state.battery_country or None, state.assembly_country or None)
        specs_used.append(spec2)
        doc = backend.lca(spec2, state.country, state.year, samples=samples, seed=1, grid_series=state.grid)
        custom = _("custom")
        view.names.append(spec.name if key != "custom" else f"{spec.name} ({custom})")
        view.documents.append(doc)
        view.data_version = str(doc.get("data_version", ""))
    notes = [
        f"country={state.country} year={state.year} grid_series={state.grid} "
        f"battery_production_country={state.battery_country or 'as in spec'} "
        f"assembly_country={state.assembly_country or 'as in spec'}",
        f"data_version={view.data_version}",
    ]
    if state.record:
        notes.append(f"supply_chain_record={state.record.get('label')} (private to your organisation)")
    view.stages = Table(
        "stages",
        [
            "vehicle",
            *[f"{s}_g_co2e_per_km" for s in STAGES],
            "total_g_co2e_per_km",
            "total_t_co2e",
            "lifetime_km",
        ],
        [
            [
                name,
                *[float(doc["stages_g_co2e_per_km"][s]) for s in STAGES],
                float(doc["total_g_co2e_per_km"]),
                _total_t(doc),
                float(doc["lifetime_km"]),
            ]
            for name, doc in zip(view.names, view.documents, strict=True)
        ],
        notes,
    )
    if len(specs_used) >= 2:
        document = backend.compare(specs_used, state.country, state.year, grid_series=state.grid)
        curves = document["cumulative_t_co2e"]
        distance = [float(d) for d in curves["distance_km"]]
        series = [curves["series"][spec.name] for spec in specs_used]
        labels = view.names
        view.cumulative = Table(
            "cumulative",
            ["distance_km", *[f"{name} [t CO2e]" for name in labels]],
            [[km, *[float(s[i]) for s in series]] for i, km in enumerate(distance)],
            [
                *notes,
                "production (materials, battery, assembly) at 0 km, then use-phase emissions per km; "
                "end of life not on the line (roadcarbon.engine.breakeven)",
            ],
        )
        by_name = {spec.name: i for i, spec in enumerate(specs_used)}
        for pair in document["break_even"]:
            if not pair.get("within_lifetime"):
                continue
            i = by_name[pair["vehicle"]]
            km = float(pair["break_even_km"])
            view.break_even.append(
                {
                    "a": labels[i],
                    "b": labels[by_name[pair["versus"]]],
                    "km": km,
                    "t_co2e": _interpolate(distance, [float(x) for x in series[i]], km),
                }
            )
    if samples:
        view.uncertainty = Table(
            "uncertainty",
            ["vehicle", "p05_g_co2e_per_km", "p50_g_co2e_per_km", "p95_g_co2e_per_km", "samples"],
            [
                [
                    name,
                    float(doc["uncertainty"]["p05"]),
                    float(doc["uncertainty"]["p50"]),
                    float(doc["uncertainty"]["p95"]),
                    int(doc["uncertainty"].get("samples", samples)),
                ]
                for name, doc in zip(view.names, view.documents, strict=True)
                if doc.get("uncertainty")
            ],
            notes,
        )
    return view


def years_table(state: CompareState, first: CompareView) -> Table:
    """Each vehicle's total in the state's year and in its second year, side by side [g CO2e/km]."""
    other = compare_view(
        CompareState(
            vehicles=state.vehicles,
            country=state.country,
            year=state.year2,
            grid=state.grid,
            battery_country=state.battery_country,
            assembly_country=state.assembly_country,
            samples=0,
            spec=state.spec,
        )
    )
    assert first.stages is not None
    assert other.stages is not None
    rows = []
    for a, b in zip(first.stages.rows, other.stages.rows, strict=True):
        change = b[8] - a[8]
        rows.append([a[0], a[8], b[8], change, change / a[8] if a[8] else None])
    y1, y2 = state.year, state.year2
    return Table(
        "years",
        [
            "vehicle",
            f"total_{y1}_g_co2e_per_km",
            f"total_{y2}_g_co2e_per_km",
            "change_g_co2e_per_km",
            "change_share",
        ],
        rows,
        [*first.stages.notes[:1], f"years={y1},{y2}", f"data_version={first.data_version}"],
    )


CITATION = {
    "authors": "roadcarbon developers",
    "title": "roadcarbon: life-cycle carbon of road vehicles and executable low-carbon vehicle standards",
    "repository": "https://github.com/roadcarbon/roadcarbon",
    "licence": "Apache-2.0",
}
"""How to cite roadcarbon, as in the repository's ``CITATION.cff`` (a test keeps the two equal)."""

METHODOLOGY_URL = CITATION["repository"] + "/blob/main/docs/methodology.md"
"""Where the life-cycle method (stages, factors, uncertainty, break-even) is written down."""


def citation_text(data_release: str | None = None) -> str:
    """The citation of roadcarbon and the data release a result used (plain text, one line)."""
    from roadcarbon import __version__

    if data_release is None:
        try:
            data_release = backend.data_version()
        except Exception:  # a build without reference data still cites the software
            data_release = ""
    year = data_release.split(".", 1)[0] if data_release[:4].isdigit() else str(today().year)
    release = f", data release {data_release}" if data_release else ""
    return (
        f"{CITATION['authors']} ({year}). {CITATION['title']} (version {__version__}{release}). "
        f"{CITATION['repository']}"
    )


def input_label(name: str) -> str:
    """The translated name of a sensitivity input (the code itself when it has none yet)."""
    labels = {
        "lifetime_km": _("Lifetime distance"),
        "assembly_electricity_kwh_per_vehicle": _("Electricity to assemble the vehicle"),
        "assembly_heat_mj_per_vehicle": _("Heat to assemble the vehicle"),
        "real_world_fuel_factor": _("Real-world fuel use against the test"),
        "real_world_electricity_factor": _("Real-world electricity use against the test"),
        "fuel_combustion_kg_co2_per_unit": _("CO2 from burning the fuel"),
        "maintenance_kg_co2e_per_km": _("Maintenance emissions per km"),
        "glider_materials_kg_co2e_per_kg": _("Materials of the body and chassis"),
        "vehicle_end_of_life_kg_co2e_per_kg": _("End of life of the vehicle"),
        "battery_end_of_life_kg_co2e_per_kwh": _("End of life of the battery"),
        "process_heat_kg_co2e_per_mj": _("Emissions of process heat"),
        "grid_assembly_g_co2e_per_kwh": _("Grid intensity where the vehicle is assembled"),
        "grid_use_g_co2e_per_kwh": _("Grid intensity where the vehicle is used"),
        "battery_life_km": _("Battery life"),
    }
    return labels.get(name, name)


def sensitivity_table(spec: VehicleSpec, state: CompareState) -> Table:
    """One-at-a-time sensitivity of the total [g CO2e/km] (the service's ``sensitivity_document``).

    Each input is set to its low and to its high value from the reference
    data's ranges, the others held central; rows are sorted by swing.
    """
    spec = with_origins(spec, state.battery_country or None, state.assembly_country or None)
    document = backend.sensitivity(spec, state.country, state.year, grid_series=state.grid)
    base = float(document["total_g_co2e_per_km"])
    rows = [
        [
            item["input"],
            item.get("parameter"),
            item.get("low_value"),
            item.get("high_value"),
            item.get("unit"),
            float(item["total_at_low_g_co2e_per_km"]) - base,
            float(item["total_at_high_g_co2e_per_km"]) - base,
            float(item["swing_g_co2e_per_km"]),
        ]
        for item in document["items"]
    ]
    return Table(
        "sensitivity",
        [
            "input",
            "parameter",
            "low_value",
            "high_value",
            "unit",
            "change_at_low_g_co2e_per_km",
            "change_at_high_g_co2e_per_km",
            "swing_g_co2e_per_km",
        ],
        rows,
        [
            f"vehicle={document['vehicle']}",
            f"country={document['country']} year={document['year']} base_total_g_co2e_per_km={base}",
            str(document.get("method", "")),
        ],
    )


def today() -> dt.date:
    """Today's date (the default evaluation date)."""
    return dt.date.today()


def compare_chart_context(view: CompareView) -> dict[str, Any]:
    """The series the comparator's charts draw, from the same tables a user downloads."""
    if view.stages is None:
        return {}
    stage_series = [
        {"name": stage_label(stage), "data": [row[1 + i] for row in view.stages.rows]}
        for i, stage in enumerate(STAGES)
    ]
    out: dict[str, Any] = {"stage_labels": [stage_label(s) for s in STAGES], "stage_series": stage_series}
    if view.cumulative is None:  # one vehicle: no curves to compare
        return out
    cumulative_series = [
        {"name": name, "data": [row[1 + i] for row in view.cumulative.rows]}
        for i, name in enumerate(view.names)
    ]
    marks = [{"km": b["km"], "t": b["t_co2e"], "label": f"{b['a']} = {b['b']}"} for b in view.break_even]
    return {
        **out,
        "cumulative_x": [row[0] for row in view.cumulative.rows],
        "cumulative_series": cumulative_series,
        "break_even_marks": marks,
    }


@dataclass
class MapState:
    """The country map's state, as in its URL."""

    bev: str
    petrol: str
    year: int = 2025
    grid: str = "production"


def map_view(state: MapState) -> Table:
    """BEV advantage over a petrol car in every country with data: one vectorised engine call.

    Columns: country, both totals [g CO2e/km], the saving [g CO2e/km] and the
    saving as a share of the petrol car's total (0–1).
    """
    bev, petrol = backend.vehicle(state.bev), backend.vehicle(state.petrol)
    if bev.name == petrol.name:
        raise InputError("choose two different vehicles", field="petrol")
    codes = list(backend.lca_countries_codes(state.grid))
    if not codes:
        raise InputError(f"no country has grid data in series {state.grid!r}", field="grid")
    from roadcarbon.errors import DataError

    excluded: list[str] = []
    try:
        totals = backend.assess_grid([bev, petrol], codes, state.year, grid_series=state.grid)
        pairs = {code: (totals[bev.name][i], totals[petrol.name][i]) for i, code in enumerate(codes)}
    except DataError:
        # one country lacks a factor: assess them one by one and say which are left out and why
        pairs = {}
        for code in codes:
            try:
                one = backend.assess_grid([bev, petrol], [code], state.year, grid_series=state.grid)
            except DataError as exc:
                excluded.append(f"{code}: {exc}")
                continue
            pairs[code] = (one[bev.name][0], one[petrol.name][0])
    rows = []
    for code, (b, p) in pairs.items():
        rows.append([code, backend.country_name(code), b, p, p - b, (p - b) / p if p else None])
    rows.sort(key=lambda r: -(r[5] if r[5] is not None else -1e9))
    return Table(
        "bev_advantage",
        [
            "country",
            "country_name",
            "bev_total_g_co2e_per_km",
            "petrol_total_g_co2e_per_km",
            "saving_g_co2e_per_km",
            "saving_share",
        ],
        rows,
        [
            f"bev={bev.name}",
            f"petrol={petrol.name}",
            f"year={state.year}",
            f"grid_series={state.grid}",
            *[f"not shown: {reason}" for reason in excluded],
        ],
    )


# --- standards -----------------------------------------------------------------------------------


def timeline(schemes: list[dict[str, Any]], today_: dt.date | None = None) -> dict[str, Any]:
    """Bars of each scheme's dated versions on a common time axis (percent of the span)."""
    today_ = today_ or today()
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for s in schemes:
        for v in s["versions"]:
            starts.append(dt.date.fromisoformat(v["valid_from"]))
            if v.get("valid_to"):
                ends.append(dt.date.fromisoformat(v["valid_to"]))
    if not starts:
        return {"start": None, "end": None, "rows": [], "years": []}
    start = dt.date(min(starts).year, 1, 1)
    end = dt.date(max([*ends, today_, *starts]).year + 2, 1, 1)
    span = (end - start).days
    rows = []
    for s in schemes:
        bars = []
        for v in s["versions"]:
            a = dt.date.fromisoformat(v["valid_from"])
            b = dt.date.fromisoformat(v["valid_to"]) if v.get("valid_to") else end
            bars.append(
                {
                    "id": v["id"],
                    "title": v.get("title") or v["id"],
                    "from": v["valid_from"],
                    "to": v.get("valid_to"),
                    "left": 100 * (a - start).days / span,
                    "width": max(0.8, 100 * (b - a).days / span),
                }
            )
        rows.append({"scheme": s, "bars": bars})
    years = list(range(start.year, end.year + 1, max(1, (end.year - start.year) // 8)))
    marks = [{"year": y, "left": 100 * (dt.date(y, 1, 1) - start).days / span} for y in years]
    return {
        "start": start,
        "end": end,
        "rows": rows,
        "years": marks,
        "today": 100 * (today_ - start).days / span,
    }


def parameter_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each dated value of each parameter, with the date it ends (the next key) and its reference."""
    sources = document.get("sources", {})
    rows = []
    for name, param in document.get("parameters", {}).items():
        keys = sorted(param["values"])
        for i, key in enumerate(keys):
            value = param["values"][key]
            if value is None:
                continue
            ref = value.get("reference", {})
            src = sources.get(ref.get("source"), {})
            rows.append(
                {
                    "name": name,
                    "description": param.get("description"),
                    "unit": param.get("unit"),
                    "from": key,
                    "to": keys[i + 1] if i + 1 < len(keys) else None,
                    "value": value.get("value"),
                    "status": value.get("status"),
                    "note": value.get("note"),
                    "source": ref.get("source"),
                    "locator": ref.get("locator"),
                    "source_title": src.get("title"),
                    "source_address": src.get("address") or src.get("url"),
                }
            )
    return rows


def parameter_table(document: dict[str, Any]) -> Table:
    """The scheme's dated parameters as a downloadable table."""
    rows = parameter_rows(document)
    return Table(
        "parameters",
        [
            "parameter",
            "unit",
            "valid_from",
            "valid_until",
            "value",
            "status",
            "source",
            "locator",
            "source_title",
        ],
        [
            [
                r["name"],
                r["unit"],
                r["from"],
                r["to"],
                r["value"] if not isinstance(r["value"], list) else "; ".join(str(x) for x in r["value"]),
                r["status"],
                r["source"],
                r["locator"],
                r["source_title"],
            ]
            for r in rows
        ],
        [f"scheme={document.get('id')}", f"rule_library_version={document.get('rule_library_version')}"],
    )


OUTCOME_KEYS = (
    "band",
    "tax_rate",
    "tax_base_share",
    "effective_rate",
    "amount",
    "currency",
    "credits",
    "eligible",
)
"""Outcome keys of the design's ``rules evaluate`` contract, in display order."""


def outcome_label(key: str) -> str:
    """The translated label of an outcome key."""
    labels = {
        "band": _("Band"),
        "tax_rate": _("Tax rate"),
        "tax_base_share": _("Tax base share"),
        "effective_rate": _("Effective rate"),
        "amount": _("Amount (positive: paid; negative: received)"),
        "currency": _("Currency"),
        "credits": _("Credits"),
        "eligible": _("Eligible"),
    }
    return labels.get(key, key)


@dataclass
class ComplianceState:
    """The cross-market table's state, as in its URL."""

    vehicles: list[str]
    on: dt.date
    spec: str = ""
    allow: tuple[str, ...] = ()


def compliance_view(state: ComplianceState) -> tuple[list[dict[str, Any]], list[str], Table]:
    """Every vehicle against every per-vehicle scheme of every market, on one date.

    Returns the rows (one per scheme), the vehicle names (columns), and the
    downloadable table.  A scheme that cannot evaluate a vehicle (missing
    input, out of scope) shows the rule library's one-line reason in its cell.
    """
    from roadcarbon.errors import RoadcarbonError

    specs: list[tuple[str, VehicleSpec]] = [(pid, backend.vehicle(pid)) for pid in state.vehicles]
    if state.spec.strip():
        specs.append(("custom", parse_spec(state.spec)))
    if not specs:
        raise InputError("choose at least one vehicle", field="v")
    schemes = [s for s in backend.rule_schemes() if s["category"] not in ("fleet_target", "mandate")]
    rows: list[dict[str, Any]] = []
    flat: list[list[Any]] = []
    for scheme in sorted(schemes, key=lambda s: (s["market"], s["id"])):
        cells = []
        for key, spec in specs:
            cell: dict[str, Any] = {"vehicle": key}
            try:
                result = backend.rule_evaluate(scheme["id"], spec, state.on, state.allow)
            except RoadcarbonError as exc:
                cell["error"] = str(exc)
            else:
                cell["outcome"] = result.get("outcome", {})
            cells.append(cell)
            outcome = cell.get("outcome", {})
            flat.append(
                [
                    scheme["market"],
                    scheme["id"],
                    spec.name,
                    *[_plain(outcome.get(k)) for k in OUTCOME_KEYS],
                    cell.get("error"),
                ]
            )
        rows.append({"scheme": scheme, "cells": cells})
    table = Table(
        "compliance",
        ["market", "scheme", "vehicle", *OUTCOME_KEYS, "not_evaluated_because"],
        flat,
        [f"on={state.on.isoformat()}", "statuses used: " + ", ".join(("enacted", *state.allow))],
    )
    return rows, [(key, spec.name, spec_yaml(spec)) for key, spec in specs], table


def _plain(value: Any) -> Any:
    if isinstance(value, list | dict):
        return str(value)
    return value
