"""The web app's reads: list/filter queries and one-record views, analyst overlay applied.

SQLAlchemy Core with bound parameters only; sort keys come from whitelists; LIKE
patterns escape their wildcards. Works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    exists,
    func,
    or_,
    select,
)

from tolltrace.export.rows import claim_fields, document_row, incident_row, place_row
from tolltrace.link.resources import load_tables
from tolltrace.records import Claim, Document, Incident
from tolltrace.review import (
    ClaimReview,
    IncidentReview,
    IncidentSplit,
    aggregate,
    apply_claim_review,
    apply_incident_review,
    apply_splits,
    changes_figures,
)
from tolltrace.store import Store, schema

# The store's own row -> record converters, so the web app reads exactly what the
# pipeline wrote (one place knows the column layout).
from tolltrace.store.store import _claim as claim_from_row
from tolltrace.store.store import _document as document_from_row
from tolltrace.store.store import _incident as incident_from_row

__all__ = [
    "CLAIM_SORTS",
    "INCIDENT_SORTS",
    "Filters",
    "Page",
    "apply_stored_splits",
    "audit_entries",
    "claim_reviews",
    "claimants",
    "claims_page",
    "copies_page",
    "document_detail",
    "documents_page",
    "figure_sources",
    "incident_audit",
    "incident_detail",
    "incident_reviews",
    "incidents_page",
    "like_pattern",
    "link_tables",
    "overlay_incidents",
    "reader",
    "reviewed_claims",
    "stored_reviews",
]

MAX_LIMIT = 500

INC, C, D, CP = schema.incidents, schema.claims, schema.documents, schema.copies
IR, CR = schema.incident_reviews, schema.claim_reviews

# grade as the analyst left it: "discounted" is set only by an analyst.
_grade = case((IR.c.discounted.is_(True), "discounted"), else_=INC.c.grade)

INCIDENT_SORTS: dict[str, Any] = {
    "date": INC.c.date_start,
    "killed": func.coalesce(INC.c.killed_max, INC.c.killed_min),
    "injured": func.coalesce(INC.c.injured_max, INC.c.injured_min),
    "sources": INC.c.independent_sources,
    "grade": _grade,
    "title": INC.c.title,
    "country": INC.c.place_country,
}
CLAIM_SORTS: dict[str, Any] = {
    "date": C.c.date_start,
    "count": func.coalesce(C.c.count_max, C.c.count_min),
    "effect": C.c.effect,
    "claimant": C.c.claimant_name,
    "document": C.c.document_id,
    "confidence": C.c.confidence,
}
DOCUMENT_SORTS: dict[str, Any] = {
    "published": D.c.published,
    "outlet": D.c.outlet,
    "title": D.c.title,
    "id": D.c.id,
}


@contextmanager
def reader(store: Store) -> Iterator[Connection]:
    """A connection for reads. On PostgreSQL it runs in autocommit: no BEGIN and
    ROLLBACK round trips around the queries (two of a page's six or seven; profiled
    under load with py-spy). Nothing is lost: under READ COMMITTED every statement
    takes its own snapshot inside a transaction too. SQLite keeps its transaction, so
    a page's queries there read one snapshot."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


class FilterError(ValueError):
    """A filter value that cannot be read (bad date, bad box, unknown sort key)."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What a list is filtered and sorted by. Every field is optional."""

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    effect: str | None = None
    grade: str | None = None
    claimant: str | None = None
    outlet: str | None = None
    q: str | None = None
    incident_id: str | None = None
    document_id: str | None = None
    sort: str | None = None
    desc: bool = True
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    items: list[dict[str, Any]] = field(default_factory=list)
    limit: int = 50
    offset: int = 0


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    if not raw:
        return None
    try:
        west, south, east, north = (float(x) for x in raw.split(","))
    except ValueError as exc:
        raise FilterError("bbox: four numbers west,south,east,north") from exc
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise FilterError("bbox: west,south,east,north in degrees, south <= north")
    return west, south, east, north


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(col: Any, text: str) -> ColumnElement[bool]:
    return col.ilike(like_pattern(text), escape="\\")  # type: ignore[no-any-return]


def _bbox(lat: Any, lon: Any, box: tuple[float, float, float, float]) -> ColumnElement[bool]:
    west, south, east, north = box
    lat_ok = lat.between(south, north)
    if west <= east:
        return and_(lat_ok, lon.between(west, east))
    # A box across the antimeridian (west > east).
    return and_(lat_ok, or_(lon >= west, lon <= east))


