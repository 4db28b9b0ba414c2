"""Contributions: draft → submitted → approved/rejected → published, with validation, impact and audit."""

from __future__ import annotations

import copy

import pytest
from platform_helpers import BEV_SPEC, PETROL_SPEC, contribution_body, maintainer, new_org, new_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadcarbon.db.models import AuditEvent, Dataset, VehicleModel
from roadcarbon.services import contributions, records, releases
from roadcarbon.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    ValidationFailedError,
)
from roadcarbon.services.impact import REFERENCE_DATASET_SLUG
from roadcarbon.services.records import add_vehicle


def _actions(session: Session, contribution_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.target_type == "contribution", AuditEvent.target_id == str(contribution_id))
            .order_by(AuditEvent.id)
        )
    )


def test_change_set_reaches_a_release_with_its_audit_trail(session: Session) -> None:
    maker = new_org(session)
    author = new_user(session, maker, "contributor")
    reviewer = new_user(session, new_org(session), "reviewer")
    draft = contributions.create_contribution(
        session, author, contribution_body([{"target_type": "vehicle", "payload": BEV_SPEC}])
    )
    assert draft["status"] == "draft"
    assert draft["validation_report"]["valid"] is True
    submitted = contributions.submit_contribution(session, author, draft["id"])
    assert submitted["status"] == "submitted"
    [headline] = submitted["impact"]["headline"]
    assert headline["subject"] == f"vehicle {BEV_SPEC['name']}"
    assert headline["before"] is None
    assert headline["after"] > 0
    approved = contributions.review_contribution(
        session, reviewer, draft["id"], decision="approve", comment="sources check out"
    )
    assert approved["status"] == "approved"
    assert approved["comments"][0]["decision"] == "approve"
    release = releases.publish_release(session, maintainer(session), tag="test-2026.1", title="Test release")
    assert release["contributions"] == [draft["id"]]
    assert len(release["sha256"]) == 64
    published = contributions.get_contribution(session, author, draft["id"])
    assert published["status"] == "published"
    assert published["release_id"] == release["id"]
    vehicle = session.scalar(select(VehicleModel).where(VehicleModel.name == BEV_SPEC["name"]))
    assert vehicle is not None
    assert vehicle.visibility == "public"
    assert release["manifest"]["vehicles"][str(vehicle.id)] == 1
    assert _actions(session, draft["id"]) == [
        "contribution.create",
        "contribution.submit",
        "contribution.approved",
        "contribution.publish",
    ]
    # releases are immutable and tags unique
    with pytest.raises(ConflictError):
        releases.publish_release(
            session, maintainer(session), tag="test-2026.1", title="again", allow_empty=True
        )


def test_reviewer_never_approves_own_change_set(session: Session) -> None:
    org = new_org(session)
    reviewer = new_user(session, org, "reviewer")
    draft = contributions.create_contribution(
        session, reviewer, contribution_body([{"target_type": "vehicle", "payload": PETROL_SPEC}])
    )
    contributions.submit_contribution(session, reviewer, draft["id"])
    with pytest.raises(PermissionDeniedError, match="own change set"):
        contributions.review_contribution(
            session, reviewer, draft["id"], decision="approve", comment="looks fine"
        )
    colleague = new_user(session, org, "reviewer")
    with pytest.raises(PermissionDeniedError, match="own organisation"):  # issue 13, item 2
        contributions.review_contribution(session, colleague, draft["id"], decision="reject", comment="x")
    outsider = new_user(session, new_org(session), "reviewer")
    rejected = contributions.review_contribution(
        session, outsider, draft["id"], decision="reject", comment="needs a source"
    )
    assert rejected["status"] == "rejected"


def test_contributors_cannot_review_and_anonymous_cannot_contribute(session: Session) -> None:
    from roadcarbon.services.errors import AuthenticationError
    from roadcarbon.services.principal import ANONYMOUS

    org = new_org(session)
    author = new_user(session, org, "contributor")
    colleague = new_user(session, org, "contributor")
    outsider = new_user(session, new_org(session), "contributor")
    draft = contributions.create_contribution(
        session, author, contribution_body([{"target_type": "vehicle", "payload": PETROL_SPEC}])
    )
    contributions.submit_contribution(session, author, draft["id"])
    with pytest.raises(PermissionDeniedError):
        contributions.review_contribution(session, colleague, draft["id"], decision="approve", comment="ok")
    with pytest.raises(
        NotFoundError
    ):  # a submitted change set of another organisation is not shown to contributors
        contributions.review_contribution(session, outsider, draft["id"], decision="approve", comment="ok")
    with pytest.raises(AuthenticationError):
        contributions.create_contribution(
            session, ANONYMOUS, contribution_body([{"target_type": "vehicle", "payload": PETROL_SPEC}])
        )


