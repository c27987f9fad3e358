from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url

from tolltrace.records import (
    Claim,
    Claimant,
    ClaimantFigures,
    CopyLink,
    Count,
    Document,
    Figure,
    Incident,
    Place,
    Span,
    TimeRef,
    Victims,
)
from tolltrace.store import schema

# Rows per INSERT batch: large enough to amortize round trips on PostgreSQL, small
# enough to stay under SQLite's bound-parameter limit (32766) for 13-column rows.
_BATCH = 500


def normalize_url(url: str) -> str:
    """Map user-facing database URLs to the drivers we ship (psycopg 3)."""
    u = make_url(url)
    if u.drivername in {"postgresql", "postgres"}:
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def migrate(connection: Connection) -> None:
    """Bring the schema to the newest Alembic revision."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("tolltrace.store") / "migrations"))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (the web app) run beside the single writer (the pipeline).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@dataclass(frozen=True, slots=True)
class AddResult:
    added: tuple[Document, ...]
    # (document, id of the stored document it duplicates)
    duplicates: tuple[tuple[Document, str], ...]


class Store:
    """The database behind tolltrace. Cheap to construct; connects on first use."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self._engine: Engine | None = None

    # -- connection -----------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            engine = create_engine(self.url, future=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            with engine.begin() as conn:
                migrate(conn)
            self._engine = engine
        return self._engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- documents ------------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document]) -> AddResult:
        """Store new documents; skip those whose id or content is already stored.

        Idempotent: adding the same documents again adds nothing.
        """
        added: list[Document] = []
        dups: list[tuple[Document, str]] = []
        batch: list[Document] = []

        def flush(conn: Connection) -> None:
            ids = [d.id for d in batch]
            hashes = [d.content_hash for d in batch]
            by_id = {
                r.id: r.id
                for r in conn.execute(
                    select(schema.documents.c.id).where(schema.documents.c.id.in_(ids))
                )
            }
            by_hash = {
                r.content_hash: r.id
                for r in conn.execute(
                    select(schema.documents.c.id, schema.documents.c.content_hash).where(
                        schema.documents.c.content_hash.in_(hashes)
                    )
                )
            }
            rows = []
            for d in batch:
                existing = by_id.get(d.id) or by_hash.get(d.content_hash)
                if existing is not None:
                    dups.append((d, existing))
                    continue
                by_id[d.id] = d.id
                by_hash[d.content_hash] = d.id
                rows.append(_document_row(d))
                added.append(d)
            if rows:
                conn.execute(insert(schema.documents), rows)
            batch.clear()

        with self.engine.begin() as conn:
            for d in docs:
                batch.append(d)
                if len(batch) >= _BATCH:
                    flush(conn)
            if batch:
                flush(conn)
        return AddResult(tuple(added), tuple(dups))

    def get_document(self, doc_id: str) -> Document | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.documents).where(schema.documents.c.id == doc_id)
            ).first()
        return None if row is None else _document(row)

    def iter_documents(
        self,
        *,
        not_extracted_by: str | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Iterator[Document]:
        """Documents in id order; ``not_extracted_by`` keeps those whose claims came
        from another extractor version (or none)."""
        q = select(schema.documents).order_by(schema.documents.c.id)
        if not_extracted_by is not None:
            col = schema.documents.c.extracted_by
            q = q.where((col.is_(None)) | (col != not_extracted_by))
        if ids is not None:
            q = q.where(schema.documents.c.id.in_(list(ids)))
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            for row in conn.execute(q):
                yield _document(row)

    def document_labels(self, ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """``{id: (outlet, title)}`` for the given documents, without their text."""
        if not ids:
            return {}
        d = schema.documents.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(d.id, d.outlet, d.title).where(d.id.in_(list(ids))))
            return {r.id: (r.outlet, r.title) for r in rows}

    def count(self, table: str) -> int:
        t = schema.metadata.tables[table]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t)).scalar_one())

    # -- claims ---------------------------------------------------------------------

    def replace_claims(self, document_id: str, claims: Sequence[Claim], extractor: str) -> None:
        """Make ``claims`` the document's claims, in one transaction."""
        self.replace_claims_many([(document_id, claims)], extractor)

    def replace_claims_many(
        self, results: Sequence[tuple[str, Sequence[Claim]]], extractor: str
    ) -> None:
        """Store several documents' claims and mark them processed, in one transaction:
        a run killed mid-way leaves each document either done or pending, never half."""
        if not results:
            return
        ids = [doc_id for doc_id, _ in results]
        rows = [_claim_row(c) for _, claims in results for c in claims]
        with self.engine.begin() as conn:
            conn.execute(delete(schema.claims).where(schema.claims.c.document_id.in_(ids)))
            for i in range(0, len(rows), _BATCH):
                conn.execute(insert(schema.claims), rows[i : i + _BATCH])
            conn.execute(
                update(schema.documents)
                .where(schema.documents.c.id.in_(ids))
                .values(extracted_by=extractor)
            )

    def iter_claims(
        self, *, document_id: str | None = None, incident_id: str | None = None
    ) -> Iterator[Claim]:
        q = select(schema.claims).order_by(schema.claims.c.document_id, schema.claims.c.span_start)
        if document_id is not None:
            q = q.where(schema.claims.c.document_id == document_id)
        if incident_id is not None:
            q = q.where(schema.claims.c.incident_id == incident_id)
        with self.engine.connect() as conn:
            for row in conn.execute(q):
                yield _claim(row)

    # -- incidents and copies -------------------------------------------------------

    def replace_incidents(self, incidents: Sequence[Incident]) -> None:
        """Make ``incidents`` the stored incidents and point each claim at its own.

        Only the claims whose incident changes are written (a relink after a few new
        documents keeps most incident ids), and those in one ``UPDATE ... FROM`` a
        temporary table: one UPDATE statement per claim cost PostgreSQL about 600
        claims a second at 100,000 documents (docs/benchmarks.md)."""
        wanted = {cid: x.id for x in incidents for cid in x.claim_ids}
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(schema.claims.c.id, schema.claims.c.incident_id).where(
                    schema.claims.c.incident_id.is_not(None)
                )
            )
            current: dict[str, str] = {cid: iid for cid, iid in rows}
            changes: list[dict[str, str | None]] = [
                {"cid": cid, "iid": iid} for cid, iid in wanted.items() if current.get(cid) != iid
            ]
            changes.extend({"cid": cid, "iid": None} for cid in current if cid not in wanted)
            conn.execute(delete(schema.incidents))
            for i in range(0, len(incidents), _BATCH):
                chunk = incidents[i : i + _BATCH]
                conn.execute(insert(schema.incidents), [_incident_row(x) for x in chunk])
            if changes:
                _set_incident_ids(conn, changes)

    def iter_incidents(self) -> Iterator[Incident]:
        q = select(schema.incidents).order_by(
            schema.incidents.c.date_start.desc(), schema.incidents.c.id
        )
        with self.engine.connect() as conn:
            for row in conn.execute(q):
                yield _incident(row)

    def get_incident(self, incident_id: str) -> Incident | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.incidents).where(schema.incidents.c.id == incident_id)
            ).first()
        return None if row is None else _incident(row)

    def replace_copies(self, links: Sequence[CopyLink]) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.copies))
            if links:
                conn.execute(
                    insert(schema.copies),
                    [
                        {
                            "document_id": c.document_id,
                            "origin_id": c.origin_id,
                            "similarity": c.similarity,
                        }
                        for c in links
                    ],
                )

    def iter_copies(self) -> Iterator[CopyLink]:
        q = select(schema.copies).order_by(schema.copies.c.document_id)
        with self.engine.connect() as conn:
            for r in conn.execute(q):
                yield CopyLink(r.document_id, r.origin_id, r.similarity)