def _order(
    q: Select[Any], sorts: Mapping[str, Any], f: Filters, default: str, tie: Any
) -> Select[Any]:
    key = f.sort or default
    if key not in sorts:
        raise FilterError(f"sort: one of {', '.join(sorts)}")
    col = sorts[key]
    return q.order_by(col.desc().nulls_last() if f.desc else col.asc().nulls_last(), tie)


def _limit(f: Filters) -> tuple[int, int]:
    return max(1, min(f.limit, MAX_LIMIT)), max(0, f.offset)


# -- reviews --------------------------------------------------------------------------


# The linker's tables (party aliases), read once per process by the loader itself:
# re-aggregating an incident reads the best figures the linker's way (review.best_of).
link_tables = load_tables


_OD = D.alias("origin_doc")
_SOURCE_COLS = (
    D.c.id,
    D.c.outlet,
    D.c.published,
    CP.c.origin_id,
    _OD.c.outlet.label("origin_outlet"),
    _OD.c.published.label("origin_published"),
)
_SOURCES_FROM = D.outerjoin(CP, CP.c.document_id == D.c.id).outerjoin(
    _OD, _OD.c.id == CP.c.origin_id
)


def _source_doc(doc_id: str, outlet: str | None, published: date | None) -> Document:
    # Only what the linker's best figures read of a document: its outlet (the source
    # of a reporter's own voice) and its publication date (a report's date).
    return Document(id=doc_id, text="", content_hash="", outlet=outlet, published=published)


def _add_source(r: Any, documents: dict[str, Document], origin: dict[str, str]) -> None:
    documents[r.id] = _source_doc(r.id, r.outlet, r.published)
    if r.origin_id is not None:
        origin[r.id] = r.origin_id
        documents.setdefault(
            r.origin_id, _source_doc(r.origin_id, r.origin_outlet, r.origin_published)
        )


def figure_sources(
    conn: Connection, document_ids: Iterable[str]
) -> tuple[dict[str, Document], dict[str, str]]:
    """What ``review.aggregate`` needs for the linker's best figures, in one query (per
    500 documents): the documents' outlets and publication dates, and their copy
    origins (document id -> origin id) with the origins' own outlets and dates."""
    ids = sorted(set(document_ids))
    documents: dict[str, Document] = {}
    origin: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        q = select(*_SOURCE_COLS).select_from(_SOURCES_FROM).where(D.c.id.in_(ids[i : i + 500]))
        for r in conn.execute(q):
            _add_source(r, documents, origin)
    return documents, origin


def reaggregate(
    conn: Connection,
    incident: Incident,
    claims: Sequence[Claim],
    reviews: Mapping[str, ClaimReview],
) -> Incident:
    """``review.aggregate`` with the documents and copy origins the linker used."""
    documents, origin = figure_sources(conn, {c.document_id for c in claims})
    return aggregate(
        incident, claims, reviews, documents=documents, origin=origin, tables=link_tables()
    )


def claim_reviews(conn: Connection, claim_ids: Iterable[str]) -> dict[str, ClaimReview]:
    ids = list(claim_ids)
    if not ids:
        return {}
    out: dict[str, ClaimReview] = {}
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(CR).where(CR.c.claim_id.in_(ids[i : i + 500]))):
            out[r.claim_id] = ClaimReview(r.claim_id, r.status, dict(r.edits or {}))
    return out


def incident_reviews(conn: Connection, incident_ids: Iterable[str]) -> dict[str, IncidentReview]:
    ids = list(incident_ids)
    if not ids:
        return {}
    rows = conn.execute(select(IR).where(IR.c.incident_id.in_(ids)))
    return {
        r.incident_id: IncidentReview(r.incident_id, bool(r.discounted), r.reason, r.merged_into)
        for r in rows
    }


def _merged_from(conn: Connection, incident_ids: Sequence[str]) -> dict[str, list[str]]:
    """Incidents an analyst merged into each of ``incident_ids``."""
    if not incident_ids:
        return {}
    out: dict[str, list[str]] = {}
    rows = conn.execute(
        select(IR.c.incident_id, IR.c.merged_into).where(IR.c.merged_into.in_(incident_ids))
    )
    for r in rows:
        out.setdefault(r.merged_into, []).append(r.incident_id)
    return out