def test_invalid_change_set_cannot_be_submitted_and_names_the_field(session: Session) -> None:
    author = new_user(session, new_org(session), "contributor")
    bad = dict(PETROL_SPEC, curb_mass_kg=-5)
    draft = contributions.create_contribution(
        session, author, contribution_body([{"target_type": "vehicle", "payload": bad}])
    )
    report = draft["validation_report"]
    assert report["valid"] is False
    assert report["findings"][0]["field"] == "changes.0.payload.curb_mass_kg"
    with pytest.raises(ValidationFailedError) as info, session.begin_nested():  # rolled back, as the API does
        contributions.submit_contribution(session, author, draft["id"])
    assert info.value.field == "changes.0.payload.curb_mass_kg"
    # fixing the draft (with the ETag read) makes it valid
    fixed = contributions.update_contribution(
        session,
        author,
        draft["id"],
        {"changes": [{"target_type": "vehicle", "payload": PETROL_SPEC}]},
        if_match=draft["etag"],
    )
    assert fixed["validation_report"]["valid"] is True
    with pytest.raises(PreconditionFailedError):
        contributions.update_contribution(
            session, author, draft["id"], {"title": "stale"}, if_match=draft["etag"]
        )


def test_update_of_a_moved_record_must_be_rebased(session: Session) -> None:
    programme = maintainer(session)
    vehicle = add_vehicle(
        session, programme, PETROL_SPEC, visibility="public", organisation_id=programme.organisation_id
    )
    session.flush()
    first = new_user(session, new_org(session), "contributor")
    second = new_user(session, new_org(session), "contributor")
    reviewer = new_user(session, new_org(session), "reviewer")
    change = {"target_type": "vehicle", "target_id": vehicle.id, "operation": "update"}
    a = contributions.create_contribution(
        session, first, contribution_body([{**change, "payload": dict(PETROL_SPEC, curb_mass_kg=1400)}])
    )
    b = contributions.create_contribution(
        session, second, contribution_body([{**change, "payload": dict(PETROL_SPEC, curb_mass_kg=1300)}])
    )
    for c, who in ((a, first), (b, second)):
        contributions.submit_contribution(session, who, c["id"])
    submitted_a = contributions.get_contribution(session, reviewer, a["id"])
    [headline] = submitted_a["impact"]["headline"]
    assert headline["before"] is not None
    assert headline["after"] > headline["before"]  # a heavier car emits more over its life
    contributions.review_contribution(session, reviewer, a["id"], decision="approve", comment="ok")
    releases.publish_release(session, programme, tag="test-rebase-1", title="first")
    assert records.get_vehicle(session, first, vehicle.id)["version"] == 2
    with pytest.raises(ValidationFailedError, match="since the draft"):
        contributions.review_contribution(session, reviewer, b["id"], decision="approve", comment="ok")


def test_private_changes_are_seen_by_the_organisation_and_reviewers_only(session: Session) -> None:
    maker = new_org(session)
    author = new_user(session, maker, "contributor")
    outsider = new_user(session, new_org(session), "contributor")
    reviewer = new_user(session, new_org(session), "reviewer")
    private = {"label": "pack supplier X", "battery_origin_country": "CN", "green_power_share": 0.3}
    draft = contributions.create_contribution(
        session,
        author,
        contribution_body(
            [
                {"target_type": "vehicle", "payload": BEV_SPEC},
                {"target_type": "supply_chain", "payload": private},
            ]
        ),
    )
    with pytest.raises(NotFoundError):
        contributions.get_contribution(session, outsider, draft["id"])
    with pytest.raises(NotFoundError):  # drafts are not shown to reviewers either
        contributions.get_contribution(session, reviewer, draft["id"])
    contributions.submit_contribution(session, author, draft["id"])
    seen = contributions.get_contribution(session, reviewer, draft["id"])
    assert [c["target_type"] for c in seen["changes"]] == ["vehicle", "supply_chain"]
    contributions.review_contribution(session, reviewer, draft["id"], decision="approve", comment="ok")
    releases.publish_release(session, maintainer(session), tag="test-private-1", title="private")
    public_view = contributions.get_contribution(session, outsider, draft["id"])
    assert [c["target_type"] for c in public_view["changes"]] == ["vehicle"]
    assert public_view["private_changes_hidden"] == 1
    assert "pack supplier X" not in str(public_view)
    # the published supply-chain record stays private to the maker
    own = records.list_supply_chain(session, author)
    assert [r["label"] for r in own.items] == ["pack supplier X"]
    assert records.list_supply_chain(session, outsider).total == 0


