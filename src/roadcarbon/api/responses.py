"""Responses in the format asked for (json, csv, xlsx), with ETags where records have versions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Response

from roadcarbon.services.exports import MEDIA_TYPES, render, to_json

Format = Annotated[Literal["json", "csv", "xlsx"], Query(description="json (default), csv or xlsx")]


def respond(
    document: Any, fmt: str = "json", *, filename: str = "export", etag: str | None = None, status: int = 200
) -> Response:
    """``document`` as JSON, or as a CSV/XLSX download."""
    headers = {"ETag": etag} if etag else {}
    if fmt == "json":
        return Response(to_json(document), status_code=status, media_type="application/json", headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return Response(render(document, fmt), status_code=status, media_type=MEDIA_TYPES[fmt], headers=headers)