def _overlay_incidents(conn: Connection, incidents: list[Incident]) -> list[Incident]:
    """Apply incident reviews, and re-aggregate those with reviewed or merged claims."""
    ids = [x.id for x in incidents]
    if not ids:
        return incidents
    ireviews = incident_reviews(conn, ids)
    merged = _merged_from(conn, ids)
    touched = {
        r.incident_id
        for r in conn.execute(
            select(C.c.incident_id)
            .select_from(C.join(CR, CR.c.claim_id == C.c.id))
            .where(C.c.incident_id.in_(ids))
            .distinct()
        )
    }
    out = []
    for x in incidents:
        if x.id in touched or x.id in merged:
            claims = _incident_claims(conn, [x.id, *merged.get(x.id, [])])
            reviews = claim_reviews(conn, [c.id for c in claims])
            if x.id in merged or changes_figures(reviews.values()):
                x = reaggregate(conn, x, claims, reviews)
        out.append(apply_incident_review(x, ireviews.get(x.id)))
    return out


def _incident_claims(conn: Connection, incident_ids: Sequence[str]) -> list[Claim]:
    q = (
        select(C)
        .where(C.c.incident_id.in_(list(incident_ids)))
        .order_by(C.c.document_id, C.c.span_start)
    )
    return [claim_from_row(r) for r in conn.execute(q)]


# -- JSON shapes (the export's field names, DESIGN.md) --------------------------------


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


place_json = place_row


def claim_json(
    c: Claim, doc: Mapping[str, Any] | None, review: ClaimReview | None
) -> dict[str, Any]:
    c = apply_claim_review(c, review)
    return claim_fields(
        c,
        document_url=doc.get("url") if doc else None,
        outlet=doc.get("outlet") if doc else None,
        published=doc.get("published") if doc else None,
    ) | {
        "review": None if review is None else review.to_json(),
        "links": {
            "self": f"/api/v1/claims/{c.id}",
            "document": f"/api/v1/documents/{c.document_id}",
            "incident": None if c.incident_id is None else f"/api/v1/incidents/{c.incident_id}",
        },
    }


def incident_json(x: Incident, review: IncidentReview | None = None) -> dict[str, Any]:
    return incident_row(x) | {
        "review": None if review is None else review.to_json(),
        "links": {"self": f"/api/v1/incidents/{x.id}", "page": f"/incidents/{x.id}"},
    }


def document_json(d: Document, *, text: bool = True) -> dict[str, Any]:
    row = {k: v for k, v in document_row(d).items() if k not in {"text", "source"}} | {
        "links": {"self": f"/api/v1/documents/{d.id}", "page": f"/documents/{d.id}"},
    }
    if text:
        row["text"] = d.text
    return row


# -- lists ----------------------------------------------------------------------------


def _incident_where(f: Filters) -> list[ColumnElement[bool]]:
    w: list[ColumnElement[bool]] = [IR.c.merged_into.is_(None)]
    if f.date_from is not None:
        w.append(func.coalesce(INC.c.date_end, INC.c.date_start) >= f.date_from)
    if f.date_to is not None:
        w.append(INC.c.date_start <= f.date_to)
    if f.country:
        w.append(INC.c.place_country == f.country.upper())
    if f.bbox is not None:
        w.append(_bbox(INC.c.place_lat, INC.c.place_lon, f.bbox))
    if f.grade:
        w.append(_grade == f.grade)
    claim_conds: list[ColumnElement[bool]] = []
    if f.effect:
        claim_conds.append(C.c.effect == f.effect)
    if f.claimant:
        claim_conds.append(
            or_(_contains(C.c.claimant_name, f.claimant), _contains(C.c.claimant_text, f.claimant))
        )
    if f.outlet:
        claim_conds.append(
            exists(select(D.c.id).where(D.c.id == C.c.document_id, _contains(D.c.outlet, f.outlet)))
        )
    if claim_conds:
        w.append(exists(select(C.c.id).where(C.c.incident_id == INC.c.id, *claim_conds)))
    if f.q:
        w.append(
            or_(
                _contains(INC.c.title, f.q),
                _contains(INC.c.place_name, f.q),
                _contains(INC.c.place_text, f.q),
                exists(
                    select(C.c.id).where(C.c.incident_id == INC.c.id, _contains(C.c.quote, f.q))
                ),
            )
        )
    return w


