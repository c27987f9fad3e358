"""One incident, laid out for a reader: its claims side by side, copies folded.

``incident_view`` is a pure function over records; ``tolltrace incident ID`` prints
it as tables and ``--json`` prints it as is. Claims are grouped by the document that
first published them: a copy's claims are not repeated, the copy is listed under its
origin (outlet, date, similarity), so a figure repeated by twelve outlets shows once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tolltrace.records import Claim, CopyLink, Document, Figure, Incident

__all__ = ["incident_view"]


def _fig(f: Figure) -> dict[str, int | None]:
    return {"min": f.min, "max": f.max}


def _iso(d: Any) -> str | None:
    return None if d is None else str(d.isoformat())


def incident_view(
    incident: Incident,
    claims: Sequence[Claim],
    documents: Mapping[str, Document],
    copies: Sequence[CopyLink],
) -> dict[str, Any]:
    origin = {c.document_id: c for c in copies}
    groups: dict[str, list[Claim]] = {}
    for c in sorted(claims, key=lambda c: (c.document_id, c.start, c.id)):
        link = origin.get(c.document_id)
        groups.setdefault(link.origin_id if link else c.document_id, []).append(c)

    def doc_row(doc_id: str) -> dict[str, Any]:
        d = documents.get(doc_id)
        return {
            "document_id": doc_id,
            "outlet": d.outlet if d else None,
            "published": _iso(d.published) if d else None,
            "title": d.title if d else None,
            "url": d.url if d else None,
        }

    sources = []
    for origin_id in sorted(
        groups, key=lambda o: (_iso(getattr(documents.get(o), "published", None)) or "~", o)
    ):
        members = groups[origin_id]
        shown_doc = origin_id if any(c.document_id == origin_id for c in members) else None
        # Claims of the origin itself when it has any; else those of its first copy.
        first = shown_doc or min(c.document_id for c in members)
        folded = sorted(
            {c.document_id for c in members if c.document_id != first}
            | {ln.document_id for ln in copies if ln.origin_id == origin_id} - {first}
        )
        sources.append(
            {
                **doc_row(first),
                "claims": [
                    {
                        "id": c.id,
                        "claimant": (c.claimant.name or c.claimant.text) if c.claimant else None,
                        "effect": c.effect,
                        "min": c.count.min,
                        "max": c.count.max,
                        "count_text": c.count.text,
                        "stance": c.stance,
                        "quote": c.quote,
                        "place": (c.place.name or c.place.text) if c.place else None,
                        "date_start": _iso(c.time.date_start) if c.time else None,
                        "date_end": _iso(c.time.date_end) if c.time else None,
                    }
                    for c in members
                    if c.document_id == first
                ],
                "copies": [
                    {
                        **doc_row(d),
                        "similarity": round(origin[d].similarity, 3) if d in origin else None,
                    }
                    for d in folded
                ],
            }
        )
    return {
        "id": incident.id,
        "title": incident.title,
        "date_start": _iso(incident.date_start),
        "date_end": _iso(incident.date_end),
        "place": (incident.place.name or incident.place.text) if incident.place else None,
        "means": incident.means,
        "perpetrators": list(incident.perpetrators),
        "killed": _fig(incident.killed),
        "injured": _fig(incident.injured),
        # One figure each, comparable with a registry's (docs/linking.md, "Figures").
        "best_killed": incident.best_killed,
        "best_injured": incident.best_injured,
        "claimants": [
            {"name": c.name, "killed": _fig(c.killed), "injured": _fig(c.injured)}
            for c in incident.claimants
        ],
        "independent_sources": incident.independent_sources,
        "grade": incident.grade,
        "grade_reason": incident.grade_reason,
        "part_of": incident.part_of,
        "sources": sources,
        # Documents filed under the incident that state no figure of their own.
        "other_reports": [
            doc_row(d)
            for d in incident.document_ids
            if d not in {c.document_id for c in claims}
            and not any(d == cp["document_id"] for s in sources for cp in s["copies"])
        ],
    }
