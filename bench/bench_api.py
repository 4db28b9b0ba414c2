"""Load generator for the platform API (loopback only, bounded in time).

Starts ``uvicorn --factory roadcarbon.api.app:create_app`` on a fresh SQLite
database in a temporary folder (migrated and seeded as ``roadcarbon serve``
does), then, for each scenario, keeps ``--concurrency`` keep-alive connections
busy for ``--seconds`` and reports requests per second and p50/p99 latency.
Errors (any non-2xx) are counted and reported.

    .venv/bin/python bench/bench_api.py [--seconds 10] [--concurrency 16] [--workers 1] [--url URL]

``--url`` measures an already running server instead (its rate limits must
allow the load: ROADCARBON_CALCULATIONS_PER_MINUTE).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

# The design's example vehicle (design.md, "Vehicle spec"); a load-test input, not reference data.
EXAMPLE = {
    "name": "Example hybrid SUV", "category": "passenger_car", "segment": "medium", "powertrain": "HEV",
    "fuel": "petrol", "curb_mass_kg": 1450, "engine_displacement_cc": 1998, "battery_capacity_kwh": 1.4,
    "battery_chemistry": "NMC", "battery_production_country": "CN", "assembly_country": "ID", "test_cycle": "WLTP",
    "fuel_consumption_l_per_100km": 4.8, "co2_g_per_km": 110, "hc_g_per_km": 0.02, "co_g_per_km": 0.15,
    "nox_g_per_km": 0.008, "pm_mg_per_km": 0.1, "seats": 5, "price": 500000000, "price_currency": "IDR",
}  # fmt: skip
SCENARIOS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    (
        "life-cycle assessment (preset BEV, ID 2025)",
        "POST",
        "/api/v1/lca",
        {"vehicle": "car-medium-bev", "country": "ID", "year": 2025},
    ),
    (
        "rule evaluation (SG.vehicular_emissions_scheme, inline spec)",
        "POST",
        "/api/v1/rules/SG.vehicular_emissions_scheme/evaluate",
        {"vehicle": EXAMPLE, "on": "2025-03-01", "allow": ["all"]},
    ),
    ("read: vehicle list (page of 20, anonymous: cached)", "GET", "/api/v1/vehicles?per_page=20", None),
    ("read: rule list", "GET", "/api/v1/rules", None),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(folder: Path, workers: int) -> tuple[subprocess.Popen[bytes], str, dict[str, Any]]:
    """Seed a SQLite database and start uvicorn on it; returns the process, base URL and a seeded account."""
    from roadcarbon.cli.serve import prepare_database

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    account = prepare_database(url)["credentials"][-1]
    port = _free_port()
    env = dict(
        os.environ,
        ROADCARBON_DATABASE_URL=url,
        ROADCARBON_SECRET_KEY="bench-only-secret-key-0123456789abcdef-0123456789",
        ROADCARBON_CALCULATIONS_PER_MINUTE="100000000",
        HOME=str(folder),
    )
    cmd = [
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
        "--no-access-log",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                return process, base, account
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start")


async def _connection(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(host, port)


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    """Send one prepared HTTP/1.1 request on a keep-alive connection; return the status code."""
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


def _prepare(host: str, port: int, method: str, path: str, body: Any, token: str | None = None) -> bytes:
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def run_scenario(
    base: str, method: str, path: str, body: Any, seconds: float, concurrency: int, token: str | None = None
) -> dict[str, Any]:
    """Keep ``concurrency`` keep-alive connections busy for ``seconds``; latencies in ms.

    The client speaks HTTP/1.1 on raw asyncio streams (a few microseconds per
    request), so that on a 2-core machine the load generator takes as little
    CPU as possible from the server it measures.
    """
    parsed = urlsplit(base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    raw = _prepare(host, port, method, path, body, token)
    latencies: list[float] = []
    errors = 0
    connections = [await _connection(host, port) for _ in range(concurrency)]
    for reader, writer in connections:  # warm-up
        for _ in range(5):
            await _request(reader, writer, raw)
    deadline = time.perf_counter() + seconds

    async def worker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            status = await _request(reader, writer, raw)
            latencies.append((time.perf_counter() - t0) * 1000)
            if not 200 <= status < 300:
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(r, w) for r, w in connections))
    elapsed = time.perf_counter() - start
    for _, writer in connections:
        writer.close()
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--url", help="measure this running server instead of starting one")
    args = parser.parse_args()
    process = None
    with tempfile.TemporaryDirectory(prefix="roadcarbon-bench-") as tmp:
        base = args.url
        token = None
        if base is None:
            process, base, account = start_server(Path(tmp), args.workers)
            r = httpx.post(
                base + "/api/v1/auth/token",
                data={"username": account["email"], "password": account["password"]},
            )
            token = r.json()["access_token"]
        try:
            print(
                f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
                f"{args.workers} uvicorn worker(s), concurrency {args.concurrency}, {args.seconds:g} s per scenario"
            )
            print("| scenario | requests | errors | req/s | p50 ms | p99 ms |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            runs = [(*scenario, None) for scenario in SCENARIOS]
            if token:
                runs.append(
                    (
                        "read: vehicle list, signed in (not cached)",
                        "GET",
                        "/api/v1/vehicles?per_page=20",
                        None,
                        token,
                    )
                )
            for name, method, path, body, auth in runs:
                r = asyncio.run(run_scenario(base, method, path, body, args.seconds, args.concurrency, auth))
                print(
                    f"| {name} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |",
                    flush=True,
                )
        finally:
            if process is not None:
                process.terminate()
                process.wait(10)


if __name__ == "__main__":
    main()
