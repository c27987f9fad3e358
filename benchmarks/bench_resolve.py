"""Resolution cost: gazetteer load time and memory, and resolve time against extract time.

    python benchmarks/bench_resolve.py [--docs PATH.jsonl ...] [--limit N] [--json]

Documents are the demo corpus by default (or any JSONL of documents, e.g. the gold
folders' ``documents.jsonl``, read in place). Each document is extracted once with the
spaCy pipeline (timed), then resolved (timed). The gazetteer is loaded in a fresh
child process so that its load time and resident memory are measured cold (after the
one-off build, which is reported separately when it happens). Targets (issue 4):
resolution adds at most 20 % to extraction time; the gazetteer loads in under 2 s and
stays under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from tolltrace.resolve import load_gazetteer
from tolltrace.settings import load_settings
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
base = rss()
t1 = time.perf_counter()
g = load_gazetteer(load_settings())
t2 = time.perf_counter()
for name in ('Mosul', 'Kirkuk', 'Spanish Fork', 'San Salvador', 'Medellin'):
    g.lookup(name)
t3 = time.perf_counter()
print(json.dumps({'import_s': t1 - t0, 'load_s': t2 - t1, 'first_lookups_s': t3 - t2,
                  'rss_before_mb': base, 'rss_after_mb': rss()}))
"""


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", nargs="*", default=[str(ROOT / "data/demo/documents.jsonl")])
    ap.add_argument("--limit", type=int, default=0, help="documents per file (0: all)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from tolltrace.extract import extract_claims
    from tolltrace.ingest import ingest
    from tolltrace.records import Document
    from tolltrace.resolve import load_gazetteer, resolve_claims
    from tolltrace.resources import Resources
    from tolltrace.settings import load_settings

    settings = load_settings()
    t = time.perf_counter()
    load_gazetteer(settings)  # builds the index when missing (one-off)
    build_s = time.perf_counter() - t
    child = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True
    )
    cold: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])

    resources = Resources(settings)
    nlp = resources.nlp
    gaz = resources.gazetteer
    docs: list[Document] = []
    for path in args.docs:
        n = 0
        for item in ingest([path], settings):
            if isinstance(item, Document):
                docs.append(item)
                n += 1
                if args.limit and n >= args.limit:
                    break
    extract_s = resolve_s = 0.0
    n_claims = 0
    for doc in docs:
        t = time.perf_counter()
        claims = extract_claims(doc, nlp)
        t2 = time.perf_counter()
        resolved = resolve_claims(doc, claims, gaz)
        t3 = time.perf_counter()
        extract_s += t2 - t
        resolve_s += t3 - t2
        n_claims += len(resolved)
    report = {
        "documents": len(docs),
        "claims": n_claims,
        "extract_s": round(extract_s, 3),
        "resolve_s": round(resolve_s, 3),
        "resolve_over_extract": round(resolve_s / extract_s, 3) if extract_s else None,
        "resolve_ms_per_doc": round(1000 * resolve_s / max(1, len(docs)), 2),
        "gazetteer_build_or_open_s": round(build_s, 2),
        "gazetteer_cold_load_s": round(cold["load_s"], 3),
        "gazetteer_cold_import_plus_load_s": round(cold["import_s"] + cold["load_s"], 3),
        "gazetteer_rss_mb": round(cold["rss_after_mb"] - cold["rss_before_mb"], 1),
        "gazetteer_process_rss_mb": round(cold["rss_after_mb"], 1),
        "process_rss_mb": round(_rss_mb(), 1),
        "targets": {
            "resolve_over_extract": 0.20,
            "gazetteer_cold_load_s": 2.0,
            "gazetteer_process_rss_mb": 300.0,
        },
    }
    if args.json:
        print(json.dumps(report))
    else:
        for k, v in report.items():
            print(f"{k:28} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
