"""Accounts: organisations, users (argon2 password hashes), short-lived JWTs and revocable API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from roadcarbon.db.base import utcnow
from roadcarbon.db.models import ApiToken, Organisation, Role, User
from roadcarbon.db.repositories import accounts as repo
from roadcarbon.errors import InputError
from roadcarbon.services.audit import record_event
from roadcarbon.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from roadcarbon.services.principal import ANONYMOUS, Principal

ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19_456
ARGON2_PARALLELISM = 1
"""Argon2id parameters: the OWASP Password Storage Cheat Sheet's minimum configuration
(m = 19 MiB, t = 2, p = 1; https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html,
section "Argon2id").  argon2-cffi's default (RFC 9106 low-memory profile, m = 64 MiB, t = 3,
p = 4) took 0.6-0.9 s per sign-in on the 2-core machines this runs on; these take about 0.1 s."""
_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM
)
JWT_ALGORITHM = "HS256"
API_TOKEN_PREFIX = "rct_"  # noqa: S105 (a marker, not a secret)
MIN_PASSWORD_LENGTH = 10
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A hash of a random password: verifying against it when the user is unknown keeps timing uniform.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Argon2id hash of ``password`` (parameters: see :data:`ARGON2_MEMORY_KIB`)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"must have at least {MIN_PASSWORD_LENGTH} characters", field="password")
    return _hasher.hash(password)


def create_organisation(session: Session, principal: Principal, *, slug: str, name: str) -> Organisation:
    """Create an organisation (maintainers only; the seed passes a maintainer principal)."""
    principal.require(principal.is_maintainer, "create organisations")
    if not _SLUG.match(slug):
        raise InputError("expected 2-63 lower-case letters, digits or '-'", field="slug")
    if repo.organisation_by_slug(session, slug) is not None:
        raise ConflictError(f"organisation {slug!r} exists already", field="slug")
    org = Organisation(slug=slug, name=name)
    session.add(org)
    session.flush()
    record_event(session, principal, "organisation.create", "organisation", org.id, detail={"slug": slug})
    return org


def create_user(
    session: Session,
    principal: Principal,
    *,
    email: str,
    name: str,
    password: str,
    role: str,
    organisation_id: int,
) -> User:
    """Create an account: org admins in their own organisation (up to org_admin), maintainers anywhere."""
    principal.require(principal.can_admin_organisation, "create accounts")
    if not principal.is_maintainer and not principal.in_organisation(organisation_id):
        raise PermissionDeniedError("organisation admins create accounts only in their own organisation")
    try:
        role_value = Role(role)
    except ValueError:
        raise InputError(
            f"unknown role {role!r}; expected one of: {', '.join(r.value for r in Role)}", field="role"
        ) from None
    if role_value in (Role.MAINTAINER, Role.REVIEWER) and not principal.is_maintainer:
        raise PermissionDeniedError(f"only maintainers create {role_value.value} accounts")
    if not _EMAIL.match(email):
        raise InputError("expected an e-mail address", field="email")
    if session.get(Organisation, organisation_id) is None:
        raise NotFoundError(f"no organisation {organisation_id}", field="organisation_id")
    email = email.lower()
    if repo.user_by_email(session, email) is not None:
        raise ConflictError("an account with this e-mail exists already", field="email")
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        role=role_value.value,
        organisation_id=organisation_id,
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        principal,
        "user.create",
        "user",
        user.id,
        detail={"role": role_value.value, "organisation_id": organisation_id},
        private_to=organisation_id,
    )
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """The active user with this e-mail and password, else AuthenticationError (same message either way)."""
    if "\x00" in email or "\x00" in password:
        raise AuthenticationError("wrong e-mail or password")
    user = repo.user_by_email(session, email.strip().lower())
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationError("wrong e-mail or password") from None
    if user is None or not user.active:
        raise AuthenticationError("wrong e-mail or password")
    return user


def issue_access_token(user: User, *, secret_key: str, minutes: int) -> tuple[str, int]:
    """A signed JWT (HS256) for ``user``, valid ``minutes``; returns ``(token, expires_in_s)``."""
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "org": user.organisation_id,
        "role": user.role,
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(minutes=minutes)).timestamp()),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret_key, algorithm=JWT_ALGORITHM), minutes * 60


def principal_from_token(session: Session, token: str | None, *, secret_key: str) -> Principal:
    """Resolve a bearer token (JWT or API token) to the caller; no token → anonymous.

    The user row is read on every request, so deactivating a user or revoking an
    API token takes effect at once.
    """
    if not token:
        return ANONYMOUS
    if token.startswith(API_TOKEN_PREFIX):
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = repo.api_token_by_digest(session, digest)
        if row is None or row.revoked_at is not None:
            raise AuthenticationError("unknown or revoked API token")
        user = session.get(User, row.user_id)
    else:
        try:
            claims = jwt.decode(
                token, secret_key, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]}
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("the access token has expired; sign in again") from None
        except jwt.PyJWTError:
            raise AuthenticationError("invalid access token") from None
        user = session.get(User, int(claims["sub"])) if str(claims["sub"]).isdigit() else None
    if user is None or not user.active:
        raise AuthenticationError("the account behind this token is unknown or inactive")
    return Principal(user_id=user.id, organisation_id=user.organisation_id, role=user.role, email=user.email)


def create_api_token(session: Session, principal: Principal, *, name: str) -> tuple[ApiToken, str]:
    """A new API token for the caller; the secret is returned once and only its digest is kept."""
    user_id = principal.require_user()
    if not 1 <= len(name) <= 100:
        raise InputError("expected 1-100 characters", field="name")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user_id,
        name=name,
        token_sha256=hashlib.sha256(secret.encode()).hexdigest(),
        prefix=secret[:10],
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        principal,
        "api_token.create",
        "api_token",
        row.id,
        detail={"name": name},
        private_to=principal.organisation_id,
    )
    return row, secret


def list_api_tokens(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The caller's API tokens (never the secrets)."""
    user_id = principal.require_user()
    rows = repo.api_tokens_of(session, user_id)
    return [api_token_to_dict(r) for r in rows]


def revoke_api_token(session: Session, principal: Principal, token_id: int) -> dict[str, Any]:
    """Revoke one of the caller's API tokens (idempotent)."""
    user_id = principal.require_user()
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError(f"no API token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record_event(session, principal, "api_token.revoke", "api_token", row.id)
    return api_token_to_dict(row)


def api_token_to_dict(row: ApiToken) -> dict[str, Any]:
    """Plain representation of a token (no secret)."""
    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": row.created_at.isoformat(),
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


def user_to_dict(user: User) -> dict[str, Any]:
    """Plain representation of a user (no hash)."""
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "active": user.active,
    }


def organisation_to_dict(org: Organisation) -> dict[str, Any]:
    """Plain representation of an organisation."""
    return {"id": org.id, "slug": org.slug, "name": org.name}


def list_organisations(session: Session) -> list[dict[str, Any]]:
    """All organisations (names are public)."""
    return [organisation_to_dict(o) for o in repo.organisations(session)]


def list_users(session: Session, principal: Principal, organisation_id: int) -> list[dict[str, Any]]:
    """Accounts of one organisation: visible to its members and maintainers."""
    principal.require_user()
    if not (principal.is_maintainer or principal.in_organisation(organisation_id)):
        raise NotFoundError(f"no organisation {organisation_id} visible to you")
    rows = repo.users_of(session, organisation_id)
    return [user_to_dict(u) for u in rows]
