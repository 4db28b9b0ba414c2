"""Stored snapshots of the disclosure-controlled supply-chain aggregates (recomputed on a schedule).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 06:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Create ``aggregate_snapshots``."""
    op.create_table(
        "aggregate_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("groups", _JSON, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregate_snapshots")),
    )
    with op.batch_alter_table("aggregate_snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aggregate_snapshots_kind"), ["kind"], unique=False)


def downgrade() -> None:
    """Drop ``aggregate_snapshots``."""
    with op.batch_alter_table("aggregate_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aggregate_snapshots_kind"))
    op.drop_table("aggregate_snapshots")
