"""`roadcarbon data` commands: validate the reference-data package, list its sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from roadcarbon.cli._common import command, console, fail, print_json
from roadcarbon.errors import InputError

app = typer.Typer(no_args_is_help=True, help="Reference data: validate the package, list sources.")

PathOption = Annotated[
    Path | None,
    typer.Option("--path", help="Folder holding datapackage.json (default: the packaged reference data)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]


def _root(path: Path | None) -> Path:
    from roadcarbon.io.datapackage import default_package_path  # with pycountry: only when a command runs

    root = path if path is not None else default_package_path()
    if not (root / "datapackage.json").is_file():
        raise InputError(f"no datapackage.json in {root}; expected a data-package folder", field="--path")
    return root


@app.command("validate")
@command
def validate(path: PathOption = None, as_json: JsonOption = False) -> None:
    """Validate the reference data and presets: exit 0 if clean, 1 if problems were found."""
    import importlib.util

    if importlib.util.find_spec("frictionless") is None:
        fail('`data validate` needs the data extra: pip install "roadcarbon[data]"')
    from roadcarbon.io.datapackage import package_summary, validate_package

    root = _root(path)
    problems = validate_package(root)
    n_resources, n_rows = package_summary(root)
    if as_json:
        print_json(
            {
                "path": str(root),
                "valid": not problems,
                "resources": n_resources,
                "rows": n_rows,
                "problems": [p.as_dict() for p in problems],
            }
        )
    elif problems:
        table = Table(title=f"{len(problems)} problem(s) in {root}")
        for column in ("resource", "line", "field", "check", "message"):
            table.add_column(column, overflow="fold")
        for p in problems:
            table.add_row(p.resource, str(p.row or ""), p.field or "", p.check, p.message)
        console.print(table)
    else:
        console.print(f"OK: {n_resources} resources, {n_rows} rows", highlight=False)
    if problems:
        raise typer.Exit(1)


@app.command("sources")
@command
def sources(path: PathOption = None, as_json: JsonOption = False) -> None:
    """List the sources of the reference data with their licences."""
    from roadcarbon.io.datapackage import read_table

    root = _root(path)
    rows = read_table(root / "sources.csv")
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} sources")
    for column in ("source_id", "year", "publisher", "licence", "quality"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r["source_id"], r["year"], r["publisher"], r["licence"], r["quality"])
    console.print(table)
