"""Run the real pipeline (ingest -> extract/resolve -> link) over a gold folder's
documents and collect what it stored, timing each step."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from tolltrace.ingest import ingest
from tolltrace.pipeline import ingest_into, process, relink
from tolltrace.records import Claim, Failure, Incident
from tolltrace.resources import Resources
from tolltrace.settings import Settings
from tolltrace.store import Store
from tolltrace.store.store import AddResult

__all__ = ["Predictions", "run_pipeline"]


@dataclass
class Predictions:
    """What the pipeline stored for one gold folder."""

    # gold document id -> id of the stored document (differs for exact duplicates,
    # which the store keeps once); documents that failed to ingest are absent.
    stored_id: dict[str, str] = field(default_factory=dict)
    claims: dict[str, list[Claim]] = field(default_factory=dict)  # stored doc id -> claims
    incidents: list[Incident] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    duplicates: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def claims_of(self, gold_doc: str) -> list[Claim]:
        sid = self.stored_id.get(gold_doc)
        return self.claims.get(sid, []) if sid is not None else []


def run_pipeline(
    documents_jsonl: str,
    settings: Settings,
    store: Store,
    resources: Resources,
    limit: int | None = None,
) -> Predictions:
    """Ingest the first ``limit`` records of ``documents_jsonl`` (all when ``None``),
    extract, resolve and link them with the library's own stage functions."""
    pred = Predictions()
    t0 = time.perf_counter()

    # The limit counts records (Documents and Failures alike), so the evaluated set is
    # the first N records of the file, as read_gold keeps them.
    items = ingest([documents_jsonl], settings)

    def stored(result: AddResult) -> None:
        for d in result.added:
            pred.stored_id[d.id] = d.id
        for d, existing in result.duplicates:
            pred.stored_id[d.id] = existing
            pred.duplicates += 1

    ingest_into(
        store,
        [documents_jsonl],
        settings,
        source=items if limit is None else islice(items, max(limit, 0)),
        on_failure=pred.failures.append,
        on_stored=stored,
    )
    t1 = time.perf_counter()
    process(store, resources)
    t2 = time.perf_counter()
    relink(store, settings)
    t3 = time.perf_counter()
    pred.seconds = {"ingest": t1 - t0, "extract": t2 - t1, "link": t3 - t2, "total": t3 - t0}

    wanted = set(pred.stored_id.values())
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in store.iter_claims():
        if c.document_id in wanted:
            by_doc[c.document_id].append(c)
    pred.claims = dict(by_doc)
    pred.incidents = [x for x in store.iter_incidents() if wanted.intersection(x.document_ids)]
    return pred
