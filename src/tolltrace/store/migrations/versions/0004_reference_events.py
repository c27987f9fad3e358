"""Reference events imported from ACLED or UCDP GED exports.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_events",
        sa.Column("dataset", sa.String(20), primary_key=True),
        sa.Column("external_id", sa.String(200), primary_key=True),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("place", sa.Text),
        sa.Column("admin1", sa.String(300)),
        sa.Column("country", sa.String(2)),
        sa.Column("country_name", sa.String(300)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("precision", sa.Integer),
        sa.Column("killed_best", sa.Integer),
        sa.Column("killed_low", sa.Integer),
        sa.Column("killed_high", sa.Integer),
        sa.Column("actor", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("event_type", sa.String(200)),
        sa.Column("source", sa.Text),
        sa.Column("notes", sa.Text),
        sa.Column("origin", sa.Text),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reference_events_date_start", "reference_events", ["date_start"])


def downgrade() -> None:
    op.drop_index("ix_reference_events_date_start", "reference_events")
    op.drop_table("reference_events")
