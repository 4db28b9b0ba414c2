"""Contributions: change sets drafted by contributors, validated, reviewed, then published in a release.

States: ``draft → submitted → approved | rejected``; ``approved → published``
when a maintainer makes the next release (:mod:`roadcarbon.services.releases`).
A rejected change set may be edited and submitted again.  Every transition
writes the audit log.  A reviewer never approves their own change set.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from roadcarbon.db.base import utcnow
from roadcarbon.db.models import (
    Contribution,
    ContributionChange,
    ContributionStatus,
    Dataset,
    ReviewComment,
    RuleScheme,
    SupplyChainRecord,
    VehicleModel,
    Visibility,
)
from roadcarbon.db.repositories import records as records_repo
from roadcarbon.db.repositories import workflow as workflow_repo
from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.services import impact as impact_service
from roadcarbon.services.audit import record_event
from roadcarbon.services.concurrency import check_if_match, etag
from roadcarbon.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)
from roadcarbon.services.packages import check_package
from roadcarbon.services.pagination import Page, paginate
from roadcarbon.services.principal import Principal
from roadcarbon.services.records import clean_supply_chain, current_package, current_spec, validate_spec

TARGET_TYPES = ("vehicle", "dataset", "rule_scheme", "supply_chain")
OPERATIONS = ("create", "update")
LICENCES = ("CC-BY-4.0", "CC0-1.0", "ODbL-1.0", "CC-BY-SA-4.0", "Apache-2.0", "proprietary-private")
"""Licences a contribution may carry (SPDX ids); ``proprietary-private`` only for private records."""
_EDITABLE = (ContributionStatus.DRAFT, ContributionStatus.REJECTED)
_TARGETS: dict[str, Any] = {
    "vehicle": VehicleModel,
    "dataset": Dataset,
    "rule_scheme": RuleScheme,
    "supply_chain": SupplyChainRecord,
}


# --- input checks --------------------------------------------------------------------------------


def _clean_changes(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise InputError("expected a non-empty list of changes", field="changes")
    if len(raw) > 50:
        raise InputError("at most 50 changes per change set", field="changes")
    out = []
    for i, change in enumerate(raw):
        where = f"changes.{i}"
        if not isinstance(change, dict):
            raise InputError("expected an object with target_type, operation, payload", field=where)
        unknown = sorted(set(change) - {"target_type", "target_id", "operation", "payload"})
        if unknown:
            raise InputError(
                "unknown key; expected target_type, target_id, operation, payload",
                field=f"{where}.{unknown[0]}",
            )
        target_type = change.get("target_type")
        if target_type not in TARGET_TYPES:
            raise InputError(f"expected one of: {', '.join(TARGET_TYPES)}", field=f"{where}.target_type")
        operation = change.get("operation", "create" if change.get("target_id") is None else "update")
        if operation not in OPERATIONS:
            raise InputError(f"expected one of: {', '.join(OPERATIONS)}", field=f"{where}.operation")
        target_id = change.get("target_id")
        if operation == "update" and (isinstance(target_id, bool) or not isinstance(target_id, int)):
            raise InputError("an update names the record it changes (integer id)", field=f"{where}.target_id")
        if operation == "create" and target_id is not None:
            raise InputError("a create has no target_id", field=f"{where}.target_id")
        payload = change.get("payload")
        if not isinstance(payload, dict):
            raise InputError("expected an object", field=f"{where}.payload")
        out.append(
            {"target_type": target_type, "target_id": target_id, "operation": operation, "payload": payload}
        )
    return out


def _clean_meta(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not 1 <= len(title.strip()) <= 300:
            raise InputError("expected a text of 1-300 characters", field="title")
        out["title"] = title.strip()
    if "description" in data:
        if not isinstance(data["description"], str) or len(data["description"]) > 20_000:
            raise InputError("expected a text of at most 20000 characters", field="description")
        out["description"] = data["description"]
    if "sources" in data or not partial:
        sources = data.get("sources")
        if (
            not isinstance(sources, list)
            or not sources
            or not all(isinstance(s, str) and s.strip() for s in sources)
        ):
            raise InputError("expected a non-empty list of sources (citations or addresses)", field="sources")
        out["sources"] = [s.strip() for s in sources]
    if "license" in data or not partial:
        licence = data.get("license")
        if licence not in LICENCES:
            raise InputError(f"expected one of: {', '.join(LICENCES)}", field="license")
        out["license"] = licence
    if "changes" in data or not partial:
        out["changes"] = _clean_changes(data.get("changes"))
    unknown = sorted(set(data) - {"title", "description", "sources", "license", "changes"})
    if unknown:
        raise InputError(
            "unknown field; expected title, description, sources, license, changes", field=unknown[0]
        )
    return out


# --- validation report ---------------------------------------------------------------------------


def _target_row(session: Session, change: ContributionChange) -> Any:
    model = _TARGETS[change.target_type]
    return session.get(model, change.target_id) if change.target_id is not None else None


def validation_report(session: Session, contribution: Contribution) -> dict[str, Any]:
    """Check every change with the library's own schemas; ``{valid, findings, checked_at}``.

    Vehicles: :class:`roadcarbon.specs.VehicleSpec`.  Datasets: the data-package
    checks of :mod:`roadcarbon.services.packages`.  Rule schemes: the rule
    library's schema.  Supply chain: the supply-chain field checks.  Updates
    must name a record the author's organisation can see, at the version read.
    """
    findings: list[dict[str, str]] = []
    for i, change in enumerate(contribution.changes):
        where = f"changes.{i}"

        def error(field: str, message: str, where: str = where) -> None:
            findings.append(
                {"field": f"{where}.{field}" if field else where, "level": "error", "message": message}
            )

        row = _target_row(session, change)
        if change.operation == "update" and (
            row is None
            or (
                getattr(row, "visibility", Visibility.PUBLIC) != Visibility.PUBLIC
                and getattr(row, "organisation_id", None) != contribution.organisation_id
            )
        ):
            error("target_id", f"no {change.target_type} {change.target_id}")
            continue
        payload = change.payload
        try:
            if change.target_type == "vehicle":
                validate_spec(payload, field=f"{where}.payload")
            elif change.target_type == "supply_chain":
                clean_supply_chain(payload)
            elif change.target_type == "dataset":
                package = payload.get("package")
                if change.operation == "create":
                    for key in ("slug", "title"):
                        if not isinstance(payload.get(key), str) or not payload[key].strip():
                            error(f"payload.{key}", "expected a text")
                    if isinstance(payload.get("slug"), str) and records_repo.dataset_by_slug(
                        session, payload["slug"]
                    ):
                        error(
                            "payload.slug", f"dataset {payload['slug']!r} exists already; update it instead"
                        )
                package_findings = check_package(package, prefix=f"{where}.payload.package")
                findings.extend(package_findings)
                if (
                    row is not None
                    and isinstance(package, dict)
                    and getattr(row, "slug", None) == impact_service.REFERENCE_DATASET_SLUG
                    and not any(f["level"] == "error" for f in package_findings)
                ):
                    problem = impact_service.engine_reads(package)
                    if problem:
                        error("payload.package", f"the engine's reference-data loader refuses it: {problem}")
            elif change.target_type == "rule_scheme":
                from roadcarbon.services.regulations import check_scheme_document
                from roadcarbon.services.value_changes import source_id_for

                cited = [source_id_for(str(s)) for s in contribution.sources or [] if isinstance(s, str)]
                findings.extend(
                    check_scheme_document(
                        payload.get("document"), prefix=f"{where}.payload.document", cited=cited
                    )
                )
        except RoadcarbonError as exc:
            field = exc.field or where
            if not field.startswith(where):
                field = f"{where}.payload.{field}"
            findings.append({"field": field, "level": "error", "message": exc.message})
        if change.operation == "update" and row is not None and change.base_version is not None:  # noqa: SIM102
            if row.current_version != change.base_version:
                error(
                    "base_version",
                    f"the record moved from version {change.base_version} to {row.current_version} since the draft; "
                    "edit the change set to rebase it",
                )
        if contribution.license == "proprietary-private" and _is_public_change(change):
            error("", "a public record needs an open licence, not proprietary-private")
    return {
        "valid": not any(f["level"] == "error" for f in findings),
        "findings": findings,
        "checked_at": utcnow().isoformat(),
    }


def _is_public_change(change: ContributionChange) -> bool:
    if change.target_type == "supply_chain":
        return change.payload.get("visibility") == Visibility.PUBLIC
    return True


# --- workflow ------------------------------------------------------------------------------------


def _may_see_private(principal: Principal, row: Contribution) -> bool:
    """Private payloads: the owning organisation; outsiders only as far as they must judge them.

    A reviewer from another organisation sees them while the change set waits for review (submitted);
    a maintainer also while it is approved (they publish it in a release).  Nobody outside the
    organisation sees them in drafts, rejected or published change sets (docs/platform.md).
    """
    if principal.in_organisation(row.organisation_id):
        return True
    if principal.is_maintainer:
        return row.status in (ContributionStatus.SUBMITTED, ContributionStatus.APPROVED)
    return principal.can_review and row.status == ContributionStatus.SUBMITTED


def contribution_to_dict(row: Contribution, principal: Principal, *, full: bool = True) -> dict[str, Any]:
    """Plain representation; private changes are left out for callers outside the organisation."""
    private_ok = _may_see_private(principal, row)
    out: dict[str, Any] = {
        "id": row.id,
        "title": row.title,
        "status": row.status,
        "conflict": row.conflict,
        "author_id": row.author_id,
        "organisation_id": row.organisation_id,
        "license": row.license,
        "sources": row.sources,
        "reviewer_id": row.reviewer_id,
        "release_id": row.release_id,
        "etag": etag(row.row_version),
        "created_at": row.created_at.isoformat(),
        "submitted_at": _iso(row.submitted_at),
        "decided_at": _iso(row.decided_at),
    }
    if not full:
        return out
    changes = []
    hidden = 0
    for change in row.changes:
        if not _is_public_change(change) and not private_ok:
            hidden += 1
            continue
        changes.append(
            {
                "target_type": change.target_type,
                "target_id": change.target_id,
                "operation": change.operation,
                "base_version": change.base_version,
                "payload": change.payload,
            }
        )
    out["description"] = row.description
    out["changes"] = changes
    out["private_changes_hidden"] = hidden
    out["validation_report"] = row.validation_report if private_ok else _public_report(row.validation_report)
    out["impact"] = row.impact
    out["comments"] = [
        {
            "author_id": c.author_id,
            "body": c.body,
            "decision": c.decision,
            "created_at": c.created_at.isoformat(),
        }
        for c in row.comments
    ]
    return out


def _public_report(report: dict[str, Any]) -> dict[str, Any]:
    return {"valid": report.get("valid"), "checked_at": report.get("checked_at")}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _row(session: Session, principal: Principal, contribution_id: int) -> Contribution:
    row = session.get(Contribution, contribution_id)
    if row is None:
        raise NotFoundError(f"no contribution {contribution_id}")
    visible = (
        row.status == ContributionStatus.PUBLISHED
        or principal.in_organisation(row.organisation_id)
        or (principal.can_review and row.status != ContributionStatus.DRAFT)
    )
    if not visible:
        raise NotFoundError(f"no contribution {contribution_id}")
    return row


def list_contributions(
    session: Session,
    principal: Principal,
    *,
    status: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[dict[str, Any]]:
    """Change sets visible to the caller (published ones to everybody), newest first."""
    if status and status not in set(ContributionStatus):
        raise InputError(f"expected one of: {', '.join(ContributionStatus)}", field="status")
    query = workflow_repo.contribution_list(
        organisation_id=principal.organisation_id, reviewer=principal.can_review, status=status or None
    )
    return paginate(
        session,
        query,
        page=page,
        per_page=per_page,
        to_dict=lambda r: contribution_to_dict(r, principal, full=False),
    )


def get_contribution(session: Session, principal: Principal, contribution_id: int) -> dict[str, Any]:
    """One change set with its changes, validation report, impact and comments."""
    return contribution_to_dict(_row(session, principal, contribution_id), principal)


def _set_changes(
    session: Session, principal: Principal, row: Contribution, changes: list[dict[str, Any]]
) -> None:
    row.changes.clear()
    session.flush()
    for position, change in enumerate(changes):
        base_version = None
        if change["operation"] == "update":
            target = session.get(_TARGETS[change["target_type"]], change["target_id"])
            readable = target is not None and (
                getattr(target, "visibility", Visibility.PUBLIC) == Visibility.PUBLIC
                or principal.in_organisation(getattr(target, "organisation_id", None))
            )
            if not readable:
                raise InputError(
                    f"no {change['target_type']} {change['target_id']}", field=f"changes.{position}.target_id"
                )
            base_version = getattr(target, "current_version", None)
        row.changes.append(ContributionChange(position=position, base_version=base_version, **change))


def create_contribution(session: Session, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """A new draft change set by the caller (``title, description, sources, license, changes``)."""
    principal.require(principal.can_contribute, "create contributions")
    clean = _clean_meta(data, partial=False)
    changes = clean.pop("changes")
    assert principal.user_id is not None
    assert principal.organisation_id is not None
    row = Contribution(author_id=principal.user_id, organisation_id=principal.organisation_id, **clean)
    session.add(row)
    session.flush()
    _set_changes(session, principal, row, changes)
    session.flush()
    row.validation_report = validation_report(session, row)
    session.flush()
    record_event(
        session,
        principal,
        "contribution.create",
        "contribution",
        row.id,
        detail={"changes": len(changes)},
        private_to=principal.organisation_id,
    )
    return contribution_to_dict(row, principal)


def _require_author_org(principal: Principal, row: Contribution) -> None:
    principal.require(principal.can_contribute, "edit contributions")
    if not principal.in_organisation(row.organisation_id):
        raise PermissionDeniedError("only the author's organisation edits or submits a change set")


def update_contribution(
    session: Session,
    principal: Principal,
    contribution_id: int,
    data: dict[str, Any],
    *,
    if_match: str | None,
) -> dict[str, Any]:
    """Edit a draft (or rejected) change set, guarded by If-Match."""
    row = _row(session, principal, contribution_id)
    _require_author_org(principal, row)
    check_if_match(if_match, row.row_version)
    if row.status not in _EDITABLE:
        raise ConflictError(f"a {row.status} change set cannot be edited", field="status")
    clean = _clean_meta(data, partial=True)
    changes = clean.pop("changes", None)
    for key, value in clean.items():
        setattr(row, key, value)
    if changes is not None:
        _set_changes(session, principal, row, changes)
    if row.status == ContributionStatus.REJECTED:
        row.status = ContributionStatus.DRAFT
    session.flush()
    row.validation_report = validation_report(session, row)
    session.flush()
    record_event(
        session,
        principal,
        "contribution.update",
        "contribution",
        row.id,
        detail={"fields": sorted(clean) + (["changes"] if changes is not None else [])},
        private_to=row.organisation_id,
    )
    return contribution_to_dict(row, principal)


def _revalidate(session: Session, row: Contribution, failure: str) -> None:
    """Validate ``row`` again and keep the report; ValidationFailedError ``<failure>: <first error>`` if invalid."""
    report = validation_report(session, row)
    row.validation_report = report
    if not report["valid"]:
        session.flush()
        first = next(f for f in report["findings"] if f["level"] == "error")
        raise ValidationFailedError(f"{failure}: {first['message']}", field=first["field"], report=report)


def submit_contribution(
    session: Session, principal: Principal, contribution_id: int, *, if_match: str | None = None
) -> dict[str, Any]:
    """Send a draft for review: re-validates it (errors refuse the submission) and computes its impact."""
    row = _row(session, principal, contribution_id)
    _require_author_org(principal, row)
    if if_match is not None:
        check_if_match(if_match, row.row_version)
    if row.status not in _EDITABLE:
        raise ConflictError(f"a {row.status} change set cannot be submitted", field="status")
    _revalidate(session, row, "the change set does not validate")
    row.impact = impact_service.contribution_impact(session, row)
    row.status = ContributionStatus.SUBMITTED
    row.submitted_at = utcnow()
    session.flush()
    record_event(
        session,
        principal,
        "contribution.submit",
        "contribution",
        row.id,
        detail={"title": row.title, "changes": len(row.changes)},
        private_to=row.organisation_id,
    )
    return contribution_to_dict(row, principal)


def review_contribution(
    session: Session,
    principal: Principal,
    contribution_id: int,
    *,
    decision: str,
    comment: str,
    if_match: str | None = None,
) -> dict[str, Any]:
    """Approve or reject a submitted change set with a comment; never one's own."""
    row = _row(session, principal, contribution_id)
    principal.require(principal.can_review, "review contributions")
    if decision not in ("approve", "reject"):
        raise InputError("expected 'approve' or 'reject'", field="decision")
    if not isinstance(comment, str) or not comment.strip():
        raise InputError("a review needs a comment", field="comment")
    if row.author_id == principal.user_id:
        raise PermissionDeniedError("a reviewer never reviews their own change set")
    if not principal.is_maintainer and principal.in_organisation(row.organisation_id):
        raise PermissionDeniedError("a reviewer never reviews a change set from their own organisation")
    if if_match is not None:
        check_if_match(if_match, row.row_version)
    if row.status != ContributionStatus.SUBMITTED:
        raise ConflictError(
            f"only submitted change sets are reviewed; this one is {row.status}", field="status"
        )
    if decision == "approve":
        _revalidate(session, row, "the change set no longer validates")
        clash = stale_or_clashing(session, row)
        if clash is not None:
            raise ConflictError(f"cannot approve: {clash}", field=clash_field(clash))
    assert principal.user_id is not None
    row.status = ContributionStatus.APPROVED if decision == "approve" else ContributionStatus.REJECTED
    row.reviewer_id = principal.user_id
    row.decided_at = utcnow()
    session.add(
        ReviewComment(
            contribution_id=row.id, author_id=principal.user_id, body=comment.strip(), decision=decision
        )
    )
    session.flush()
    record_event(
        session,
        principal,
        f"contribution.{row.status}",
        "contribution",
        row.id,
        detail={"comment": comment.strip()},
        private_to=row.organisation_id,
    )
    session.refresh(row, ["comments"])
    return contribution_to_dict(row, principal)


