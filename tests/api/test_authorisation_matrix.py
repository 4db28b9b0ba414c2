"""Authorisation matrix: every endpoint family × every role × own/other organisation.

Organisation A owns private records (supply chain, vehicle, scenario, stored
result, change sets with a private change).  Each actor is a role in A
("own"), in B ("other"), the programme's maintainer, or anonymous.  The
private label must never appear in any response outside A: not in lists,
search, CSV/XLSX exports, aggregates, the audit log or error messages.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from platform_helpers import BEV_SPEC

ACTORS = [
    ("anonymous", None),
    ("contributor", "own"),
    ("contributor", "other"),
    ("reviewer", "own"),
    ("reviewer", "other"),
    ("org_admin", "own"),
    ("org_admin", "other"),
    ("maintainer", "other"),
]
ACTOR_IDS = [f"{role}-{org}" if org else role for role, org in ACTORS]
PASSWORD = "matrix password 123"


class World:
    """Organisations, accounts and A's private records on one server."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.secret = f"SECRET-{secrets.token_hex(4)}"
        self.maintainer = server.token_of("maintainer")
        with server.client(self.maintainer) as m:
            self.org = {}
            for key in ("own", "other"):
                r = m.post(
                    "/api/v1/organisations",
                    json={"slug": f"matrix-{key}-{secrets.token_hex(3)}", "name": f"Matrix {key}"},
                )
                assert r.status_code == 201, r.text
                self.org[key] = r.json()["id"]
            self.tokens: dict[tuple[str, str | None], str | None] = {
                ("anonymous", None): None,
                ("maintainer", "other"): self.maintainer,
            }
            for key, org_id in self.org.items():
                for role in ("contributor", "reviewer", "org_admin"):
                    email = f"{role}-{key}-{secrets.token_hex(3)}@matrix.example"
                    r = m.post(
                        f"/api/v1/organisations/{org_id}/users",
                        json={"email": email, "name": role, "password": PASSWORD, "role": role},
                    )
                    assert r.status_code == 201, r.text
                    self.tokens[(role, key)] = server.login(email, PASSWORD)
        with server.client(self.tokens[("contributor", "own")]) as a:
            self.supply = a.post(
                "/api/v1/supply-chain",
                json={"label": self.secret, "battery_origin_country": "IS", "green_power_share": 0.9},
            ).json()
            self.vehicle = a.post(
                "/api/v1/vehicles", json={"spec": dict(BEV_SPEC, name=f"{self.secret} car")}
            ).json()
            self.scenario = a.post(
                "/api/v1/scenarios", json={"name": self.secret, "document": {"k": self.secret}}
            ).json()
            self.result = a.post(
                "/api/v1/results/lca",
                json={"vehicle": BEV_SPEC, "country": "ID", "year": 2024},
                params={"note": self.secret},
            ).json()
            self.draft = self.new_contribution(a, submit=False)
            self.submitted = self.new_contribution(a, submit=True)

    def new_contribution(self, client: Any, *, submit: bool) -> dict[str, Any]:
        """A change set of A with a private supply-chain change."""
        r = client.post(
            "/api/v1/contributions",
            json={
                "title": "matrix change set",
                "sources": ["test"],
                "license": "CC-BY-4.0",
                "changes": [
                    {
                        "target_type": "vehicle",
                        "payload": dict(BEV_SPEC, name=f"public car {secrets.token_hex(3)}"),
                    },
                    {"target_type": "supply_chain", "payload": {"label": self.secret}},
                ],
            },
        )
        assert r.status_code == 201, r.text
        if submit:
            assert client.post(f"/api/v1/contributions/{r.json()['id']}/submit").status_code == 200
        return dict(r.json())

    def client(self, actor: tuple[str, str | None]) -> Any:
        return self.server.client(self.tokens[actor])


@pytest.fixture(scope="session")
def world(server: Any) -> World:
    return World(server)


def _is_own(actor: tuple[str, str | None]) -> bool:
    return actor[1] == "own"


def _text(response: Any) -> str:
    if response.headers.get("content-type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
        )
    return str(response.text)


# --- reads of private records ---------------------------------------------------------------------

PRIVATE_READS: list[tuple[str, Callable[[World], str]]] = [
    ("supply-chain", lambda w: f"/api/v1/supply-chain/{w.supply['id']}"),
    ("vehicle", lambda w: f"/api/v1/vehicles/{w.vehicle['id']}"),
    ("scenario", lambda w: f"/api/v1/scenarios/{w.scenario['id']}"),
    ("result", lambda w: f"/api/v1/results/{w.result['id']}"),
    ("draft-contribution", lambda w: f"/api/v1/contributions/{w.draft['id']}"),
]


@pytest.mark.parametrize("actor", ACTORS, ids=ACTOR_IDS)
@pytest.mark.parametrize(("what", "path"), PRIVATE_READS, ids=[p[0] for p in PRIVATE_READS])
def test_private_records_are_read_only_inside_the_organisation(
    world: World, actor: Any, what: str, path: Any
) -> None:
    with world.client(actor) as c:
        r = c.get(path(world))
    if _is_own(actor):
        assert r.status_code == 200, r.text
        assert world.secret in r.text
    else:
        assert r.status_code == 404, r.text
        assert world.secret not in r.text


