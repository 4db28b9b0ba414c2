"""`roadcarbon rules`: list, show, evaluate, evaluate-fleet, compare, validate and test the rule library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from roadcarbon.cli._common import (
    OUTCOME_COLUMNS,
    command,
    console,
    fail,
    outcome_rows,
    print_csv,
    print_json,
)
from roadcarbon.errors import InputError, RuleError
from roadcarbon.specs import Fleet, VehicleSpec

app = typer.Typer(
    no_args_is_help=True,
    help="The executable rule library: schemes, their dated parameters, evaluations and legal cases.",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
CsvOpt = Annotated[
    bool,
    typer.Option("--csv", help="Print tidy CSV: scheme, vehicle, on, field, value, status, provisional."),
]
AllowOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--allow",
        help="With --strict: accept values of this status besides 'enacted' (announced, projected, assumption, unverified, all); repeatable.",
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse unless every value used is enacted (or allowed with --allow). Default: evaluate and label the outcome provisional.",
    ),
]
ReformOpt = Annotated[
    Path | None, typer.Option("--reform", help="A what-if overlay (YAML) applied to a copy of the library.")
]
InputOpt = Annotated[
    list[str] | None,
    typer.Option("--input", help="An extra input column NAME=VALUE (e.g. life-cycle numbers); repeatable."),
]


def _library(reform: Path | None = None) -> Any:
    from roadcarbon.io.rulebook import default_library, read_reform

    lib = default_library()
    return lib.with_reform(read_reform(reform)) if reform is not None else lib


def _date(value: str, field: str = "on") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {value!r}", field=field) from None


def _allow(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(part.strip() for part in v.split(",") if part.strip())
    return out


def _extra(values: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values or []:
        name, sep, raw = item.partition("=")
        try:
            if not sep:
                raise ValueError
            out[name.strip()] = float(raw)
        except ValueError:
            raise InputError(f"expected NAME=NUMBER, got {item!r}", field="--input") from None
    return out


def load_vehicle_arg(arg: str) -> VehicleSpec:
    """A preset id or a YAML/JSON spec file."""
    from roadcarbon.io.specs import load_vehicle

    return load_vehicle(arg)


def load_fleet_arg(arg: str) -> Fleet:
    """A fleet file (entries: inline spec, spec file path, or preset)."""
    from roadcarbon.io.specs import load_fleet

    return load_fleet(arg)


def _fmt(value: Any) -> str:
    """Numbers in full (no exponent: 28,000,000 not 2.8e+07), at most 6 decimals."""
    if isinstance(value, float):
        if value != value:
            return "—"
        if value.is_integer() and abs(value) < 1e18:
            return f"{value:,.0f}"
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


_RATE_KEYS = ("tax_rate", "tax_base_share", "effective_rate", "eligible_share")


def _fmt_key(key: str, value: Any) -> str:
    """Rates and shares as percentages (15 %, 46.6667 %), money with two decimals at most."""
    if key in _RATE_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{_fmt(float(value) * 100.0)} %"
    if key in ("amount", "penalty", "revenue", "rebates", "net") and isinstance(value, float):
        return _fmt(round(value, 2))
    return _fmt(value)


@app.command("list")
@command
def list_(
    market: Annotated[str | None, typer.Option("--market", help="ISO code or name of a market.")] = None,
    json_: JsonOpt = False,
) -> None:
    """List the schemes of the library."""
    from roadcarbon.countries import to_alpha2

    code = None
    if market:
        code = (
            "EU" if market.strip().upper() in ("EU", "EUROPEAN UNION") else to_alpha2(market, field="market")
        )
    rows = [
        {
            "id": s.id,
            "market": s.market,
            "title": s.title,
            "category": s.category.value,
            "valid_from": s.valid_from.isoformat(),
            "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        }
        for s in _library().select(code)
    ]
    if json_:
        print_json(rows)
        return
    table = Table("id", "market", "category", "valid", "title")
    for r in rows:
        table.add_row(
            r["id"], r["market"], r["category"], f"{r['valid_from']} – {r['valid_to'] or '…'}", r["title"]
        )
    console.print(table)


@app.command("show")
@command
def show(
    scheme_id: Annotated[str, typer.Argument(help="Scheme id, e.g. SG.vehicular_emissions_scheme.")],
    json_: JsonOpt = False,
) -> None:
    """Show a scheme: versions and its parameters as a dated table with references and statuses."""
    lib = _library()
    scheme = lib.get(scheme_id)
    if json_:
        doc = scheme.model_dump(mode="json", by_alias=True)
        cited = sorted(
            {v.reference.source for p in scheme.parameters.values() for v in p.values.values() if v}
        )
        doc["sources"] = {
            k: lib.sources[k].model_dump(mode="json", exclude_none=True) for k in cited if k in lib.sources
        }
        print_json(doc)
        return
    console.print(f"[bold]{scheme.id}[/bold] — {scheme.title} ({scheme.kind.value}, {scheme.category.value})")
    for ref in scheme.legal_reference:
        console.print(
            f"  legal: {ref.instrument}" + (f", {ref.article}" if ref.article else ""), markup=False
        )
    versions = Table("version", "from", "to", "test cycle", "title", title="versions")
    for v in scheme.versions:
        cycle = v.test_cycle or scheme.test_cycle
        versions.add_row(
            v.id,
            v.valid_from.isoformat(),
            v.valid_to.isoformat() if v.valid_to else "…",
            cycle.value if cycle else "—",
            v.title or "",
        )
    console.print(versions)
    if scheme.formula is not None and scheme.formula.uses:
        console.print(f"  combines: {', '.join(scheme.formula.uses)}", markup=False)
    table = Table(
        "parameter",
        "from",
        "value",
        "unit",
        "status",
        "reference",
        title="dated parameters",
        show_lines=False,
    )
    for name, param in scheme.parameters.items():
        for start, value in param.history():
            if value is None:
                table.add_row(name, start.isoformat(), "(ends)", param.unit, "", "")
                continue
            src = lib.sources.get(value.reference.source)
            ref = f"{value.reference.source}: {value.reference.locator}"
            if src is not None and src.address:
                ref += f" <{src.address}>"
            status = value.status.value + (
                f" — {value.note}" if value.note and value.status.value != "enacted" else ""
            )
            shown = _fmt(value.value) if value.formula is None else f"= {value.formula}"
            table.add_row(name, start.isoformat(), shown, param.unit, status, ref)
    console.print(table)
    if scheme.note:
        console.print(f"note: {scheme.note}", markup=False)


@app.command("evaluate")
@command
def evaluate_cmd(
    scheme_id: Annotated[str, typer.Argument(help="Scheme id.")],
    vehicle: Annotated[str, typer.Argument(help="Preset id or YAML/JSON spec file.")],
    on: Annotated[str, typer.Option("--on", help="Date of evaluation YYYY-MM-DD.")],
    allow: AllowOpt = None,
    reform: ReformOpt = None,
    inputs: InputOpt = None,
    json_: JsonOpt = False,
    strict: StrictOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """Evaluate a scheme for one vehicle on a date: outcome and trace."""
    if json_ and csv_:
        fail("--json and --csv: choose one")
    from roadcarbon.rules.documents import evaluate_document

    lib = _library(reform)
    scheme = lib.get(scheme_id)
    spec = _rule_vehicle_arg(vehicle)
    day = _date(on)
    given = _extra(inputs)
    engine_inputs = {} if given else _lifecycle_inputs(scheme, spec, day)
    doc = evaluate_document(
        lib,
        scheme_id,
        spec,
        day,
        allow_status=_allow(allow),
        extra_inputs=(given or engine_inputs) or None,
        strict=strict,
    )
    if engine_inputs:
        doc["inputs_from_engine"] = {
            **engine_inputs,
            "note": "battery stages from the life-cycle engine (distribution not modelled); energy delivered = "
            "battery life x electricity consumption",
        }
    if reform is not None:
        doc["reform"] = lib.reform
    if json_:
        print_json(doc)
        return
    if csv_:
        name = spec.get("name", vehicle) if isinstance(spec, dict) else getattr(spec, "name", vehicle)
        print_csv(outcome_rows(scheme_id, str(name), on, doc.get("outcome")), OUTCOME_COLUMNS)
        return
    _print_document(doc)


def _rule_vehicle_arg(arg: str) -> Any:
    """A preset (full spec) or a spec file kept as a mapping: the scheme checks only what it reads."""
    from roadcarbon.io.rulebook import vehicle_document

    return vehicle_document(arg)


def _lifecycle_inputs(scheme: Any, spec: Any, on: dt.date) -> dict[str, float]:
    """Battery stage inputs of a ``lifecycle`` scheme from the life-cycle engine (the service's computation)."""
    from roadcarbon.services.regulations import lifecycle_inputs

    return lifecycle_inputs(scheme, spec, on)


_LABEL_KEYS = ("non_enacted", "non_enacted_parameters")


def provisional_line(outcome: dict[str, Any]) -> str | None:
    """``provisional — rests on N values ...`` (None for an outcome resting on enacted values only)."""
    if not outcome.get("provisional"):
        return None
    entries = outcome.get("non_enacted") or []
    by_status: dict[str, int] = {}
    for e in entries:
        by_status[e["status"]] = by_status.get(e["status"], 0) + 1
    parts = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
    names = ", ".join(f"{e['parameter']} ({e['status']})" for e in entries)
    return (
        f"provisional ({outcome.get('status')}) — rests on {len(entries)} value"
        f"{'s' if len(entries) != 1 else ''} not enacted ({parts}): {names}"
    )


def _print_labels(outcome: dict[str, Any]) -> None:
    line = provisional_line(outcome)
    if line:
        console.print(f"[yellow]{escape(line)}[/yellow]")
    if outcome.get("reform"):
        console.print(f"[magenta]reform: {escape(str(outcome['reform']))}[/magenta] (a what-if, not law)")


def _print_document(doc: dict[str, Any]) -> None:
    head = f"[bold]{doc['scheme']}[/bold] version {doc.get('version')}"
    head += f" on {doc['on']}" if "on" in doc else f" year {doc.get('year')}"
    console.print(head)
    out = Table("outcome", "value")
    for key, value in doc["outcome"].items():
        if key in _LABEL_KEYS:
            continue
        out.add_row(key, escape(_fmt_key(key, value)))
    console.print(out)
    _print_labels(doc["outcome"])
    trace = Table("trace", "name", "value", "detail")
    for entry in doc["trace"]:
        if entry["type"] == "parameter":
            ref = entry["reference"]
            detail = f"from {entry['valid_from']}, {entry['status']}, {ref['source']}: {ref['locator']}"
            trace.add_row(
                "parameter",
                escape(entry["name"]),
                escape(f"{_fmt(entry['value'])} {entry['unit']}"),
                escape(detail),
            )
        else:
            value = entry.get("value")
            trace.add_row(
                entry["type"],
                escape(entry["name"]),
                "" if value is None else escape(_fmt(value)),
                escape(entry.get("note", "")),
            )
    console.print(trace)


@app.command("evaluate-fleet")
@command
def evaluate_fleet_cmd(
    scheme_id: Annotated[str, typer.Argument(help="Scheme id of a fleet_target, credits or mandate scheme.")],
    fleet: Annotated[
        list[str], typer.Argument(help="Fleet file (YAML/JSON); one per --year for a multi-year period.")
    ],
    year: Annotated[
        list[int], typer.Option("--year", help="Compliance year; repeat for a multi-year period.")
    ],
    allow: AllowOpt = None,
    reform: ReformOpt = None,
    json_: JsonOpt = False,
    strict: StrictOpt = False,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Per-vehicle schemes: date of evaluation (default 1 July of --year)."),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option("--currency", help="Per-vehicle schemes: also give the totals in this currency."),
    ] = None,
) -> None:
    """Evaluate a fleet-level scheme for a compliance year: target, average, compliance, penalty.

    A per-vehicle scheme (tax, rebate, band) gives per-vehicle outcomes and the fleet's totals:
    revenue, rebates paid, share in each band, in the scheme's currency and in --currency.

    With several fleets and years (EU 2025-2027, Reg. 2025/1214), also the registration-weighted
    average of the annual averages against that of the annual targets.
    """
    from roadcarbon.rules.documents import evaluate_fleet_document, multi_year_document

    lib = _library(reform)
    lib.get(scheme_id)
    if len(fleet) != len(year):
        raise InputError(
            f"give one fleet file per --year: {len(fleet)} files, {len(year)} years", field="--year"
        )
    from roadcarbon.io.rulebook import fleet_document

    day = _date(on) if on else None
    docs = []
    for f, y in zip(fleet, year, strict=True):
        raw, resolve = fleet_document(f)
        docs.append(
            evaluate_fleet_document(
                lib,
                scheme_id,
                raw,
                y,
                allow_status=_allow(allow),
                strict=strict,
                on=day,
                currency=currency.strip().upper() if currency else None,
                resolve=resolve,
            )
        )
    if len(docs) > 1 and "vehicles" in docs[0]:
        raise InputError("per-vehicle schemes take one fleet file and one --year", field="--year")
    doc = docs[0] if len(docs) == 1 else multi_year_document(docs)
    if json_:
        print_json(doc)
        return
    if len(docs) == 1:
        _print_document(doc)
        if "vehicles" in doc:
            _print_lines(doc["vehicles"])
        return
    for single in docs:
        _print_document(single)
    out = Table("period outcome", "value")
    for key, value in doc["outcome"].items():
        out.add_row(key, escape(_fmt(value)))
    console.print(out)


