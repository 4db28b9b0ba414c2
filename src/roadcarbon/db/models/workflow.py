"""Contributions (change sets) with review, releases (immutable snapshots) and the append-only audit log."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadcarbon.db.base import Base, JSONDoc, UTCDateTime, utcnow


class ContributionStatus(StrEnum):
    """draft → submitted → approved | rejected; approved → published (into a release); any but published → withdrawn."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Contribution(Base):
    """A change set proposed by a contributor for review."""

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ContributionStatus.DRAFT, index=True)
    sources: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    license: Mapped[str] = mapped_column(String(100))
    validation_report: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    impact: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), nullable=True)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    conflict: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Why a release skipped this approved change set (a record moved since approval); cleared by a rebase."""

    changes: Mapped[list[ContributionChange]] = relationship(
        back_populates="contribution", order_by="ContributionChange.position", cascade="all, delete-orphan"
    )
    comments: Mapped[list[ReviewComment]] = relationship(order_by="ReviewComment.id")

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class ContributionChange(Base):
    """One change of a change set: create or update one record."""

    __tablename__ = "contribution_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    operation: Mapped[str] = mapped_column(String(10))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)

    contribution: Mapped[Contribution] = relationship(back_populates="changes")


class ReviewComment(Base):
    """A reviewer's or author's comment on a change set."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Release(Base):
    """A citable, immutable snapshot: the manifest of every public record version it contains."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    manifest: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEvent(Base):
    """One line of the append-only audit log (updates and deletes are refused by the database)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[str] = mapped_column(String(100))
    private: Mapped[bool] = mapped_column(default=False)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
