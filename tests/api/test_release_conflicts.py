"""A release where every approved change set conflicts (issue 13.10, edge case).

``POST /releases`` answers 409 (no release is made) but the conflict flags it set are kept:
the change set shows ``conflict``, the audit log has ``contribution.conflict``, and the author
can rebase it and have it released.  Before, the flags rolled back with the 409's transaction,
so nothing recorded why the change set could not be published.
"""

from __future__ import annotations

import secrets
from typing import Any

from platform_helpers import BEV_SPEC
from sqlalchemy import text

from roadcarbon.db.session import make_engine


def _change_set(changes: list[dict[str, Any]], title: str) -> dict[str, Any]:
    return {
        "title": title,
        "sources": ["homologation sheet (test)"],
        "license": "CC-BY-4.0",
        "changes": changes,
    }


def _approve_in_database(database_url: str, contribution_id: int) -> None:
    """The hostile test's state: approved before approval checked clashes (or two reviewers raced)."""
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE contributions SET status = 'approved', decided_at = submitted_at WHERE id = :id"
                ),
                {"id": contribution_id},
            )
    finally:
        engine.dispose()


def test_every_approved_change_set_conflicting_is_409_and_the_flags_stay(server: Any) -> None:
    name = f"Conflict BEV {secrets.token_hex(3)}"
    contributor = server.client(server.token_of("contributor"))
    reviewer = server.client(server.token_of("reviewer"))
    maintainer = server.client(server.token_of("maintainer"))
    with contributor, reviewer, maintainer:

        def submitted(changes: list[dict[str, Any]], title: str) -> int:
            r = contributor.post("/api/v1/contributions", json=_change_set(changes, title))
            assert r.status_code == 201, r.text
            r = contributor.post(f"/api/v1/contributions/{r.json()['id']}/submit")
            assert r.status_code == 200, r.text
            return int(r.json()["id"])

        def approve(contribution_id: int) -> None:
            r = reviewer.post(
                f"/api/v1/contributions/{contribution_id}/review",
                json={"decision": "approve", "comment": "ok"},
            )
            assert r.status_code == 200, r.text

        def release(tag: str) -> Any:
            return maintainer.post("/api/v1/releases", json={"tag": tag, "title": tag})

        # whatever other tests left approved is released first (409 when there is none)
        assert release(f"before-{secrets.token_hex(3)}").status_code in (201, 409)
        created = submitted([{"target_type": "vehicle", "payload": dict(BEV_SPEC, name=name)}], f"Add {name}")
        approve(created)
        assert release(f"c0-{secrets.token_hex(3)}").status_code == 201
        vehicle = maintainer.get("/api/v1/vehicles", params={"q": name}).json()["items"][0]
        updates = [
            submitted(
                [
                    {
                        "target_type": "vehicle",
                        "operation": "update",
                        "target_id": vehicle["id"],
                        "payload": dict(BEV_SPEC, name=name, curb_mass_kg=mass),
                    }
                ],
                f"{name}: {mass} kg",
            )
            for mass in (1730, 1740)
        ]
        approve(updates[0])
        assert release(f"c1-{secrets.token_hex(3)}").status_code == 201  # the vehicle moves to version 2
        _approve_in_database(server.database_url, updates[1])  # still based on version 1
        tag = f"c2-{secrets.token_hex(3)}"
        r = release(tag)
        assert r.status_code == 409, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["field"] == "contributions"
        assert [s["contribution"] for s in problem["skipped"]] == [updates[1]]
        assert maintainer.get(f"/api/v1/releases/{tag}").status_code == 404  # no release was made
        # the flag and its audit event outlived the 409
        flagged = contributor.get(f"/api/v1/contributions/{updates[1]}").json()
        assert flagged["status"] == "approved"
        assert "moved from version 1 to 2" in flagged["conflict"]
        trail = maintainer.get(
            "/api/v1/audit", params={"action": "contribution.conflict", "target_id": str(updates[1])}
        ).json()
        assert trail["total"] == 1
        assert trail["items"][0]["detail"]["release"] == tag
        # the author rebases it, it is reviewed again and released
        r = contributor.post(
            f"/api/v1/contributions/{updates[1]}/rebase", headers={"If-Match": flagged["etag"]}
        )
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "submitted"
        approve(updates[1])
        r = release(f"c3-{secrets.token_hex(3)}")
        assert r.status_code == 201, r.text
        assert r.json()["contributions"] == [updates[1]]
        assert r.json()["skipped"] == []
