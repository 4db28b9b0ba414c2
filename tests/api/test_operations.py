"""Operations (issue 13): no demo accounts in production, the accounts CLI, one JWT key per database, logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from roadcarbon_platform_fixtures import DB_KINDS, fresh_database
from sqlalchemy import select
from typer.testing import CliRunner

from roadcarbon.cli import app
from roadcarbon.cli.serve import prepare_database
from roadcarbon.db.models import User
from roadcarbon.db.session import make_engine, make_sessionmakers
from roadcarbon.settings import Settings

PASSWORD = "an admin passphrase 2026"


def _users(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        read, _ = make_sessionmakers(engine)
        with read() as s:
            return [(u.email, u.role) for u in s.scalars(select(User).order_by(User.id))]
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", DB_KINDS)
def test_production_start_has_no_demo_accounts_and_create_admin_makes_the_first(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_database(kind, tmp_path) as url:
        report = prepare_database(url, demo=None if kind == "postgresql" else False)
        assert report["seeded"] is True
        assert report["credentials"] == []
        assert _users(url) == []
        monkeypatch.setenv("ROADCARBON_DATABASE_URL", url)
        monkeypatch.setenv("HOME", str(tmp_path))
        runner = CliRunner()
        r = runner.invoke(app, ["accounts", "create-admin", "--email", "Ops@Example.org", "--password-stdin"],
                          input=PASSWORD + "\n")  # fmt: skip
        assert r.exit_code == 0, r.output
        assert PASSWORD not in r.output
        assert _users(url) == [("ops@example.org", "maintainer")]
        # a common password is refused with one line naming the field, exit 2
        r = runner.invoke(app, ["accounts", "reset-password", "--email", "ops@example.org", "--password-stdin"],
                          input="password123\n")  # fmt: skip
        assert r.exit_code == 2
        assert "password" in r.output
        r = runner.invoke(app, ["accounts", "reset-password", "--email", "ops@example.org", "--password-stdin"],
                          input="another admin passphrase\n")  # fmt: skip
        assert r.exit_code == 0, r.output
        assert "another admin passphrase" not in r.output
        r = runner.invoke(app, ["accounts", "reset-password", "--email", "nobody@example.org", "--password-stdin"],
                          input="another admin passphrase\n")  # fmt: skip
        assert r.exit_code == 2
        assert "--email" in r.output


def test_embedded_sqlite_still_gets_demo_accounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    report = prepare_database(url)
    assert {c["role"] for c in report["credentials"]} >= {"maintainer", "reviewer", "contributor"}


def test_jwt_key_is_kept_with_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two databases of one OS user get two keys: a token of one instance is refused by the other."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ROADCARBON_SECRET_KEY", raising=False)
    a = Settings(database_url=f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = Settings(database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}")
    pg1 = Settings(database_url="postgresql+psycopg://u@db1:5432/x")
    pg2 = Settings(database_url="postgresql+psycopg://u@db2:5432/x")
    keys = [s.resolved_secret_key() for s in (a, b, pg1, pg2)]
    assert len(set(keys)) == 4
    assert a.resolved_secret_key() == keys[0]  # stable
    assert a.secret_key_path() == tmp_path / "a.sqlite3.jwt-secret"
    assert oct(a.secret_key_path().stat().st_mode & 0o777) == "0o600"


def test_json_logs_carry_access_fields() -> None:
    from roadcarbon.api.logs import JsonFormatter, log_config

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/api/v1/health", "1.1", 200), None)  # fmt: skip
    line: dict[str, Any] = json.loads(JsonFormatter().format(record))
    assert line["status"] == 200
    assert line["path"] == "/api/v1/health"
    assert line["level"] == "info"
    config = log_config("warning", json_format=True)
    assert config["loggers"]["roadcarbon"]["level"] == "WARNING"
    with pytest.raises(ValueError, match="log level"):
        log_config("loud")