# -- row <-> record ------------------------------------------------------------------


def _document_row(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "content_hash": d.content_hash,
        "title": d.title,
        "url": d.url,
        "outlet": d.outlet,
        "published": d.published,
        "lang": d.lang,
        "source": d.source,
        "dataset": d.dataset,
        "text": d.text,
        "embedded": [[s.start, s.end] for s in d.embedded],
        "ingested_at": d.ingested_at or datetime.now(UTC),
        "extracted_by": None,
    }


def _document(r: Any) -> Document:
    return Document(
        id=r.id,
        text=r.text,
        content_hash=r.content_hash,
        title=r.title,
        url=r.url,
        outlet=r.outlet,
        published=r.published,
        lang=r.lang,
        source=r.source,
        dataset=r.dataset,
        embedded=tuple(Span(int(s), int(e)) for s, e in (r.embedded or [])),
        ingested_at=r.ingested_at,
    )


def _claim_row(c: Claim) -> dict[str, Any]:
    p = c.place or Place(text="")
    t = c.time or TimeRef(text=None)
    who = c.claimant or Claimant(text=None)
    return {
        "id": c.id,
        "document_id": c.document_id,
        "effect": c.effect,
        "count_min": c.count.min,
        "count_max": c.count.max,
        "count_text": c.count.text,
        "count_rule": c.count.rule,
        "victims_group": c.victims.group,
        "victims_descriptors": list(c.victims.descriptors),
        "victims_text": c.victims.text,
        "perpetrator": c.perpetrator,
        "means": c.means,
        "place_text": c.place.text if c.place else None,
        "place_qualifier": p.qualifier,
        "place_name": p.name,
        "place_country": p.country,
        "place_admin1": p.admin1,
        "place_lat": p.lat,
        "place_lon": p.lon,
        "place_geonameid": p.geonameid,
        "place_precision": p.precision,
        "time_text": t.text,
        "date_start": t.date_start,
        "date_end": t.date_end,
        "date_precision": t.precision,
        "claimant_text": who.text,
        "claimant_name": who.name,
        "claimant_kind": who.kind,
        "stance": c.stance,
        "quote": c.quote,
        "span_start": c.start,
        "span_end": c.end,
        "confidence": c.confidence,
        "extractor": c.extractor,
        "embedded": c.embedded,
        "cumulative": c.cumulative,
        "part_of": c.part_of,
        "incident_id": c.incident_id,
    }


