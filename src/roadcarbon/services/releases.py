"""Releases: citable, immutable snapshots of the public database.

Publishing applies every approved change set (in the order they were
approved), records a manifest of every public record version, and stores its
SHA-256 so a citation can be checked.  Releases are never edited (an ORM guard
refuses updates and deletes).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from roadcarbon.db.models import (
    Contribution,
    ContributionStatus,
    Dataset,
    Release,
    SupplyChainRecord,
    VehicleModel,
    Visibility,
)
from roadcarbon.db.repositories import records as records_repo
from roadcarbon.db.repositories import workflow as repo
from roadcarbon.errors import InputError
from roadcarbon.services.audit import record_event
from roadcarbon.services.errors import ConflictError, NotFoundError
from roadcarbon.services.pagination import Page, paginate
from roadcarbon.services.principal import Principal
from roadcarbon.services.records import (
    add_dataset,
    add_vehicle,
    clean_supply_chain,
    new_dataset_version,
    new_vehicle_version,
)

_TAG = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,49}$")


class NothingPublishableError(ConflictError):
    """Every approved change set conflicts, so no release is made (HTTP 409).

    The conflict flags set during the attempt (``conflict`` on each change set, and its
    ``contribution.conflict`` audit event) are meant to be kept: the caller commits the session
    before answering (the API does), so the authors see why their change set waits and can rebase
    or withdraw it.  ``skipped`` lists ``{contribution, reason}``.
    """

    def __init__(self, message: str, *, skipped: list[dict[str, Any]]) -> None:
        super().__init__(message, field="contributions")
        self.skipped = skipped


@event.listens_for(Release, "before_update")
def _immutable(_mapper: Any, _connection: Any, target: Release) -> None:
    raise ConflictError(f"release {target.tag} is immutable")


@event.listens_for(Release, "before_delete")
def _undeletable(_mapper: Any, _connection: Any, target: Release) -> None:
    raise ConflictError(f"release {target.tag} is immutable")


def release_to_dict(row: Release, *, full: bool = False) -> dict[str, Any]:
    """Plain representation; ``full`` adds the manifest."""
    out: dict[str, Any] = {
        "id": row.id,
        "tag": row.tag,
        "title": row.title,
        "notes": row.notes,
        "sha256": row.sha256,
        "created_at": row.created_at.isoformat(),
        "contributions": row.manifest.get("contributions", []),
        "data_version": row.manifest.get("data_version"),
        "rule_library_version": row.manifest.get("rule_library_version"),
        "skipped": row.manifest.get("skipped", []),
    }
    if full:
        out["manifest"] = row.manifest
    return out


def list_releases(session: Session, *, page: int = 1, per_page: int = 50) -> Page[dict[str, Any]]:
    """Releases, newest first (public)."""
    return paginate(
        session,
        repo.release_list(),
        page=page,
        per_page=per_page,
        to_dict=release_to_dict,
    )


def get_release(session: Session, tag: str) -> dict[str, Any]:
    """One release by tag, with its manifest."""
    row = repo.release_by_tag(session, tag)
    if row is None:
        raise NotFoundError(f"no release {tag!r}", field="tag")
    return release_to_dict(row, full=True)


def latest_release(session: Session) -> Release | None:
    """The newest release, if any."""
    return repo.latest_release(session)


def manifest(session: Session) -> dict[str, Any]:
    """Every public record and its current version (what a release freezes)."""
    from roadcarbon.services.versions import data_version, rule_library_version

    return {
        "vehicles": {str(v.id): v.current_version for v in records_repo.public_vehicles(session)},
        "datasets": {d.slug: d.current_version for d in records_repo.public_datasets(session)},
        "rule_schemes": {r.scheme_id: r.current_version for r in repo.rule_schemes(session)},
        "data_version": data_version(),
        "rule_library_version": rule_library_version(),
    }


def _apply(session: Session, principal: Principal, contribution: Contribution) -> None:
    for i, change in enumerate(contribution.changes):
        payload = change.payload
        if change.target_type == "vehicle":
            if change.operation == "create":
                add_vehicle(
                    session,
                    principal,
                    payload,
                    visibility=Visibility.PUBLIC,
                    organisation_id=contribution.organisation_id,
                    contribution_id=contribution.id,
                )
            else:
                row = session.get(VehicleModel, change.target_id)
                _check_base(contribution, i, row, change.base_version)
                assert row is not None
                new_vehicle_version(session, principal, row, payload, contribution_id=contribution.id)
        elif change.target_type == "dataset":
            if change.operation == "create":
                add_dataset(
                    session,
                    principal,
                    payload["package"],
                    slug=payload["slug"],
                    title=payload["title"],
                    license=contribution.license,
                    organisation_id=contribution.organisation_id,
                    contribution_id=contribution.id,
                )
            else:
                row_d = session.get(Dataset, change.target_id)
                _check_base(contribution, i, row_d, change.base_version)
                assert row_d is not None
                new_dataset_version(
                    session, principal, row_d, payload["package"], contribution_id=contribution.id
                )
        elif change.target_type == "rule_scheme":
            from roadcarbon.services.regulations import store_scheme_version

            store_scheme_version(session, payload["document"], contribution_id=contribution.id)
        elif change.target_type == "supply_chain":
            data = clean_supply_chain(payload)
            if change.operation == "create":
                session.add(
                    SupplyChainRecord(
                        organisation_id=contribution.organisation_id,
                        created_by_id=contribution.author_id,
                        visibility=data.pop("visibility", Visibility.PRIVATE),
                        **data,
                    )
                )
            else:
                row_s = session.get(SupplyChainRecord, change.target_id)
                if row_s is None:
                    raise ConflictError(
                        f"contribution {contribution.id}: supply-chain record {change.target_id} is gone"
                    )
                for key, value in data.items():
                    setattr(row_s, key, value)
    session.flush()


def _check_base(contribution: Contribution, i: int, row: Any, base_version: int | None) -> None:
    if row is None:
        raise ConflictError(
            f"contribution {contribution.id}, change {i}: the record is gone", field=f"changes.{i}"
        )
    if base_version is not None and row.current_version != base_version:
        raise ConflictError(
            f"contribution {contribution.id}, change {i}: the record moved from version {base_version} "
            f"to {row.current_version} after approval; it must be rebased and reviewed again",
            field=f"changes.{i}.base_version",
        )


def canonical_sha256(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``document`` (sorted keys, no spaces)."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def publish_release(
    session: Session,
    principal: Principal,
    *,
    tag: str,
    title: str,
    notes: str = "",
    allow_empty: bool = False,
) -> dict[str, Any]:
    """Apply all approved change sets and freeze the public database as release ``tag`` (maintainers).

    An approved change set whose record moved is skipped and flagged (``conflict``).  When every
    approved change set is skipped, :class:`NothingPublishableError` (409) is raised *after* the
    flags and their audit events are flushed: commit before answering to keep them.
    """
    principal.require(principal.is_maintainer, "publish releases")
    if not isinstance(tag, str) or not _TAG.match(tag):
        raise InputError(
            "expected 1-50 letters, digits, '.', '_' or '-', starting with a letter or digit", field="tag"
        )
    if not isinstance(title, str) or not 1 <= len(title.strip()) <= 300:
        raise InputError("expected a text of 1-300 characters", field="title")
    if repo.release_by_tag(session, tag) is not None:
        raise ConflictError(f"release {tag!r} exists already; releases are immutable", field="tag")
    from roadcarbon.services.contributions import stale_changes

    approved = []
    skipped = []
    for contribution in repo.approved_contributions(session):
        # checked after the earlier ones are applied: one that another moved is skipped and flagged
        reason = stale_changes(session, contribution)
        if reason is not None:
            contribution.conflict = reason
            skipped.append(contribution)
            continue
        contribution.conflict = None
        _apply(session, principal, contribution)
        approved.append(contribution)
    for contribution in skipped:
        record_event(
            session,
            principal,
            "contribution.conflict",
            "contribution",
            contribution.id,
            detail={"reason": contribution.conflict, "release": tag},
            private_to=contribution.organisation_id,
        )
    if not approved and not allow_empty:
        if skipped:
            session.flush()
            raise NothingPublishableError(
                "no approved contribution can be published; "
                + "; ".join(f"change set {c.id}: {c.conflict}" for c in skipped),
                skipped=[{"contribution": c.id, "reason": c.conflict} for c in skipped],
            )
        raise ConflictError("no approved contributions to publish", field="contributions")
    snapshot = manifest(session)
    snapshot["contributions"] = [c.id for c in approved]
    if skipped:
        snapshot["skipped"] = [{"contribution": c.id, "reason": c.conflict} for c in skipped]
    row = Release(
        tag=tag,
        title=title.strip(),
        notes=notes,
        manifest=snapshot,
        sha256=canonical_sha256(snapshot),
        created_by_id=principal.user_id,
    )
    session.add(row)
    session.flush()
    for contribution in approved:
        contribution.status = ContributionStatus.PUBLISHED
        contribution.release_id = row.id
        record_event(
            session,
            principal,
            "contribution.publish",
            "contribution",
            contribution.id,
            detail={"release": tag},
        )
    session.flush()
    record_event(
        session,
        principal,
        "release.publish",
        "release",
        tag,
        detail={"contributions": snapshot["contributions"], "sha256": row.sha256},
    )
    # this process reads the new release at once: now (this session sees it), and again when the
    # transaction ends, committed or rolled back (what was cached in between may be what never happened)
    _forget_cached_releases(session)
    event.listen(session, "after_commit", _forget_cached_releases, once=True)
    event.listen(session, "after_soft_rollback", _forget_after_rollback, once=True)
    return release_to_dict(row, full=True)


def _forget_after_rollback(session: Session, _previous_transaction: Any) -> None:
    _forget_cached_releases(session)


def _forget_cached_releases(_session: Session) -> None:
    """After a release is committed, this process's calculations and rule evaluations read it at once."""
    from roadcarbon.services.calculations import forget_latest_release
    from roadcarbon.services.value_changes_rules import forget_published_library

    forget_latest_release()
    forget_published_library()
