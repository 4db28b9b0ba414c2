"""Databases for the platform tests: SQLite always, PostgreSQL when ROADCARBON_TEST_POSTGRES_URL is set.

Loaded by path from the conftests of tests/db, tests/services and tests/api.

* ``ROADCARBON_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
  names a server and a database the tests may connect to; each test session
  creates its own databases ``rc_test_<random>`` next to it and drops them at the end.
* Without it the PostgreSQL tests skip, saying why; with
  ``ROADCARBON_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) the skip becomes a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

POSTGRES_ENV = "ROADCARBON_TEST_POSTGRES_URL"
REQUIRE_ENV = "ROADCARBON_REQUIRE_POSTGRES"
DB_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_admin_url() -> str:
    """The configured PostgreSQL URL, or skip (fail when PostgreSQL is required)."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    required = os.environ.get(REQUIRE_ENV, "") == "1"
    if not url:
        reason = (
            f"PostgreSQL tests skipped: set {POSTGRES_ENV}=postgresql+psycopg://USER@HOST:PORT/DB to run them"
        )
        if required:
            pytest.fail(f"{REQUIRE_ENV}=1 but {POSTGRES_ENV} is not set")
        pytest.skip(reason)
    try:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        if required:
            pytest.fail(
                f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} is required but unreachable: {exc}"
            )
        pytest.skip(f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} unreachable: {exc}")
    return url


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """An empty database of ``kind`` (sqlite | postgresql), dropped afterwards; yields its URL."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'rc_{secrets.token_hex(4)}.sqlite3'}"
        return
    admin_url = postgres_admin_url()
    name = f"rc_test_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrated_and_seeded(url: str) -> dict[str, Any]:
    """Migrate to head and seed (as ``roadcarbon serve`` does on first run); returns the seed report."""
    from roadcarbon.cli.serve import prepare_database

    return prepare_database(url, demo=True)


@pytest.fixture(scope="session", params=DB_KINDS)
def db_kind(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``."""
    return str(request.param)


@pytest.fixture(scope="session")
def seeded_database(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A migrated, seeded database for the session: ``{url, kind, seed}``."""
    with fresh_database(db_kind, tmp_path_factory.mktemp("db")) as url:
        report = migrated_and_seeded(url)
        yield {"url": url, "kind": db_kind, "seed": report}


@pytest.fixture(scope="session")
def db_engine(seeded_database: dict[str, Any]) -> Iterator[Any]:
    """Engine on the session's seeded database."""
    from roadcarbon.db.session import make_engine

    engine = make_engine(seeded_database["url"])
    yield engine
    engine.dispose()


@pytest.fixture
def session(db_engine: Any) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test (nothing leaks between tests)."""
    with db_engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s
        outer.rollback()
