"""Records (visibility, If-Match, aggregates) and accounts (passwords, JWTs, API tokens)."""

from __future__ import annotations

import pytest
from platform_helpers import BEV_SPEC, maintainer, new_org, new_user
from sqlalchemy.orm import Session

from roadcarbon.db.models import User
from roadcarbon.errors import InputError
from roadcarbon.services import accounts, records
from roadcarbon.services.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    PreconditionRequiredError,
)
from roadcarbon.services.principal import ANONYMOUS


def test_supply_chain_edit_needs_the_current_etag(session: Session) -> None:
    org = new_org(session)
    a = new_user(session, org, "contributor")
    b = new_user(session, org, "contributor")
    created = records.create_supply_chain(session, a, {"label": "cells", "battery_origin_country": "China"})
    assert created["battery_origin_country"] == "CN"
    assert created["visibility"] == "private"
    first = records.update_supply_chain(
        session, a, created["id"], {"green_power_share": 0.4}, if_match=created["etag"]
    )
    with pytest.raises(PreconditionFailedError):
        records.update_supply_chain(
            session, b, created["id"], {"green_power_share": 0.9}, if_match=created["etag"]
        )
    with pytest.raises(PreconditionRequiredError):
        records.update_supply_chain(session, b, created["id"], {"green_power_share": 0.9}, if_match=None)
    assert records.get_supply_chain(session, b, created["id"])["green_power_share"] == 0.4
    assert first["etag"] != created["etag"]


def test_shares_are_fractions_not_percent(session: Session) -> None:
    user = new_user(session, new_org(session), "contributor")
    with pytest.raises(InputError) as info:
        records.create_supply_chain(session, user, {"label": "x", "local_content_share": 40})
    assert info.value.field == "local_content_share"


def test_private_records_are_invisible_outside_their_organisation(session: Session) -> None:
    owner = new_user(session, new_org(session), "contributor")
    outsider = new_user(session, new_org(session), "org_admin")
    rec = records.create_supply_chain(session, owner, {"label": "secret plant"})
    vehicle = records.create_private_vehicle(session, owner, BEV_SPEC)
    for who in (outsider, ANONYMOUS, maintainer(session)):
        with pytest.raises(NotFoundError):
            records.get_supply_chain(session, who, rec["id"])
        with pytest.raises(NotFoundError):
            records.get_vehicle(session, who, vehicle["id"])
        assert rec["id"] not in [r["id"] for r in records.list_supply_chain(session, who, per_page=200).items]
        listed = records.list_vehicles(session, who, q=BEV_SPEC["name"], per_page=200).items
        assert vehicle["id"] not in [v["id"] for v in listed]
    with pytest.raises(NotFoundError):
        records.update_supply_chain(session, outsider, rec["id"], {"label": "x"}, if_match="*")


def test_aggregates_show_only_groups_of_three_organisations(session: Session) -> None:
    users = [new_user(session, new_org(session), "contributor") for _ in range(3)]
    for i, user in enumerate(users[:2]):
        for j in range(2):
            records.create_supply_chain(
                session, user, {"label": f"p{i}{j}", "battery_origin_country": "HU", "green_power_share": 0.5}
            )
    # four records of two organisations: suppressed
    records.refresh_supply_chain_aggregates(session)
    assert "HU" not in [g["battery_origin_country"] for g in records.supply_chain_aggregates(session)]
    records.create_supply_chain(
        session, users[2], {"label": "p2", "battery_origin_country": "HU", "green_power_share": 0.2}
    )
    # published at the next recomputation, not before
    assert "HU" not in [g["battery_origin_country"] for g in records.supply_chain_aggregates(session)]
    records.refresh_supply_chain_aggregates(session)
    [group] = [g for g in records.supply_chain_aggregates(session) if g["battery_origin_country"] == "HU"]
    assert group["organisations"] == 3
    assert group["records"] == 5
    assert group["mean_green_power_share"] == pytest.approx(0.45)  # 0.44 rounded to the 0.05 step


def test_jwt_and_api_token_resolve_to_the_user_until_revoked(session: Session) -> None:
    org = new_org(session)
    principal = new_user(session, org, "contributor")
    user = session.get(User, principal.user_id)
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert accounts.authenticate(session, user.email, "correct horse battery").id == user.id
    with pytest.raises(AuthenticationError):
        accounts.authenticate(session, user.email, "wrong password!")
    jwt_token, expires_in = accounts.issue_access_token(user, secret_key="k" * 48, minutes=5)
    assert expires_in == 300
    assert accounts.principal_from_token(session, jwt_token, secret_key="k" * 48) == principal
    with pytest.raises(AuthenticationError):
        accounts.principal_from_token(
            session, jwt_token, secret_key="another signing key, long enough: 0123456789"
        )
    expired, _ = accounts.issue_access_token(user, secret_key="k" * 48, minutes=-1)
    with pytest.raises(AuthenticationError, match="expired"):
        accounts.principal_from_token(session, expired, secret_key="k" * 48)
    row, secret = accounts.create_api_token(session, principal, name="script")
    assert accounts.principal_from_token(session, secret, secret_key="unused") == principal
    accounts.revoke_api_token(session, principal, row.id)
    with pytest.raises(AuthenticationError, match="revoked"):
        accounts.principal_from_token(session, secret, secret_key="unused")


def test_org_admins_create_accounts_only_at_home(session: Session) -> None:
    home, away = new_org(session), new_org(session)
    admin = new_user(session, home, "org_admin")
    created = accounts.create_user(
        session,
        admin,
        email="new@test.example",
        name="n",
        password="long enough pw",
        role="org_admin",
        organisation_id=home.id,
    )
    assert created.role == "org_admin"  # reviewer: maintainers only (tests/services/test_security.py)
    with pytest.raises(PermissionDeniedError):
        accounts.create_user(
            session,
            admin,
            email="x@test.example",
            name="n",
            password="long enough pw",
            role="contributor",
            organisation_id=away.id,
        )
    with pytest.raises(PermissionDeniedError):
        accounts.create_user(
            session,
            admin,
            email="y@test.example",
            name="n",
            password="long enough pw",
            role="maintainer",
            organisation_id=home.id,
        )
