"""Typed dependencies: sessions, settings, the calling principal, rate limits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from roadcarbon.db.session import transaction
from roadcarbon.services.accounts import principal_from_token
from roadcarbon.services.pagination import PER_PAGE_MAX
from roadcarbon.services.principal import ANONYMOUS, Principal
from roadcarbon.settings import Settings


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def read_session(request: Request) -> AsyncIterator[Session]:
    """A session for reading (rolled back at the end).

    Creating a session does no I/O (it connects on first use, in the
    handler's worker thread), so it is made on the event loop; closing it
    (which returns the connection to the pool) runs in a worker thread.
    """
    session = request.app.state.read_sessions()
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


def write_session(request: Request) -> Iterator[Session]:
    """A session for writing: committed when the handler returns, rolled back on error.

    Used with ``scope="function"``: the commit happens before the response is
    sent, so a client never reads before its own write is visible.
    """
    with transaction(request.app.state.write_sessions) as session:
        yield session


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        from roadcarbon.services.errors import AuthenticationError

        raise AuthenticationError("expected 'Authorization: Bearer <token>'", field="Authorization")
    return token.strip()


async def current_principal(
    request: Request,
    authorization: Annotated[str | None, Header(description="Bearer token: a JWT or an API token")] = None,
) -> Principal:
    """The caller (anonymous without Authorization; a token is checked against the database in a worker thread)."""
    token = _bearer(authorization)
    if token is None:
        return ANONYMOUS

    def lookup() -> Principal:
        with request.app.state.read_sessions() as session:
            return principal_from_token(session, token, secret_key=request.app.state.secret_key)

    return await run_in_threadpool(lookup)


def client_key(request: Request, principal: Principal) -> str:
    """Rate-limit key: the user when signed in, else the client address."""
    if principal.user_id is not None:
        return f"user:{principal.user_id}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


def calculation_quota(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> Principal:
    """Count one calculation against the caller's quota."""
    request.app.state.calc_limiter.hit(client_key(request, principal))
    return principal


ReadSession = Annotated[Session, Depends(read_session, scope="function")]
WriteSession = Annotated[Session, Depends(write_session, scope="function")]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
CalculationPrincipal = Annotated[Principal, Depends(calculation_quota)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="ETag of the version you read")]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=PER_PAGE_MAX)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