def comment_contribution(
    session: Session, principal: Principal, contribution_id: int, body: str
) -> dict[str, Any]:
    """Add a comment (author's organisation or reviewers)."""
    row = _row(session, principal, contribution_id)
    user_id = principal.require_user()
    if not (principal.in_organisation(row.organisation_id) or principal.can_review):
        raise PermissionDeniedError("only the author's organisation and reviewers comment on a change set")
    if not isinstance(body, str) or not 1 <= len(body.strip()) <= 10_000:
        raise InputError("expected a text of 1-10000 characters", field="body")
    session.add(ReviewComment(contribution_id=row.id, author_id=user_id, body=body.strip()))
    session.flush()
    record_event(
        session,
        principal,
        "contribution.comment",
        "contribution",
        row.id,
        private_to=row.organisation_id,
    )
    session.refresh(row, ["comments"])
    return contribution_to_dict(row, principal)


def _updates(row: Contribution) -> list[tuple[int, ContributionChange]]:
    return [(i, c) for i, c in enumerate(row.changes) if c.operation == "update"]


def stale_changes(session: Session, row: Contribution) -> str | None:
    """Why ``row`` cannot be applied as approved (a record it updates is gone or moved), or None."""
    for i, change in _updates(row):
        target = _target_row(session, change)
        if target is None:
            return f"change {i}: {change.target_type} {change.target_id} is gone"
        current = getattr(target, "current_version", None)
        if change.base_version is not None and current != change.base_version:
            return (
                f"change {i}: {change.target_type} {change.target_id} moved from version "
                f"{change.base_version} to {current} since this change set was based on it; "
                "rebase it (POST .../rebase) and have it reviewed again, or withdraw it"
            )
    return None


