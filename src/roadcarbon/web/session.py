"""Browser sessions and CSRF protection for the dashboard.

A session is a small JSON document (CSRF token, signed-in user, organisation,
roles) in one cookie, signed with HMAC-SHA256 under the server's secret key
(standard library only).  The cookie is ``HttpOnly``, ``SameSite=Lax`` and
``Secure`` whenever the request came over HTTPS (or the settings force it).
Every form that changes data carries the session's CSRF token in a hidden
field; :func:`check_csrf` refuses a POST whose token does not match
(synchroniser-token pattern, OWASP CSRF Prevention Cheat Sheet).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

COOKIE = "rc_session"
MAX_AGE_S = 8 * 3600
"""Session lifetime [s]: a working day; the user signs in again after it."""


@dataclass
class Session:
    """The decoded session of one request."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    user: dict[str, Any] | None = None
    issued_at_s: float = field(default_factory=time.time)
    dirty: bool = False

    @property
    def roles(self) -> set[str]:
        """Roles of the signed-in user (empty when anonymous)."""
        return set((self.user or {}).get("roles", []))

    @property
    def organisation(self) -> str | None:
        """Organisation id of the signed-in user."""
        value = (self.user or {}).get("organisation")
        return None if value is None else str(value)


def _sign(secret: bytes, payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(secret, payload, hashlib.sha256).digest()).decode().rstrip("=")


def encode(session: Session, secret: bytes) -> str:
    """Serialise and sign ``session`` for the cookie."""
    body = json.dumps(
        {"csrf": session.csrf, "user": session.user, "iat": session.issued_at_s}, separators=(",", ":")
    ).encode()
    payload = base64.urlsafe_b64encode(body).decode().rstrip("=")
    return f"{payload}.{_sign(secret, payload.encode())}"


def decode(cookie: str | None, secret: bytes) -> Session:
    """The session stored in ``cookie``; a fresh anonymous one when absent, forged or expired."""
    if not cookie or "." not in cookie:
        return Session(dirty=True)
    payload, _, signature = cookie.rpartition(".")
    if not hmac.compare_digest(signature, _sign(secret, payload.encode())):
        return Session(dirty=True)
    try:
        body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, json.JSONDecodeError):
        return Session(dirty=True)
    issued = float(body.get("iat", 0))
    if time.time() - issued > MAX_AGE_S:
        return Session(dirty=True)
    return Session(csrf=str(body["csrf"]), user=body.get("user"), issued_at_s=issued)


def check_csrf(session: Session, token: str | None) -> bool:
    """Whether a submitted form's CSRF ``token`` matches the session's."""
    return bool(token) and hmac.compare_digest(session.csrf, str(token))
