"""The dashboard's link to the platform: database sessions, the signed-in principal, its services.

The platform's app factory keeps ``read_sessions`` and ``write_sessions``
(SQLAlchemy session makers) on ``app.state``; without them (a bare app that
carries only the dashboard) the pages that need the database say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request

from roadcarbon.db.session import transaction
from roadcarbon.web.backend import Unavailable
from roadcarbon.web.session import Session as WebSession


def _makers(request: Request) -> tuple[Any, Any]:
    state = request.app.state
    read = getattr(state, "read_sessions", None)
    write = getattr(state, "write_sessions", None)
    if read is None or write is None:
        raise Unavailable(
            "the platform database (contributions, datasets, accounts) is not configured in this app"
        )
    return read, write


@contextmanager
def reading(request: Request) -> Iterator[Any]:
    """A read session (rolled back at the end)."""
    read, _ = _makers(request)
    with read() as session:
        yield session


@contextmanager
def writing(request: Request) -> Iterator[Any]:
    """A write session: committed when the block ends normally, rolled back on error."""
    _, write = _makers(request)
    with transaction(write) as session:
        yield session


def principal(request: Request, web_session: WebSession, db: Any) -> Any:
    """The caller as a platform ``Principal``: the session's user, re-read so a disabled account stops at once."""
    from roadcarbon.db.models import User
    from roadcarbon.services.principal import ANONYMOUS, Principal

    user = web_session.user
    if not user:
        return ANONYMOUS
    row = db.get(User, int(user["id"]))
    if row is None or not row.active or user.get("sv", 0) != row.session_version:
        return ANONYMOUS  # deactivated, signed out elsewhere, password or role changed (issue 13, item 7)
    return Principal(user_id=row.id, organisation_id=row.organisation_id, role=row.role, email=row.email)


def sign_in(request: Request, web_session: WebSession, email: str, password: str) -> dict[str, Any]:
    """Check the e-mail and password with the platform and put the user in the session (new CSRF token)."""
    import secrets
    import time

    from roadcarbon.services.accounts import authenticate

    limiter = getattr(request.app.state, "login_limiter", None)
    if limiter is not None:  # the same per-address and per-account limits as the API's token endpoint
        client = request.client.host if request.client else "unknown"
        limiter.hit(f"ip:{client}")
        limiter.hit(f"user:{email.strip().lower()}")
    with reading(request) as db:
        row = authenticate(db, email, password)
        org_name = row.organisation.name if row.organisation else None
        user = {
            "id": row.id,
            "email": row.email,
            "name": row.name,
            "role": row.role,
            "organisation": row.organisation_id,
            "organisation_name": org_name,
            "sv": row.session_version,
        }
    web_session.user = user
    web_session.csrf = secrets.token_urlsafe(24)
    web_session.issued_at_s = time.time()
    web_session.dirty = True
    return user