LISTS = [
    "/api/v1/supply-chain?per_page=200",
    "/api/v1/supply-chain?per_page=200&format=csv",
    "/api/v1/supply-chain?per_page=200&format=xlsx",
    "/api/v1/supply-chain/aggregates",
    "/api/v1/vehicles?per_page=200&q=SECRET",
    "/api/v1/vehicles?per_page=200&format=csv",
    "/api/v1/scenarios?per_page=200",
    "/api/v1/results?per_page=200&format=csv",
    "/api/v1/contributions?per_page=200",
    "/api/v1/audit?per_page=200",
    "/api/v1/audit?per_page=200&format=xlsx",
]


@pytest.mark.parametrize("actor", ACTORS, ids=ACTOR_IDS)
@pytest.mark.parametrize("path", LISTS)
def test_lists_exports_and_aggregates_never_leak_private_records(world: World, actor: Any, path: str) -> None:
    with world.client(actor) as c:
        r = c.get(path)
    assert r.status_code == 200, r.text
    text = _text(r)
    if "aggregates" in path:
        # one organisation's records: below the three-organisation threshold, never shown
        assert "IS" not in [g["battery_origin_country"] for g in r.json()]
    elif _is_own(actor) and "contributions" not in path and "audit" not in path:
        assert world.secret in text
    else:
        assert world.secret not in text


@pytest.mark.parametrize("actor", ACTORS, ids=ACTOR_IDS)
def test_submitted_change_sets_are_seen_by_the_organisation_and_reviewers(world: World, actor: Any) -> None:
    with world.client(actor) as c:
        r = c.get(f"/api/v1/contributions/{world.submitted['id']}")
    if _is_own(actor) or actor[0] in ("reviewer", "maintainer"):
        assert r.status_code == 200
        assert world.secret in r.text  # the private change is visible to those who review it
    else:
        assert r.status_code == 404
        assert world.secret not in r.text


# --- writes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS, ids=ACTOR_IDS)
def test_private_records_are_written_only_inside_the_organisation(world: World, actor: Any) -> None:
    with world.server.client(world.tokens[("contributor", "own")]) as owner:
        etag = owner.get(f"/api/v1/supply-chain/{world.supply['id']}").headers["ETag"]
    with world.client(actor) as c:
        r = c.patch(
            f"/api/v1/supply-chain/{world.supply['id']}",
            json={"green_power_share": 0.5},
            headers={"If-Match": etag},
        )
        v = c.put(
            f"/api/v1/vehicles/{world.vehicle['id']}", json={"spec": BEV_SPEC}, headers={"If-Match": '"0"'}
        )
    if _is_own(actor):
        assert r.status_code == 200, r.text
        assert v.status_code == 412  # allowed, but the ETag is stale
    else:
        assert r.status_code == 404
        assert v.status_code == 404
        assert world.secret not in r.text + v.text


@pytest.mark.parametrize("actor", ACTORS, ids=ACTOR_IDS)
def test_who_may_contribute(world: World, actor: Any) -> None:
    with world.client(actor) as c:
        r = c.post(
            "/api/v1/contributions",
            json={
                "title": "t",
                "sources": ["s"],
                "license": "CC0-1.0",
                "changes": [{"target_type": "vehicle", "payload": BEV_SPEC}],
            },
        )
    assert r.status_code == (401 if actor[0] == "anonymous" else 201)


@pytest.mark.parametrize("actor", ACTORS, ids=ACTOR_IDS)
def test_who_may_review(world: World, actor: Any) -> None:
    with world.server.client(world.tokens[("contributor", "own")]) as owner:
        target = world.new_contribution(owner, submit=True)
    with world.client(actor) as c:
        r = c.post(
            f"/api/v1/contributions/{target['id']}/review", json={"decision": "reject", "comment": "matrix"}
        )
    if actor == ("reviewer", "other") or actor[0] == "maintainer":
        assert r.status_code == 200, r.text
    elif _is_own(actor):
        # a reviewer never reviews a change set from their own organisation (issue 13, item 2)
        assert r.status_code == 403
    else:
        assert r.status_code == 404


@pytest.mark.parametrize("actor", ACTORS, ids=ACTOR_IDS)
def test_who_may_manage_accounts_organisations_and_releases(world: World, actor: Any) -> None:
    role, _ = actor
    with world.client(actor) as c:
        user = c.post(
            f"/api/v1/organisations/{world.org['own']}/users",
            json={
                "email": f"x-{secrets.token_hex(4)}@matrix.example",
                "name": "x",
                "password": PASSWORD,
                "role": "contributor",
            },
        )
        users = c.get(f"/api/v1/organisations/{world.org['own']}/users")
        org = c.post("/api/v1/organisations", json={"slug": f"m-{secrets.token_hex(4)}", "name": "x"})
        release = c.post("/api/v1/releases", json={"tag": f"m-{secrets.token_hex(4)}", "title": "x"})
        calc = c.post("/api/v1/lca", json={"vehicle": BEV_SPEC, "country": "ID", "year": 2024})
    anonymous = role == "anonymous"
    if anonymous:
        assert user.status_code == 401
    elif role == "maintainer" or (role == "org_admin" and _is_own(actor)):
        assert user.status_code == 201
    else:
        assert user.status_code == 403
    if anonymous:
        assert users.status_code == 401
    else:
        assert users.status_code == (200 if _is_own(actor) or role == "maintainer" else 404)
    assert org.status_code == (401 if anonymous else 201 if role == "maintainer" else 403)
    if role == "maintainer":
        assert release.status_code in (201, 409)  # 409: nothing approved to publish
    else:
        assert release.status_code == (401 if anonymous else 403)
    assert calc.status_code == 200  # everyone, anonymous included, runs calculations
