"""Accounts and inputs shared by the service tests (inputs are test vehicles, not reference data)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadcarbon.db.models import Organisation, User
from roadcarbon.services import accounts
from roadcarbon.services.principal import Principal

BEV_SPEC: dict[str, Any] = {
    "name": "Test BEV medium car",
    "category": "passenger_car",
    "segment": "medium",
    "powertrain": "BEV",
    "fuel": "electricity",
    "curb_mass_kg": 1700,
    "battery_capacity_kwh": 60,
    "battery_chemistry": "NMC",
    "battery_production_country": "CN",
    "assembly_country": "CN",
    "test_cycle": "WLTP",
    "electricity_consumption_kwh_per_100km": 16,
}
PETROL_SPEC: dict[str, Any] = {
    "name": "Test petrol medium car",
    "category": "passenger_car",
    "segment": "medium",
    "powertrain": "ICEV",
    "fuel": "petrol",
    "curb_mass_kg": 1350,
    "assembly_country": "TH",
    "test_cycle": "WLTP",
    "fuel_consumption_l_per_100km": 6.5,
}


def principal_of(user: User) -> Principal:
    """The principal of a user row."""
    return Principal(user_id=user.id, organisation_id=user.organisation_id, role=user.role, email=user.email)


def maintainer(session: Session) -> Principal:
    """The seeded maintainer."""
    user = session.scalar(select(User).where(User.role == "maintainer").order_by(User.id).limit(1))
    assert user is not None
    return principal_of(user)


def new_org(session: Session, slug: str | None = None) -> Organisation:
    """A fresh organisation."""
    return accounts.create_organisation(
        session, maintainer(session), slug=slug or f"org-{secrets.token_hex(4)}", name="Test organisation"
    )


def new_user(session: Session, org: Organisation, role: str) -> Principal:
    """A fresh account with ``role`` in ``org``."""
    user = accounts.create_user(
        session,
        maintainer(session),
        email=f"{role}-{secrets.token_hex(4)}@test.example",
        name=f"Test {role}",
        password="correct horse battery",
        role=role,
        organisation_id=org.id,
    )
    return principal_of(user)


def contribution_body(changes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A change-set body with sources and an open licence."""
    return {
        "title": "Test change set",
        "description": "made by a test",
        "sources": ["test source"],
        "license": "CC-BY-4.0",
        "changes": changes,
        **extra,
    }
