"""The OpenAPI document describes the real responses (issue 13).

Every 2xx answer of ``/api/v1`` has a schema with properties (not FastAPI's empty ``{}`` for a
returned ``Response``), and the answers the API gives match it: every API test's client checks each
2xx JSON answer against the document (``ResponseConformance`` in conftest.py), and the fuzzing test
checks response conformance with schemathesis.  Here: the document itself, and that the checker
refuses an answer that differs from its schema (so the checks elsewhere can fail).
"""

from __future__ import annotations

from typing import Any

import httpx


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _described(doc: dict[str, Any], schema: dict[str, Any]) -> bool:
    """An object with properties, or an array of them, or a binary download."""
    schema = _resolve(doc, schema)
    if schema.get("type") == "array":
        return _described(doc, schema.get("items", {}))
    if schema.get("type") == "string" and schema.get("format") == "binary":
        return True
    return schema.get("type") == "object" and bool(schema.get("properties"))


def test_every_2xx_answer_has_a_schema_with_properties(server: Any) -> None:
    with server.client() as c:
        doc = c.get("/openapi.json").json()
    empty: list[str] = []
    seen = 0
    for path, item in doc["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if not code.startswith("2") or code == "204":
                    continue
                seen += 1
                content = response.get("content", {})
                schema = (content.get("application/json") or content.get("application/zip") or {}).get(
                    "schema", {}
                )
                if not _described(doc, schema):
                    empty.append(f"{method.upper()} {path} {code}")
                if "application/json" in content and "text/csv" in content:
                    assert "format" in {p["name"] for p in operation.get("parameters", [])}, path
            assert any(code.startswith("4") for code in operation["responses"]), f"{method} {path}"
            problem = operation["responses"].get("422", {}).get("content", {})
            assert "application/problem+json" in problem, f"{method} {path}: 422 is not problem+json"
    assert seen > 50
    assert empty == []
    assert "bearer" in doc["components"]["securitySchemes"]


def test_the_conformance_check_refuses_an_answer_unlike_its_schema(server: Any) -> None:
    with server.client() as c:
        real = c.get("/api/v1/health")
    assert server.conformance.violations(real) == []
    wrong = httpx.Response(
        200,
        json={"status": "ok", "database": 3},  # versions missing, database not a string
        request=httpx.Request("GET", server.base_url + "/api/v1/health"),
    )
    problems = server.conformance.violations(wrong)
    assert any("data_version" in p for p in problems), problems
    assert any("database" in p for p in problems), problems
    undocumented = httpx.Response(
        201, json={}, request=httpx.Request("GET", server.base_url + "/api/v1/health")
    )
    assert server.conformance.violations(undocumented) == ["GET /api/v1/health -> 201: status not documented"]


def test_pages_and_single_records_match_their_schemas(server: Any) -> None:
    """Answers no other test reads with content: pages of records and one record of each kind."""
    with server.client(server.token_of("contributor")) as c:
        for path in ("/api/v1/vehicles", "/api/v1/datasets", "/api/v1/releases", "/api/v1/audit"):
            page = c.get(path, params={"per_page": 3})
            assert page.status_code == 200, page.text
            assert page.json()["items"], path
        vehicle = c.get("/api/v1/vehicles", params={"per_page": 1}).json()["items"][0]
        assert c.get(f"/api/v1/vehicles/{vehicle['id']}").status_code == 200
        assert c.get(f"/api/v1/vehicles/{vehicle['id']}/versions/1").status_code == 200
        assert c.get("/api/v1/datasets/reference-factors").status_code == 200
        assert c.get("/api/v1/datasets/reference-factors/rows").status_code == 200
        tag = c.get("/api/v1/releases").json()["items"][0]["tag"]
        assert c.get(f"/api/v1/releases/{tag}").status_code == 200
        assert c.get("/api/v1/me").status_code == 200
        assert c.get("/api/v1/organisations").status_code == 200
        assert c.get("/api/v1/fleet/scenarios").status_code == 200
        r = c.post(
            "/api/v1/supply-chain",
            json={"label": "schema check", "battery_origin_country": "CN", "green_power_share": 0.3},
        )
        assert r.status_code == 201, r.text
        assert c.get(f"/api/v1/supply-chain/{r.json()['id']}").status_code == 200
        assert c.get("/api/v1/supply-chain/aggregates").status_code == 200
        r = c.post("/api/v1/auth/api-tokens", json={"name": "schema check", "expires_in_days": 1})
        assert r.status_code == 201, r.text
        assert c.delete(f"/api/v1/auth/api-tokens/{r.json()['id']}").status_code == 200
        assert c.get("/api/v1/auth/api-tokens").status_code == 200
