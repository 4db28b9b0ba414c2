"""Disclosure-controlled aggregates over HTTP: published from a snapshot recomputed on a schedule (issue 13.4).

A change of one record does not show in ``GET /supply-chain/aggregates`` until the next
recomputation (``roadcarbon db refresh-aggregates`` from cron, or the server's own schedule), so
an attacker cannot look before and after changing a record of its own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from roadcarbon_platform_fixtures import fresh_database, migrated_and_seeded

from roadcarbon.db import migrate

_API_CONFTEST = "roadcarbon_api_conftest"  # the same module tests/fleet loads: server start and stop helpers
if _API_CONFTEST not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_API_CONFTEST, Path(__file__).parent / "conftest.py")
    assert _spec is not None and _spec.loader is not None
    sys.modules[_API_CONFTEST] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_API_CONFTEST])
start_server = sys.modules[_API_CONFTEST].start_server
stop_server = sys.modules[_API_CONFTEST].stop_server

COUNTRY = "TO"  # Tonga: no other test files supply-chain records under it


def _refresh_cli(database_url: str, tmp_path: Path) -> dict[str, Any]:
    exe = Path(sys.executable).with_name("roadcarbon")
    env = dict(os.environ, ROADCARBON_DATABASE_URL=database_url, HOME=str(tmp_path))
    r = subprocess.run(
        [str(exe), "db", "refresh-aggregates", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    return dict(json.loads(r.stdout))


def _group(server: Any) -> dict[str, Any] | None:
    with server.client() as anonymous:  # anonymous reads go through the public-read cache
        r = anonymous.get("/api/v1/supply-chain/aggregates")
    assert r.status_code == 200, r.text
    return next((g for g in r.json() if g["battery_origin_country"] == COUNTRY), None)


def _contributors(server: Any, n: int) -> list[str]:
    tokens = []
    with server.client(server.token_of("maintainer")) as m:
        for _ in range(n):
            slug = f"agg-{secrets.token_hex(4)}"
            org = m.post("/api/v1/organisations", json={"slug": slug, "name": slug})
            assert org.status_code == 201, org.text
            email = f"{slug}@agg.example"
            user = m.post(
                f"/api/v1/organisations/{org.json()['id']}/users",
                json={
                    "email": email,
                    "name": slug,
                    "password": "an aggregate passphrase",
                    "role": "contributor",
                },
            )
            assert user.status_code == 201, user.text
            tokens.append(server.login(email, "an aggregate passphrase"))
    return tokens


def test_a_changed_record_shows_only_after_the_next_recomputation(server: Any, tmp_path: Path) -> None:
    tokens = _contributors(server, 3)
    records = []
    for i, share in enumerate((0.8, 0.6, 0.4, 0.2, 0.1)):
        with server.client(tokens[i % 3]) as c:
            r = c.post(
                "/api/v1/supply-chain",
                json={"label": f"agg {i}", "battery_origin_country": COUNTRY, "green_power_share": share},
            )
            assert r.status_code == 201, r.text
            records.append((tokens[i % 3], r.json()))
    assert _group(server) is None  # five records of three organisations, but not recomputed yet
    report = _refresh_cli(server.database_url, tmp_path)
    group = _group(server)
    assert group is not None
    assert group["records"] == 5
    assert group["organisations"] == 3
    assert group["computed_at"] == report["computed_at"]
    assert group["mean_green_power_share"] == pytest.approx(0.40)  # 0.42 rounded to the 0.05 step
    # the attacker changes its own record: the published figure stays the recomputed one
    token, record = records[0]
    with server.client(token) as c:
        r = c.patch(
            f"/api/v1/supply-chain/{record['id']}",
            json={"green_power_share": 0.0},
            headers={"If-Match": record["etag"]},
        )
        assert r.status_code == 200, r.text
    assert _group(server) == group
    _refresh_cli(server.database_url, tmp_path)
    moved = _group(server)
    assert moved is not None
    assert moved["computed_at"] > group["computed_at"]
    assert moved["mean_green_power_share"] == pytest.approx(0.25)  # 0.26 rounded: still not exact


def test_the_server_recomputes_on_its_schedule(tmp_path: Path) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        seed = migrated_and_seeded(url)
        server = start_server(url, seed, "sqlite", tmp_path, aggregates_refresh_seconds=1)
        try:
            with server.client() as c:
                first = c.get("/api/v1/audit", params={"action": "supply_chain.aggregates_refresh"}).json()
                assert first["total"] >= 1  # recomputed at start (no snapshot yet)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    later = c.get(
                        "/api/v1/audit", params={"action": "supply_chain.aggregates_refresh"}
                    ).json()
                    if later["total"] > first["total"]:
                        break
                    time.sleep(0.3)
                assert later["total"] > first["total"]
        finally:
            stop_server(server)


def test_cron_only_when_the_schedule_is_off(tmp_path: Path) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        seed = migrated_and_seeded(url)
        server = start_server(url, seed, "sqlite", tmp_path, aggregates_refresh_seconds=0)
        try:
            with server.client() as c:
                events = c.get("/api/v1/audit", params={"action": "supply_chain.aggregates_refresh"}).json()
            assert events["total"] == 0
            _refresh_cli(url, tmp_path)
            with server.client() as c:
                events = c.get("/api/v1/audit", params={"action": "supply_chain.aggregates_refresh"}).json()
            assert events["total"] == 1
        finally:
            stop_server(server)


def test_refresh_on_an_unmigrated_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("roadcarbon")
    env = dict(os.environ, ROADCARBON_DATABASE_URL=f"sqlite:///{tmp_path}/empty.db", HOME=str(tmp_path))
    r = subprocess.run(
        [str(exe), "db", "refresh-aggregates"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        f"error: the database is at revision None, not {migrate.head_revision()}: run `roadcarbon db upgrade` first"
    ]
