"""Attacks of issue 13 replayed against the services (SQLite and PostgreSQL).

Each test reproduces one finding of the hostile test and fails on the code before the fix.
"""

from __future__ import annotations

import copy

import pytest
from platform_helpers import BEV_SPEC, contribution_body, maintainer, new_org, new_user
from sqlalchemy.orm import Session

from roadcarbon.db.base import utcnow
from roadcarbon.db.models import Contribution, VehicleModel
from roadcarbon.services import accounts, audit, contributions, records, releases
from roadcarbon.services.errors import ConflictError, PermissionDeniedError
from roadcarbon.services.principal import ANONYMOUS
from roadcarbon.services.records import add_vehicle

PASSWORD = "a long and unusual passphrase"


# --- item 2: privilege escalation through the reviewer role -------------------------------------


def test_org_admin_cannot_create_a_reviewer(session: Session) -> None:
    org = new_org(session)
    admin = new_user(session, org, "org_admin")
    with pytest.raises(PermissionDeniedError, match="only maintainers create reviewer"):
        accounts.create_user(
            session, admin, email="rev@escalation.example", name="r", password=PASSWORD, role="reviewer",
            organisation_id=org.id,
        )  # fmt: skip
    # maintainers still grant it
    made = accounts.create_user(
        session, maintainer(session), email="rev2@escalation.example", name="r", password=PASSWORD,
        role="reviewer", organisation_id=org.id,
    )  # fmt: skip
    assert made.role == "reviewer"


def test_reviewer_never_reviews_own_organisation_and_sees_private_changes_only_while_judging(
    session: Session,
) -> None:
    maker = new_org(session)
    author = new_user(session, maker, "contributor")
    colleague = new_user(session, maker, "reviewer")  # granted by a maintainer
    outsider = new_user(session, new_org(session), "reviewer")
    private = {
        "target_type": "supply_chain",
        "payload": {"label": "SECRET-SUPPLY", "battery_origin_country": "IS"},
    }
    draft = contributions.create_contribution(
        session, author, contribution_body([private], license="proprietary-private")
    )
    contributions.submit_contribution(session, author, draft["id"])
    with pytest.raises(PermissionDeniedError, match="own organisation"):
        contributions.review_contribution(session, colleague, draft["id"], decision="approve", comment="ok")
    # the outside reviewer sees the private change while judging it ...
    assert "SECRET-SUPPLY" in str(contributions.get_contribution(session, outsider, draft["id"]))
    contributions.review_contribution(session, outsider, draft["id"], decision="reject", comment="no source")
    # ... and no longer once it is decided
    after = contributions.get_contribution(session, outsider, draft["id"])
    assert "SECRET-SUPPLY" not in str(after)
    assert after["private_changes_hidden"] == 1


# --- item 3: the audit log leaked unpublished data ----------------------------------------------


def test_audit_log_shows_anonymous_callers_only_published_things(session: Session) -> None:
    maker = new_org(session)
    admin = new_user(session, maker, "org_admin")
    author = new_user(session, maker, "contributor")
    reviewer = new_user(session, new_org(session), "reviewer")
    accounts.create_user(
        session, admin, email="new-hire@leak.example", name="n", password=PASSWORD, role="contributor",
        organisation_id=maker.id,
    )  # fmt: skip
    accounts.create_api_token(session, author, name="TOKEN-NAME-LEAK")
    draft = contributions.create_contribution(
        session,
        author,
        contribution_body([{"target_type": "vehicle", "payload": BEV_SPEC}], title="TITLE-LEAK"),
    )
    contributions.submit_contribution(session, author, draft["id"])
    contributions.review_contribution(
        session, reviewer, draft["id"], decision="reject", comment="COMMENT-LEAK"
    )

    def seen(principal: object) -> str:
        return str(audit.list_events(session, principal, per_page=200).as_dict())  # type: ignore[arg-type]

    public = seen(ANONYMOUS)
    for secret in ("TITLE-LEAK", "COMMENT-LEAK", "TOKEN-NAME-LEAK", "user.create", "api_token.create"):
        assert secret not in public
    outsider = seen(new_user(session, new_org(session), "contributor"))
    assert "TITLE-LEAK" not in outsider
    assert "COMMENT-LEAK" not in outsider
    own = seen(author)
    assert all(s in own for s in ("TITLE-LEAK", "COMMENT-LEAK", "TOKEN-NAME-LEAK", "user.create"))
    assert "COMMENT-LEAK" in seen(maintainer(session))


# --- item 5: public records only through review --------------------------------------------------


