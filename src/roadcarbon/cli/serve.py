"""`roadcarbon serve`: the platform (API + web) on the embedded database."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from roadcarbon.cli._common import command, console, fail

SERVER_MODULES = ("uvicorn", "fastapi", "sqlalchemy", "alembic", "jinja2", "pydantic_settings")
"""Modules of the ``server`` extra that ``serve`` needs (checked before importing them)."""


def prepare_database(database_url: str, *, demo: bool | None = None) -> dict[str, Any]:
    """Create (SQLite), migrate and, on first use, seed the database; returns the seed report.

    Demo organisations and accounts are seeded only with ``demo`` true; ``None`` means "only on the
    embedded SQLite database".  A production database (PostgreSQL) gets the reference data and no
    account: create the first maintainer with ``roadcarbon accounts create-admin``.
    """
    from roadcarbon.db import migrate
    from roadcarbon.db.session import make_engine, make_sessionmakers
    from roadcarbon.services.seed import seed

    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        _, write_sessions = make_sessionmakers(engine)
        with write_sessions() as session:
            report = seed(session, with_demo=database_url.startswith("sqlite") if demo is None else demo)
            session.commit()
    finally:
        engine.dispose()
    return report


def print_credentials(report: dict[str, Any]) -> None:
    """Print the demo accounts created by the seed (shown once: only hashes are stored)."""
    if not report.get("seeded"):
        return
    console.print("[bold]First run: database created and seeded.[/bold] Demo accounts (shown only now):")
    for cred in report.get("credentials", []):
        console.print(
            f"  {cred['role']:<12} {cred['email']:<38} password: {cred['password']}",
            markup=False,
            highlight=False,
        )
    for note in report.get("notes", []):
        console.print(f"  note: {note}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the app."""

    @app.command("serve")
    @command
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
        workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (one per CPU core)")] = 1,
        demo: Annotated[
            bool | None,
            typer.Option(
                "--demo/--no-demo",
                help="Seed demo organisations and accounts on first run (default: only on embedded SQLite)",
            ),
        ] = None,
        log_level: Annotated[
            str | None,
            typer.Option(help="debug, info, warning or error (default: ROADCARBON_LOG_LEVEL or info)"),
        ] = None,
        json_logs: Annotated[
            bool | None, typer.Option("--json-logs/--text-logs", help="One JSON object per log line")
        ] = None,
    ) -> None:
        """Start the API and the web dashboard; creates, migrates and seeds the database on first run.

        The database is a SQLite file in the per-user data folder unless
        ROADCARBON_DATABASE_URL names another (e.g. PostgreSQL).
        """
        import importlib.util

        if any(importlib.util.find_spec(m) is None for m in SERVER_MODULES):
            fail('`serve` needs the server extra: pip install "roadcarbon[server]"')
        import uvicorn

        from roadcarbon.api import create_app
        from roadcarbon.api.logs import LEVELS, log_config
        from roadcarbon.settings import Settings

        settings = Settings()
        level = (log_level or settings.log_level).lower()
        if level not in LEVELS:
            fail(f"--log-level: expected one of {', '.join(LEVELS)}")
        json_format = settings.log_format == "json" if json_logs is None else json_logs
        logging = log_config(level, json_format=json_format, access_log=settings.access_log)
        report = prepare_database(settings.database_url, demo=demo)
        print_credentials(report)
        if report.get("seeded") and not report.get("credentials"):
            console.print(
                "no accounts were created (production database): run `roadcarbon accounts create-admin`",
                markup=False,
                highlight=False,
            )
        shown = (
            settings.database_url.split("@")[-1] if "@" in settings.database_url else settings.database_url
        )
        console.print(f"database: {shown}", markup=False, highlight=False)
        console.print(
            f"roadcarbon is serving on http://{host}:{port}  (API: http://{host}:{port}/api/v1, "
            f"OpenAPI: http://{host}:{port}/openapi.json)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        if workers == 1:
            uvicorn.run(create_app(settings), host=host, port=port, log_config=logging)
            return
        import os

        os.environ["ROADCARBON_DATABASE_URL"] = settings.database_url
        os.environ.setdefault(
            "ROADCARBON_SECRET_KEY", settings.resolved_secret_key()
        )  # one key for all workers
        uvicorn.run(
            "roadcarbon.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=logging,
        )
