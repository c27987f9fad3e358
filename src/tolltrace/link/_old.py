"""Link: claims -> incidents, documents -> copy groups. (First version: claims grouped
by place mention and day; full version in issue 5.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tolltrace.records import (
    Claim,
    ClaimantFigures,
    CopyLink,
    Document,
    Figure,
    Incident,
    stable_id,
)


@dataclass(frozen=True, slots=True)
class LinkResult:
    incidents: tuple[Incident, ...]
    copies: tuple[CopyLink, ...]


def _figure(claims: Sequence[Claim]) -> Figure:
    mins = [c.count.min for c in claims if c.count.min is not None]
    maxs = [c.count.max for c in claims if c.count.max is not None]
    open_max = any(c.count.max is None for c in claims)
    return Figure(min(mins) if mins else None, None if open_max or not maxs else max(maxs))


def _key(c: Claim, published: date | None) -> tuple[str, date | None]:
    place = ""
    if c.place is not None:
        place = (c.place.name or c.place.text).lower()
    day = c.time.date_start if c.time and c.time.date_start else published
    return place, day


def link(claims: Sequence[Claim], documents: Mapping[str, Document]) -> LinkResult:
    groups: dict[tuple[str, date | None], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.embedded or c.cumulative or c.stance == "denied":
            continue
        doc = documents.get(c.document_id)
        groups[_key(c, doc.published if doc else None)].append(c)
    incidents = []
    for (_place, day), members in groups.items():
        members.sort(key=lambda c: c.id)
        by_claimant: dict[str, list[Claim]] = defaultdict(list)
        for c in members:
            name = (c.claimant.name or c.claimant.text) if c.claimant else None
            by_claimant[name or documents[c.document_id].outlet or "unknown"].append(c)
        killed = [c for c in members if c.effect == "killed"]
        injured = [c for c in members if c.effect == "injured"]
        doc_ids = tuple(sorted({c.document_id for c in members}))
        first = members[0]
        place = next((c.place for c in members if c.place is not None), None)
        kf, jf = _figure(killed), _figure(injured)
        title_bits = []
        if kf.min is not None:
            title_bits.append(f"{kf.min}{'+' if kf.max is None else ''} killed")
        if jf.min is not None:
            title_bits.append(f"{jf.min}{'+' if jf.max is None else ''} injured")
        where = place.name or place.text if place else None
        title = ", ".join(title_bits) or "casualties reported"
        if where:
            title += f" in {where}"
        incidents.append(
            Incident(
                id=stable_id("inc", first.id),
                title=title,
                claim_ids=tuple(c.id for c in members),
                document_ids=doc_ids,
                place=place,
                date_start=day,
                date_end=day,
                means=next((c.means for c in members if c.means), None),
                perpetrators=tuple(sorted({c.perpetrator for c in members if c.perpetrator})),
                killed=kf,
                injured=jf,
                claimants=tuple(
                    ClaimantFigures(
                        name,
                        _figure([c for c in cs if c.effect == "killed"]),
                        _figure([c for c in cs if c.effect == "injured"]),
                    )
                    for name, cs in sorted(by_claimant.items())
                ),
                independent_sources=len(by_claimant),
                grade="corroborated" if len(by_claimant) > 1 else "single-source",
                grade_reason=f"{len(by_claimant)} independent source(s)",
            )
        )
    incidents.sort(key=lambda x: x.id)
    return LinkResult(tuple(incidents), ())
