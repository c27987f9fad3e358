"""The pipeline, wired: ingest -> extract -> resolve -> link -> store.

Each stage is a plain function over records; this module is the only place that
connects them to the store. ``run`` is what ``tolltrace run`` calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from tqdm import tqdm

from tolltrace.extract import EXTRACTOR_VERSION, extract_claims, extract_claims_many
from tolltrace.ingest import ingest
from tolltrace.link import link
from tolltrace.records import Claim, Document, Failure
from tolltrace.resolve import resolve_claims
from tolltrace.resources import Resources
from tolltrace.settings import Settings
from tolltrace.store import Store
from tolltrace.store.store import AddResult

__all__ = [
    "IngestReport",
    "RunReport",
    "analyse",
    "analyse_many",
    "ingest_into",
    "process",
    "relink",
    "run",
]

# Documents handed to the store at once: bounds memory on huge inputs.
_INGEST_BATCH = 1000
# Documents whose claims are written in one transaction: what a killed run can lose.
_STORE_BATCH = 50


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class RunReport:
    ingest: IngestReport
    processed: int = 0
    claims: int = 0
    incidents: int = 0
    copies: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.ingest.failures)


def _batched(items: Iterable[Document], n: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_into(
    store: Store,
    inputs: Sequence[str],
    settings: Settings,
    *,
    on_failure: Callable[[Failure], None] | None = None,
    source: Iterable[Document | Failure] | None = None,
    on_stored: Callable[[AddResult], None] | None = None,
) -> IngestReport:
    """Read every input into the store; bad inputs are reported and skipped.

    ``source`` replaces the local reader (a Dask run passes documents read on workers);
    ``on_stored`` sees each batch's result (which documents were added, which duplicate
    a stored one)."""
    t0 = time.perf_counter()
    report = IngestReport()
    items = ingest(inputs, settings) if source is None else source

    def documents() -> Iterator[Document]:
        for item in tqdm(items, desc="ingest", unit="doc", disable=None, leave=False):
            if isinstance(item, Failure):
                report.failures.append(item)
                if on_failure is not None:
                    on_failure(item)
            else:
                yield item

    for batch in _batched(documents(), _INGEST_BATCH):
        result = store.add_documents(batch)
        if on_stored is not None:
            on_stored(result)
        report.added += len(result.added)
        report.duplicates += len(result.duplicates)
    report.seconds = time.perf_counter() - t0
    return report


def analyse(doc: Document, resources: Resources) -> tuple[Claim, ...]:
    """Extract and resolve one document's claims (no I/O: safe on a Dask worker)."""
    return resolve_claims(doc, extract_claims(doc, resources.nlp), resources.gazetteer)


def analyse_many(docs: Sequence[Document], resources: Resources) -> list[tuple[Claim, ...]]:
    """:func:`analyse` for several documents: their candidate sentences are parsed
    together, which bench_extract.py measured ~27 % faster than one call per document."""
    extracted = extract_claims_many(docs, resources.nlp)
    return [
        resolve_claims(doc, claims, resources.gazetteer)
        for doc, claims in zip(docs, extracted, strict=True)
    ]


def process(store: Store, resources: Resources) -> tuple[int, int]:
    """Extract and resolve every document not yet processed by this extractor version.

    Returns (documents processed, claims stored). Safe to interrupt and re-run.
    """
    pending = list(store.iter_documents(not_extracted_by=EXTRACTOR_VERSION))
    n_claims = 0
    with tqdm(total=len(pending), desc="extract", unit="doc", disable=None, leave=False) as bar:
        for i in range(0, len(pending), _STORE_BATCH):
            docs = pending[i : i + _STORE_BATCH]
            results = analyse_many(docs, resources)
            store.replace_claims_many(
                [(d.id, claims) for d, claims in zip(docs, results, strict=True)],
                EXTRACTOR_VERSION,
            )
            n_claims += sum(len(c) for c in results)
            bar.update(len(docs))
    return len(pending), n_claims


def relink(store: Store, settings: Settings) -> tuple[int, int]:
    """Rebuild incidents and copy links from every stored claim and document."""
    # Analysts' corrections and splits (docs/web.md).
    from tolltrace.web.queries import apply_stored_splits, reviewed_claims

    claims = reviewed_claims(store, list(store.iter_claims()))
    # Every document, not only those with claims: copies are found among all of them.
    documents = {d.id: d for d in store.iter_documents()}
    # The last run's incidents, so that incident ids stay stable across re-runs.
    previous = list(store.iter_incidents())
    result = link(claims, documents, settings=settings, previous=previous)
    origin = {c.document_id: c.origin_id for c in result.copies}
    store.replace_incidents(
        apply_stored_splits(store, result.incidents, claims, documents=documents, origin=origin)
    )
    store.replace_copies(result.copies)
    return len(result.incidents), len(result.copies)


def run(
    inputs: Sequence[str],
    settings: Settings,
    *,
    store: Store | None = None,
    resources: Resources | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
) -> RunReport:
    """ingest + extract + resolve + link, into ``settings.db`` (or ``store``).

    With ``scheduler`` (a Dask scheduler address) or ``workers`` (a local Dask cluster of
    that many processes), ingest, extract and resolve run on the workers; this process
    stays the only writer and links at the end."""
    t0 = time.perf_counter()
    own_store = store is None
    store = store or Store(settings.db)
    client = None
    try:
        if scheduler or workers:
            from tolltrace import batch

            client = batch.connect(settings, scheduler=scheduler, workers=workers)
            source = batch.ingest_distributed(client, inputs, settings)
            report = RunReport(
                ingest_into(store, inputs, settings, on_failure=on_failure, source=source)
            )
            report.processed, report.claims = batch.process_distributed(store, client)
        else:
            resources = resources or Resources(settings)
            report = RunReport(ingest_into(store, inputs, settings, on_failure=on_failure))
            report.processed, report.claims = process(store, resources)
        report.incidents, report.copies = relink(store, settings)
    finally:
        if client is not None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and not scheduler:
                cluster.close()
        if own_store:
            store.close()
    report.seconds = time.perf_counter() - t0
    return report
