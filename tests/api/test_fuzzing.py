"""Property-based fuzzing of the OpenAPI schema (schemathesis, bounded): no input gives a 5xx, and
every answer is the documented one (status, media type and, for 2xx and 4xx alike, the body schema).

Each operation gets at most ``MAX_EXAMPLES`` generated requests (positive and
negative data), anonymous and signed in as a contributor; generation is
derandomised, so a run is repeatable.  The request examples of the OpenAPI document run first, so
the calculations answer 200 and their documents are checked against the response models.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import NonInteractiveExampleWarning

MAX_EXAMPLES = {False: 20, True: 8}
"""Examples per operation: anonymous, signed in (about 1,000 requests per database in all)."""
# Calculations and the openLCA export run the engine; fewer examples keep the run bounded.
HEAVY = {"/api/v1/lca", "/api/v1/lca/olca", "/api/v1/compare", "/api/v1/results/lca"}


CONFORMANCE = (
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
)
"""Response checks besides 'no 5xx' (issue 13: OpenAPI documents the real responses)."""


def _operations(server: Any) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json")
    ops = [result.ok() for result in schema.get_all_operations()]
    return [op for op in ops if op.path.startswith("/api/v1/")]


def _own_contributor(server: Any) -> str:
    """A contributor of its own: fuzzing POST /auth/logout ends its sessions, not the shared seeded one's."""
    import secrets

    email = f"fuzz-{secrets.token_hex(4)}@fuzz.example"
    with server.client(server.token_of("maintainer")) as m:
        org = m.get("/api/v1/organisations").json()[0]["id"]
        r = m.post(
            f"/api/v1/organisations/{org}/users",
            json={"email": email, "name": "fuzz", "password": "a fuzzing passphrase", "role": "contributor"},
        )
        assert r.status_code == 201, r.text
    return str(server.login(email, "a fuzzing passphrase"))


@pytest.mark.slow
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "contributor"])
def test_fuzzing_the_openapi_schema_finds_no_server_error(server: Any, signed_in: bool) -> None:
    headers = {"Authorization": f"Bearer {_own_contributor(server)}"} if signed_in else {}
    failures: list[str] = []
    checked_2xx: dict[str, int] = {}  # operation -> 2xx answers whose body was checked against the schema
    operations = _operations(server)
    assert len(operations) > 30

    def check(operation: Any, case: Any) -> None:
        response = case.call(base_url=server.base_url, headers=headers, timeout=60)
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}"
            )
            return
        # the response is the one documented: status code, media type and body schema
        try:
            case.validate_response(response, checks=CONFORMANCE)
        except Exception as exc:  # schemathesis raises a FailureGroup naming each violation
            failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {exc!s:.300}")
        else:
            if 200 <= response.status_code < 300:
                key = f"{case.method} {operation.path}"
                checked_2xx[key] = checked_2xx.get(key, 0) + 1

    def fuzz(operation: Any) -> None:
        # the request examples of the OpenAPI document (valid requests: 2xx answers to check) ...
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonInteractiveExampleWarning)
            for strategy in operation.get_strategies_from_examples():
                case = strategy.example()
                # a made-up Authorization header would make the valid request a 401
                case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
                check(operation, case)

        # ... then generated requests, valid and invalid
        @given(case=operation.as_strategy())
        @settings(
            max_examples=5 if operation.path in HEAVY else MAX_EXAMPLES[signed_in],
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            check(operation, case)

        run()

    for operation in operations:
        fuzz(operation)
    assert failures == []
    # the 2xx answers were checked too (not only 4xx): the calculations of the design's contract among them
    assert {"POST /api/v1/lca", "POST /api/v1/compare", "GET /api/v1/rules", "GET /api/v1/vehicles"} <= set(
        checked_2xx
    ), sorted(checked_2xx)
    assert len(checked_2xx) >= 15, sorted(checked_2xx)
