"""The web app's own tables (revision 0005), on the store's metadata.

- ``data_version``: one row whose counter every write to the shown tables bumps
  (database triggers, in the writer's transaction); the page cache keys on it.
- ``web_sessions``: server-side login sessions; the cookie holds a random key whose
  SHA-256 is the row's id. Logout, a password change and disabling a user revoke them.
- ``jobs``: ingest jobs' status, so it outlives the server process.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from tolltrace.store.schema import metadata

__all__ = ["data_version", "jobs", "web_sessions"]

data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)
Index("ix_web_sessions_user_id", web_sessions.c.user_id)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(100), nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("state", String(10), nullable=False),
    Column("created", Float, nullable=False),
    Column("finished", Float),
    Column("heartbeat", Float, nullable=False),
    Column("result", JSON, nullable=False),
    Column("failures", JSON, nullable=False),
    Column("error", Text),
)
Index("ix_jobs_created", jobs.c.created)
