"""Link: documents -> copy groups, claims -> incidents with figures and a grade.

The public entry point is :func:`link`; the stages it runs are public too:

- :mod:`tolltrace.link.copies` — near-duplicate documents (MinHash LSH, containment);
- :mod:`tolltrace.link.incidents` — claims grouped into incidents, with nesting;
- :mod:`tolltrace.link.aggregate` — figures, sources and grade of one incident.

``link`` is a plain function over records (no I/O, no globals): it runs the same in
one process or on a Dask worker. Method, signals and thresholds: ``docs/linking.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tolltrace.link.aggregate import build_incident
from tolltrace.link.copies import CopyDetector, find_copies
from tolltrace.link.incidents import LinkParams, attach_unclaimed, group_claims
from tolltrace.link.resources import LinkTables, load_tables
from tolltrace.link.similarity import TextIndex
from tolltrace.records import Claim, CopyLink, Document, Incident, stable_id
from tolltrace.settings import SETTINGS, Settings

__all__ = ["CopyDetector", "LinkParams", "LinkResult", "find_copies", "link", "params_from"]


@dataclass(frozen=True, slots=True)
class LinkResult:
    incidents: tuple[Incident, ...]
    copies: tuple[CopyLink, ...]


_DEFAULTS = {s.name: s.default for s in SETTINGS}


def _setting(settings: Settings | None, name: str) -> float:
    return float(getattr(settings, name) if settings is not None else _DEFAULTS[name])


def params_from(settings: Settings | None) -> LinkParams:
    return LinkParams(
        max_days=int(_setting(settings, "link_max_days")),
        threshold=_setting(settings, "link_threshold"),
    )


def link(
    claims: Sequence[Claim],
    documents: Mapping[str, Document],
    *,
    settings: Settings | None = None,
    previous: Sequence[Incident] = (),
    tables: LinkTables | None = None,
) -> LinkResult:
    """Copy links among ``documents`` and incidents from ``claims``.

    ``previous`` incidents (from the last run) keep their ids when most of their claims
    stay together, so ids are stable across re-runs and additions. Embedded claims
    (another article's headline) and cumulative ones (running totals) make no
    incidents; denied claims join an incident (and contest it) but are not figures.
    """
    tables = tables or load_tables()
    params = params_from(settings)
    copies = find_copies(
        documents.values(),
        _setting(settings, "copy_threshold"),
        _setting(settings, "copy_containment"),
    )
    origin = {c.document_id: c.origin_id for c in copies}
    usable = [c for c in claims if not c.embedded and not c.cumulative]
    doc_ids = sorted({c.document_id for c in usable})
    unclaimed = sorted(set(documents) - set(doc_ids))
    if len(unclaimed) > 2 * len(doc_ids):
        # An archive mostly of documents without casualty figures (most not about an
        # incident at all): indexing them all to file a few is not worth its cost.
        unclaimed = []
    docs = [documents.get(d) or Document(id=d, text="", content_hash="") for d in doc_ids]
    docs += [documents[d] for d in unclaimed]
    text = TextIndex(docs, tables.stopwords)
    units, clusters, nesting = group_claims(usable, documents, origin, text, tables, params)

    groups: list[list[Claim]] = []
    for ci, members in enumerate(clusters):
        u = units[members[0]]
        if (
            len(members) == 1
            and not u.lead
            and ci not in nesting
            and not (u.standalone() and u.recent(params.max_days + 2))
        ):
            # A passing reference inside a report about something else, that no other
            # report takes up: too little to record as an incident of its own (on
            # gva-dev these were mostly earlier shootings and yearly tallies). One that
            # states its own place and time is kept when it is news of the report's
            # days (reports appear a day or two after the event, as in the candidate
            # window), not an earlier shooting told as background.
            groups.append([])
            continue
        groups.append([c for i in members for c in units[i].claims])
    ids = _assign_ids(groups, documents, previous)
    # Each document's lead unit names its incident: reports without a claim join it.
    lead_of = {
        units[i].doc_id: ci
        for ci, members in enumerate(clusters)
        if ids[ci] is not None
        for i in members
        if units[i].lead
    }
    extra: dict[int, list[str]] = {}
    attached = attach_unclaimed(
        text,
        lead_of,
        unclaimed,
        {d: documents[d].published for d in documents},
        params.attach_cosine,
    )
    for doc_id, ci in attached.items():
        extra.setdefault(ci, []).append(doc_id)
    incidents = []
    for ci, cs in enumerate(groups):
        if ids[ci] is None:
            continue
        parent = nesting.get(ci)
        x = build_incident(
            ids[ci] or "",
            cs,
            documents,
            origin,
            tables,
            part_of=ids[parent] if parent is not None else None,
        )
        if ci in extra:
            x = replace(x, document_ids=tuple(sorted({*x.document_ids, *extra[ci]})))
        incidents.append(x)
    incidents.sort(key=lambda x: x.id)
    return LinkResult(tuple(incidents), copies)


def _assign_ids(
    groups: Sequence[Sequence[Claim]],
    documents: Mapping[str, Document],
    previous: Sequence[Incident],
) -> list[str | None]:
    """Stable incident ids; None for a group with no figure to record (denials only).

    A group keeps a previous incident's id when it holds more than half of that
    incident's claims that still exist (the best such group, one id per group);
    otherwise its id derives from its founding claim: the earliest published, then
    the smallest claim id — a claim that later additions do not displace.
    """
    present = {c.id for cs in groups for c in cs}
    prev_of: dict[str, str] = {}
    prev_size: Counter[str] = Counter()
    for x in previous:
        for cid in x.claim_ids:
            if cid in present:
                prev_of[cid] = x.id
                prev_size[x.id] += 1
    offers: list[tuple[int, int, str]] = []  # (-overlap, group, previous id)
    for gi, cs in enumerate(groups):
        overlap = Counter(prev_of[c.id] for c in cs if c.id in prev_of)
        for pid, n in overlap.items():
            if 2 * n > prev_size[pid]:
                offers.append((-n, gi, pid))
    ids: list[str | None] = [None] * len(groups)
    taken: set[str] = set()
    for _, gi, pid in sorted(offers):
        if ids[gi] is None and pid not in taken:
            ids[gi] = pid
            taken.add(pid)

    def founding(c: Claim) -> tuple[int, str]:
        d = documents.get(c.document_id)
        return (d.published.toordinal() if d and d.published else 10**7), c.id

    for gi, cs in enumerate(groups):
        counted = [c for c in cs if c.stance != "denied"]
        if not counted:
            ids[gi] = None
            continue
        if ids[gi] is None:
            new = stable_id("inc", min(counted, key=founding).id)
            while new in taken:
                new = stable_id("inc", new)
            ids[gi] = new
            taken.add(new)
    return ids
