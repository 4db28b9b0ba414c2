"""Queries on organisations, users and API tokens."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadcarbon.db.models import ApiToken, Organisation, User


def organisation_by_slug(session: Session, slug: str) -> Organisation | None:
    """The organisation with ``slug``."""
    return session.scalar(select(Organisation).where(Organisation.slug == slug))


def organisations(session: Session) -> Sequence[Organisation]:
    """All organisations by id."""
    return session.scalars(select(Organisation).order_by(Organisation.id)).all()


def organisation_count(session: Session) -> int:
    """How many organisations exist."""
    return int(session.scalar(select(func.count(Organisation.id))) or 0)


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this (lower-case) e-mail."""
    return session.scalar(select(User).where(User.email == email))


def users_of(session: Session, organisation_id: int) -> Sequence[User]:
    """Accounts of one organisation by id."""
    return session.scalars(
        select(User).where(User.organisation_id == organisation_id).order_by(User.id)
    ).all()


def first_user_with_role(session: Session, role: str) -> User | None:
    """The oldest account holding ``role``."""
    return session.scalar(select(User).where(User.role == role).order_by(User.id).limit(1))


def api_token_by_digest(session: Session, digest: str) -> ApiToken | None:
    """The API token whose SHA-256 is ``digest``."""
    return session.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))


def api_tokens_of(session: Session, user_id: int) -> Sequence[ApiToken]:
    """A user's API tokens by id."""
    return session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)).all()
