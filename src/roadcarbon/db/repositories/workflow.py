"""Queries on contributions, releases, rule schemes and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from roadcarbon.db.models import (
    AuditEvent,
    Contribution,
    ContributionStatus,
    Release,
    RuleScheme,
    RuleSchemeVersion,
)


def contribution_list(
    *, organisation_id: int | None, reviewer: bool, status: str | None
) -> Select[*tuple[Any, ...]]:
    """Change sets a caller may list, newest first.

    Everybody: published ones; members: their organisation's; reviewers: every non-draft one.
    """
    published = Contribution.status == ContributionStatus.PUBLISHED
    clause: Any
    if reviewer:
        clause = or_(
            Contribution.status != ContributionStatus.DRAFT, Contribution.organisation_id == organisation_id
        )
    elif organisation_id is not None:
        clause = or_(published, Contribution.organisation_id == organisation_id)
    else:
        clause = published
    query = select(Contribution).where(clause)
    if status:
        query = query.where(Contribution.status == status)
    return query.order_by(Contribution.id.desc())


def approved_contributions(session: Session) -> Sequence[Contribution]:
    """Approved change sets in the order they were approved."""
    return session.scalars(
        select(Contribution)
        .where(Contribution.status == ContributionStatus.APPROVED)
        .order_by(Contribution.decided_at, Contribution.id)
    ).all()


def release_list() -> Select[*tuple[Any, ...]]:
    """Releases, newest first."""
    return select(Release).order_by(Release.id.desc())


def release_by_tag(session: Session, tag: str) -> Release | None:
    """The release tagged ``tag``."""
    return session.scalar(select(Release).where(Release.tag == tag))


def latest_release(session: Session) -> Release | None:
    """The newest release."""
    return session.scalar(select(Release).order_by(Release.id.desc()).limit(1))


def rule_scheme_by_id(session: Session, scheme_id: str) -> RuleScheme | None:
    """The stored scheme with this id."""
    return session.scalar(select(RuleScheme).where(RuleScheme.scheme_id == scheme_id))


def rule_schemes(session: Session, *, market: str | None = None) -> Sequence[RuleScheme]:
    """Stored schemes by id, optionally of one market."""
    query = select(RuleScheme).order_by(RuleScheme.scheme_id)
    if market:
        query = query.where(RuleScheme.market == market)
    return session.scalars(query).all()


def rule_scheme_versions(session: Session, scheme_pk: int) -> Sequence[RuleSchemeVersion]:
    """Stored versions of one scheme, oldest first."""
    return session.scalars(
        select(RuleSchemeVersion)
        .where(RuleSchemeVersion.scheme_pk == scheme_pk)
        .order_by(RuleSchemeVersion.version)
    ).all()


def audit_list(
    *,
    organisation_id: int | None,
    action: str | None,
    target_type: str | None,
    target_id: str | None,
    public_actions: tuple[str, ...] = (),
    everything: bool = False,
) -> Select[*tuple[Any, ...]]:
    """Audit events visible to ``organisation_id``, newest first.

    Public events are those not marked private whose action is one of ``public_actions`` (events about
    published things); an organisation also sees its own events; ``everything`` (maintainers) sees all.
    """
    query = select(AuditEvent)
    if not everything:
        public = and_(AuditEvent.private.is_(False), AuditEvent.action.in_(public_actions))
        clause: Any = (
            public if organisation_id is None else or_(public, AuditEvent.organisation_id == organisation_id)
        )
        query = query.where(clause)
    if action:
        query = query.where(AuditEvent.action == action)
    if target_type:
        query = query.where(AuditEvent.target_type == target_type)
    if target_id:
        query = query.where(AuditEvent.target_id == target_id)
    return query.order_by(AuditEvent.id.desc())


def audit_count(session: Session, *, action: str | None = None, target_id: str | None = None) -> int:
    """Number of audit events (all of them)."""
    query = select(func.count(AuditEvent.id))
    if action:
        query = query.where(AuditEvent.action == action)
    if target_id:
        query = query.where(AuditEvent.target_id == target_id)
    return int(session.scalar(query) or 0)
