"""Stored records -> the stable row shapes of DESIGN.md (plain dicts, JSON-ready)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tolltrace.records import Claim, Document, Figure, Incident, Place
from tolltrace.store import Store

EXPORT_KINDS = ("claims", "incidents", "documents", "copies")


def place_row(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "text": p.text,
        "qualifier": p.qualifier,
        "name": p.name,
        "country": p.country,
        "admin1": p.admin1,
        "lat": p.lat,
        "lon": p.lon,
        "geonameid": p.geonameid,
        "precision": p.precision,
    }


def _iso(d: Any) -> str | None:
    return None if d is None else d.isoformat()


def document_row(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "url": d.url,
        "outlet": d.outlet,
        "title": d.title,
        "published": _iso(d.published),
        "lang": d.lang,
        "dataset": d.dataset,
        "source": d.source,
        "content_hash": d.content_hash,
        "embedded": [[s.start, s.end] for s in d.embedded],
        "text": d.text,
    }


def claim_row(c: Claim, doc: Document | None) -> dict[str, Any]:
    return claim_fields(
        c,
        document_url=doc.url if doc else None,
        outlet=doc.outlet if doc else None,
        published=_iso(doc.published) if doc else None,
    )


def claim_fields(
    c: Claim, *, document_url: str | None, outlet: str | None, published: str | None
) -> dict[str, Any]:
    """A claim's row, given its document's url, outlet and ISO publication date."""
    return {
        "id": c.id,
        "document_id": c.document_id,
        "document_url": document_url,
        "outlet": outlet,
        "published": published,
        "effect": c.effect,
        "min": c.count.min,
        "max": c.count.max,
        "count_text": c.count.text,
        "count_rule": c.count.rule,
        "victims": {
            "group": c.victims.group,
            "descriptors": list(c.victims.descriptors),
            "text": c.victims.text,
        },
        "perpetrator": c.perpetrator,
        "means": c.means,
        "place": place_row(c.place),
        "time_text": c.time.text if c.time else None,
        "date_start": _iso(c.time.date_start) if c.time else None,
        "date_end": _iso(c.time.date_end) if c.time else None,
        "date_precision": c.time.precision if c.time else None,
        "claimant": None
        if c.claimant is None
        else {"text": c.claimant.text, "name": c.claimant.name, "kind": c.claimant.kind},
        "stance": c.stance,
        "quote": c.quote,
        "start": c.start,
        "end": c.end,
        "incident_id": c.incident_id,
        "confidence": c.confidence,
        "extractor": c.extractor,
        "embedded": c.embedded,
        "cumulative": c.cumulative,
        "part_of": c.part_of,
    }


def _fig(f: Figure) -> dict[str, int | None]:
    return {"min": f.min, "max": f.max}


def incident_row(x: Incident) -> dict[str, Any]:
    return {
        "id": x.id,
        "title": x.title,
        "date_start": _iso(x.date_start),
        "date_end": _iso(x.date_end),
        "place": place_row(x.place),
        "means": x.means,
        "perpetrators": list(x.perpetrators),
        "killed": _fig(x.killed),
        "injured": _fig(x.injured),
        "best_killed": x.best_killed,
        "best_injured": x.best_injured,
        "claimants": [
            {"name": c.name, "killed": _fig(c.killed), "injured": _fig(c.injured)}
            for c in x.claimants
        ],
        "claim_ids": list(x.claim_ids),
        "document_ids": list(x.document_ids),
        "independent_sources": x.independent_sources,
        "grade": x.grade,
        "grade_reason": x.grade_reason,
        "part_of": x.part_of,
    }


def export_rows(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    if kind == "documents":
        yield from (document_row(d) for d in store.iter_documents())
    elif kind == "claims":
        # Analysts' decisions (docs/web.md) apply: their edits, and the review status.
        from tolltrace.review import apply_claim_review
        from tolltrace.web.queries import stored_reviews

        with store.engine.connect() as conn:
            reviews, _ = stored_reviews(conn)
        cache: dict[str, Document | None] = {}
        for c in store.iter_claims():
            if c.document_id not in cache:
                cache.clear()  # claims come in document order: keep one document
                cache[c.document_id] = store.get_document(c.document_id)
            review = reviews.get(c.id)
            row = claim_row(apply_claim_review(c, review), cache[c.document_id])
            row["review_status"] = review.status if review else None
            yield row
    elif kind == "incidents":
        from tolltrace.web.queries import overlay_incidents

        with store.engine.connect() as conn:
            yield from (incident_row(x) for x in overlay_incidents(conn, store.iter_incidents()))
    elif kind == "copies":
        for link in store.iter_copies():
            yield {
                "document_id": link.document_id,
                "origin_id": link.origin_id,
                "similarity": round(link.similarity, 4),
            }
    else:
        raise ValueError(f"unknown export kind: {kind}")
