"""`roadcarbon db`: migrate and seed the platform database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from roadcarbon.cli._common import command, console, print_json

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(
    no_args_is_help=True,
    help="Platform database: upgrade, downgrade, seed, current revision, refresh aggregates.",
)


@app.callback()
def _needs_server_extra() -> None:
    """Platform database: upgrade, downgrade, seed, current revision."""
    import importlib.util

    from roadcarbon.cli._common import fail

    if importlib.util.find_spec("sqlalchemy") is None or importlib.util.find_spec("alembic") is None:
        fail('`db` needs the server extra: pip install "roadcarbon[server]"')


def _engine() -> Engine:
    from roadcarbon.db.session import make_engine
    from roadcarbon.settings import Settings

    return make_engine(Settings().database_url)


@app.command("upgrade")
@command
def upgrade(revision: Annotated[str, typer.Option(help="Target revision")] = "head") -> None:
    """Migrate the database (ROADCARBON_DATABASE_URL, else the embedded SQLite file) up."""
    from roadcarbon.db import migrate

    engine = _engine()
    try:
        migrate.upgrade(engine, revision)
        console.print(f"database at revision {migrate.current_revision(engine)}", markup=False)
    finally:
        engine.dispose()


@app.command("downgrade")
@command
def downgrade(
    revision: Annotated[str, typer.Option(help="Target revision ('base' empties the database)")] = "base",
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: downgrading drops data")] = False,
) -> None:
    """Migrate the database down (drops the tables of the reverted revisions)."""
    from roadcarbon.cli._common import fail
    from roadcarbon.db import migrate

    if not yes:
        fail("--yes: downgrading drops data; repeat with --yes to confirm")
    engine = _engine()
    try:
        migrate.downgrade(engine, revision)
        console.print(f"database at revision {migrate.current_revision(engine)}", markup=False)
    finally:
        engine.dispose()


@app.command("seed")
@command
def seed(
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Migrate and seed an empty database; prints demo credentials once."""
    from roadcarbon.cli.serve import prepare_database, print_credentials
    from roadcarbon.settings import Settings

    report = prepare_database(Settings().database_url)
    if json_output:
        print_json(report)
    elif report.get("seeded"):
        print_credentials(report)
    else:
        console.print("database already seeded; nothing to do", markup=False)


@app.command("current")
@command
def current(
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON document")] = False,
) -> None:
    """Print the database's revision and the newest one shipped."""
    from roadcarbon.db import migrate

    engine = _engine()
    try:
        revision, head = migrate.current_revision(engine), migrate.head_revision()
    finally:
        engine.dispose()
    if json_output:
        print_json({"current": revision, "head": head, "up_to_date": revision == head})
        return
    console.print(f"current: {revision}  head: {head}", markup=False)


@app.command("refresh-aggregates")
@command
def refresh_aggregates(
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON document")] = False,
) -> None:
    """Recompute the public supply-chain aggregates now (for cron; the server also does it on a schedule)."""
    from sqlalchemy.exc import SQLAlchemyError

    from roadcarbon.cli._common import fail
    from roadcarbon.db import migrate
    from roadcarbon.db.session import make_sessionmakers, transaction
    from roadcarbon.services.records import refresh_supply_chain_aggregates

    engine = _engine()
    try:
        revision, head = migrate.current_revision(engine), migrate.head_revision()
        if revision != head:
            fail(f"the database is at revision {revision}, not {head}: run `roadcarbon db upgrade` first")
        _read, write = make_sessionmakers(engine)
        with transaction(write) as session:
            report = refresh_supply_chain_aggregates(session)
    except SQLAlchemyError as exc:
        fail(f"cannot recompute the aggregates: {str(exc.orig or exc).splitlines()[0]}")
    finally:
        engine.dispose()
    if json_output:
        print_json(report)
        return
    console.print(
        f"aggregates recomputed at {report['computed_at']}: {report['groups']} group(s) published",
        markup=False,
    )
