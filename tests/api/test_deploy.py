"""The container and the deploy guide (docs/deploy.md) as documented (Docker is not available here:
the files are parsed and the documented CLI steps run against real PostgreSQL/SQLite)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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


def test_dockerfile_copies_only_what_exists_and_is_not_ignored() -> None:
    """What `docker build` needs (checked without Docker): COPY sources in the context, base image in range."""
    import fnmatch
    import tomllib

    ignored = [p for p in (ROOT / ".dockerignore").read_text(encoding="utf-8").split() if p]
    copies = [rest.split() for word, rest in _instructions() if word == "COPY" and "--from=" not in rest]
    assert copies
    for *sources, _target in copies:
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the build context"
            assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), f"COPY {source}: ignored"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "server" in project["optional-dependencies"]  # pip install ".[server]" in the image
    minimum = tuple(int(x) for x in re.findall(r"\d+", project["requires-python"])[:2])
    for word, rest in _instructions():
        if word == "FROM":
            version = tuple(int(x) for x in re.findall(r"python:(\d+)\.(\d+)", rest)[0])
            assert version >= minimum, rest


def test_the_image_healthcheck_passes_against_a_running_server(server: Any) -> None:
    """The HEALTHCHECK's own command, pointed at a live server instead of the container's port 8000."""
    import subprocess
    import sys

    health = next(rest for word, rest in _instructions() if word == "HEALTHCHECK")
    cmd = json.loads(health[health.index("CMD") + 3 :].strip())
    assert cmd[0] == "python"
    cmd = [sys.executable, *(a.replace("http://127.0.0.1:8000", server.base_url) for a in cmd[1:])]
    assert subprocess.run(cmd, timeout=30).returncode == 0
    down = [a.replace(server.base_url, "http://127.0.0.1:9") for a in cmd]  # nothing listens on port 9
    assert subprocess.run(down, timeout=30, capture_output=True).returncode != 0


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
    # the app reaches the db service by its name, with the password the db was given
    assert "@db:5432/" in env["ROADCARBON_DATABASE_URL"]
    assert "${POSTGRES_PASSWORD}" in env["ROADCARBON_DATABASE_URL"]
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert app_["build"] == "."


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
