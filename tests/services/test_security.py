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


# --- item 8: a token whose subject is a non-ASCII digit ('²'.isdigit() is True, int('²') fails) -----


@pytest.mark.parametrize("sub", ["²", "１", "9" * 40])
def test_odd_token_subjects_are_401_not_500(session: Session, sub: str) -> None:
    import jwt

    from roadcarbon.services.errors import AuthenticationError

    key = "k" * 48
    token = jwt.encode({"sub": sub, "exp": 4_000_000_000}, key, algorithm="HS256")
    with pytest.raises(AuthenticationError):
        accounts.principal_from_token(session, token, secret_key=key)


# --- item 7: sessions and accounts -----------------------------------------------------------------


def _jwt_principal(session: Session, user_principal: object, key: str = "k" * 48) -> str:
    from roadcarbon.db.models import User

    user = session.get(User, user_principal.user_id)  # type: ignore[attr-defined]
    token, _ = accounts.issue_access_token(user, secret_key=key, minutes=5)  # type: ignore[arg-type]
    return token


def test_logout_password_change_role_change_and_deactivation_end_sessions(session: Session) -> None:
    from roadcarbon.services.errors import AuthenticationError

    key = "k" * 48
    org = new_org(session)
    admin = new_user(session, org, "org_admin")
    user = new_user(session, org, "contributor")
    for action in ("logout", "password", "role", "deactivate"):
        token = _jwt_principal(session, user, key)
        assert accounts.principal_from_token(session, token, secret_key=key).user_id == user.user_id
        if action == "logout":
            accounts.logout(session, user)
        elif action == "password":
            accounts.change_password(
                session, user, current="correct horse battery", new="a new long passphrase"
            )
        elif action == "role":
            accounts.update_user(session, admin, user.user_id, role="org_admin")  # type: ignore[arg-type]
        else:
            accounts.update_user(session, admin, user.user_id, active=False)  # type: ignore[arg-type]
        session.flush()
        with pytest.raises(AuthenticationError):
            accounts.principal_from_token(session, token, secret_key=key)
    # org admins never grant reviewer or maintainer by a role change either
    other = new_user(session, org, "contributor")
    with pytest.raises(PermissionDeniedError):
        accounts.update_user(session, admin, other.user_id, role="reviewer")  # type: ignore[arg-type]


def test_api_tokens_expire_and_are_revoked(session: Session) -> None:
    import datetime as dt

    from roadcarbon.services.errors import AuthenticationError

    user = new_user(session, new_org(session), "contributor")
    row, secret = accounts.create_api_token(session, user, name="ci", expires_in_days=1)
    assert accounts.principal_from_token(session, secret, secret_key="x" * 48).user_id == user.user_id
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.flush()
    with pytest.raises(AuthenticationError, match="expired"):
        accounts.principal_from_token(session, secret, secret_key="x" * 48)


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "iloveyou12", "aaaaaaaaaaaa"])
def test_common_passwords_are_refused(session: Session, password: str) -> None:
    from roadcarbon.errors import InputError

    org = new_org(session)
    with pytest.raises(InputError, match="common") as err:
        accounts.create_user(
            session, maintainer(session), email="c@common.example", name="c", password=password,
            role="contributor", organisation_id=org.id,
        )  # fmt: skip
    assert err.value.field == "password"


def test_failed_sign_ins_back_off_per_source_and_account_without_locking_others_out(
    db_engine: object,
) -> None:
    import secrets

    from sqlalchemy.orm import sessionmaker

    from roadcarbon.services.errors import AuthenticationError, ThrottledError

    makers = sessionmaker(bind=db_engine, expire_on_commit=False)  # type: ignore[call-overload]
    email = f"target-{secrets.token_hex(4)}@throttle.example"
    attacker, owner = f"203.0.113.{secrets.randbelow(250)}-{secrets.token_hex(2)}", "198.51.100.7"
    for _ in range(accounts.FREE_FAILURES_PER_ACCOUNT_AND_SOURCE + 1):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(makers, email, "wrong password!", source=attacker)
    # the attacker's address now waits (429 with Retry-After) before the password is even checked ...
    with pytest.raises(ThrottledError) as err:
        accounts.sign_in(makers, email, "any password at all", source=attacker)
    assert 1 <= err.value.retry_after_s <= accounts.MAX_BACKOFF_S
    # ... while a sign-in of the same account from elsewhere is checked normally: no lock-out by strangers
    with pytest.raises(AuthenticationError):
        accounts.sign_in(makers, email, "any password at all", source=owner)


