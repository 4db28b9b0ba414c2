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
from sqlalchemy import delete
from sqlalchemy.orm import Session

from roadcarbon.db.base import utcnow
from roadcarbon.db.models import ApiToken, Organisation, Role, User
from roadcarbon.db.models.accounts import LoginThrottle
from roadcarbon.db.repositories import accounts as repo
from roadcarbon.errors import InputError
from roadcarbon.services.audit import record_event
from roadcarbon.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ThrottledError,
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


_COMMON: frozenset[str] | None = None


def common_passwords() -> frozenset[str]:
    """The 20,000 most common passwords (lower case), loaded once.

    Source: Django 5.1.4's ``django/contrib/auth/common-passwords.txt.gz`` (list by Royce Williams,
    https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce; BSD-3-Clause, see
    ``common_passwords.LICENSE``), as recommended by NIST SP 800-63B section 5.1.1.2 (compare new
    passwords against lists of commonly used values).
    """
    global _COMMON
    if _COMMON is None:
        import gzip
        from importlib.resources import files

        raw = files("roadcarbon.services").joinpath("common_passwords.txt.gz").read_bytes()
        _COMMON = frozenset(gzip.decompress(raw).decode().split())
    return _COMMON


def check_password_policy(password: str, *, email: str | None = None) -> None:
    """InputError naming ``password`` unless it is long enough, not common and not the e-mail."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"must have at least {MIN_PASSWORD_LENGTH} characters", field="password")
    if len(password) > 200:
        raise InputError("must have at most 200 characters", field="password")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        raise InputError("is one of the most common passwords; choose another", field="password")
    if email and (lowered == email.lower() or lowered == email.lower().split("@")[0]):
        raise InputError("must not be the e-mail address", field="password")


def hash_password(password: str) -> str:
    """Argon2id hash of ``password`` (parameters: see :data:`ARGON2_MEMORY_KIB`)."""
    check_password_policy(password)
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
    check_password_policy(password, email=email)
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
        "sv": user.session_version,
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
        if row.expires_at is not None and row.expires_at <= utcnow():
            raise AuthenticationError("the API token has expired")
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
        sub = str(claims["sub"])
        user = session.get(User, int(sub)) if sub.isascii() and sub.isdigit() and len(sub) < 19 else None
    if user is None or not user.active:
        raise AuthenticationError("the account behind this token is unknown or inactive")
    if not token.startswith(API_TOKEN_PREFIX) and claims.get("sv", 0) != user.session_version:
        raise AuthenticationError(
            "the session has ended (signed out, password or role changed); sign in again"
        )
    return Principal(user_id=user.id, organisation_id=user.organisation_id, role=user.role, email=user.email)


def create_api_token(
    session: Session, principal: Principal, *, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new API token for the caller; the secret is returned once and only its digest is kept.

    ``expires_in_days`` (1-3650) makes it stop working after that many days; None: until revoked.
    """
    user_id = principal.require_user()
    if not 1 <= len(name) <= 100:
        raise InputError("expected 1-100 characters", field="name")
    if expires_in_days is not None and (
        isinstance(expires_in_days, bool)
        or not isinstance(expires_in_days, int)
        or not 1 <= expires_in_days <= 3650
    ):
        raise InputError("expected a whole number of days from 1 to 3650", field="expires_in_days")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user_id,
        name=name,
        token_sha256=hashlib.sha256(secret.encode()).hexdigest(),
        prefix=secret[:10],
        expires_at=utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
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
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
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


# --- sessions, passwords, account changes, sign-in throttling (issue 13, item 7) ---------------------


def create_operator_admin(
    session: Session, *, email: str, name: str, password: str, organisation_id: int
) -> User:
    """A maintainer created by the operator on the server (``roadcarbon accounts create-admin``).

    Not reachable over HTTP: whoever runs the CLI already holds the database credentials.
    """
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InputError("expected an e-mail address", field="email")
    if repo.user_by_email(session, email) is not None:
        raise ConflictError("an account with this e-mail exists already", field="email")
    check_password_policy(password, email=email)
    user = User(
        email=email, name=name, password_hash=_hasher.hash(password), role=Role.MAINTAINER.value,
        organisation_id=organisation_id,
    )  # fmt: skip
    session.add(user)
    session.flush()
    record_event(
        session, Principal(role=Role.MAINTAINER), "user.create", "user", user.id,
        detail={"role": Role.MAINTAINER.value, "by": "cli"}, private_to=organisation_id,
    )  # fmt: skip
    return user


def end_sessions(user: User) -> None:
    """Invalidate every JWT and web session of ``user`` (API tokens are revoked one by one)."""
    user.session_version = (user.session_version or 0) + 1


def logout(session: Session, principal: Principal) -> None:
    """Sign out server-side: the caller's sessions (JWTs and web sessions) stop working at once."""
    user = session.get(User, principal.require_user())
    if user is not None:
        end_sessions(user)
        record_event(session, principal, "user.logout", "user", user.id, private_to=user.organisation_id)


