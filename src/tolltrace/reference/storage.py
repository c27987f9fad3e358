"""Reference events in the database (table ``reference_events``, revision 0004)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from tolltrace.records import Failure
from tolltrace.reference.events import ReferenceEvent
from tolltrace.store import Store
from tolltrace.store.schema import reference_events as table

# Rows per upsert: 22 columns x 500 stays under SQLite's 32766 bound parameters.
_BATCH = 500
_KEY = ("dataset", "external_id")


@dataclass(frozen=True, slots=True)
class ImportReport:
    dataset: str
    added: int = 0
    updated: int = 0
    failures: tuple[Failure, ...] = field(default=())


def _upsert(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Insert or update ``rows``; returns how many keys were already stored."""
    ds = rows[0]["dataset"]
    ids = [r["external_id"] for r in rows]
    known = conn.execute(
        select(table.c.external_id).where(table.c.dataset == ds, table.c.external_id.in_(ids))
    ).all()
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(_KEY),
        set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in _KEY},
    )
    conn.execute(stmt, rows)
    return len(known)


def import_events(
    store: Store,
    dataset: str,
    items: Iterable[ReferenceEvent | Failure],
    *,
    on_failure: Callable[[Failure], None] | None = None,
) -> ImportReport:
    """Store the events of one file, keyed by (dataset, external id): importing a file
    again updates its rows and adds none. Failures are collected (and passed to
    ``on_failure`` as they come); they never stop the batch."""
    now = datetime.now(UTC)
    added = updated = 0
    failures: list[Failure] = []
    pending: dict[str, dict[str, Any]] = {}

    def flush() -> None:
        nonlocal added, updated
        if not pending:
            return
        rows = list(pending.values())
        with store.engine.begin() as conn:
            n = _upsert(conn, rows)
        updated += n
        added += len(rows) - n
        pending.clear()

    for item in items:
        if isinstance(item, Failure):
            failures.append(item)
            if on_failure is not None:
                on_failure(item)
            continue
        if item.external_id in pending:
            # The same event twice in one batch: the later row wins, counted once.
            updated += 1
        pending[item.external_id] = {**asdict(item), "imported_at": now}
        if len(pending) >= _BATCH:
            flush()
    flush()
    return ImportReport(dataset, added, updated, tuple(failures))


def iter_reference_events(store: Store, dataset: str | None = None) -> Iterator[ReferenceEvent]:
    q = select(*(table.c[f.name] for f in fields(ReferenceEvent))).order_by(
        table.c.dataset, table.c.date_start, table.c.external_id
    )
    if dataset is not None:
        q = q.where(table.c.dataset == dataset)
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            yield ReferenceEvent(**r._asdict())


def count_reference_events(store: Store, dataset: str | None = None) -> int:
    q = select(func.count()).select_from(table)
    if dataset is not None:
        q = q.where(table.c.dataset == dataset)
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())
