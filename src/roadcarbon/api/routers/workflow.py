"""Contributions with review, releases, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from roadcarbon.api.deps import CurrentPrincipal, Id, IfMatch, Page, PerPage, ReadSession, WriteSession
from roadcarbon.api.responses import Format, respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.requests import (
    CommentBody,
    ContributionBody,
    ContributionPatch,
    ReleaseBody,
    ReviewBody,
)
from roadcarbon.services import audit, contributions, releases

router = APIRouter()


@router.get(
    "/contributions",
    response_model=R.ContributionPage,
    tags=["contributions"],
    summary="Change sets visible to you",
)
def list_contributions(
    session: ReadSession,
    principal: CurrentPrincipal,
    status: Annotated[str | None, Query(max_length=20)] = None,
    page: Page = 1,
    per_page: PerPage = 50,
    format: Format = "json",
) -> Response:
    """Published ones for everybody; your organisation's; submitted ones for reviewers."""
    out = contributions.list_contributions(session, principal, status=status, page=page, per_page=per_page)
    return respond(out.as_dict(), format, filename="contributions")


@router.post(
    "/contributions",
    response_model=R.Contribution,
    tags=["contributions"],
    status_code=201,
    summary="Draft a change set",
)
def create_contribution(
    body: ContributionBody, session: WriteSession, principal: CurrentPrincipal
) -> Response:
    """With an automatic validation report."""
    out = contributions.create_contribution(session, principal, body.model_dump(exclude_none=True))
    return respond(out, etag=out["etag"], status=201)


@router.get(
    "/contributions/{contribution_id}",
    response_model=R.Contribution,
    tags=["contributions"],
    summary="One change set",
)
def get_contribution(
    contribution_id: Id, session: ReadSession, principal: CurrentPrincipal, format: Format = "json"
) -> Response:
    """Changes, validation report, impact on headline results, comments."""
    out = contributions.get_contribution(session, principal, contribution_id)
    return respond(out, format, filename=f"contribution-{contribution_id}", etag=out["etag"])


@router.patch(
    "/contributions/{contribution_id}",
    response_model=R.Contribution,
    tags=["contributions"],
    summary="Edit a draft (If-Match)",
)
def patch_contribution(
    contribution_id: Id,
    body: ContributionPatch,
    session: WriteSession,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> Response:
    """412 when it changed since you read it."""
    out = contributions.update_contribution(
        session, principal, contribution_id, body.model_dump(exclude_unset=True), if_match=if_match
    )
    return respond(out, etag=out["etag"])


@router.post(
    "/contributions/{contribution_id}/submit",
    response_model=R.Contribution,
    tags=["contributions"],
    summary="Submit for review",
)
def submit(
    contribution_id: Id, session: WriteSession, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Re-validates; computes the impact on headline results."""
    out = contributions.submit_contribution(session, principal, contribution_id, if_match=if_match)
    return respond(out, etag=out["etag"])


@router.post(
    "/contributions/{contribution_id}/review",
    response_model=R.Contribution,
    tags=["contributions"],
    summary="Approve or reject (reviewers)",
)
def review(
    contribution_id: Id,
    body: ReviewBody,
    session: WriteSession,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> Response:
    """Never your own change set."""
    out = contributions.review_contribution(
        session, principal, contribution_id, decision=body.decision, comment=body.comment, if_match=if_match
    )
    return respond(out, etag=out["etag"])


@router.post(
    "/contributions/{contribution_id}/rebase",
    response_model=R.Contribution,
    tags=["contributions"],
    summary="Rebase on the current records (back to review)",
)
def rebase(
    contribution_id: Id, session: WriteSession, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """For a change set whose records moved (a release skipped it): author's organisation or maintainers."""
    out = contributions.rebase_contribution(session, principal, contribution_id, if_match=if_match)
    return respond(out, etag=out["etag"])


@router.post(
    "/contributions/{contribution_id}/withdraw",
    response_model=R.Contribution,
    tags=["contributions"],
    summary="Withdraw",
)
def withdraw(
    contribution_id: Id, session: WriteSession, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Any change set not yet published: author's organisation or maintainers."""
    out = contributions.withdraw_contribution(session, principal, contribution_id, if_match=if_match)
    return respond(out, etag=out["etag"])


@router.post(
    "/contributions/{contribution_id}/comments",
    response_model=R.Contribution,
    tags=["contributions"],
    status_code=201,
    summary="Comment",
)
def comment(
    contribution_id: Id, body: CommentBody, session: WriteSession, principal: CurrentPrincipal
) -> Response:
    """Author's organisation and reviewers."""
    return respond(
        contributions.comment_contribution(session, principal, contribution_id, body.body), status=201
    )


@router.get(
    "/releases", response_model=R.ReleasePage, tags=["releases"], summary="Releases (citable snapshots)"
)
def list_releases(
    session: ReadSession, page: Page = 1, per_page: PerPage = 50, format: Format = "json"
) -> Response:
    """Newest first."""
    return respond(
        releases.list_releases(session, page=page, per_page=per_page).as_dict(), format, filename="releases"
    )


@router.post(
    "/releases",
    response_model=R.Release,
    tags=["releases"],
    status_code=201,
    summary="Publish approved change sets as a release",
)
def create_release(body: ReleaseBody, session: WriteSession, principal: CurrentPrincipal) -> Response:
    """Maintainers only; releases are immutable.

    An approved change set whose record moved is skipped and flagged (``skipped``; rebase or withdraw
    it).  When every approved change set is skipped the answer is 409 with ``skipped`` in the problem,
    and the flags are kept (committed before the answer).
    """
    try:
        document = releases.publish_release(
            session, principal, tag=body.tag, title=body.title, notes=body.notes
        )
    except releases.NothingPublishableError:
        session.commit()  # keep the conflict flags and their audit events; no release is made
        raise
    return respond(document, status=201)


@router.get(
    "/releases/{tag}", response_model=R.Release, tags=["releases"], summary="One release with its manifest"
)
def get_release(
    tag: Annotated[str, Path(max_length=50)], session: ReadSession, format: Format = "json"
) -> Response:
    """The manifest lists every public record version and the SHA-256 of the snapshot."""
    return respond(releases.get_release(session, tag), format, filename=f"release-{tag}")


@router.get(
    "/audit",
    response_model=R.AuditPage,
    tags=["audit"],
    summary="The audit log (public events and your organisation's)",
)
def list_audit(
    session: ReadSession,
    principal: CurrentPrincipal,
    action: Annotated[str | None, Query(max_length=60)] = None,
    target_type: Annotated[str | None, Query(max_length=30)] = None,
    target_id: Annotated[str | None, Query(max_length=100)] = None,
    page: Page = 1,
    per_page: PerPage = 50,
    format: Format = "json",
) -> Response:
    """Append-only; newest first."""
    out = audit.list_events(
        session,
        principal,
        action=action,
        target_type=target_type,
        target_id=target_id,
        page=page,
        per_page=per_page,
    )
    return respond(out.as_dict(), format, filename="audit")
