"""/docs works offline (local Swagger UI assets, no inline script) and OpenAPI describes the real responses."""

from __future__ import annotations

import re
from typing import Any


def test_docs_page_uses_only_local_assets(server: Any) -> None:
    with server.client() as c:
        r = c.get("/docs")
        assert r.status_code == 200
        html = r.text
        assert "cdn" not in html.lower()
        assert not re.search(r"""(src|href)=["']https?://""", html)
        assert "<script>" not in html  # no inline script (CSP without 'unsafe-inline')
        assets = re.findall(r"""(?:src|href)=["'](/[^"']+)["']""", html)
        assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
        for asset in assets:
            got = c.get(asset)
            assert got.status_code == 200, asset
            assert len(got.content) > 100
        assert (
            c.get("/api-docs-assets/LICENSE").text.startswith("\n")
            or "Apache" in c.get("/api-docs-assets/LICENSE").text
        )


def test_openapi_documents_problem_json_and_security(server: Any) -> None:
    with server.client() as c:
        doc = c.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    review = doc["paths"]["/api/v1/contributions/{contribution_id}/review"]["post"]["responses"]
    for code in ("401", "403", "404", "409", "412", "422", "428", "429"):
        assert "application/problem+json" in review[code]["content"], code
    assert "429" in doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "/api/v1/contributions/{contribution_id}/rebase" in doc["paths"]
