"""``/docs`` from local Swagger UI assets, and an OpenAPI document that describes the real responses.

Swagger UI (swagger-ui-dist 5.35.0, Apache-2.0) is vendored in ``api/static/swagger-ui`` so the
documentation works offline and under a Content-Security-Policy without inline script.  The OpenAPI
document gets the bearer ``securitySchemes`` and problem+json (RFC 9457) bodies for the 4xx answers
the API gives (instead of FastAPI's default 422 schema).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from roadcarbon.api.problems import PROBLEM_MEDIA_TYPE

ASSETS = Path(__file__).parent / "static" / "swagger-ui"
ASSETS_URL = "/api-docs-assets"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; `field` names the offending input when there is one.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "field": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
        "skipped": {
            "type": "array",
            "items": {"type": "object"},
            "description": "POST /releases, 409: the approved change sets flagged as conflicting",
        },
    },
    "required": ["type", "title", "status", "detail"],
}
_DESCRIPTIONS = {
    "400": "Bad request",
    "401": "Missing, wrong, expired or revoked credentials",
    "403": "Your role does not allow this",
    "404": "Not found (or not visible to you)",
    "409": "Conflicts with the record's state",
    "412": "If-Match does not match the current ETag",
    "413": "Request body too large",
    "422": "Invalid input (the field is named)",
    "428": "If-Match required",
    "429": "Too many requests (Retry-After)",
}


def _problem_response(code: str) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[code],
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _statuses(method: str, path: str) -> list[str]:
    """The 4xx answers an operation can give (every operation reads an optional bearer token)."""
    codes = ["400", "401", "403", "422", "429"]
    if "{" in path:
        codes.append("404")
    if method in ("post", "put", "patch", "delete"):
        codes += ["404", "409", "413"]
    if method in ("put", "patch") or path.endswith(("/submit", "/review", "/rebase", "/withdraw")):
        codes += ["412", "428"]
    return sorted(set(codes))


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with securitySchemes and problem+json 4xx responses."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "A JWT from POST /api/v1/auth/token, or an API token (rct_...)",
        },
        "oauth2": {"type": "oauth2", "flows": {"password": {"tokenUrl": "/api/v1/auth/token", "scopes": {}}}},
    }
    doc["security"] = [{}, {"bearer": []}]
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code in _statuses(method, path):
                responses[code] = _problem_response(code)
            formats = any(p.get("name") == "format" for p in operation.get("parameters", []))
            for code, response in responses.items():
                if code.startswith("2") and code != "204":
                    content = response.setdefault("content", {})
                    if formats:  # ?format=csv|xlsx downloads
                        content["text/csv"] = {"schema": {"type": "string"}}
                        content[XLSX] = {"schema": {"type": "string", "format": "binary"}}
    app.openapi_schema = doc
    return doc


def install(app: FastAPI) -> None:
    """Serve ``/docs`` (and its assets) locally and describe the real responses in ``/openapi.json``."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="api-docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        openapi_url = escape(app.openapi_url or "/openapi.json")
        return HTMLResponse(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(app.title)} API</title>"
            f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">'
            f'<link rel="icon" href="{ASSETS_URL}/favicon-32x32.png"></head><body>'
            f'<div id="swagger-ui" data-openapi-url="{openapi_url}" data-static="{ASSETS_URL}"></div>'
            f'<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>'
            f'<script src="{ASSETS_URL}/init.js"></script>'
            "</body></html>"
        )

    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