# --- item 4: differencing aggregates --------------------------------------------------------------


def test_differencing_attack_on_aggregates_fails(session: Session) -> None:
    """The hostile test's attack: own records + a public record + the published mean -> the victim's value.

    Before: 3 organisations sufficed and the mean was exact and live, so victim = 3 x mean - own -
    public, and an attacker could look before and after changing one record of its own.  Now (min 5
    records, means rounded to 0.05, published only from the snapshot recomputed on a schedule) the
    recovered value misses the victim's true share, and a change shows only at the next recomputation.
    """
    victim_share, public_share = 0.83, 0.40
    attacker = new_user(session, new_org(session), "contributor")
    victim = new_user(session, new_org(session), "contributor")
    publisher = new_user(session, new_org(session), "contributor")
    records.create_supply_chain(
        session, victim, {"label": "v", "battery_origin_country": "GL", "green_power_share": victim_share}
    )
    # the "public" record: its value is known to the attacker (published elsewhere)
    records.create_supply_chain(session, publisher, {"label": "pub", "battery_origin_country": "GL", "green_power_share": public_share})  # fmt: skip
    own = [0.1]
    records.create_supply_chain(session, attacker, {"label": "a0", "battery_origin_country": "GL", "green_power_share": own[0]})  # fmt: skip

    def published() -> dict[str, object] | None:
        return next(
            (g for g in records.supply_chain_aggregates(session) if g["battery_origin_country"] == "GL"), None
        )

    records.refresh_supply_chain_aggregates(session)
    assert published() is None  # 3 organisations but 3 records: suppressed (was published, exactly)
    for i, share in enumerate((0.2, 0.3)):  # the attacker pads the group with records it knows
        records.create_supply_chain(session, attacker, {"label": f"a{i + 1}", "battery_origin_country": "GL", "green_power_share": share})  # fmt: skip
        own.append(share)
    assert published() is None  # not before the next recomputation
    records.refresh_supply_chain_aggregates(session)
    group = published()
    assert group is not None
    n = int(group["records"])  # type: ignore[call-overload]
    recovered = n * float(group["mean_green_power_share"]) - sum(own) - public_share  # type: ignore[arg-type]
    assert abs(recovered - victim_share) > 0.01
    # one more own record: the published figure does not move until the next recomputation ...
    records.create_supply_chain(session, attacker, {"label": "a3", "battery_origin_country": "GL", "green_power_share": 0.0})  # fmt: skip
    own.append(0.0)
    assert published() == group
    # ... and differencing the two recomputed figures does not pin the victim's share either
    records.refresh_supply_chain_aggregates(session)
    group2 = published()
    assert group2 is not None
    assert group2["computed_at"] != group["computed_at"]
    assert group2["records"] == n + 1
    recovered2 = int(group2["records"]) * float(group2["mean_green_power_share"]) - sum(own) - public_share  # type: ignore[arg-type, call-overload]
    assert abs(recovered2 - victim_share) > 0.01


def test_aggregates_refresh_is_due_once_per_interval(session: Session) -> None:
    """The server's schedule recomputes a snapshot only when the stored one is an interval old."""
    import datetime as dt

    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    records.refresh_supply_chain_aggregates(session, now=start)
    assert records.aggregates_refresh_due(session, 3600, now=start + dt.timedelta(minutes=20)) == 2400
    assert records.aggregates_refresh_due(session, 3600, now=start + dt.timedelta(hours=2)) == 0
    events = audit.list_events(session, ANONYMOUS, action="supply_chain.aggregates_refresh", per_page=200)
    assert events.total >= 1  # public: it tells anyone when the figures last changed
