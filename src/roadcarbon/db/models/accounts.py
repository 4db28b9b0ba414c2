"""Organisations, users with one role each, revocable API tokens."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadcarbon.db.base import Base, UTCDateTime, utcnow


class Role(StrEnum):
    """Roles of signed-in users (anonymous callers have no user row)."""

    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"
    ORG_ADMIN = "org_admin"
    MAINTAINER = "maintainer"


class Organisation(Base):
    """A maker, research partner, authority or the programme itself."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    """A person who signs in; belongs to one organisation and holds one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Bumped on logout, password change, role change and deactivation: older sessions stop working."""
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    organisation: Mapped[Organisation] = relationship(back_populates="users")


class ApiToken(Base):
    """A long-lived token for scripts; only its SHA-256 digest is stored; revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed sign-ins counted per key (``account:<email>`` or ``source:<ip>``), with a backoff deadline."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
