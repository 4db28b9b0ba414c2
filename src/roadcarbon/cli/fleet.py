"""``roadcarbon fleet``: run fleet stock-turnover scenarios and compare a policy with its baseline."""

from __future__ import annotations

import csv
import io
import sys
from typing import Annotated, Any

import numpy as np
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from roadcarbon.cli._common import command, console, err_console, fail, print_json
from roadcarbon.fleet.run import check_finite, compare_document, draw_uncertainty, execute
from roadcarbon.io.reference import load_reference
from roadcarbon.io.rulebook import default_library
from roadcarbon.io.scenarios import bundled_scenarios, load_scenario, scenario_text

app = typer.Typer(help="Fleet stock-turnover scenarios (policy lab).", no_args_is_help=True)

Samples = Annotated[int | None, typer.Option("--samples", help="Monte Carlo samples (2-10000) for bands.")]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo generator.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
AsCsv = Annotated[bool, typer.Option("--csv", help="Print one CSV table (year rows).")]


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not enabled,
    )


def _csv(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    labels = [t["id"] for t in doc["technologies"]]
    energy = list(doc["energy"])
    header = ["year"]
    header += (
        [f"stock_{x}" for x in labels] + [f"sales_{x}" for x in labels] + [f"scrappage_{x}" for x in labels]
    )
    header += [f"energy_{k}" for k in energy] + [f"emissions_{k}_t_co2e" for k in doc["emissions_t_co2e"]]
    header += ["fiscal_revenue"]
    writer.writerow(header)
    for i, year in enumerate(doc["years"]):
        row: list[Any] = [year]
        for key in ("stock", "sales", "scrappage"):
            row += [round(doc[key][x][i], 3) for x in labels]
        row += [round(doc["energy"][k][i], 3) for k in energy]
        row += [round(v[i], 3) for v in doc["emissions_t_co2e"].values()]
        row.append(round(doc["fiscal"]["revenue"][i], 2))
        writer.writerow(row)
    return out.getvalue()


def _table(doc: dict[str, Any], title: str) -> Table:
    table = Table(title=title)
    labels = [t["id"] for t in doc["technologies"]]
    for col in ["year", *[f"stock {x}" for x in labels], "TTW t", "WTW t", "life-cycle t", "revenue"]:
        table.add_column(col, justify="right")
    for i, year in enumerate(doc["years"]):
        if i % 5 and i != len(doc["years"]) - 1:
            continue
        table.add_row(
            str(year),
            *[f"{doc['stock'][x][i]:,.0f}" for x in labels],
            *[f"{doc['emissions_t_co2e'][k][i]:,.0f}" for k in ("ttw", "wtw", "lifecycle")],
            f"{doc['fiscal']['revenue'][i]:,.0f}",
        )
    return table


@app.command("list")
@command
def list_cmd(as_json: AsJson = False) -> None:
    """List the bundled scenarios (copy one to start your own)."""
    ids = bundled_scenarios()
    if as_json:
        print_json(ids)
    else:
        for name in ids:
            console.print(name, markup=False)


@app.command("show")
@command
def show_cmd(scenario: Annotated[str, typer.Argument(help="Bundled scenario id.")]) -> None:
    """Print a bundled scenario's YAML (redirect it to a file to start your own)."""
    text = scenario_text(scenario)
    if not text:
        fail(f"scenario: no bundled scenario {scenario!r} (bundled: {', '.join(bundled_scenarios())})")
    sys.stdout.write(text)


@app.command("run")
@command
def run_cmd(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file, or a bundled scenario id.")],
    samples: Samples = None,
    seed: Seed = 0,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Run one scenario: stock, sales, scrappage by powertrain; energy; emissions by scope; fiscal flows."""
    if as_json and as_csv:
        fail("--json and --csv: choose one")
    sc = load_scenario(scenario)
    with _progress(sys.stderr.isatty()) as bar:
        task = bar.add_task(f"fleet {sc.name}", total=1.0)
        run = execute(
            sc,
            tables=load_reference(),
            library=default_library(),
            samples=samples,
            rng=np.random.default_rng(seed) if samples else None,
            seed=seed if samples else None,
            progress=lambda f, step: bar.update(task, completed=f, description=f"fleet: {step}"),
        )
    doc = run.to_dict()
    check_finite(doc)
    if as_json:
        print_json(doc)
    elif as_csv:
        sys.stdout.write(_csv(doc))
    else:
        console.print(_table(doc, f"{sc.name} ({sc.country})"))
        cum = doc["cumulative_emissions_t_co2e"]
        console.print(
            f"cumulative {sc.base_year}-{sc.end_year}: TTW {cum['ttw'][-1]:,.0f} t, WTW {cum['wtw'][-1]:,.0f} t, "
            f"life-cycle {cum['lifecycle'][-1]:,.0f} t CO2e",
            markup=False,
        )
        if doc["uncertainty"]:
            band = doc["uncertainty"]["cumulative_emissions_t_co2e"]["wtw"]
            console.print(
                f"WTW cumulative, 5th-95th percentile of {doc['uncertainty']['samples']} samples (seed {seed}): "
                f"{band['p05'][-1]:,.0f} - {band['p95'][-1]:,.0f} t CO2e",
                markup=False,
            )


@app.command("compare")
@command
def compare_cmd(
    base: Annotated[str, typer.Argument(help="Baseline scenario (file or bundled id).")],
    policy: Annotated[str, typer.Argument(help="Policy scenario (file or bundled id).")],
    samples: Samples = None,
    seed: Seed = 0,
    as_json: AsJson = False,
) -> None:
    """Compare a policy with its baseline: abatement per year and cumulative, fiscal change, cost per tonne."""
    sb, sp = load_scenario(base), load_scenario(policy)
    tables, library = load_reference(), default_library()
    with _progress(sys.stderr.isatty()) as bar:
        task = bar.add_task("fleet compare", total=2.0)
        draws = draw_uncertainty(sp, samples, np.random.default_rng(seed)) if samples else None
        rb = execute(
            sb,
            tables=tables,
            library=library,
            draws=draws,
            seed=seed if samples else None,
            progress=lambda f, step: bar.update(task, completed=f, description=f"baseline: {step}"),
        )
        rp = execute(
            sp,
            tables=tables,
            library=library,
            draws=draws,
            seed=seed if samples else None,
            progress=lambda f, step: bar.update(task, completed=1.0 + f, description=f"policy: {step}"),
        )
    doc = compare_document(rb, rp)
    check_finite(doc)
    if as_json:
        print_json(doc)
        return
    console.print(_table(doc["policy"], f"policy: {sp.name}"))
    tot = doc["total_abatement_t_co2e"]
    console.print(
        f"abatement vs {sb.name}: TTW {tot['ttw']:,.0f} t, WTW {tot['wtw']:,.0f} t, life-cycle {tot['lifecycle']:,.0f} t CO2e; "
        f"revenue change {doc['fiscal_change']['revenue_total']:,.0f} {doc['fiscal_change']['currency'] or ''}",
        markup=False,
    )
    if doc["uncertainty"]:
        band = doc["uncertainty"]["abatement_t_co2e"]["wtw"]["cumulative"]
        console.print(
            f"WTW abatement, 5th-95th percentile of {doc['uncertainty']['samples']} shared samples (seed {seed}): "
            f"{band['p05'][-1]:,.0f} - {band['p95'][-1]:,.0f} t CO2e",
            markup=False,
        )
