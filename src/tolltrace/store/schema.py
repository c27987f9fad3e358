"""Table definitions (SQLAlchemy Core). Alembic migrations create and evolve them;
a change here needs a new revision under ``migrations/versions``."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", String(300)),
    Column("published", Date),
    Column("lang", String(16)),
    Column("source", Text),
    Column("dataset", String(100)),
    Column("text", Text, nullable=False),
    Column("embedded", JSON, nullable=False),  # [[start, end], ...]
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # Version of the extractor that last produced this document's claims (null: never).
    Column("extracted_by", String(100)),
)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_outlet", documents.c.outlet)

claims = Table(
    "claims",
    metadata,
    Column("id", String(200), primary_key=True),
    Column(
        "document_id",
        String(200),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("effect", String(20), nullable=False),
    Column("count_min", Integer),
    Column("count_max", Integer),
    Column("count_text", Text, nullable=False),
    Column("count_rule", String(100), nullable=False),
    Column("victims_group", String(40), nullable=False),
    Column("victims_descriptors", JSON, nullable=False),
    Column("victims_text", Text),
    Column("perpetrator", Text),
    Column("means", String(60)),
    Column("place_text", Text),
    Column("place_qualifier", String(100)),
    Column("place_name", String(300)),
    Column("place_country", String(2)),
    Column("place_admin1", String(300)),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("place_geonameid", Integer),
    Column("place_precision", String(20)),
    Column("time_text", Text),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(20)),
    Column("claimant_text", Text),
    Column("claimant_name", String(300)),
    Column("claimant_kind", String(40)),
    Column("stance", String(20), nullable=False),
    Column("quote", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("extractor", String(100), nullable=False),
    Column("embedded", Boolean, nullable=False),
    Column("cumulative", Boolean, nullable=False),
    Column("part_of", String(200)),
    Column("incident_id", String(200)),
)
Index("ix_claims_document_id", claims.c.document_id)
Index("ix_claims_incident_id", claims.c.incident_id)
Index("ix_claims_country_date", claims.c.place_country, claims.c.date_start)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("title", Text, nullable=False),
    Column("place_text", Text),
    Column("place_name", String(300)),
    Column("place_country", String(2)),
    Column("place_admin1", String(300)),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("place_geonameid", Integer),
    Column("place_precision", String(20)),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("means", String(60)),
    Column("perpetrators", JSON, nullable=False),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    Column("best_killed", Integer),
    Column("best_injured", Integer),
    Column("claimants", JSON, nullable=False),
    Column("claim_ids", JSON, nullable=False),
    Column("document_ids", JSON, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("grade", String(20), nullable=False),
    Column("grade_reason", Text, nullable=False),
    Column("part_of", String(200)),
)
Index("ix_incidents_date_start", incidents.c.date_start)
Index("ix_incidents_country", incidents.c.place_country)

copies = Table(
    "copies",
    metadata,
    Column(
        "document_id",
        String(200),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "origin_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
    ),
    Column("similarity", Float, nullable=False),
)
Index("ix_copies_origin_id", copies.c.origin_id)

# -- the analyst's workbench (revision 0002) ---------------------------------------------
# Analyst decisions live in their own tables, keyed by the stable claim and incident ids,
# never in the rows the pipeline rewrites: re-running the pipeline cannot overwrite them.

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),  # viewer | analyst | admin
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex
    Column("name", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked", Boolean, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", Integer),
    Column("username", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target_kind", String(20), nullable=False),  # claim | incident
    Column("target_id", String(200), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text),
    Column("reverts", Integer),  # id of the entry this one reverts
)
Index("ix_audit_log_target", audit_log.c.target_kind, audit_log.c.target_id)

claim_reviews = Table(
    "claim_reviews",
    metadata,
    Column("claim_id", String(200), primary_key=True),
    Column("status", String(20)),  # accepted | rejected | null (not judged)
    Column("edits", JSON, nullable=False),  # {field: analyst's value}
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(100), nullable=False),
)

incident_reviews = Table(
    "incident_reviews",
    metadata,
    Column("incident_id", String(200), primary_key=True),
    Column("discounted", Boolean, nullable=False),
    Column("reason", Text),
    Column("merged_into", String(200)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(100), nullable=False),
)

# An analyst's split (revision 0003): these claims form an incident of their own,
# whatever the linker groups them with. The incident rows are derived from it.
incident_splits = Table(
    "incident_splits",
    metadata,
    Column("id", String(200), primary_key=True),  # the new incident's id
    Column("source_id", String(200), nullable=False),
    Column("claim_ids", JSON, nullable=False),
    Column("reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
)

# Events of outside datasets a user imported to compare against (revision 0004,
# `tolltrace reference import`), keyed by dataset and the dataset's own event id so a
# re-import updates rather than duplicates.
reference_events = Table(
    "reference_events",
    metadata,
    Column("dataset", String(20), primary_key=True),  # acled | ucdp
    Column("external_id", String(200), primary_key=True),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("place", Text),
    Column("admin1", String(300)),
    Column("country", String(2)),
    Column("country_name", String(300)),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", Integer),
    Column("killed_best", Integer),
    Column("killed_low", Integer),
    Column("killed_high", Integer),
    Column("actor", Text),
    Column("actor2", Text),
    Column("event_type", String(200)),
    Column("source", Text),
    Column("notes", Text),
    Column("origin", Text),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)
Index("ix_reference_events_date_start", reference_events.c.date_start)
