"""Responses in the format asked for (json, csv, xlsx), with ETags where records have versions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Response

from roadcarbon.services.exports import MEDIA_TYPES, render, to_json

Format = Annotated[Literal["json", "csv", "xlsx"], Query(description="json (default), csv or xlsx")]


def content_disposition(filename: str) -> str:
    """An RFC 6266 attachment header: an ASCII ``filename`` fallback and the UTF-8 ``filename*``.

    Header values must be Latin-1, so a non-ASCII name (a dataset slug in another script) is
    percent-encoded in ``filename*`` (RFC 8187) and replaced by ``_`` in the fallback.
    """
    from urllib.parse import quote

    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def respond(
    document: Any, fmt: str = "json", *, filename: str = "export", etag: str | None = None, status: int = 200
) -> Response:
    """``document`` as JSON, or as a CSV/XLSX download."""
    headers = {"ETag": etag} if etag else {}
    if fmt == "json":
        return Response(to_json(document), status_code=status, media_type="application/json", headers=headers)
    headers["Content-Disposition"] = content_disposition(f"{filename}.{fmt}")
    return Response(render(document, fmt), status_code=status, media_type=MEDIA_TYPES[fmt], headers=headers)