def _print_lines(lines: list[dict[str, Any]]) -> None:
    keys = [k for k in ("band", "row", "effective_rate", "amount", "eligible", "status") if k in lines[0]]
    table = Table("line", "name", "sales", *keys, title="per vehicle")
    for line in lines[:200]:
        table.add_row(
            str(line["line"]),
            escape(str(line.get("name", ""))),
            _fmt(line["sales"]),
            *(escape(_fmt_key(k, line.get(k))) for k in keys),
        )
    console.print(table)
    if len(lines) > 200:
        console.print(f"... {len(lines) - 200} more lines (--json gives them all)")


@app.command("compare")
@command
def compare_cmd(
    vehicle: Annotated[str, typer.Argument(help="Preset id or YAML/JSON spec file.")],
    on: Annotated[str, typer.Option("--on", help="Date of evaluation YYYY-MM-DD.")],
    market: Annotated[
        list[str] | None, typer.Option("--market", help="Market code; repeatable (default: all).")
    ] = None,
    allow: AllowOpt = None,
    reform: ReformOpt = None,
    json_: JsonOpt = False,
    strict: StrictOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """One vehicle under every scheme of the chosen markets: one row per scheme."""
    if json_ and csv_:
        fail("--json and --csv: choose one")
    from roadcarbon.services.regulations import compare as compare_service

    spec = _rule_vehicle_arg(vehicle)  # each scheme checks only what it reads
    doc = compare_service(
        spec, _date(on), markets=market, allow=_allow(allow), rulebook=_library(reform), strict=strict
    )
    rows = doc["rows"]
    if json_:
        print_json({"vehicle": doc["vehicle"], "on": on, "rows": rows})
        return
    if csv_:
        print_csv(
            [
                r
                for row in rows
                for r in outcome_rows(row["scheme"], spec.name, on, row.get("outcome"), row.get("error"))
            ],
            OUTCOME_COLUMNS,
        )
        return
    table = Table("scheme", "outcome")
    for row in rows:
        if "error" in row:
            table.add_row(row["scheme"], escape(f"— {row['error']}"))
        else:
            shown = {k: v for k, v in row["outcome"].items() if k not in (*_LABEL_KEYS, "reference")}
            text = ", ".join(f"{k}={_fmt(v)}" for k, v in shown.items())
            line = provisional_line(row["outcome"])
            if line:
                text += f"\n{line}"
            table.add_row(row["scheme"], escape(text))
    console.print(table)


@app.command("validate")
@command
def validate(
    root: Annotated[
        Path | None, typer.Argument(help="A regulations folder (default: the packaged library).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Validate every scheme file, the source registry and the cross-references (exit 2 on the first error)."""
    from roadcarbon.io.rulebook import REGULATIONS_DIR, load_library

    lib = load_library(root or REGULATIONS_DIR)
    report = {"schemes": len(lib.schemes), "sources": len(lib.sources), "conversions": len(lib.conversions)}
    if json_:
        print_json({"ok": True, **report})
    else:
        console.print(
            f"ok: {report['schemes']} schemes, {report['sources']} sources, {report['conversions']} cycle conversions"
        )


@app.command("test")
def run_legal_cases(
    market: Annotated[str | None, typer.Option("--market", help="Only this market's cases.")] = None,
    cases: Annotated[
        Path | None,
        typer.Option("--cases", help="Folder of legal cases (default: the packaged data/regulations/cases)."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Run every legal case (exit 1 if one fails)."""
    from roadcarbon.cli._common import user_errors
    from roadcarbon.io.rulebook import CASES_DIR, case_files, read_yaml
    from roadcarbon.rules.cases import parse_case_file, run_case_file

    with user_errors():
        root = cases or CASES_DIR
        if not root.exists():
            raise RuleError(f"no legal cases folder at {root}; pass --cases", field="--cases")
        lib = _library()
        results = []
        for path in case_files(root):
            if market and path.parent.name != market.upper():
                continue
            results.extend(run_case_file(lib, parse_case_file(read_yaml(path), origin=str(path))))
    failed = [r for r in results if not r.passed]
    if json_:
        print_json(
            {
                "passed": len(results) - len(failed),
                "failed": len(failed),
                "results": [r.__dict__ for r in results],
            }
        )
    else:
        table = Table("scheme", "version", "case", "result")
        for r in results:
            table.add_row(r.scheme, r.version, r.name, "ok" if r.passed else f"[red]FAIL[/red] {r.message}")
        console.print(table)
        console.print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)