def stale_or_clashing(session: Session, row: Contribution) -> str | None:
    """A stale base (see :func:`stale_changes`) or another approved change set updating the same record.

    Two approved change sets updating one record would make the later one unpublishable (its base moves
    when the first is released), so approval refuses the second until the first is released and this
    one rebased.
    """
    stale = stale_changes(session, row)
    if stale is not None:
        return stale
    mine = {(c.target_type, c.target_id) for _, c in _updates(row)}
    if not mine:
        return None
    for other in workflow_repo.approved_contributions(session):
        if other.id == row.id:
            continue
        for i, change in _updates(other):
            if (change.target_type, change.target_id) in mine:
                return (
                    f"change {i} of approved change set {other.id} also updates {change.target_type} "
                    f"{change.target_id}; approve this one after that is released and this one is rebased"
                )
    return None


def clash_field(message: str) -> str:
    """The field a conflict message points at (``changes.<i>``)."""
    return "changes." + message.split(":", 1)[0].removeprefix("change ").split(" ", 1)[0]


def rebase_contribution(
    session: Session, principal: Principal, contribution_id: int, *, if_match: str | None = None
) -> dict[str, Any]:
    """Base every update on the record's current version again; the change set goes back to review.

    For change sets whose records moved (approved ones a release skipped, or submitted ones); the author's
    organisation or a maintainer may rebase.  Rebasing an approved change set makes it ``submitted``:
    the reviewer must judge it against the new base.
    """
    row = _row(session, principal, contribution_id)
    principal.require(principal.can_contribute, "rebase contributions")
    if not (principal.is_maintainer or principal.in_organisation(row.organisation_id)):
        raise PermissionDeniedError("only the author's organisation or a maintainer rebases a change set")
    if if_match is not None:
        check_if_match(if_match, row.row_version)
    if row.status not in (*_EDITABLE, ContributionStatus.SUBMITTED, ContributionStatus.APPROVED):
        raise ConflictError(f"a {row.status} change set cannot be rebased", field="status")
    moved = []
    for i, change in _updates(row):
        target = _target_row(session, change)
        if target is None:
            raise ConflictError(
                f"change {i}: {change.target_type} {change.target_id} is gone; withdraw the change set",
                field=f"changes.{i}.target_id",
            )
        current = getattr(target, "current_version", None)
        if change.base_version != current:
            moved.append({"change": i, "from": change.base_version, "to": current})
            change.base_version = current
    row.conflict = None
    if row.status == ContributionStatus.APPROVED:
        row.status = ContributionStatus.SUBMITTED
        row.reviewer_id = None
        row.decided_at = None
    row.validation_report = validation_report(session, row)
    session.flush()
    record_event(
        session,
        principal,
        "contribution.rebase",
        "contribution",
        row.id,
        detail={"moved": moved},
        private_to=row.organisation_id,
    )
    return contribution_to_dict(row, principal)