def _reference_package(session: Session) -> tuple[Dataset, dict[str, object]]:
    dataset = session.scalar(select(Dataset).where(Dataset.slug == REFERENCE_DATASET_SLUG))
    assert dataset is not None, "the seed must store the packaged reference data as a dataset"
    return dataset, records.current_package(session, dataset)


def test_grid_factor_change_shows_as_change_of_a_bev_footprint(session: Session) -> None:
    programme = maintainer(session)
    add_vehicle(session, programme, BEV_SPEC, visibility="public", organisation_id=programme.organisation_id)
    session.flush()
    dataset, package = _reference_package(session)
    proposed = copy.deepcopy(package)
    grid = next(r for r in proposed["resources"] if r["name"] == "grid_intensity")
    changed = 0
    for row in grid["data"]:
        if row["country"] == "TH":
            row["g_co2e_per_kwh"] = str(round(float(row["g_co2e_per_kwh"]) * 1.5, 3))
            changed += 1
    assert changed > 0
    author = new_user(session, new_org(session), "contributor")
    draft = contributions.create_contribution(
        session,
        author,
        contribution_body(
            [
                {
                    "target_type": "dataset",
                    "target_id": dataset.id,
                    "operation": "update",
                    "payload": {"package": proposed},
                }
            ]
        ),
    )
    assert draft["validation_report"]["valid"] is True, draft["validation_report"]
    submitted = contributions.submit_contribution(session, author, draft["id"])
    headline = submitted["impact"]["headline"]
    assert [h["country"] for h in headline] == ["TH"]  # only the country whose grid rows changed
    assert "(BEV)" in headline[0]["subject"]
    assert headline[0]["delta"] > 0  # a dirtier grid raises a BEV's footprint
    # "before" is the engine's own figure for that car on the packaged data, grid projections included
    # (the materialised package used to lose them: every grid held flat after its last observed year)
    from roadcarbon.engine import assess
    from roadcarbon.io.reference import load_reference
    from roadcarbon.io.specs import load_preset
    from roadcarbon.services.impact import IMPACT_YEAR

    preset_id = headline[0]["subject"].removeprefix("preset ").removesuffix(" (BEV)")
    engine = assess([load_preset(preset_id)], ["TH"], [IMPACT_YEAR], load_reference())
    assert headline[0]["before"] == round(float(engine.result.total_g_co2e_per_km[0]), 3)


def test_dataset_row_without_source_fails_validation(session: Session) -> None:
    dataset, package = _reference_package(session)
    proposed = copy.deepcopy(package)
    grid = next(r for r in proposed["resources"] if r["name"] == "grid_intensity")
    grid["data"][0]["source_id"] = ""
    grid["data"][1]["g_co2e_per_kwh"] = "lots"
    author = new_user(session, new_org(session), "contributor")
    draft = contributions.create_contribution(
        session,
        author,
        contribution_body(
            [
                {
                    "target_type": "dataset",
                    "target_id": dataset.id,
                    "operation": "update",
                    "payload": {"package": proposed},
                }
            ]
        ),
    )
    fields = {f["field"] for f in draft["validation_report"]["findings"] if f["level"] == "error"}
    index = proposed["resources"].index(grid)
    assert f"changes.0.payload.package.resources.{index}.data.0.source_id" in fields
    assert f"changes.0.payload.package.resources.{index}.data.1.g_co2e_per_kwh" in fields


def test_reference_data_change_the_engine_cannot_read_fails_validation(session: Session) -> None:
    dataset, package = _reference_package(session)
    proposed = copy.deepcopy(package)
    losses = next(r for r in proposed["resources"] if r["name"] == "td_losses")
    losses["schema"]["fields"] = [f for f in losses["schema"]["fields"] if f["name"] != "country"]
    for row in losses["data"]:
        row.pop("country")
    author = new_user(session, new_org(session), "contributor")
    draft = contributions.create_contribution(
        session,
        author,
        contribution_body(
            [
                {
                    "target_type": "dataset",
                    "target_id": dataset.id,
                    "operation": "update",
                    "payload": {"package": proposed},
                }
            ]
        ),
    )
    report = draft["validation_report"]
    assert report["valid"] is False
    [finding] = [f for f in report["findings"] if f["level"] == "error"]
    assert finding["field"] == "changes.0.payload.package"
    assert "reference-data loader refuses it" in finding["message"]
