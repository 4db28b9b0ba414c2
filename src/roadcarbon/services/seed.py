"""First-run seeding: the reference-data release, the rule library, presets, a demo organisation and accounts.

Demo passwords are random and returned once (``roadcarbon serve`` prints them
on the first run); only their argon2 hashes are stored.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from roadcarbon.db.models import Organisation, Role, User, Visibility
from roadcarbon.db.repositories.accounts import organisation_count
from roadcarbon.errors import RoadcarbonError
from roadcarbon.services.accounts import hash_password
from roadcarbon.services.audit import record_event
from roadcarbon.services.principal import Principal
from roadcarbon.services.records import add_dataset, add_vehicle

PROGRAMME_ORG = ("programme", "Low-carbon vehicle standards programme (secretariat)")
DEMO_ORGS = (
    ("demo-motors", "Demo Motors (demo vehicle maker)"),
    ("demo-research", "Demo Research Institute (demo research partner)"),
)
DEMO_ACCOUNTS = (
    ("maintainer@programme.example", "Programme maintainer", Role.MAINTAINER, "programme"),
    ("reviewer@programme.example", "Programme reviewer", Role.REVIEWER, "programme"),
    ("admin@demo-motors.example", "Demo Motors admin", Role.ORG_ADMIN, "demo-motors"),
    ("contributor@demo-motors.example", "Demo Motors contributor", Role.CONTRIBUTOR, "demo-motors"),
    ("contributor@demo-research.example", "Demo Research contributor", Role.CONTRIBUTOR, "demo-research"),
)
REFERENCE_LICENCE = "CC-BY-4.0"
SEED_RELEASE_TAG = "seed"


def is_seeded(session: Session) -> bool:
    """True when the database already holds organisations."""
    return organisation_count(session) > 0


def seed(session: Session, *, with_demo: bool = True) -> dict[str, Any]:
    """Fill an empty, migrated database; returns what was created, including demo credentials.

    Returns ``{"seeded": False}`` when the database already has organisations.
    """
    if is_seeded(session):
        return {"seeded": False}
    system = Principal(role=Role.MAINTAINER)
    orgs = {}
    for slug, name in (PROGRAMME_ORG, *(DEMO_ORGS if with_demo else ())):
        org = Organisation(slug=slug, name=name)
        session.add(org)
        session.flush()
        orgs[slug] = org
        record_event(session, system, "seed.organisation", "organisation", org.id, detail={"slug": slug})
    credentials = []
    for email, name, role, org_slug in DEMO_ACCOUNTS if with_demo else ():
        password = secrets.token_urlsafe(12)
        user = User(
            email=email,
            name=name,
            password_hash=hash_password(password),
            role=role.value,
            organisation_id=orgs[org_slug].id,
        )
        session.add(user)
        session.flush()
        record_event(session, system, "seed.user", "user", user.id, detail={"role": role.value})
        credentials.append(
            {"email": email, "password": password, "role": role.value, "organisation": org_slug}
        )
    programme = orgs[PROGRAMME_ORG[0]]
    notes: list[str] = []
    vehicles = _seed_presets(session, system, programme.id, notes)
    datasets = _seed_reference(session, system, programme.id, notes)
    schemes = _seed_rules(session, notes)
    session.flush()
    from roadcarbon.services.releases import canonical_sha256, manifest

    snapshot = manifest(session)
    snapshot["contributions"] = []
    from roadcarbon.db.models import Release

    session.add(
        Release(
            tag=SEED_RELEASE_TAG,
            title="Initial release: packaged reference data, rule library and presets",
            notes="; ".join(notes),
            manifest=snapshot,
            sha256=canonical_sha256(snapshot),
        )
    )
    record_event(session, system, "release.publish", "release", SEED_RELEASE_TAG, detail={"seed": True})
    session.flush()
    return {
        "seeded": True,
        "credentials": credentials,
        "vehicles": vehicles,
        "datasets": datasets,
        "rule_schemes": schemes,
        "notes": notes,
    }


def _seed_presets(session: Session, system: Principal, org_id: int, notes: list[str]) -> int:
    try:
        from roadcarbon.io.specs import list_presets, load_preset
    except ImportError:
        notes.append("presets not available in this build")
        return 0
    n = 0
    for preset_id in list_presets():
        spec = load_preset(preset_id).model_dump(mode="json", exclude_none=True)
        row = add_vehicle(
            session, system, spec, visibility=Visibility.PUBLIC, organisation_id=org_id, preset_id=preset_id
        )
        session.flush()
        record_event(session, system, "seed.vehicle", "vehicle", row.id, detail={"preset": preset_id})
        n += 1
    return n


def _seed_reference(session: Session, system: Principal, org_id: int, notes: list[str]) -> int:
    from roadcarbon.services.impact import REFERENCE_DATASET_SLUG
    from roadcarbon.services.packages import read_package

    try:
        from roadcarbon.io.reference import package_path
    except ImportError:
        notes.append("reference data not available in this build")
        return 0
    root = package_path()
    if not (root / "datapackage.json").exists():
        notes.append("reference data package not found")
        return 0
    package = read_package(root)
    row = add_dataset(
        session,
        system,
        package,
        slug=REFERENCE_DATASET_SLUG,
        title=str(package.get("title") or "roadcarbon reference factors"),
        license=_licence(package),
        organisation_id=org_id,
    )
    session.flush()
    record_event(
        session, system, "seed.dataset", "dataset", row.id, detail={"version": package.get("version")}
    )
    return 1


def _licence(package: dict[str, Any]) -> str:
    licences = package.get("licenses") or []
    if licences and isinstance(licences[0], dict) and licences[0].get("name"):
        return str(licences[0]["name"])[:100]
    return REFERENCE_LICENCE


def _seed_rules(session: Session, notes: list[str]) -> int:
    from roadcarbon.services.regulations import library, store_scheme_version

    try:
        lib = library()
    except (ImportError, RoadcarbonError, OSError) as exc:
        notes.append(f"rule library not available: {exc}")
        return 0
    for scheme in lib.schemes.values():
        store_scheme_version(session, scheme.model_dump(mode="json"), contribution_id=None)
    return len(lib.schemes)
