"""Engine and session factories from a database URL (SQLite or PostgreSQL); no module-global engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for the write lock before failing [ms]."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``.

    SQLite files get their folder created, WAL journaling, foreign keys on and a
    busy timeout; write transactions on SQLite begin ``IMMEDIATE`` (see
    :func:`make_sessionmakers`) so that concurrent writers queue instead of
    failing with "database is locked" when upgrading a read lock.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if parsed.database and parsed.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_sessionmakers(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """Return ``(read_sessions, write_sessions)``.

    On SQLite the write sessions take the write lock when they begin, so a
    read-then-write transaction never deadlocks with another writer; on
    PostgreSQL both are the same.
    """
    read = sessionmaker(bind=engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        write = sessionmaker(bind=engine.execution_options(sqlite_immediate=True), expire_on_commit=False)
    else:
        write = read
    return read, write


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session from ``sessions``: committed when the block ends normally, rolled back on any error."""
    with sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