_IR2 = IR.alias("merged_ir")
_CLAIM_REVIEWED = (
    exists(select(CR.c.claim_id).select_from(CR.join(C, C.c.id == CR.c.claim_id)))
    .where(C.c.incident_id == INC.c.id)
    .correlate(INC)
)
_HAS_MERGED = exists(select(_IR2.c.incident_id).where(_IR2.c.merged_into == INC.c.id)).correlate(
    INC
)


def incidents_page(conn: Connection, f: Filters) -> Page:
    """One query in the common case: the page's rows, their total (a window count),
    their incident reviews, and whether any needs the claim overlay."""
    limit, offset = _limit(f)
    src = INC.outerjoin(IR, IR.c.incident_id == INC.c.id)
    where = _incident_where(f)
    cols: list[Any] = [
        INC,
        IR.c.discounted.label("ir_discounted"),
        IR.c.reason.label("ir_reason"),
        IR.c.merged_into.label("ir_merged_into"),
        _CLAIM_REVIEWED.label("ir_touched"),
        _HAS_MERGED.label("ir_has_merged"),
        func.count().over().label("ir_total"),
    ]
    q = _order(select(*cols).select_from(src).where(*where), INCIDENT_SORTS, f, "date", INC.c.id)
    rows = conn.execute(q.limit(limit).offset(offset)).all()
    if rows:
        total = int(rows[0].ir_total)
    else:
        total = conn.execute(select(func.count()).select_from(src).where(*where)).scalar_one()
    items = []
    for r in rows:
        x = incident_from_row(r)
        review = None
        if r.ir_discounted is not None:
            review = IncidentReview(x.id, bool(r.ir_discounted), r.ir_reason, r.ir_merged_into)
        if r.ir_touched or r.ir_has_merged:
            [x] = _overlay_incidents(conn, [x])
        else:
            x = apply_incident_review(x, review)
        items.append(incident_json(x, review))
    return Page(int(total), items, limit, offset)


def _claim_where(f: Filters) -> list[ColumnElement[bool]]:
    w: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        w.append(func.coalesce(C.c.date_end, C.c.date_start) >= f.date_from)
    if f.date_to is not None:
        w.append(C.c.date_start <= f.date_to)
    if f.country:
        w.append(C.c.place_country == f.country.upper())
    if f.bbox is not None:
        w.append(_bbox(C.c.place_lat, C.c.place_lon, f.bbox))
    if f.effect:
        w.append(C.c.effect == f.effect)
    if f.claimant:
        w.append(
            or_(_contains(C.c.claimant_name, f.claimant), _contains(C.c.claimant_text, f.claimant))
        )
    if f.outlet:
        w.append(_contains(D.c.outlet, f.outlet))
    if f.grade:
        w.append(
            exists(
                select(INC.c.id)
                .select_from(INC.outerjoin(IR, IR.c.incident_id == INC.c.id))
                .where(INC.c.id == C.c.incident_id, _grade == f.grade)
            )
        )
    if f.q:
        w.append(or_(_contains(C.c.quote, f.q), _contains(C.c.place_text, f.q)))
    if f.incident_id:
        w.append(C.c.incident_id == f.incident_id)
    if f.document_id:
        w.append(C.c.document_id == f.document_id)
    return w


_DOC_META = (D.c.url.label("doc_url"), D.c.outlet.label("doc_outlet"), D.c.published)


def _doc_meta(r: Any) -> dict[str, Any]:
    return {"url": r.doc_url, "outlet": r.doc_outlet, "published": _iso(r.published)}


def claims_page(conn: Connection, f: Filters) -> Page:
    limit, offset = _limit(f)
    src = C.join(D, D.c.id == C.c.document_id)
    where = _claim_where(f)
    total = conn.execute(select(func.count()).select_from(src).where(*where)).scalar_one()
    q = _order(select(C, *_DOC_META).select_from(src).where(*where), CLAIM_SORTS, f, "date", C.c.id)
    rows = conn.execute(q.limit(limit).offset(offset)).all()
    reviews = claim_reviews(conn, [r.id for r in rows])
    items = [claim_json(claim_from_row(r), _doc_meta(r), reviews.get(r.id)) for r in rows]
    return Page(int(total), items, limit, offset)


