"""Web app: server-side sessions, persistent ingest jobs, and a data version.

``data_version`` is one row whose counter every write to the tables the web app shows
bumps (triggers: per statement on PostgreSQL, per row on SQLite), in the writer's own
transaction: the web app's page cache compares it to know whether a stored answer is
still current, whoever wrote (a pipeline run, a review action, another process).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The tables whose rows the pages and the API show.
WATCHED = (
    "documents",
    "claims",
    "incidents",
    "copies",
    "claim_reviews",
    "incident_reviews",
    "incident_splits",
    "audit_log",
)


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),  # sha256 hex of the cookie's key
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created", sa.Float, nullable=False),  # Unix time, as the API shows it
        sa.Column("finished", sa.Float),
        sa.Column("heartbeat", sa.Float, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("failures", sa.JSON, nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_jobs_created", "jobs", ["created"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION tolltrace_bump_data_version() RETURNS trigger AS $$ "
            "BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; RETURN NULL; "
            "END $$ LANGUAGE plpgsql"
        )
        for table in WATCHED:
            op.execute(
                f"CREATE TRIGGER tolltrace_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION tolltrace_bump_data_version()"
            )
    else:
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER tolltrace_version_{table}_{event.lower()} AFTER {event} "
                    f"ON {table} BEGIN UPDATE data_version SET version = version + 1 "
                    "WHERE id = 1; END"
                )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS tolltrace_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS tolltrace_bump_data_version()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS tolltrace_version_{table}_{event}")
    op.drop_index("ix_jobs_created", "jobs")
    op.drop_table("jobs")
    op.drop_index("ix_web_sessions_user_id", "web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("data_version")
