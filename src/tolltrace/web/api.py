"""The read-only REST API under ``/api/v1/`` (review actions live in :mod:`.review`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from tolltrace.records import EFFECTS, GRADES
from tolltrace.store import Store
from tolltrace.web import queries
from tolltrace.web.deps import AuthContext, api_reader, store
from tolltrace.web.queries import FilterError, Filters, Page

__all__ = ["filters_from", "router"]

router = APIRouter(prefix="/api/v1", tags=["read"], dependencies=[Depends(api_reader)])

# The store, not an open connection: each handler holds a connection only while it
# runs in its worker thread (a connection held across a yield dependency can deadlock
# the thread pool under load).
DB = Annotated[Store, Depends(store)]


async def filters_from(
    date_from: Annotated[date | None, Query(description="On or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[date | None, Query(description="On or before (YYYY-MM-DD).")] = None,
    country: Annotated[
        str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2.")
    ] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees.")] = None,
    effect: Annotated[str | None, Query(description=" | ".join(EFFECTS))] = None,
    grade: Annotated[str | None, Query(description=" | ".join(GRADES))] = None,
    claimant: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text search.")] = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Filters:
    if effect and effect not in EFFECTS:
        raise HTTPException(400, f"effect: one of {', '.join(EFFECTS)}")
    if grade and grade not in GRADES:
        raise HTTPException(400, f"grade: one of {', '.join(GRADES)}")
    try:
        box = queries.parse_bbox(bbox)
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from exc
    return Filters(
        date_from=date_from,
        date_to=date_to,
        country=country or None,
        bbox=box,
        effect=effect or None,
        grade=grade or None,
        claimant=claimant or None,
        outlet=outlet or None,
        q=q or None,
        sort=sort or None,
        desc=order == "desc",
        limit=limit,
        offset=offset,
    )


F = Annotated[Filters, Depends(filters_from)]


def _page(page: Page) -> JSONResponse:
    # A Response, not a dict: FastAPI's jsonable_encoder would cost more than the query
    # (4 ms for 50 incidents, measured with benchmarks/bench_web.py's demo database).
    return JSONResponse(
        {"total": page.total, "limit": page.limit, "offset": page.offset, "items": page.items}
    )


def _run(fn: Any, db: Store, f: Filters) -> JSONResponse:
    try:
        with queries.reader(db) as c:
            return _page(fn(c, f))
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from exc


def _found(item: dict[str, Any] | None, what: str) -> JSONResponse:
    if item is None:
        raise HTTPException(404, f"no such {what}")
    return JSONResponse(item)


@router.get(
    "/incidents",
    summary="Incidents, filtered, sorted (date|killed|injured|sources|grade|title|country), paged",
)
def list_incidents(db: DB, f: F) -> Response:
    return _run(queries.incidents_page, db, f)


@router.get("/incidents/{incident_id}", summary="One incident with its claims and documents")
def get_incident(incident_id: str, db: DB) -> Response:
    with queries.reader(db) as c:
        return _found(queries.incident_detail(c, incident_id), "incident")


@router.get(
    "/claims",
    summary="Claims, filtered, sorted (date|count|effect|claimant|document|confidence), paged",
)
def list_claims(
    db: DB,
    f: F,
    incident_id: Annotated[str | None, Query(max_length=200)] = None,
    document_id: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    from dataclasses import replace

    return _run(
        queries.claims_page, db, replace(f, incident_id=incident_id, document_id=document_id)
    )


@router.get("/claims/{claim_id}", summary="One claim (analyst overlay applied)")
def get_claim(claim_id: str, db: DB) -> Response:
    with queries.reader(db) as c:
        return _found(queries.claim_detail(c, claim_id), "claim")


@router.get("/documents", summary="Documents (without their text), filtered, sorted, paged")
def list_documents(db: DB, f: F) -> Response:
    return _run(queries.documents_page, db, f)


@router.get("/documents/{document_id:path}", summary="One document with its text and claims")
def get_document(document_id: str, db: DB) -> Response:
    with queries.reader(db) as c:
        return _found(queries.document_detail(c, document_id), "document")


@router.get("/copies", summary="Copy links: document -> origin document")
def list_copies(
    db: DB, f: F, document_id: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    from dataclasses import replace

    return _run(queries.copies_page, db, replace(f, document_id=document_id))


@router.get("/claimants", summary="Claimants with their numbers of claims and incidents")
def list_claimants(db: DB, f: F) -> Response:
    return _run(queries.claimants, db, f)


@router.get("/audit", summary="The audit log, newest first")
def list_audit(
    db: DB,
    target_kind: Annotated[str | None, Query(pattern="^(claim|incident)$")] = None,
    target_id: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    with queries.reader(db) as c:
        page = queries.audit_entries(
            c,
            target_kind=target_kind,
            target_ids=[target_id] if target_id else None,
            limit=limit,
            offset=offset,
        )
    return _page(page)


@router.get("/me", summary="Who the caller is")
async def me(ctx: Annotated[AuthContext, Depends(api_reader)]) -> dict[str, Any]:
    u = ctx.user
    return {"user": None if u is None else {"username": u.username, "role": u.role}}
