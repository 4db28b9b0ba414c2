"""Fixtures of the API tests: a real uvicorn server (subprocess) on a free port per database.

The database is created, migrated and seeded first (as ``roadcarbon serve``
does); the seed's demo credentials are used to sign in over HTTP.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

for _name, _file in (
    ("roadcarbon_platform_fixtures", "platform_fixtures.py"),
    ("platform_helpers", "platform_helpers.py"),
):
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_name, Path(__file__).parents[1] / "db" / _file)
        assert _spec is not None
        assert _spec.loader is not None
        sys.modules[_name] = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules[_name])

from roadcarbon_platform_fixtures import DB_KINDS, fresh_database, migrated_and_seeded  # noqa: E402


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ResponseConformance:
    """Checks every 2xx JSON answer a test client receives against the server's OpenAPI document.

    Issue 13: the OpenAPI document describes the real responses.  Every API test that talks through
    :meth:`LiveServer.client` thereby checks the documented response schema of what it reads.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._doc: dict[str, Any] | None = None
        self._routes: list[tuple[str, Any, dict[str, Any]]] = []

    def _load(self) -> None:
        import re

        self._doc = httpx.get(self.base_url + "/openapi.json", timeout=30).json()
        for path, item in self._doc["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$")
            self._routes.append((path, pattern, item))
        # literal paths before templated ones (/supply-chain/aggregates before /supply-chain/{id})
        self._routes.sort(key=lambda r: r[0].count("{"))

    def violations(self, response: httpx.Response) -> list[str]:
        """What is wrong with ``response`` (empty when it is the documented one, or not a 2xx JSON)."""
        from jsonschema import Draft202012Validator

        media = response.headers.get("content-type", "").split(";")[0].strip()
        path = response.request.url.path
        if not (200 <= response.status_code < 300 and media == "application/json"):
            return []
        if not path.startswith("/api/v1/"):
            return []
        if self._doc is None:
            self._load()
        assert self._doc is not None
        method = response.request.method.lower()
        operation = next(
            (item[method] for _, pat, item in self._routes if pat.match(path) and method in item), None
        )
        where = f"{response.request.method} {path} -> {response.status_code}"
        if operation is None:
            return [f"{where}: not in the OpenAPI document"]
        documented = operation["responses"].get(str(response.status_code))
        if documented is None:
            return [f"{where}: status not documented"]
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        if not schema:
            return [f"{where}: no JSON schema documented"]
        validator = Draft202012Validator({**schema, "components": self._doc["components"]})
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(response.json())
        ]

    def hook(self, response: httpx.Response) -> None:
        """httpx response hook: fail the request when the answer is not the documented one."""
        response.read()
        problems = self.violations(response)
        if problems:
            raise AssertionError("response differs from its OpenAPI schema: " + "; ".join(problems[:5]))


class LiveServer:
    """A running ``uvicorn --factory roadcarbon.api.app:create_app`` and what the seed created."""

    def __init__(
        self, url: str, base_url: str, process: subprocess.Popen[bytes], seed: dict[str, Any], kind: str
    ) -> None:
        self.database_url = url
        self.base_url = base_url
        self.process = process
        self.seed = seed
        self.kind = kind
        self._tokens: dict[str, str] = {}
        self.log: Any = None
        self.conformance = ResponseConformance(base_url)

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client, signed in with ``token`` when given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=60,
            event_hooks={"response": [self.conformance.hook]},
        )

    def login(self, email: str, password: str) -> str:
        """A JWT from the OAuth2 password flow."""
        with self.client() as c:
            r = c.post("/api/v1/auth/token", data={"username": email, "password": password})
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])

    def token_of(self, role: str) -> str:
        """JWT of the first seeded account with ``role`` (cached)."""
        if role not in self._tokens:
            cred = next(c for c in self.seed["credentials"] if c["role"] == role)
            self._tokens[role] = self.login(cred["email"], cred["password"])
        return self._tokens[role]


def start_server(url: str, seed: dict[str, Any], kind: str, folder: Path, **settings: Any) -> LiveServer:
    """Start uvicorn in a subprocess on ``url`` and wait until it answers."""
    port = free_port()
    env = dict(
        os.environ,
        ROADCARBON_DATABASE_URL=url,
        ROADCARBON_SECRET_KEY=secrets.token_urlsafe(48),
        HOME=str(folder),
        XDG_DATA_HOME=str(folder / "data"),
    )
    for key, value in settings.items():
        env[f"ROADCARBON_{key.upper()}"] = str(value)
    log = (folder / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "roadcarbon.api.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            raise RuntimeError(f"server exited: {(folder / f'server-{port}.log').read_text()[-2000:]}")
        try:
            if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                live = LiveServer(url, base, process, seed, kind)
                live.log = log
                return live
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait(10)
    log.close()
    raise RuntimeError("server did not start within 60 s")


def stop_server(server: LiveServer) -> None:
    """Stop the subprocess."""
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(10)
    if server.log is not None:
        server.log.close()


@pytest.fixture(scope="session", params=DB_KINDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A seeded server per database kind (SQLite always; PostgreSQL when configured)."""
    kind = str(request.param)
    folder = tmp_path_factory.mktemp(f"api-{kind}")
    with fresh_database(kind, folder) as url:
        seed = migrated_and_seeded(url)
        live = start_server(
            url, seed, kind, folder, login_attempts_per_minute=100_000, calculations_per_minute=1_000_000
        )
        try:
            yield live
        finally:
            stop_server(live)


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A SQLite server with small rate limits (for the rate-limit tests)."""
    folder = tmp_path_factory.mktemp("api-limits")
    with fresh_database("sqlite", folder) as url:
        seed = migrated_and_seeded(url)
        live = start_server(
            url,
            seed,
            "sqlite",
            folder,
            login_attempts_per_minute=5,
            calculations_per_minute=20,
            max_request_bytes=20_000,
        )
        try:
            yield live
        finally:
            stop_server(live)
