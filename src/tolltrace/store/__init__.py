"""Storage: a SQLite file by default, PostgreSQL for teams.

:class:`Store` is the only code that talks to the database. It opens (and migrates)
the database lazily, writes in short transactions, and converts between rows and the
records of :mod:`tolltrace.records`. Every statement is parameterized.
"""

from __future__ import annotations

from tolltrace.store.store import Store, migrate, normalize_url

__all__ = ["Store", "migrate", "normalize_url"]
