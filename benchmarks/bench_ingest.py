"""Ingest throughput: documents/second from JSONL into SQLite and PostgreSQL.

    python benchmarks/bench_ingest.py [--n 10000] [--pg postgresql://postgres@127.0.0.1/test]

Documents are the demo corpus, perturbed (sentences rotated, a counter appended) so that
none is an exact duplicate of another. The time covers reading the JSONL, normalizing,
hashing and storing (``tolltrace.pipeline.ingest_into``), in one process on one core.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
# tolltrace.bench finds the demo corpus under TOLLTRACE_ROOT (default: the current folder).
os.environ.setdefault("TOLLTRACE_ROOT", str(ROOT))

from tolltrace.bench import make_corpus  # noqa: E402
from tolltrace.pipeline import ingest_into  # noqa: E402
from tolltrace.settings import load_settings  # noqa: E402
from tolltrace.store import Store  # noqa: E402


def bench(url: str, corpus: Path, n: int) -> float:
    settings = load_settings({"db": url}, environ={})
    store = Store(url)
    store.engine  # noqa: B018 -- connect and migrate outside the timed part
    t0 = time.perf_counter()
    report = ingest_into(store, [str(corpus)], settings)
    dt = time.perf_counter() - t0
    assert report.added == n, (report.added, report.failures[:3])
    store.close()
    return n / dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument(
        "--pg",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="an existing server; a scratch database is created and dropped",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        make_corpus(corpus, args.n, demo_only=True)
        rate = bench(f"sqlite:///{tmp}/bench.db", corpus, args.n)
        print(f"sqlite     : {args.n} documents, {rate:,.0f} documents/second")
        name = "tolltrace_bench_" + uuid.uuid4().hex[:8]
        try:
            admin = create_engine(
                args.pg.replace("postgresql://", "postgresql+psycopg://", 1),
                isolation_level="AUTOCOMMIT",
            )
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # no server: report and stop
            print(f"postgresql : skipped ({exc.__class__.__name__}: no server at {args.pg})")
            return
        try:
            url = args.pg.rsplit("/", 1)[0] + "/" + name
            rate = bench(url, corpus, args.n)
            print(f"postgresql : {args.n} documents, {rate:,.0f} documents/second")
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
