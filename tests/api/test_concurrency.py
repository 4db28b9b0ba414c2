"""Concurrency over HTTP: parallel writers on one record, many contributions at once.

No update is lost (the second writer with a stale ETag gets 412), and the
audit log has exactly one event per successful write.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from platform_helpers import BEV_SPEC

WRITERS = 16


def _record(client: Any, label: str) -> dict[str, Any]:
    r = client.post("/api/v1/supply-chain", json={"label": label})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_same_etag_race_has_exactly_one_winner(server: Any) -> None:
    token = server.token_of("contributor")
    with server.client(token) as c:
        record = _record(c, "race")
    barrier = threading.Barrier(WRITERS)

    def write(i: int) -> tuple[int, float]:
        with server.client(token) as c:
            barrier.wait()
            r = c.patch(
                f"/api/v1/supply-chain/{record['id']}",
                json={"green_power_share": i / 100},
                headers={"If-Match": record["etag"]},
            )
            return r.status_code, i / 100

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = list(pool.map(write, range(WRITERS)))
    statuses = sorted(s for s, _ in outcomes)
    assert statuses == [200] + [412] * (WRITERS - 1)
    winner = next(v for s, v in outcomes if s == 200)
    with server.client(token) as c:
        final = c.get(f"/api/v1/supply-chain/{record['id']}")
        events = c.get(
            "/api/v1/audit", params={"target_type": "supply_chain", "target_id": str(record["id"])}
        ).json()
    assert final.json()["green_power_share"] == winner
    assert [e["action"] for e in events["items"]] == ["supply_chain.update", "supply_chain.create"]


def test_read_modify_write_loops_lose_no_update(server: Any) -> None:
    token = server.token_of("contributor")
    writers, increments = 8, 10
    with server.client(token) as c:
        record = _record(c, "n=0")
    path = f"/api/v1/supply-chain/{record['id']}"

    def increment(_: int) -> int:
        conflicts = 0
        with server.client(token) as c:
            done = 0
            while done < increments:
                current = c.get(path)
                n = int(current.json()["label"].removeprefix("n="))
                r = c.patch(path, json={"label": f"n={n + 1}"}, headers={"If-Match": current.headers["ETag"]})
                if r.status_code == 412:
                    conflicts += 1
                    continue
                assert r.status_code == 200, r.text
                done += 1
        return conflicts

    with ThreadPoolExecutor(writers) as pool:
        sum(pool.map(increment, range(writers)))
    with server.client(token) as c:
        assert c.get(path).json()["label"] == f"n={writers * increments}"
        updates = c.get(
            "/api/v1/audit",
            params={
                "target_type": "supply_chain",
                "target_id": str(record["id"]),
                "action": "supply_chain.update",
            },
        ).json()
    assert updates["total"] == writers * increments


def test_many_contributions_at_once(server: Any) -> None:
    token = server.token_of("contributor")
    count = 24

    def contribute(i: int) -> tuple[int, int]:
        with server.client(token) as c:
            r = c.post(
                "/api/v1/contributions",
                json={
                    "title": f"parallel {i}",
                    "sources": ["test"],
                    "license": "CC-BY-4.0",
                    "changes": [
                        {"target_type": "vehicle", "payload": dict(BEV_SPEC, name=f"parallel car {i}")}
                    ],
                },
            )
            assert r.status_code == 201, r.text
            s = c.post(f"/api/v1/contributions/{r.json()['id']}/submit")
            return s.status_code, int(r.json()["id"])

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(contribute, range(count)))
    assert [s for s, _ in results] == [200] * count
    ids = {i for _, i in results}
    assert len(ids) == count
    with server.client(token) as c:
        for action in ("contribution.create", "contribution.submit"):
            logged = set()
            page = 1
            while True:
                items = c.get(
                    "/api/v1/audit", params={"action": action, "per_page": 200, "page": page}
                ).json()["items"]
                logged |= {int(e["target_id"]) for e in items}
                if len(items) < 200:
                    break
                page += 1
            assert ids <= logged, action
