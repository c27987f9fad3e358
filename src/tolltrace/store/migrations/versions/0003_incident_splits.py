"""Analysts' incident splits.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_splits",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("claim_ids", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("incident_splits")
