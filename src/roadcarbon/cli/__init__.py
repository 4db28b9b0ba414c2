"""The ``roadcarbon`` command line (Typer + rich): a thin client of the library and services."""

from __future__ import annotations

import typer

from roadcarbon.cli import assess, data, db, fleet, rules, serve

app = typer.Typer(
    name="roadcarbon",
    help="Life-cycle carbon of road vehicles and executable low-carbon vehicle standards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
assess.register(app)
app.add_typer(data.app, name="data")
app.add_typer(rules.app, name="rules")
app.add_typer(db.app, name="db")
app.add_typer(fleet.app, name="fleet")
serve.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
