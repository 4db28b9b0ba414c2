"""The append-only audit log: every write records one event in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from roadcarbon.db.models import AuditEvent
from roadcarbon.db.repositories import workflow as repo
from roadcarbon.services.pagination import Page, paginate
from roadcarbon.services.principal import Principal

PUBLIC_ACTIONS = (
    "release.publish",
    "contribution.publish",
    "organisation.create",
    "seed.organisation",
    "seed.vehicle",
    "seed.dataset",
    "supply_chain.aggregates_refresh",
)
"""Actions whose events anyone may read: they are about published things (releases, published change sets,
organisation names, the packaged seed data, recomputed public aggregates).  Every other event (drafts,
submissions, reviews and their comments, accounts, API tokens, private records) is visible only to its
organisation and to maintainers."""


def record_event(
    session: Session,
    principal: Principal,
    action: str,
    target_type: str,
    target_id: object,
    *,
    detail: dict[str, Any] | None = None,
    private_to: int | None = None,
) -> AuditEvent:
    """Append one event; ``private_to`` hides it from everyone outside that organisation.

    Events whose action is not in :data:`PUBLIC_ACTIONS` are private to the actor's organisation anyway.
    """
    event = AuditEvent(
        actor_id=principal.user_id,
        organisation_id=private_to if private_to is not None else principal.organisation_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        private=private_to is not None or action not in PUBLIC_ACTIONS,
        detail=detail or {},
    )
    session.add(event)
    return event


def list_events(
    session: Session,
    principal: Principal,
    *,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[dict[str, Any]]:
    """Audit events visible to the caller, newest first.

    Anonymous callers see events about published things only (:data:`PUBLIC_ACTIONS`); members also see
    their organisation's events; maintainers see every event.
    """
    query = repo.audit_list(
        organisation_id=principal.organisation_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        public_actions=PUBLIC_ACTIONS,
        everything=principal.is_maintainer,
    )
    return paginate(session, query, page=page, per_page=per_page, to_dict=event_to_dict)


def count_events(session: Session, *, action: str | None = None, target_id: str | None = None) -> int:
    """Number of events (all of them, for tests and operators)."""
    return repo.audit_count(session, action=action, target_id=target_id)


def event_to_dict(event: AuditEvent) -> dict[str, Any]:
    """Plain representation of one event."""
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "organisation_id": event.organisation_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "detail": event.detail,
    }
