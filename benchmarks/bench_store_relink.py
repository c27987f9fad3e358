"""Writing a link result: ``Store.replace_incidents`` with N claims in N/10 incidents.

    python benchmarks/bench_store_relink.py [--claims 50000] [--db sqlite|postgresql]
                                            [--pg postgresql://postgres@127.0.0.1:5432/postgres]

The claims hang on one real document (the seed, first record of the demo corpus); the
figures, places and dates do not matter here, only the number of claims whose incident
is written. Two timings: the first write (every claim gets an incident) and a relink in
which a tenth of the incidents change id (as when new documents regroup them). On
PostgreSQL a temporary database is created and dropped; on SQLite a temporary file.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, text  # noqa: E402

from tolltrace.ingest import make_document  # noqa: E402
from tolltrace.records import Claim, Count, Incident  # noqa: E402
from tolltrace.store import Store  # noqa: E402


def _timings(url: str, n: int) -> tuple[float, float]:
    record = json.loads((ROOT / "data/demo/documents.jsonl").open(encoding="utf-8").readline())
    doc = make_document(record["text"], id=record["id"], guess_lang=False)
    claims = [
        Claim(
            id=f"claim-{i}",
            document_id=doc.id,
            effect="killed",
            count=Count(1, 1, "one", "exact:words"),
            quote=record["text"][:40],
            start=0,
            end=40,
            extractor="bench",
        )
        for i in range(n)
    ]
    incidents = [
        Incident(
            id=f"incident-{j}",
            title="bench",
            claim_ids=tuple(c.id for c in claims[j * 10 : j * 10 + 10]),
            document_ids=(doc.id,),
        )
        for j in range(n // 10)
    ]
    regrouped = [
        dataclasses.replace(x, id=f"{x.id}-b") if k % 10 == 0 else x
        for k, x in enumerate(incidents)
    ]
    with Store(url) as store:
        store.add_documents([doc])
        store.replace_claims(doc.id, claims, "bench")
        t0 = time.perf_counter()
        store.replace_incidents(incidents)
        t1 = time.perf_counter()
        store.replace_incidents(regrouped)
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=50_000)
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = ap.parse_args()
    if args.db == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            first, again = _timings(f"sqlite:///{Path(tmp) / 'bench.db'}", args.claims)
    else:
        name = f"tolltrace_relink_{uuid.uuid4().hex[:8]}"
        admin = create_engine(
            args.pg.replace("postgresql://", "postgresql+psycopg://", 1),
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            first, again = _timings(args.pg.rsplit("/", 1)[0] + "/" + name, args.claims)
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(
        f"{args.db}, {args.claims:,} claims in {args.claims // 10:,} incidents: "
        f"first write {first:.1f} s, relink with a tenth regrouped {again:.1f} s"
    )


if __name__ == "__main__":
    main()