def documents_page(conn: Connection, f: Filters) -> Page:
    limit, offset = _limit(f)
    w: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        w.append(D.c.published >= f.date_from)
    if f.date_to is not None:
        w.append(D.c.published <= f.date_to)
    if f.outlet:
        w.append(_contains(D.c.outlet, f.outlet))
    if f.q:
        w.append(or_(_contains(D.c.title, f.q), _contains(D.c.text, f.q)))
    if f.country or f.effect or f.claimant:
        conds: list[ColumnElement[bool]] = [C.c.document_id == D.c.id]
        if f.country:
            conds.append(C.c.place_country == f.country.upper())
        if f.effect:
            conds.append(C.c.effect == f.effect)
        if f.claimant:
            conds.append(_contains(C.c.claimant_name, f.claimant))
        w.append(exists(select(C.c.id).where(*conds)))
    total = conn.execute(select(func.count()).select_from(D).where(*w)).scalar_one()
    cols = [c for c in D.c if c.name != "text"]
    q = _order(select(*cols).where(*w), DOCUMENT_SORTS, f, "published", D.c.id)
    items = []
    for r in conn.execute(q.limit(limit).offset(offset)):
        items.append(
            {
                "id": r.id,
                "url": r.url,
                "outlet": r.outlet,
                "title": r.title,
                "published": _iso(r.published),
                "lang": r.lang,
                "dataset": r.dataset,
                "links": {"self": f"/api/v1/documents/{r.id}", "page": f"/documents/{r.id}"},
            }
        )
    return Page(int(total), items, limit, offset)


def copies_page(conn: Connection, f: Filters) -> Page:
    limit, offset = _limit(f)
    w: list[ColumnElement[bool]] = []
    if f.document_id:
        w.append(or_(CP.c.document_id == f.document_id, CP.c.origin_id == f.document_id))
    total = conn.execute(select(func.count()).select_from(CP).where(*w)).scalar_one()
    q = select(CP).where(*w).order_by(CP.c.origin_id, CP.c.document_id)
    items = [
        {
            "document_id": r.document_id,
            "origin_id": r.origin_id,
            "similarity": round(r.similarity, 4),
        }
        for r in conn.execute(q.limit(limit).offset(offset))
    ]
    return Page(int(total), items, limit, offset)


def claimants(conn: Connection, f: Filters) -> Page:
    """Normalized claimants with how many claims and incidents each has."""
    limit, offset = _limit(f)
    name = func.coalesce(C.c.claimant_name, C.c.claimant_text)
    w: list[ColumnElement[bool]] = [name.is_not(None)]
    if f.q:
        w.append(_contains(name, f.q))
    grouped = (
        select(
            name.label("name"),
            func.max(C.c.claimant_kind).label("kind"),
            func.count().label("claims"),
            func.count(C.c.incident_id.distinct()).label("incidents"),
        )
        .where(*w)
        .group_by(name)
    )
    total = conn.execute(select(func.count()).select_from(grouped.subquery())).scalar_one()
    q = grouped.order_by(func.count().desc(), name).limit(limit).offset(offset)
    items = [
        {"name": r.name, "kind": r.kind, "claims": r.claims, "incidents": r.incidents}
        for r in conn.execute(q)
    ]
    return Page(int(total), items, limit, offset)


# -- one record -----------------------------------------------------------------------


def claim_detail(conn: Connection, claim_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(C, *_DOC_META)
        .select_from(C.join(D, D.c.id == C.c.document_id))
        .where(C.c.id == claim_id)
    ).first()
    if row is None:
        return None
    reviews = claim_reviews(conn, [claim_id])
    return claim_json(claim_from_row(row), _doc_meta(row), reviews.get(claim_id))