def _claim(r: Any) -> Claim:
    place = None
    if r.place_text is not None:
        place = Place(
            text=r.place_text,
            qualifier=r.place_qualifier,
            name=r.place_name,
            country=r.place_country,
            admin1=r.place_admin1,
            lat=r.place_lat,
            lon=r.place_lon,
            geonameid=r.place_geonameid,
            precision=r.place_precision,
        )
    time = None
    if r.time_text is not None or r.date_start is not None or r.date_end is not None:
        time = TimeRef(r.time_text, r.date_start, r.date_end, r.date_precision)
    claimant = None
    if r.claimant_text is not None or r.claimant_name is not None:
        claimant = Claimant(r.claimant_text, r.claimant_name, r.claimant_kind)
    return Claim(
        id=r.id,
        document_id=r.document_id,
        effect=r.effect,
        count=Count(r.count_min, r.count_max, r.count_text, r.count_rule),
        quote=r.quote,
        start=r.span_start,
        end=r.span_end,
        victims=Victims(r.victims_group, tuple(r.victims_descriptors or ()), r.victims_text),
        perpetrator=r.perpetrator,
        means=r.means,
        place=place,
        time=time,
        claimant=claimant,
        stance=r.stance,
        confidence=r.confidence,
        extractor=r.extractor,
        embedded=bool(r.embedded),
        cumulative=bool(r.cumulative),
        part_of=r.part_of,
        incident_id=r.incident_id,
    )


def _figure_json(f: Figure) -> dict[str, int | None]:
    return {"min": f.min, "max": f.max}


def _set_incident_ids(conn: Connection, changes: list[dict[str, str | None]]) -> None:
    """``claims.incident_id = iid where id = cid`` for each change, through a temporary
    table joined in one UPDATE."""
    tmp = Table(
        "tmp_claim_incident",
        MetaData(),
        Column("cid", String, primary_key=True),
        Column("iid", String),
        prefixes=["TEMPORARY"],
    )
    tmp.create(conn)
    try:
        for i in range(0, len(changes), _BATCH * 10):
            conn.execute(insert(tmp), changes[i : i + _BATCH * 10])
        conn.execute(
            update(schema.claims)
            .where(schema.claims.c.id == tmp.c.cid)
            .values(incident_id=tmp.c.iid)
        )
    finally:
        tmp.drop(conn)


def _incident_row(x: Incident) -> dict[str, Any]:
    p = x.place or Place(text="")
    return {
        "id": x.id,
        "title": x.title,
        "place_text": x.place.text if x.place else None,
        "place_name": p.name,
        "place_country": p.country,
        "place_admin1": p.admin1,
        "place_lat": p.lat,
        "place_lon": p.lon,
        "place_geonameid": p.geonameid,
        "place_precision": p.precision,
        "date_start": x.date_start,
        "date_end": x.date_end,
        "means": x.means,
        "perpetrators": list(x.perpetrators),
        "killed_min": x.killed.min,
        "killed_max": x.killed.max,
        "injured_min": x.injured.min,
        "injured_max": x.injured.max,
        "best_killed": x.best_killed,
        "best_injured": x.best_injured,
        "claimants": [
            {"name": c.name, "killed": _figure_json(c.killed), "injured": _figure_json(c.injured)}
            for c in x.claimants
        ],
        "claim_ids": list(x.claim_ids),
        "document_ids": list(x.document_ids),
        "independent_sources": x.independent_sources,
        "grade": x.grade,
        "grade_reason": x.grade_reason,
        "part_of": x.part_of,
    }


def _incident(r: Any) -> Incident:
    place = None
    if r.place_text is not None or r.place_name is not None:
        place = Place(
            text=r.place_text or r.place_name,
            name=r.place_name,
            country=r.place_country,
            admin1=r.place_admin1,
            lat=r.place_lat,
            lon=r.place_lon,
            geonameid=r.place_geonameid,
            precision=r.place_precision,
        )
    return Incident(
        id=r.id,
        title=r.title,
        claim_ids=tuple(r.claim_ids),
        document_ids=tuple(r.document_ids),
        place=place,
        date_start=r.date_start,
        date_end=r.date_end,
        means=r.means,
        perpetrators=tuple(r.perpetrators),
        killed=Figure(r.killed_min, r.killed_max),
        injured=Figure(r.injured_min, r.injured_max),
        best_killed=r.best_killed,
        best_injured=r.best_injured,
        claimants=tuple(
            ClaimantFigures(
                c["name"],
                Figure(c["killed"]["min"], c["killed"]["max"]),
                Figure(c["injured"]["min"], c["injured"]["max"]),
            )
            for c in r.claimants
        ),
        independent_sources=r.independent_sources,
        grade=r.grade,
        grade_reason=r.grade_reason,
        part_of=r.part_of,
    )
