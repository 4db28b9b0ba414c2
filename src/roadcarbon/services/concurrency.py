"""Optimistic concurrency: ETags from row versions, If-Match checks."""

from __future__ import annotations

from roadcarbon.services.errors import PreconditionFailedError, PreconditionRequiredError


def etag(row_version: int) -> str:
    """Strong ETag of a record version, e.g. ``"3"``."""
    return f'"{row_version}"'


def check_if_match(if_match: str | None, row_version: int) -> None:
    """Raise unless ``if_match`` names the current version (``*`` matches any).

    Raises
    ------
    PreconditionRequiredError
        No If-Match was sent (updates must say which version they change).
    PreconditionFailedError
        The record changed since the caller read it.
    """
    if if_match is None or not if_match.strip():
        raise PreconditionRequiredError(
            "send If-Match with the ETag you read, so concurrent edits cannot overwrite each other",
            field="If-Match",
        )
    candidates = [c.strip().removeprefix("W/") for c in if_match.split(",")]
    if "*" in candidates or etag(row_version) in candidates:
        return
    raise PreconditionFailedError(
        f"the record changed since you read it (current ETag {etag(row_version)}); read it again and retry",
        field="If-Match",
    )
