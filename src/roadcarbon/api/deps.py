"""Typed dependencies: sessions, settings, the calling principal, rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from roadcarbon.services.accounts import principal_from_token
from roadcarbon.services.principal import Principal
from roadcarbon.settings import Settings


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def read_session(request: Request) -> Iterator[Session]:
    """A session for reading (rolled back at the end)."""
    with request.app.state.read_sessions() as session:
        yield session


def write_session(request: Request) -> Iterator[Session]:
    """A session for writing: committed when the handler returns, rolled back on error.

    Used with ``scope="function"``: the commit happens before the response is
    sent, so a client never reads before its own write is visible.
    """
    with request.app.state.write_sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        from roadcarbon.services.errors import AuthenticationError

        raise AuthenticationError("expected 'Authorization: Bearer <token>'", field="Authorization")
    return token.strip()


def current_principal(
    request: Request,
    authorization: Annotated[str | None, Header(description="Bearer token: a JWT or an API token")] = None,
) -> Principal:
    """The caller (anonymous without Authorization)."""
    token = _bearer(authorization)
    if token is None:
        from roadcarbon.services.principal import ANONYMOUS

        return ANONYMOUS
    with request.app.state.read_sessions() as session:
        return principal_from_token(session, token, secret_key=request.app.state.secret_key)


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