def incident_detail(conn: Connection, incident_id: str) -> dict[str, Any] | None:
    """An incident with its claims (analyst overlay applied), documents and copies.

    Four queries: the incident with its review, what was merged into it, its claims
    with their reviews, its documents with their copy links (and the origins' outlets
    and dates, which the best figures read when the overlay re-aggregates). An incident merged into
    another is still shown (with ``merged_into``) so that links to it lead somewhere.
    """
    row = conn.execute(
        select(
            INC,
            IR.c.discounted.label("ir_discounted"),
            IR.c.reason.label("ir_reason"),
            IR.c.merged_into.label("ir_merged_into"),
        )
        .select_from(INC.outerjoin(IR, IR.c.incident_id == INC.c.id))
        .where(INC.c.id == incident_id)
    ).first()
    if row is None:
        return None
    incident = incident_from_row(row)
    ireview = None
    if row.ir_discounted is not None:
        ireview = IncidentReview(
            incident_id, bool(row.ir_discounted), row.ir_reason, row.ir_merged_into
        )
    merged = [
        r.incident_id
        for r in conn.execute(
            select(IR.c.incident_id)
            .where(IR.c.merged_into == incident_id)
            .order_by(IR.c.incident_id)
        )
    ]
    claim_rows = conn.execute(
        select(C, CR.c.status.label("cr_status"), CR.c.edits.label("cr_edits"))
        .select_from(C.outerjoin(CR, CR.c.claim_id == C.c.id))
        .where(C.c.incident_id.in_([incident_id, *merged]))
        .order_by(C.c.document_id, C.c.span_start)
    ).all()
    claims = [claim_from_row(r) for r in claim_rows]
    reviews = {
        r.id: ClaimReview(r.id, r.cr_status, dict(r.cr_edits or {}))
        for r in claim_rows
        if r.cr_edits is not None
    }
    # The documents with their copy links, and the origins' outlets and dates: shown
    # with the claims, and read by the best figures when the overlay re-aggregates.
    doc_ids = sorted({c.document_id for c in claims} | set(incident.document_ids))
    docs: dict[str, dict[str, Any]] = {}
    sources: dict[str, Document] = {}
    origin: dict[str, str] = {}
    if doc_ids:
        q = (
            select(*_SOURCE_COLS, D.c.url, D.c.title)
            .select_from(_SOURCES_FROM)
            .where(D.c.id.in_(doc_ids))
            .order_by(D.c.id)
        )
        for r in conn.execute(q):
            _add_source(r, sources, origin)
            docs[r.id] = {
                "id": r.id,
                "url": r.url,
                "outlet": r.outlet,
                "title": r.title,
                "published": _iso(r.published),
                "copy_of": r.origin_id,
            }
    if merged or changes_figures(reviews.values()):
        incident = aggregate(
            incident, claims, reviews, documents=sources, origin=origin, tables=link_tables()
        )
        docs = {k: v for k, v in docs.items() if k in incident.document_ids}
    incident = apply_incident_review(incident, ireview)
    out = incident_json(incident, ireview)
    out["claims"] = [claim_json(c, docs.get(c.document_id), reviews.get(c.id)) for c in claims]
    out["documents"] = list(docs.values())
    out["merged_from"] = merged
    return out


def document_detail(conn: Connection, document_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(D).where(D.c.id == document_id)).first()
    if row is None:
        return None
    doc = document_from_row(row)
    meta = {"url": doc.url, "outlet": doc.outlet, "published": _iso(doc.published)}
    claims = [
        claim_from_row(r)
        for r in conn.execute(
            select(C).where(C.c.document_id == document_id).order_by(C.c.span_start)
        )
    ]
    reviews = claim_reviews(conn, [c.id for c in claims])
    out = document_json(doc)
    out["claims"] = [claim_json(c, meta, reviews.get(c.id)) for c in claims]
    copy = conn.execute(select(CP).where(CP.c.document_id == document_id)).first()
    out["copy_of"] = None if copy is None else copy.origin_id
    out["copies"] = [
        r.document_id
        for r in conn.execute(
            select(CP.c.document_id).where(CP.c.origin_id == document_id).order_by(CP.c.document_id)
        )
    ]
    return out


def audit_entries(
    conn: Connection,
    *,
    target_kind: str | None = None,
    target_ids: Sequence[str] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    A = schema.audit_log
    w: list[ColumnElement[bool]] = []
    if target_kind:
        w.append(A.c.target_kind == target_kind)
    if target_ids is not None:
        w.append(A.c.target_id.in_(list(target_ids)))
    total = conn.execute(select(func.count()).select_from(A).where(*w)).scalar_one()
    limit = max(1, min(limit, MAX_LIMIT))
    q = select(A).where(*w).order_by(A.c.id.desc()).limit(limit).offset(max(0, offset))
    return Page(int(total), [_audit_json(r) for r in conn.execute(q)], limit, offset)


def incident_audit(
    conn: Connection, incident_id: str, claim_ids: Sequence[str], limit: int = 200
) -> list[dict[str, Any]]:
    """An incident's audit trail and its claims', newest first, in one query."""
    A = schema.audit_log
    cond = and_(A.c.target_kind == "incident", A.c.target_id == incident_id)
    if claim_ids:
        cond = or_(cond, and_(A.c.target_kind == "claim", A.c.target_id.in_(list(claim_ids))))
    q = select(A).where(cond).order_by(A.c.id.desc()).limit(limit)
    return [_audit_json(r) for r in conn.execute(q)]


def _audit_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "at": r.at.isoformat() if r.at else None,
        "user": r.username,
        "action": r.action,
        "target_kind": r.target_kind,
        "target_id": r.target_id,
        "before": r.before,
        "after": r.after,
        "reason": r.reason,
        "reverts": r.reverts,
    }


