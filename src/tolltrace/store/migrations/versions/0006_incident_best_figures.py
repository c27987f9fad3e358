"""Incidents: the registry-comparable killed and injured figures beside the ranges.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite, so 0005's triggers stay in place).
    op.add_column("incidents", sa.Column("best_killed", sa.Integer))
    op.add_column("incidents", sa.Column("best_injured", sa.Integer))


def downgrade() -> None:
    op.drop_column("incidents", "best_injured")
    op.drop_column("incidents", "best_killed")
