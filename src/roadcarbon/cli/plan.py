"""``roadcarbon plan``: the profit-maximising compliant sales mix of a maker's lineup (design part 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from roadcarbon.cli._common import console, err_console, fail, print_json, user_errors

INFEASIBLE = 1


def _table(doc: dict[str, Any]) -> None:
    cur = doc["currency"]
    table = Table(title=f"Plan {doc['market']} {', '.join(str(y) for y in doc['years'])}: {doc['status']}")
    for col in ("model", "year", "option", "units", f"margin/unit ({cur})", "t CO2e/unit", "why"):
        table.add_column(col, justify="right" if col in ("units", "year") or "/" in col else "left")
    for row in doc["mix"]:
        table.add_row(
            escape(row["model"]),
            str(row["year"]),
            escape(row["option"]),
            f"{row['units']:,}",
            f"{row['unit_margin']:,.0f}",
            f"{row['t_co2e_per_unit']:.2f}",
            escape(row["why"]),
        )
    console.print(table)
    _incentives(doc)
    if doc["fleet"]:
        fleet = Table(title="Fleet schemes (rule library's evaluation of the mix)")
        for col in ("scheme", "year", "average", "target", "unit", "compliant", "penalty", "note"):
            fleet.add_column(col)
        for f in doc["fleet"]:
            o = f["outcome"] or {}
            fleet.add_row(
                f["scheme"],
                str(f["year"]),
                _num(o.get("average")),
                _num(o.get("target")),
                str(o.get("unit", "")),
                str(o.get("compliant", "")),
                _num(f.get("penalty_paid")),
                "" if f["linear_exact"] else "approximate (non-linear rule)",
            )
        console.print(fleet)
    if doc["status"] == "optimal":
        console.print(
            f"profit {doc['profit']:,.0f} {cur}  (revenue {doc['revenue']:,.0f}, cost {doc['cost']:,.0f}, "
            f"schemes {doc['scheme_amounts']:,.0f}, penalties {doc['penalties']:,.0f}, "
            f"credit trade {doc['credit_trade']:,.0f}); life-cycle {doc['t_co2e']:,.0f} t CO2e"
        )
    for b in doc["binding"]:
        if doc["status"] == "optimal":
            extra = b.get("shadow_price_per_unit_of_target")
            tail = f", {extra:,.0f} {cur} per {b.get('unit', '')} of target" if extra is not None else ""
            console.print(
                f"binding: {b['constraint']} (shadow price {b['shadow_price']:,.4g} {cur}{tail})",
                markup=False,
            )
        else:
            console.print(f"cannot be met: {b.get('message', b['constraint'])}", markup=False)
    if doc.get("pareto"):
        front = Table(title="Profit vs life-cycle emissions (Pareto front)")
        front.add_column("t CO2e", justify="right")
        front.add_column(f"profit ({cur})", justify="right")
        front.add_column(f"{cur} per t avoided", justify="right")
        for p in doc["pareto"]:
            cost = p.get("cost_per_t_co2e_avoided")
            front.add_row(
                f"{p['t_co2e']:,.0f}", f"{p['profit']:,.0f}", "" if cost is None else f"{cost:,.0f}"
            )
        console.print(front)
    for note in doc["notes"]:
        console.print(f"note: {note}", markup=False)


def _incentives(doc: dict[str, Any]) -> None:
    """Per chosen model and year: each scheme's amount per unit (positive paid, negative received)."""
    rows = [
        (m["model"], y["year"], s)
        for m in doc.get("models", [])
        for y in m["years"]
        for s in y["schemes"]
        if s["amount_per_unit"]
    ]
    if not rows:
        return
    table = Table(title=f"Taxes (+) and incentives (-) per unit ({doc['currency']})")
    for col in ("model", "year", "scheme", "amount", "status"):
        table.add_column(col, justify="right" if col == "amount" else "left")
    for model, year, s in rows:
        table.add_row(
            escape(model),
            str(year),
            s["scheme"],
            f"{s['amount_per_unit']:,.0f}",
            str(s["outcome"].get("status", "")),
        )
    console.print(table)


def _num(value: Any) -> str:
    return "" if value is None else f"{float(value):,.4g}"


def register(app: typer.Typer) -> None:
    """Add ``plan`` to the root command."""

    @app.command("plan")
    def plan(
        lineup: Annotated[str, typer.Argument(help="Lineup file (YAML or JSON) or a bundled lineup id.")],
        year: Annotated[
            list[int] | None, typer.Option("--year", help="Plan year (repeat); replaces the file's.")
        ] = None,
        pareto: Annotated[
            int | None, typer.Option("--pareto", help="Points of the profit-vs-emissions front (1-50).")
        ] = None,
        json_: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    ) -> None:
        """The profit-maximising compliant mix of a lineup, with its explanation."""
        from roadcarbon.services.planning import bundled_lineups, plan_document, read_lineup

        with user_errors():
            path = Path(lineup)
            if not path.is_file():
                bundled = bundled_lineups()
                if lineup not in bundled:
                    fail(
                        f"lineup: file not found and not a bundled lineup: {lineup} (bundled: {', '.join(bundled)})"
                    )
                path = bundled[lineup]
            try:
                data = read_lineup(path)
            except (ValueError, yaml.YAMLError) as exc:
                fail(f"lineup: not valid YAML/JSON ({str(exc).splitlines()[0]})")
            progress = Progress(
                TextColumn("Pareto front"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
                transient=True,
                disable=not pareto,
            )
            with progress:
                task = progress.add_task("pareto", total=pareto or 1)
                doc = plan_document(
                    data,
                    years=year,
                    pareto=pareto,
                    base=path.parent,
                    progress=lambda done, total: progress.update(task, completed=done, total=total),
                    with_trace=json_,
                )
        if json_:
            print_json(doc)
        else:
            _table(doc)
        if doc["status"] != "optimal":
            raise typer.Exit(INFEASIBLE)
