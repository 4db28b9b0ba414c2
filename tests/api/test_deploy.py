"""The container and the deploy guide (docs/deploy.md) as documented (Docker is not available here:
the files are parsed and the documented CLI steps run against real PostgreSQL/SQLite)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from roadcarbon_platform_fixtures import DB_KINDS, fresh_database
from typer.testing import CliRunner

from roadcarbon.cli import app

ROOT = Path(__file__).parents[2]


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_is_slim_non_root_with_a_healthcheck() -> None:
    steps = _instructions()
    froms = [rest for word, rest in steps if word == "FROM"]
    assert all("slim" in f for f in froms)
    final = steps[max(i for i, (w, _) in enumerate(steps) if w == "FROM") :]
    users = [rest for word, rest in final if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    health = next(rest for word, rest in final if word == "HEALTHCHECK")
    assert "/api/v1/health" in health
    cmd = json.loads(next(rest for word, rest in final if word == "CMD"))
    assert cmd[:2] == ["roadcarbon", "serve"]
    assert "--no-demo" in cmd
    assert "0.0.0.0" in cmd
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".git" in ignored and "*.jwt-secret" in ignored


def test_compose_runs_the_app_on_postgresql_with_secrets_from_the_environment() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    db, app_ = compose["services"]["db"], compose["services"]["app"]
    assert db["image"].startswith("postgres:")
    assert "healthcheck" in db
    env = app_["environment"]
    assert env["ROADCARBON_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["ROADCARBON_SECRET_KEY"].startswith("${ROADCARBON_SECRET_KEY:?")
    assert app_["depends_on"]["db"]["condition"] == "service_healthy"
    assert all(p.startswith("127.0.0.1:") for p in app_["ports"])
    assert "--no-demo" in app_["command"]


def _documented_commands() -> list[str]:
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [
        line.split("#")[0].strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip().startswith("roadcarbon ")
    ]


def test_every_documented_roadcarbon_command_exists() -> None:
    runner = CliRunner()
    commands = _documented_commands()
    assert any("accounts create-admin" in c for c in commands)
    for command in commands:
        words = [w for w in command.split()[1:] if not w.startswith("-")][:2]
        r = runner.invoke(app, [*words, "--help"])
        assert r.exit_code == 0, (command, r.output)
        for option in re.findall(r"(--[a-z-]+)", command):
            assert option in r.output, (command, option)


@pytest.mark.parametrize("kind", DB_KINDS)
def test_documented_steps_without_docker(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """db upgrade -> accounts create-admin (stdin) -> db current --json, as docs/deploy.md lists them."""
    with fresh_database(kind, tmp_path) as url:
        monkeypatch.setenv("ROADCARBON_DATABASE_URL", url)
        monkeypatch.setenv("ROADCARBON_SECRET_KEY", "s" * 64)
        monkeypatch.setenv("HOME", str(tmp_path))
        runner = CliRunner()
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        r = runner.invoke(
            app,
            ["accounts", "create-admin", "--email", "you@example.org", "--password-stdin"],
            input="a deploy guide passphrase\n",
        )
        assert r.exit_code == 0, r.output
        r = runner.invoke(app, ["db", "current", "--json"])
        assert r.exit_code == 0, r.output
        assert json.loads(r.output)["up_to_date"] is True
        # the only account is the one created (db upgrade + create-admin seed no demo accounts)
        from roadcarbon.db.models import User
        from roadcarbon.db.session import make_engine, make_sessionmakers

        engine = make_engine(url)
        try:
            read, _ = make_sessionmakers(engine)
            with read() as s:
                assert [u.email for u in s.query(User)] == ["you@example.org"]
        finally:
            engine.dispose()