# -- the overlay for whole-table readers (the export) ---------------------------------


def stored_reviews(conn: Connection) -> tuple[dict[str, ClaimReview], dict[str, IncidentReview]]:
    """Every analyst decision (the review tables are small: one row per decision)."""
    claims = {
        r.claim_id: ClaimReview(r.claim_id, r.status, dict(r.edits or {}))
        for r in conn.execute(select(CR))
    }
    incidents = {
        r.incident_id: IncidentReview(r.incident_id, bool(r.discounted), r.reason, r.merged_into)
        for r in conn.execute(select(IR))
    }
    return claims, incidents


def overlay_incidents(conn: Connection, incidents: Iterable[Incident]) -> Iterator[Incident]:
    """Incidents as the analysts left them: merged ones folded into their target,
    those with reviewed claims re-aggregated, discounted ones graded so."""
    creviews, ireviews = stored_reviews(conn)
    if not creviews and not ireviews:
        yield from incidents
        return
    touched = set()
    if creviews:
        ids = list(creviews)
        for i in range(0, len(ids), 500):
            touched |= {
                r.incident_id
                for r in conn.execute(
                    select(C.c.incident_id).where(C.c.id.in_(ids[i : i + 500])).distinct()
                )
            }
    merged: dict[str, list[str]] = {}
    for r in ireviews.values():
        if r.merged_into:
            merged.setdefault(r.merged_into, []).append(r.incident_id)
    for x in incidents:
        review = ireviews.get(x.id)
        if review is not None and review.merged_into:
            continue
        if x.id in touched or x.id in merged:
            claims = _incident_claims(conn, [x.id, *merged.get(x.id, [])])
            mine = [creviews[c.id] for c in claims if c.id in creviews]
            if x.id in merged or changes_figures(mine):
                x = reaggregate(conn, x, claims, creviews)
        yield apply_incident_review(x, review)


def reviewed_claims(store: Store, claims: Sequence[Claim]) -> list[Claim]:
    """Claims with the analysts' corrections applied (for relinking: a corrected place
    or date regroups a claim; the stored rows stay the pipeline's own)."""
    with store.engine.connect() as conn:
        reviews, _ = stored_reviews(conn)
    if not reviews:
        return list(claims)
    return [apply_claim_review(c, reviews.get(c.id)) for c in claims]


def apply_stored_splits(
    store: Store,
    incidents: Sequence[Incident],
    claims: Sequence[Claim],
    *,
    documents: Mapping[str, Document] | None = None,
    origin: Mapping[str, str] | None = None,
) -> list[Incident]:
    """The linker's incidents with the analysts' splits applied (for relinking). The
    incidents a split touches are re-aggregated with the linker's best figures over
    ``documents`` and copy ``origin`` (those the linker just used); without them, the
    stored documents and copy links of those incidents' claims are read."""
    with store.engine.connect() as conn:
        splits = [
            IncidentSplit(r.id, r.source_id, tuple(r.claim_ids), r.reason)
            for r in conn.execute(
                select(schema.incident_splits).order_by(schema.incident_splits.c.created_at)
            )
        ]
        if not splits:
            return list(incidents)
        reviews, _ = stored_reviews(conn)
        by_id = {c.id: c for c in claims}
        if documents is None or origin is None:
            moving = {c for s in splits for c in s.claim_ids}
            held = {c for x in incidents if moving & set(x.claim_ids) for c in x.claim_ids}
            doc_ids = {by_id[c].document_id for c in held | moving if c in by_id}
            documents, origin = figure_sources(conn, doc_ids)
    return apply_splits(
        incidents,
        by_id,
        splits,
        reviews,
        documents=documents,
        origin=origin,
        tables=link_tables(),
    )
