"""Server-rendered pages: the incident list (map, timeline), an incident, a document,
the audit log. Article text is untrusted: templates autoescape, and evidence is
highlighted by cutting the text at the claims' offsets and escaping every piece."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from tolltrace.records import EFFECTS, GRADES
from tolltrace.review import CLAIM_FIELDS
from tolltrace.store import Store
from tolltrace.web import queries
from tolltrace.web.deps import AuthContext, page_reader, render, store
from tolltrace.web.queries import FilterError, Filters

__all__ = ["Segment", "group_claims", "router", "segments"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[AuthContext, Depends(page_reader)]
# The store, not an open connection (see api.DB).
DB = Annotated[Store, Depends(store)]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of document text and the claims whose evidence covers it."""

    text: str
    start: int
    claim_ids: tuple[str, ...] = ()


def segments(text: str, spans: Sequence[tuple[str, int, int]]) -> list[Segment]:
    """Cut ``text`` at every claim's evidence offsets (overlaps allowed).

    ``spans`` are ``(claim_id, start, end)``; offsets out of range are clamped, empty
    spans ignored. The pieces join back to exactly ``text``.
    """
    n = len(text)
    clean = [(cid, max(0, min(s, n)), max(0, min(e, n))) for cid, s, e in spans]
    clean = [(cid, s, e) for cid, s, e in clean if e > s]
    cuts = sorted({0, n, *(s for _, s, _ in clean), *(e for _, _, e in clean)})
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        if b <= a:
            continue
        covering = tuple(cid for cid, s, e in clean if s <= a and b <= e)
        out.append(Segment(text[a:b], a, covering))
    return out


def group_claims(
    claims: Sequence[Mapping[str, Any]], documents: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Claims grouped by original text: each group's cards are the claims of its origin
    document (or of the first copy, when the origin is not in the incident), and the
    claims of copies are folded under it."""
    copy_of = {d["id"]: d.get("copy_of") for d in documents}
    groups: dict[str, dict[str, Any]] = {}
    for c in claims:
        doc = c["document_id"]
        origin = copy_of.get(doc) or doc
        g = groups.setdefault(origin, {"origin": origin, "cards": [], "copies": [], "lead": None})
        if g["lead"] is None and (
            doc == origin or not any(x["document_id"] == origin for x in claims)
        ):
            g["lead"] = doc
        (g["cards"] if doc == g["lead"] else g["copies"]).append(c)
    return list(groups.values())


def _filters(params: Mapping[str, str]) -> tuple[Filters, dict[str, str], str | None]:
    """Filters from the page's query string; a bad value is reported, not fatal."""
    form = {k: params.get(k, "").strip() for k in _FILTER_KEYS}
    error = None
    values: dict[str, Any] = {}
    try:
        for key in ("date_from", "date_to"):
            if form[key]:
                values[key] = date.fromisoformat(form[key])
        if form["country"]:
            if len(form["country"]) != 2 or not form["country"].isalpha():
                raise FilterError("country: a two-letter code")
            values["country"] = form["country"]
        values["bbox"] = queries.parse_bbox(form["bbox"] or None)
        if form["effect"] and form["effect"] not in EFFECTS:
            raise FilterError("effect: unknown")
        if form["grade"] and form["grade"] not in GRADES:
            raise FilterError("grade: unknown")
        if form["sort"] and form["sort"] not in queries.INCIDENT_SORTS:
            raise FilterError("sort: unknown")
        for key in ("effect", "grade", "claimant", "outlet", "q", "sort"):
            if form[key]:
                values[key] = form[key][:200]
        values["desc"] = form["order"] != "asc"
        page = int(form["page"]) if form["page"].isdigit() else 1
        values["offset"] = (max(1, min(page, 10_000)) - 1) * _PAGE_SIZE
    except (ValueError, FilterError) as exc:
        error = str(exc)
        values = {}
    return Filters(limit=_PAGE_SIZE, **values), form, error


_FILTER_KEYS = (
    "date_from",
    "date_to",
    "country",
    "bbox",
    "effect",
    "grade",
    "claimant",
    "outlet",
    "q",
    "sort",
    "order",
    "page",
)
_PAGE_SIZE = 50


@router.get("/", response_class=HTMLResponse)
def index(request: Request, ctx: Reader, db: DB) -> Response:
    f, form, error = _filters(request.query_params)
    with queries.reader(db) as c:
        page = queries.incidents_page(c, f)
    query = {k: v for k, v in form.items() if v and k != "page"}
    n_pages = max(1, -(-page.total // _PAGE_SIZE))
    current = page.offset // _PAGE_SIZE + 1
    return render(
        request,
        "index.html",
        {
            "page": page,
            "form": form,
            "error": error,
            "effects": EFFECTS,
            "grades": GRADES,
            "sorts": list(queries.INCIDENT_SORTS),
            "api_query": urlencode({**query, "limit": queries.MAX_LIMIT}),
            "prev_url": "/?" + urlencode({**query, "page": current - 1}) if current > 1 else None,
            "next_url": "/?" + urlencode({**query, "page": current + 1})
            if current < n_pages
            else None,
            "current": current,
            "n_pages": n_pages,
        },
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(incident_id: str, request: Request, ctx: Reader, db: DB) -> Response:
    with queries.reader(db) as c:
        item = queries.incident_detail(c, incident_id)
        if item is None:
            raise HTTPException(404, "no such incident")
        claim_ids = [x["id"] for x in item["claims"]]
        entries = queries.incident_audit(c, incident_id, claim_ids)
    return render(
        request,
        "incident.html",
        {
            "incident": item,
            "groups": group_claims(item["claims"], item["documents"]),
            "audit": entries,
            "effects": EFFECTS,
            "fields": CLAIM_FIELDS,
            "split_form": len(item["claims"]) > 1,
            "error": request.query_params.get("error"),
        },
    )


@router.get("/documents/{document_id:path}", response_class=HTMLResponse)
def document_page(document_id: str, request: Request, ctx: Reader, db: DB) -> Response:
    with queries.reader(db) as c:
        doc = queries.document_detail(c, document_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    spans = [(x["id"], x["start"], x["end"]) for x in doc["claims"]]
    number = {x["id"]: i + 1 for i, x in enumerate(doc["claims"])}
    return render(
        request,
        "document.html",
        {
            "doc": doc,
            "segments": segments(doc["text"], spans),
            "number": number,
            "error": request.query_params.get("error"),
        },
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    ctx: Reader,
    db: DB,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    with queries.reader(db) as c:
        entries = queries.audit_entries(c, limit=100, offset=(page - 1) * 100)
    return render(
        request,
        "audit.html",
        {"entries": entries, "page": page, "error": request.query_params.get("error")},
    )


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """Swagger UI from vendored files (no CDN); it reads ``/openapi.json``."""
    resp: Response = render(request, "docs.html", {})
    # Swagger UI sets inline style attributes from its scripts; allow styles only here.
    resp.headers["content-security-policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    return resp
