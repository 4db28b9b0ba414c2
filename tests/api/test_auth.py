"""Accounts over HTTP: password flow, API tokens, rate limits, size limits."""

from __future__ import annotations

from typing import Any

import pytest


def test_password_flow_issues_a_jwt_and_wrong_passwords_are_401(server: Any) -> None:
    cred = next(c for c in server.seed["credentials"] if c["role"] == "contributor")
    token = server.login(cred["email"], cred["password"])
    with server.client(token) as c:
        me = c.get("/api/v1/me").json()
    assert me["email"] == cred["email"]
    assert me["role"] == "contributor"
    with server.client() as c:
        r = c.post("/api/v1/auth/token", data={"username": cred["email"], "password": "not the password"})
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.headers["content-type"] == "application/problem+json"
        r = c.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
        assert r.status_code == 401
        assert c.get("/api/v1/me").json() == {"anonymous": True}


def test_api_tokens_work_until_revoked(server: Any) -> None:
    with server.client(server.token_of("contributor")) as c:
        r = c.post("/api/v1/auth/api-tokens", json={"name": "nightly script"})
        assert r.status_code == 201
        created = r.json()
        assert created["token"].startswith("rct_")
        assert "token" not in c.get("/api/v1/auth/api-tokens").json()[0]
    with server.client(created["token"]) as script:
        assert script.get("/api/v1/me").json()["role"] == "contributor"
    with server.client(server.token_of("contributor")) as c:
        assert c.delete(f"/api/v1/auth/api-tokens/{created['id']}").json()["revoked_at"] is not None
    with server.client(created["token"]) as script:
        assert script.get("/api/v1/me").status_code == 401


def test_sign_in_attempts_are_rate_limited(sqlite_server: Any) -> None:
    statuses = []
    with sqlite_server.client() as c:
        for _ in range(7):
            r = c.post(
                "/api/v1/auth/token", data={"username": "nobody@x.example", "password": "wrong password"}
            )
            statuses.append(r.status_code)
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    assert int(r.headers["retry-after"]) >= 1


def test_calculations_are_rate_limited(sqlite_server: Any) -> None:
    body = {"vehicle": {"preset": "x"}, "country": "ID", "year": 2025}
    with sqlite_server.client() as c:
        statuses = [c.post("/api/v1/lca", json=body).status_code for _ in range(25)]
    assert 429 in statuses
    assert statuses.index(429) == 20  # the 21st calculation within a minute is refused


@pytest.mark.parametrize("size", [25_000, 200_000])
def test_request_bodies_over_the_limit_are_413(sqlite_server: Any, size: int) -> None:
    with sqlite_server.client() as c:
        r = c.post("/api/v1/contributions", content=b"x" * size, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


def test_logout_revokes_the_token_server_side(server: Any) -> None:
    """Issue 13, item 7: before, a JWT kept working after sign-out until it expired."""
    import secrets

    email = f"logout-{secrets.token_hex(4)}@auth.example"
    with server.client(server.token_of("maintainer")) as m:
        org = m.get("/api/v1/organisations").json()[0]["id"]
        r = m.post(
            f"/api/v1/organisations/{org}/users",
            json={"email": email, "name": "l", "password": "a logout passphrase", "role": "contributor"},
        )
        assert r.status_code == 201, r.text
    token = server.login(email, "a logout passphrase")
    with server.client(token) as c:
        assert c.get("/api/v1/me").json()["email"] == email
        assert c.post("/api/v1/auth/logout").status_code == 204
        r = c.get("/api/v1/me")
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("application/problem+json")
    # a new sign-in works; a password change ends it too
    token = server.login(email, "a logout passphrase")
    with server.client(token) as c:
        r = c.post(
            "/api/v1/auth/password",
            json={"current_password": "a logout passphrase", "new_password": "password123"},
        )
        assert r.status_code == 422
        assert r.json()["field"] == "password"
        r = c.post(
            "/api/v1/auth/password",
            json={"current_password": "a logout passphrase", "new_password": "another logout passphrase"},
        )
        assert r.status_code == 204
        assert c.get("/api/v1/me").status_code == 401
    assert server.login(email, "another logout passphrase")
