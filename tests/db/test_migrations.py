"""Migrations: upgrade from empty, downgrade to empty, upgrade again, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from roadcarbon_platform_fixtures import DB_KINDS, fresh_database
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from roadcarbon.db import migrate
from roadcarbon.db.base import Base
from roadcarbon.db.session import make_engine

EXPECTED_TABLES = {
    "organisations",
    "users",
    "api_tokens",
    "vehicle_models",
    "vehicle_spec_versions",
    "datasets",
    "dataset_versions",
    "supply_chain_records",
    "rule_schemes",
    "rule_scheme_versions",
    "scenarios",
    "stored_results",
    "contributions",
    "contribution_changes",
    "review_comments",
    "releases",
    "audit_events",
    "aggregate_snapshots",
}


@pytest.mark.parametrize("kind", DB_KINDS)
def test_upgrade_downgrade_upgrade_matches_models(kind: str, tmp_path: Path) -> None:
    with fresh_database(kind, tmp_path) as url:
        engine = make_engine(url)
        try:
            assert migrate.current_revision(engine) is None
            migrate.upgrade(engine)
            assert migrate.current_revision(engine) == migrate.head_revision()
            assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
            migrate.downgrade(engine, "base")
            assert migrate.current_revision(engine) is None
            assert not EXPECTED_TABLES & set(inspect(engine).get_table_names())
            migrate.upgrade(engine)
            # the migrated schema is the one the ORM models describe (no drift on either database)
            with engine.connect() as conn:
                diff = compare_metadata(
                    MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
                )
            assert diff == []
        finally:
            engine.dispose()


@pytest.mark.parametrize("kind", DB_KINDS)
def test_audit_log_is_append_only_in_the_database(kind: str, tmp_path: Path) -> None:
    with fresh_database(kind, tmp_path) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO audit_events (at, action, target_type, target_id, private, detail) "
                        "VALUES (CURRENT_TIMESTAMP, 'x', 'y', '1', false, '{}')"
                    )
                )
            for statement in ("UPDATE audit_events SET action = 'tampered'", "DELETE FROM audit_events"):
                with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
                    conn.execute(text(statement))
            with engine.connect() as conn:
                assert conn.execute(text("SELECT action FROM audit_events")).scalars().all() == ["x"]
        finally:
            engine.dispose()


def test_constraint_names_follow_the_convention(tmp_path: Path) -> None:
    """Named constraints are what make batch migrations on SQLite identical to PostgreSQL."""
    url = f"sqlite:///{tmp_path / 'n.sqlite3'}"
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        insp = inspect(engine)
        assert insp.get_pk_constraint("users")["name"] == "pk_users"
        fks = {fk["name"] for fk in insp.get_foreign_keys("users")}
        assert fks == {"fk_users_organisation_id_organisations"}
        uniques = {u["name"] for u in insp.get_unique_constraints("users")}
        assert "uq_users_email" in uniques
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", DB_KINDS)
def test_releases_and_record_versions_are_immutable_in_the_database(kind: str, tmp_path: Path) -> None:
    from roadcarbon_platform_fixtures import migrated_and_seeded

    with fresh_database(kind, tmp_path) as url:
        report = migrated_and_seeded(url)
        assert report["seeded"] is True
        engine = make_engine(url)
        try:
            for table in ("releases", "vehicle_spec_versions", "dataset_versions", "rule_scheme_versions"):
                for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
                    with pytest.raises(DatabaseError, match="immutable"), engine.begin() as conn:
                        conn.execute(text(statement))
            # one revision back removes the guards, and forward again restores them
            migrate.downgrade(engine, "0001")
            with engine.begin() as conn:
                conn.execute(text("UPDATE releases SET notes = notes"))
            migrate.upgrade(engine)
            with pytest.raises(DatabaseError, match="immutable"), engine.begin() as conn:
                conn.execute(text("UPDATE releases SET notes = notes"))
        finally:
            engine.dispose()


@pytest.mark.postgres
def test_audit_log_refuses_truncate_on_postgresql(tmp_path: Path) -> None:
    """TRUNCATE skips row triggers; a statement trigger refuses it like row deletes (issue 13, item 9)."""
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO audit_events (at, action, target_type, target_id, private, detail) "
                        "VALUES (CURRENT_TIMESTAMP, 'x', 'y', '1', false, '{}')"
                    )
                )
            with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(text("TRUNCATE audit_events"))
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM audit_events")).scalar_one() == 1
        finally:
            engine.dispose()
