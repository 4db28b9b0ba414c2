"""Policy-lab runs (background jobs with progress and stored result).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Create ``fleet_runs``."""
    op.create_table(
        "fleet_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("request", _JSON, nullable=False),
        sa.Column("result", _JSON, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("data_version", sa.String(length=100), nullable=False),
        sa.Column("rule_library_version", sa.String(length=100), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_fleet_runs_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_fleet_runs_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"], ["scenarios.id"], name=op.f("fk_fleet_runs_scenario_id_scenarios")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_runs")),
    )
    with op.batch_alter_table("fleet_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fleet_runs_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fleet_runs_status"), ["status"], unique=False)


def downgrade() -> None:
    """Drop ``fleet_runs``."""
    with op.batch_alter_table("fleet_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fleet_runs_status"))
        batch_op.drop_index(batch_op.f("ix_fleet_runs_organisation_id"))
    op.drop_table("fleet_runs")
