"""Accounts: OAuth2 password flow (JWT), API tokens, organisations and users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from roadcarbon.api.deps import CurrentPrincipal, Id, ReadSession, SettingsDep, WriteSession
from roadcarbon.api.responses import respond
from roadcarbon.api.schemas import responses as R
from roadcarbon.api.schemas.requests import (
    ApiTokenBody,
    OrganisationBody,
    PasswordChangeBody,
    UserBody,
    UserPatch,
)
from roadcarbon.services import accounts

router = APIRouter(tags=["accounts"])


@router.post(
    "/auth/token", response_model=R.AccessToken, summary="Sign in (OAuth2 password flow): a short-lived JWT"
)
def token(
    request: Request,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=254, description="e-mail")],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    """``{access_token, token_type: bearer, expires_in}``; rate-limited per address and account.

    Failed sign-ins start a growing wait (429 with Retry-After) per address and per account from
    that address, so nobody elsewhere can lock an account out.
    """
    client = request.client.host if request.client else "unknown"
    limiter = request.app.state.login_limiter
    limiter.hit(f"ip:{client}")
    limiter.hit(f"user:{username.strip().lower()}")
    user = accounts.sign_in(request.app.state.write_sessions, username, password, source=client)
    jwt_token, expires_in = accounts.issue_access_token(
        user, secret_key=request.app.state.secret_key, minutes=settings.access_token_minutes
    )
    return respond({"access_token": jwt_token, "token_type": "bearer", "expires_in": expires_in})


@router.post("/auth/logout", status_code=204, summary="Sign out: end your sessions server-side")
def logout(session: WriteSession, principal: CurrentPrincipal) -> Response:
    """Every JWT and web session of yours stops working at once (API tokens: revoke them one by one)."""
    accounts.logout(session, principal)
    return Response(status_code=204)


@router.post("/auth/password", status_code=204, summary="Change your password")
def change_password(body: PasswordChangeBody, session: WriteSession, principal: CurrentPrincipal) -> Response:
    """The current password is checked; common passwords are refused; your sessions end (sign in again)."""
    accounts.change_password(session, principal, current=body.current_password, new=body.new_password)
    return Response(status_code=204)


@router.patch(
    "/users/{user_id}", response_model=R.User, summary="Change a user's role or deactivate them (admins)"
)
def patch_user(user_id: Id, body: UserPatch, session: WriteSession, principal: CurrentPrincipal) -> Response:
    """Org admins in their organisation (contributor/org_admin only); maintainers anywhere; ends the user's sessions."""
    user = accounts.update_user(session, principal, user_id, role=body.role, active=body.active)
    return respond(accounts.user_to_dict(user))


@router.get("/me", response_model=R.Me, summary="Who you are")
def me(principal: CurrentPrincipal) -> Response:
    """Anonymous callers get ``{"anonymous": true}``."""
    if principal.is_anonymous:
        return respond({"anonymous": True})
    return respond(
        {
            "anonymous": False,
            "user_id": principal.user_id,
            "email": principal.email,
            "role": principal.role,
            "organisation_id": principal.organisation_id,
        }
    )


@router.get(
    "/auth/api-tokens", response_model=list[R.ApiToken], summary="Your API tokens (never the secrets)"
)
def list_tokens(session: ReadSession, principal: CurrentPrincipal) -> Response:
    """Including revoked ones."""
    return respond(accounts.list_api_tokens(session, principal))


@router.post(
    "/auth/api-tokens",
    status_code=201,
    response_model=R.NewApiToken,
    summary="A new API token for scripts (shown once)",
)
def create_token(body: ApiTokenBody, session: WriteSession, principal: CurrentPrincipal) -> Response:
    """Use as ``Authorization: Bearer <token>``; revoke with DELETE."""
    row, secret = accounts.create_api_token(
        session, principal, name=body.name, expires_in_days=body.expires_in_days
    )
    return respond({**accounts.api_token_to_dict(row), "token": secret}, status=201)


@router.delete("/auth/api-tokens/{token_id}", response_model=R.ApiToken, summary="Revoke an API token")
def revoke_token(token_id: Id, session: WriteSession, principal: CurrentPrincipal) -> Response:
    """Takes effect at once."""
    return respond(accounts.revoke_api_token(session, principal, token_id))


@router.get("/organisations", response_model=list[R.Organisation], summary="Organisations")
def list_organisations(session: ReadSession) -> Response:
    """Names are public."""
    return respond(accounts.list_organisations(session))


@router.post(
    "/organisations",
    status_code=201,
    response_model=R.Organisation,
    summary="Create an organisation (maintainers)",
)
def create_organisation(
    body: OrganisationBody, session: WriteSession, principal: CurrentPrincipal
) -> Response:
    """Slug: lower-case letters, digits, '-'."""
    org = accounts.create_organisation(session, principal, slug=body.slug, name=body.name)
    return respond(accounts.organisation_to_dict(org), status=201)


@router.get(
    "/organisations/{organisation_id}/users",
    response_model=list[R.User],
    summary="Accounts of an organisation (members, maintainers)",
)
def list_users(organisation_id: Id, session: ReadSession, principal: CurrentPrincipal) -> Response:
    """404 outside your organisation."""
    return respond(accounts.list_users(session, principal, organisation_id))


@router.post(
    "/organisations/{organisation_id}/users",
    status_code=201,
    response_model=R.User,
    summary="Create an account (org admins)",
)
def create_user(
    organisation_id: Id, body: UserBody, session: WriteSession, principal: CurrentPrincipal
) -> Response:
    """Organisation admins in their organisation; maintainers anywhere."""
    user = accounts.create_user(
        session,
        principal,
        email=body.email,
        name=body.name,
        password=body.password,
        role=body.role,
        organisation_id=organisation_id,
    )
    return respond(accounts.user_to_dict(user), status=201)
