"""Releases and record versions are immutable in the database itself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 12:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMMUTABLE_TABLES = ("releases", "vehicle_spec_versions", "dataset_versions", "rule_scheme_versions")


def upgrade() -> None:
    """Refuse UPDATE and DELETE on releases and on the numbered versions of records."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute(
            "CREATE FUNCTION roadcarbon_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '% is immutable', TG_TABLE_NAME; END $$"
        )
    for table in IMMUTABLE_TABLES:
        if sqlite:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is immutable'); END"
                )
        else:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION roadcarbon_immutable()"
            )


def downgrade() -> None:
    """Drop the guards."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in IMMUTABLE_TABLES:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS roadcarbon_immutable()")
