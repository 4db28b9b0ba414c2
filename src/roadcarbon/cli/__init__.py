"""The ``roadcarbon`` command line (Typer + rich): a thin client of the library and services."""

from __future__ import annotations

from typing import Annotated

import typer

from roadcarbon.cli import (  # _blas first: before numpy loads
    _blas,
    accounts,
    assess,
    batch,
    data,
    db,
    fleet,
    plan,
    rules,
    serve,
)

del _blas


def _print_version(value: bool) -> None:
    if value:
        from roadcarbon import __version__

        typer.echo(f"roadcarbon {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="roadcarbon",
    help="Life-cycle carbon of road vehicles and executable low-carbon vehicle standards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Life-cycle carbon of road vehicles and executable low-carbon vehicle standards."""


assess.register(app)
app.add_typer(data.app, name="data")
app.add_typer(rules.app, name="rules")
app.add_typer(db.app, name="db")
app.add_typer(accounts.app, name="accounts")
app.add_typer(fleet.app, name="fleet")
serve.register(app)
plan.register(app)
batch.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