def set_password(session: Session, user: User, password: str) -> None:
    """Store a new password (policy-checked) and end the user's sessions; clears its sign-in throttles."""
    check_password_policy(password, email=user.email)
    user.password_hash = _hasher.hash(password)
    user.password_changed_at = utcnow()
    end_sessions(user)
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.like(f"account:{user.email}|%")))
    record_event(
        session, Principal(user_id=user.id, organisation_id=user.organisation_id, role=user.role),
        "user.password", "user", user.id, private_to=user.organisation_id,
    )  # fmt: skip


def change_password(session: Session, principal: Principal, *, current: str, new: str) -> None:
    """The caller changes their password (the current one is checked); other sessions end."""
    user = session.get(User, principal.require_user())
    if user is None:
        raise AuthenticationError("unknown account")
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise InputError("the current password is wrong", field="current_password") from None
    if new == current:
        raise InputError("must differ from the current password", field="new_password")
    set_password(session, user, new)


def update_user(
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's role or deactivate/reactivate them (org admins at home, maintainers anywhere).

    Org admins give contributor or org_admin only; reviewer and maintainer are granted by maintainers.
    Any change ends the user's sessions.  Nobody changes or deactivates themselves this way.
    """
    principal.require(principal.can_admin_organisation, "manage accounts")
    user = session.get(User, user_id)
    if user is None or not (principal.is_maintainer or principal.in_organisation(user.organisation_id)):
        raise NotFoundError(f"no user {user_id}")
    if user.id == principal.user_id:
        raise PermissionDeniedError("you cannot change your own role or deactivate yourself")
    if user.role in (Role.MAINTAINER, Role.REVIEWER) and not principal.is_maintainer:
        raise PermissionDeniedError(f"only maintainers change {user.role} accounts")
    changed: dict[str, Any] = {}
    if role is not None:
        try:
            role_value = Role(role)
        except ValueError:
            raise InputError(f"expected one of: {', '.join(r.value for r in Role)}", field="role") from None
        if role_value in (Role.MAINTAINER, Role.REVIEWER) and not principal.is_maintainer:
            raise PermissionDeniedError(f"only maintainers grant {role_value.value}")
        user.role = role_value.value
        changed["role"] = role_value.value
    if active is not None:
        user.active = bool(active)
        changed["active"] = bool(active)
    end_sessions(user)
    session.flush()
    record_event(
        session, principal, "user.update", "user", user.id, detail=changed, private_to=user.organisation_id
    )
    return user


FREE_FAILURES_PER_ACCOUNT_AND_SOURCE = 5
FREE_FAILURES_PER_SOURCE = 20
MAX_BACKOFF_S = 300
"""Sign-in throttling (OWASP Authentication Cheat Sheet, "Login Throttling"): failures are counted per
source address and per (account, source address); past the free failures each further one doubles a
wait (1 s, 2 s, 4 s, ... at most 5 minutes).  Counting an account only together with the source means
a stranger elsewhere cannot lock anybody out; a failure-free sign-in clears the pair's count."""


def _throttle_keys(email: str, source: str) -> list[tuple[str, int]]:
    return [
        (f"account:{email.strip().lower()}|{source}", FREE_FAILURES_PER_ACCOUNT_AND_SOURCE),
        (f"source:{source}", FREE_FAILURES_PER_SOURCE),
    ]


def check_throttle(session: Session, email: str, source: str) -> None:
    """ThrottledError (429) while a backoff of this source or this account from this source runs."""
    now = utcnow()
    for key, _free in _throttle_keys(email, source):
        row = session.get(LoginThrottle, key[:300])
        if row is not None and row.blocked_until is not None and row.blocked_until > now:
            wait = max(1, int((row.blocked_until - now).total_seconds() + 0.999))
            raise ThrottledError(
                f"too many failed sign-ins; wait {wait} s before trying again", retry_after_s=wait
            )


def record_sign_in(session: Session, email: str, source: str, *, ok: bool) -> None:
    """Count a failed sign-in (starting a backoff past the free failures), or clear the pair on success."""
    now = utcnow()
    for key, free in _throttle_keys(email, source):
        key = key[:300]
        row = session.get(LoginThrottle, key)
        if ok:
            if row is not None and key.startswith("account:"):
                session.delete(row)
            continue
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
        row.failures = (row.failures or 0) + 1
        row.last_failure_at = now
        if row.failures > free:
            row.blocked_until = now + dt.timedelta(seconds=min(2 ** (row.failures - free - 1), MAX_BACKOFF_S))
    session.flush()


def sign_in(sessions: Any, email: str, password: str, *, source: str) -> User:
    """Check the throttle, then the password; each outcome is recorded in its own transaction.

    ``sessions`` is a sessionmaker of write sessions; the user returned is detached (read its columns).
    """
    with sessions() as session:
        check_throttle(session, email, source)
        try:
            user = authenticate(session, email, password)
        except AuthenticationError:
            record_sign_in(session, email, source, ok=False)
            session.commit()
            raise
        record_sign_in(session, email, source, ok=True)
        session.commit()
        session.refresh(user)
        session.expunge(user)
        return user
