"""RFC 9457 ``application/problem+json`` for every error, in one place.

Each problem names the offending field (``field``, a dotted path like
``vehicle.curb_mass_kg``) and says what was expected (``detail``); validation
problems list every finding in ``errors``.  Bad input never answers 5xx.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError as DatabaseDataError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from roadcarbon.errors import DataError, InputError, RoadcarbonError, RuleError
from roadcarbon.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    PreconditionRequiredError,
    ThrottledError,
    ValidationFailedError,
)
from roadcarbon.services.regulations import RulesUnavailableError

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("roadcarbon.api")

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    501: "Not implemented",
    503: "Service unavailable",
}


class RateLimitedError(RoadcarbonError):
    """Too many requests from one client; ``retry_after_s`` says when to retry."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PayloadTooLargeError(RoadcarbonError):
    """The request body exceeds the configured limit."""


def problem(
    status: int,
    detail: str,
    *,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": f"https://roadcarbon.example/problems/{status}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if field:
        body["field"] = field
    if errors:
        body["errors"] = errors
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


def status_of(exc: RoadcarbonError) -> int:
    """HTTP status of a deliberate error."""
    table: list[tuple[type[BaseException], int]] = [
        (ValidationFailedError, 422),
        (NotFoundError, 404),
        (AuthenticationError, 401),
        (PermissionDeniedError, 403),
        (PreconditionFailedError, 412),
        (PreconditionRequiredError, 428),
        (ConflictError, 409),
        (RateLimitedError, 429),
        (ThrottledError, 429),
        (PayloadTooLargeError, 413),
        (RulesUnavailableError, 501),
        (InputError, 422),
        (DataError, 422),
    ]
    for kind, status in table:
        if isinstance(exc, kind):
            return status
    if isinstance(exc, RuleError):
        return 404 if str(exc.message).startswith("unknown scheme") else 422
    return 400


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for e in exc.errors():
            msg = str(e.get("msg", "invalid value")).removeprefix("Value error, ")
            errors.append({"field": _loc(e.get("loc", ())), "message": msg})
        first = errors[0] if errors else {"field": "", "message": "invalid request"}
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        detail = f"{first['field']}: {first['message']}{more}" if first["field"] else first["message"] + more
        return problem(422, detail, field=first["field"] or None, errors=errors, instance=request.url.path)

    @app.exception_handler(RoadcarbonError)
    async def _domain(request: Request, exc: RoadcarbonError) -> JSONResponse:
        status = status_of(exc)
        headers: dict[str, str] = {}
        extra: dict[str, Any] = {}
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, RateLimitedError | ThrottledError):
            headers["Retry-After"] = str(exc.retry_after_s)
        if isinstance(exc, ValidationFailedError):
            extra["validation_report"] = exc.report
        skipped = getattr(exc, "skipped", None)  # releases.NothingPublishableError: what was flagged
        if isinstance(skipped, list):
            extra["skipped"] = skipped
        return problem(
            status, str(exc), field=exc.field, instance=request.url.path, headers=headers or None, extra=extra
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        return problem(
            412,
            "the record changed while you were writing it; read it again and retry",
            field="If-Match",
            instance=request.url.path,
        )

    @app.exception_handler(DatabaseDataError)
    async def _data(request: Request, exc: DatabaseDataError) -> JSONResponse:
        return problem(
            422,
            "a value cannot be stored or searched: it contains a NUL character, is too long or is out of range",
            instance=request.url.path,
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        return problem(
            409,
            "the change conflicts with existing data (duplicate or dangling reference)",
            instance=request.url.path,
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database operational error: %s", exc)
        return problem(
            503,
            "the database is busy; retry shortly",
            instance=request.url.path,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
        return problem(
            exc.status_code, detail, instance=request.url.path, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "internal error; it has been logged", instance=request.url.path)
