"""Errors raised by services (the API maps each to one HTTP status in ``api/problems.py``)."""

from __future__ import annotations

from roadcarbon.errors import InputError, RoadcarbonError


class NotFoundError(RoadcarbonError):
    """The record does not exist, or the caller may not know it exists (never reveals private records)."""


class AuthenticationError(RoadcarbonError):
    """Missing, wrong, expired or revoked credentials."""


class PermissionDeniedError(RoadcarbonError):
    """The caller is known but their role does not allow the action."""


class PreconditionFailedError(RoadcarbonError):
    """The record changed since the caller read it (If-Match does not match the current ETag)."""


class PreconditionRequiredError(RoadcarbonError):
    """An update was sent without If-Match."""


class ConflictError(RoadcarbonError):
    """The action does not fit the record's state (e.g. approving a draft)."""


class ValidationFailedError(InputError):
    """A change set fails its validation report; ``report`` holds the findings."""

    def __init__(self, message: str, *, report: dict[str, object], field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.report = report


class ThrottledError(RoadcarbonError):
    """Too many failed sign-ins from this source (for this account); retry after ``retry_after_s`` seconds."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