def test_contributors_cannot_publish_records_without_review(session: Session) -> None:
    author = new_user(session, new_org(session), "contributor")
    body = {"label": "x", "battery_origin_country": "IS", "visibility": "public"}
    with pytest.raises(PermissionDeniedError, match="goes through review") as err:
        records.create_supply_chain(session, author, body)
    assert err.value.field == "visibility"
    private = records.create_supply_chain(session, author, {"label": "x", "battery_origin_country": "IS"})
    with pytest.raises(PermissionDeniedError, match="goes through review"):
        records.update_supply_chain(
            session, author, private["id"], {"visibility": "public"}, if_match=private["etag"]
        )
    with pytest.raises(PermissionDeniedError, match="goes through review"):
        records.create_scenario(session, author, name="s", document={}, visibility="public")
    assert records.create_scenario(session, author, name="s", document={})["visibility"] == "private"


# --- item 10: the release deadlock ----------------------------------------------------------------


def test_two_approved_updates_of_one_record_no_longer_deadlock_releases(session: Session) -> None:
    programme = maintainer(session)
    vehicle = add_vehicle(
        session, programme, BEV_SPEC, visibility="public", organisation_id=programme.organisation_id
    )
    session.flush()
    maker = new_org(session)
    author = new_user(session, maker, "contributor")
    reviewer = new_user(session, new_org(session), "reviewer")

    def update(mass: int) -> int:
        spec = copy.deepcopy(BEV_SPEC)
        spec["curb_mass_kg"] = mass
        change = {"target_type": "vehicle", "target_id": vehicle.id, "operation": "update", "payload": spec}
        draft = contributions.create_contribution(session, author, contribution_body([change]))
        contributions.submit_contribution(session, author, draft["id"])
        return int(draft["id"])

    first, second = update(1710), update(1720)
    contributions.review_contribution(session, reviewer, first, decision="approve", comment="ok")
    # detected at approval: the second update of the same record is not approved behind the first
    with pytest.raises(ConflictError, match=f"approved change set {first} also updates"):
        contributions.review_contribution(session, reviewer, second, decision="approve", comment="ok")
    releases.publish_release(session, programme, tag="dl-1", title="first")
    assert session.get(VehicleModel, vehicle.id).current_version == 2  # type: ignore[union-attr]
    # the second is now stale: rebase it (back to review), approve it and release it
    assert "moved from version 1 to 2" in str(contributions.stale_changes(session, _row(session, second)))
    rebased = contributions.rebase_contribution(session, author, second)
    assert rebased["status"] == "submitted"
    contributions.review_contribution(session, reviewer, second, decision="approve", comment="rebased")
    release = releases.publish_release(session, programme, tag="dl-2", title="second")
    assert release["contributions"] == [second]


def test_release_skips_and_flags_a_conflicting_change_set_that_can_be_withdrawn(session: Session) -> None:
    """Change sets approved before the check existed (or raced) no longer block every later release."""
    programme = maintainer(session)
    vehicle = add_vehicle(
        session, programme, BEV_SPEC, visibility="public", organisation_id=programme.organisation_id
    )
    session.flush()
    author = new_user(session, new_org(session), "contributor")
    reviewer = new_user(session, new_org(session), "reviewer")
    ids = []
    for mass in (1730, 1740):
        spec = dict(BEV_SPEC, curb_mass_kg=mass)
        change = {"target_type": "vehicle", "target_id": vehicle.id, "operation": "update", "payload": spec}
        draft = contributions.create_contribution(session, author, contribution_body([change]))
        contributions.submit_contribution(session, author, draft["id"])
        ids.append(int(draft["id"]))
    contributions.review_contribution(session, reviewer, ids[0], decision="approve", comment="ok")
    # the state the hostile test reached: both approved against version 1
    row = _row(session, ids[1])
    row.status = "approved"
    row.decided_at = utcnow()
    session.flush()
    release = releases.publish_release(session, programme, tag="dl-3", title="skips")
    assert release["contributions"] == [ids[0]]
    assert release["skipped"][0]["contribution"] == ids[1]
    flagged = contributions.get_contribution(session, author, ids[1])
    assert flagged["status"] == "approved"
    assert "moved from version 1 to 2" in flagged["conflict"]
    # the next release is not blocked (409 only because nothing else is approved, not because of it)
    with pytest.raises(ConflictError, match=f"change set {ids[1]}: change 0"):
        releases.publish_release(session, programme, tag="dl-4", title="nothing")
    withdrawn = contributions.withdraw_contribution(session, author, ids[1])
    assert withdrawn["status"] == "withdrawn"
    assert (
        releases.publish_release(session, programme, tag="dl-5", title="empty", allow_empty=True)["skipped"]
        == []
    )


def _row(session: Session, contribution_id: int) -> Contribution:
    row = session.get(Contribution, contribution_id)
    assert row is not None
    return row
