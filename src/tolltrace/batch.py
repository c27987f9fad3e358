"""Batch runs on Dask: ingest, extract and resolve on the workers, one writer.

The workers run the same stage functions as a single process (:func:`tolltrace.ingest.ingest`,
:func:`tolltrace.pipeline.analyse`); each worker loads its own spaCy model and gazetteer
once, through a worker plugin. Only the client process writes to the database, so SQLite
works as well as PostgreSQL, and a batch killed mid-way resumes where it stopped: a
document is marked processed in the same transaction that stores its claims.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin
from tqdm import tqdm

from tolltrace.extract import EXTRACTOR_VERSION
from tolltrace.records import Claim, Document, Failure
from tolltrace.resources import Resources
from tolltrace.settings import Settings
from tolltrace.store import Store

__all__ = ["connect", "ingest_distributed", "process_distributed"]

_PLUGIN = "tolltrace-resources"
# Documents per task: big enough that scheduling overhead is small against a ~25 ms
# per-document analysis, small enough to spread 1,000 documents over many workers.
CHUNK = 64


class ResourcesPlugin(WorkerPlugin):
    """A Dask worker plugin holding one :class:`Resources` per worker process."""

    name = _PLUGIN

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.resources: Resources | None = None

    def setup(self, worker: Any) -> None:
        self.resources = Resources(self.settings)

    def teardown(self, worker: Any) -> None:
        self.resources = None


def _worker_resources() -> Resources:
    from distributed import get_worker

    plugin = get_worker().plugins[_PLUGIN]
    assert isinstance(plugin, ResourcesPlugin) and plugin.resources is not None
    return plugin.resources


def _analyse_chunk(docs: list[Document]) -> list[tuple[str, tuple[Claim, ...]]]:
    from tolltrace.pipeline import analyse_many

    results = analyse_many(docs, _worker_resources())
    return [(d.id, claims) for d, claims in zip(docs, results, strict=True)]


def _ingest_one(item: str, settings: Settings) -> list[Document | Failure]:
    from tolltrace.ingest import ingest

    return list(ingest([item], settings))


def connect(settings: Settings, *, scheduler: str | None, workers: int | None) -> Any:
    """A Dask client: to ``scheduler`` (``tcp://host:port``) or to a new local cluster of
    ``workers`` single-threaded processes (spaCy releases no GIL worth threading for)."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)  # type: ignore[no-untyped-call]
    else:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or 2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    client.register_plugin(ResourcesPlugin(settings), name=_PLUGIN)
    return client


def _expand(inputs: Sequence[str]) -> list[str]:
    """Files of folders and globs, so each file is one task; URLs and feeds stay as given."""
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(str(f) for f in p.rglob("*") if f.is_file()))
        elif any(ch in item for ch in "*?[") and "://" not in item:
            out.extend(sorted(glob.glob(item, recursive=True)) or [item])
        else:
            out.append(item)
    return out


def ingest_distributed(
    client: Any, inputs: Sequence[str], settings: Settings
) -> Iterator[Document | Failure]:
    """Read the inputs on the workers, one task per file or URL."""
    from distributed import as_completed

    futures = [client.submit(_ingest_one, item, settings, pure=False) for item in _expand(inputs)]
    for fut in as_completed(futures):  # type: ignore[no-untyped-call]
        yield from fut.result()
        fut.release()


def process_distributed(
    store: Store,
    client: Any,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Extract and resolve every pending document on the workers; store as results come.

    Returns (documents processed, claims stored)."""
    from distributed import as_completed

    pending = list(store.iter_documents(not_extracted_by=EXTRACTOR_VERSION))
    chunks = [pending[i : i + CHUNK] for i in range(0, len(pending), CHUNK)]
    futures = [client.submit(_analyse_chunk, chunk, pure=False) for chunk in chunks]
    n_docs = n_claims = 0
    bar = tqdm(total=len(pending), desc="extract", unit="doc", disable=None, leave=False)
    for fut in as_completed(futures):  # type: ignore[no-untyped-call]
        results = fut.result()
        store.replace_claims_many(results, EXTRACTOR_VERSION)
        n_docs += len(results)
        n_claims += sum(len(claims) for _, claims in results)
        bar.update(len(results))
        fut.release()
        if on_progress is not None:
            on_progress(n_docs)
    bar.close()
    return n_docs, n_claims
