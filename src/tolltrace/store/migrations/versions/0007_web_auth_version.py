"""Web app: an *auth version* beside the data version.

Row 2 of ``data_version`` counts the writes to ``users``, ``api_tokens`` and
``web_sessions`` (triggers, in the writer's transaction: a login, a logout, a password
change, a disabled user, a new or revoked token). The web app keeps who a session or
token belongs to in memory only while this counter is unchanged, so an ended session
or a disabled user is refused on the next request without a lookup per request.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

WATCHED = ("users", "api_tokens", "web_sessions")


def upgrade() -> None:
    op.execute("INSERT INTO data_version (id, version) VALUES (2, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION tolltrace_bump_auth_version() RETURNS trigger AS $$ "
            "BEGIN UPDATE data_version SET version = version + 1 WHERE id = 2; RETURN NULL; "
            "END $$ LANGUAGE plpgsql"
        )
        for table in WATCHED:
            op.execute(
                f"CREATE TRIGGER tolltrace_auth_version_{table} AFTER INSERT OR UPDATE OR "
                f"DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION tolltrace_bump_auth_version()"
            )
    else:
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER tolltrace_auth_version_{table}_{event.lower()} AFTER "
                    f"{event} ON {table} BEGIN UPDATE data_version SET version = version + 1 "
                    "WHERE id = 2; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS tolltrace_auth_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS tolltrace_bump_auth_version()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS tolltrace_auth_version_{table}_{event}")
    op.execute("DELETE FROM data_version WHERE id = 2")