def withdraw_contribution(
    session: Session, principal: Principal, contribution_id: int, *, if_match: str | None = None
) -> dict[str, Any]:
    """Withdraw a change set that is not published (author's organisation or a maintainer); final."""
    row = _row(session, principal, contribution_id)
    principal.require(principal.can_contribute, "withdraw contributions")
    if not (principal.is_maintainer or principal.in_organisation(row.organisation_id)):
        raise PermissionDeniedError("only the author's organisation or a maintainer withdraws a change set")
    if if_match is not None:
        check_if_match(if_match, row.row_version)
    if row.status in (ContributionStatus.PUBLISHED, ContributionStatus.WITHDRAWN):
        raise ConflictError(f"a {row.status} change set cannot be withdrawn", field="status")
    row.status = ContributionStatus.WITHDRAWN
    row.conflict = None
    session.flush()
    record_event(
        session, principal, "contribution.withdraw", "contribution", row.id, private_to=row.organisation_id
    )
    return contribution_to_dict(row, principal)


def current_of(session: Session, change: ContributionChange) -> dict[str, Any] | None:
    """The current content of the record an update targets (for diffs), or None for creates."""
    row = _target_row(session, change)
    if row is None:
        return None
    if change.target_type == "vehicle":
        return current_spec(session, row)
    if change.target_type == "dataset":
        return current_package(session, row)
    return None
