"""A release from the web where every approved change set conflicts (issue 13.10, edge case).

The API keeps the conflict flags when it answers 409 (tests/api/test_release_conflicts.py); the web's
release form must too: the maintainer sees why nothing was published, and the change set carries its
``conflict`` flag and audit event afterwards, so its author can rebase or withdraw it.
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path
from typing import Any

import httpx
from tests.web.test_values_page import sign_in

BEV = {
    "category": "passenger_car",
    "segment": "small",
    "powertrain": "BEV",
    "fuel": "electricity",
    "curb_mass_kg": 1200,
    "battery_capacity_kwh": 40,
    "test_cycle": "WLTP",
    "electricity_consumption_kwh_per_100km": 14,
}


def test_web_release_with_only_conflicting_change_sets_keeps_the_flags(
    browser: Any, server: str, server_dir: Path, credentials: Any
) -> None:
    from tests.web.conftest import Tab

    def token(role: str) -> dict[str, str]:
        account = credentials[role]
        r = httpx.post(
            f"{server}/api/v1/auth/token",
            data={"username": account["email"], "password": account["password"]},
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    contributor, reviewer, maintainer = token("contributor"), token("reviewer"), token("maintainer")
    name = f"Web conflict BEV {secrets.token_hex(3)}"

    def submitted(changes: list[dict[str, Any]], title: str) -> int:
        body = {"title": title, "sources": ["test"], "license": "CC-BY-4.0", "changes": changes}
        r = httpx.post(f"{server}/api/v1/contributions", json=body, headers=contributor)
        assert r.status_code == 201, r.text
        r = httpx.post(f"{server}/api/v1/contributions/{r.json()['id']}/submit", headers=contributor)
        assert r.status_code == 200, r.text
        return int(r.json()["id"])

    def approve(cid: int) -> None:
        r = httpx.post(
            f"{server}/api/v1/contributions/{cid}/review",
            json={"decision": "approve", "comment": "ok"},
            headers=reviewer,
        )
        assert r.status_code == 200, r.text

    def release(tag: str) -> httpx.Response:
        return httpx.post(f"{server}/api/v1/releases", json={"tag": tag, "title": tag}, headers=maintainer)

    assert release(f"wb-{secrets.token_hex(3)}").status_code in (201, 409)  # what other tests left approved
    approve(submitted([{"target_type": "vehicle", "payload": dict(BEV, name=name)}], f"Add {name}"))
    assert release(f"wc0-{secrets.token_hex(3)}").status_code == 201
    vehicle = httpx.get(f"{server}/api/v1/vehicles", params={"q": name}, headers=maintainer).json()["items"][
        0
    ]
    updates = [
        submitted(
            [
                {
                    "target_type": "vehicle",
                    "operation": "update",
                    "target_id": vehicle["id"],
                    "payload": dict(BEV, name=name, curb_mass_kg=mass),
                }
            ],
            f"{name}: {mass} kg",
        )
        for mass in (1210, 1220)
    ]
    approve(updates[0])
    assert release(f"wc1-{secrets.token_hex(3)}").status_code == 201  # the vehicle moves to version 2
    with sqlite3.connect(server_dir / "web-test.sqlite3") as db:  # approved while still on version 1
        db.execute(
            "UPDATE contributions SET status = 'approved', decided_at = submitted_at WHERE id = ?",
            (updates[1],),
        )

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        tab = Tab(context.new_page(), server)
        sign_in(tab, credentials["maintainer"], "/values")
        tag = f"wc2-{secrets.token_hex(3)}"
        tab.page.fill("#release-tag", tag)
        tab.page.fill("#release-title", "Only a conflicting change set")
        with tab.page.expect_navigation():
            tab.page.click("#release-publish")
        tab.page.wait_for_load_state("networkidle")
        assert "moved from version 1 to 2" in tab.page.inner_text("#release-error")
    finally:
        context.close()

    assert httpx.get(f"{server}/api/v1/releases/{tag}", headers=maintainer).status_code == 404
    flagged = httpx.get(f"{server}/api/v1/contributions/{updates[1]}", headers=contributor).json()
    assert flagged["status"] == "approved"
    assert "moved from version 1 to 2" in (flagged["conflict"] or "")  # the flag outlived the refusal
    trail = httpx.get(
        f"{server}/api/v1/audit",
        params={"action": "contribution.conflict", "target_id": str(updates[1])},
        headers=maintainer,
    ).json()
    assert any(item["detail"].get("release") == tag for item in trail["items"])
    # leave nothing approved behind for the other tests: the author withdraws it
    r = httpx.post(
        f"{server}/api/v1/contributions/{updates[1]}/withdraw",
        headers={**contributor, "If-Match": flagged["etag"]},
    )
    assert r.status_code == 200, r.text
