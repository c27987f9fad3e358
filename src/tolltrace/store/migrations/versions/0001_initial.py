"""Initial schema: documents, claims, incidents, copies.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.String(300)),
        sa.Column("published", sa.Date),
        sa.Column("lang", sa.String(16)),
        sa.Column("source", sa.Text),
        sa.Column("dataset", sa.String(100)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("embedded", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extracted_by", sa.String(100)),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    op.create_table(
        "claims",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(200),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("effect", sa.String(20), nullable=False),
        sa.Column("count_min", sa.Integer),
        sa.Column("count_max", sa.Integer),
        sa.Column("count_text", sa.Text, nullable=False),
        sa.Column("count_rule", sa.String(100), nullable=False),
        sa.Column("victims_group", sa.String(40), nullable=False),
        sa.Column("victims_descriptors", sa.JSON, nullable=False),
        sa.Column("victims_text", sa.Text),
        sa.Column("perpetrator", sa.Text),
        sa.Column("means", sa.String(60)),
        sa.Column("place_text", sa.Text),
        sa.Column("place_qualifier", sa.String(100)),
        sa.Column("place_name", sa.String(300)),
        sa.Column("place_country", sa.String(2)),
        sa.Column("place_admin1", sa.String(300)),
        sa.Column("place_lat", sa.Float),
        sa.Column("place_lon", sa.Float),
        sa.Column("place_geonameid", sa.Integer),
        sa.Column("place_precision", sa.String(20)),
        sa.Column("time_text", sa.Text),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(20)),
        sa.Column("claimant_text", sa.Text),
        sa.Column("claimant_name", sa.String(300)),
        sa.Column("claimant_kind", sa.String(40)),
        sa.Column("stance", sa.String(20), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extractor", sa.String(100), nullable=False),
        sa.Column("embedded", sa.Boolean, nullable=False),
        sa.Column("cumulative", sa.Boolean, nullable=False),
        sa.Column("part_of", sa.String(200)),
        sa.Column("incident_id", sa.String(200)),
    )
    op.create_index("ix_claims_document_id", "claims", ["document_id"])
    op.create_index("ix_claims_incident_id", "claims", ["incident_id"])
    op.create_index("ix_claims_country_date", "claims", ["place_country", "date_start"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("place_text", sa.Text),
        sa.Column("place_name", sa.String(300)),
        sa.Column("place_country", sa.String(2)),
        sa.Column("place_admin1", sa.String(300)),
        sa.Column("place_lat", sa.Float),
        sa.Column("place_lon", sa.Float),
        sa.Column("place_geonameid", sa.Integer),
        sa.Column("place_precision", sa.String(20)),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("means", sa.String(60)),
        sa.Column("perpetrators", sa.JSON, nullable=False),
        sa.Column("killed_min", sa.Integer),
        sa.Column("killed_max", sa.Integer),
        sa.Column("injured_min", sa.Integer),
        sa.Column("injured_max", sa.Integer),
        sa.Column("claimants", sa.JSON, nullable=False),
        sa.Column("claim_ids", sa.JSON, nullable=False),
        sa.Column("document_ids", sa.JSON, nullable=False),
        sa.Column("independent_sources", sa.Integer, nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("grade_reason", sa.Text, nullable=False),
        sa.Column("part_of", sa.String(200)),
    )
    op.create_index("ix_incidents_date_start", "incidents", ["date_start"])
    op.create_index("ix_incidents_country", "incidents", ["place_country"])
    op.create_table(
        "copies",
        sa.Column(
            "document_id",
            sa.String(200),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "origin_id",
            sa.String(200),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_index("ix_copies_origin_id", "copies", ["origin_id"])


def downgrade() -> None:
    op.drop_table("copies")
    op.drop_table("incidents")
    op.drop_table("claims")
    op.drop_table("documents")
