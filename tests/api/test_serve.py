"""`roadcarbon serve`: first run creates, migrates and seeds the embedded database and prints the demo accounts once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(home: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    env.pop("ROADCARBON_DATABASE_URL", None)
    exe = Path(sys.executable).with_name("roadcarbon")
    process = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("roadcarbon serve did not answer within 60 s")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    out, _ = process.communicate(timeout=20)
    return out


@pytest.mark.slow
def test_first_serve_seeds_the_user_database_and_prints_credentials_once(tmp_path: Path) -> None:
    port = free_port()
    process, base = _serve(tmp_path, port)
    try:
        health = httpx.get(base + "/api/v1/health").json()
        vehicles = httpx.get(base + "/api/v1/vehicles").json()
        schemes = httpx.get(base + "/api/v1/rules").json()
    finally:
        first = _stop(process)
    assert health["database"] == "sqlite"
    assert health["release"] == "seed"
    assert vehicles["total"] > 0
    assert schemes
    assert f"http://127.0.0.1:{port}" in first
    passwords = [line for line in first.splitlines() if "password:" in line]
    assert len(passwords) == 5
    database = tmp_path / "data" / "roadcarbon" / "roadcarbon.sqlite3"
    assert database.exists()
    # the printed password signs in
    email, password = passwords[-1].split()[1], passwords[-1].split("password:")[1].strip()
    process, base = _serve(tmp_path, free_port())
    try:
        token = httpx.post(base + "/api/v1/auth/token", data={"username": email, "password": password})
    finally:
        second = _stop(process)
    assert token.status_code == 200
    assert "password:" not in second  # shown once only
