"""Extraction throughput: documents/second of ``extract_claims`` on one core, and the
full spaCy pipeline over every sentence of the same documents, in one run.

    python benchmarks/bench_extract.py [--limit N] [--json]

Documents are the demo corpus plus the gva-dev documents when
``../shared/data/gva-dev`` is present (read in place). Both measurements run in this
process with BLAS limited to one thread, after a warm-up, and report CPU time of the
process (what one core spends; the wall clock is printed too, it is noisy on a shared
machine). The baseline cuts each document with the same sentence splitter and runs the
whole pipeline the ``spacy_model`` setting names (lemmatizer and NER included) over
every sentence with ``nlp.pipe``: what extraction would cost without its lexical
filter and its NER-only-where-needed second pass.

``extract_claims_many`` (sentences of ``--batch`` documents parsed together) is measured
too; it must give the same claims.

Aims (issue 3): >= 40 documents/second, and >= 3x the baseline.
"""

from __future__ import annotations

import os

# One core: the linear algebra under spaCy must not fan out to several threads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import spacy  # noqa: E402

from tolltrace.extract import (  # noqa: E402
    EXTRACTOR_VERSION,
    extract_claims,
    extract_claims_many,
)
from tolltrace.extract.lexicon import default_lexicon  # noqa: E402
from tolltrace.extract.sentences import candidate_segments, segments  # noqa: E402
from tolltrace.ingest import make_document  # noqa: E402
from tolltrace.records import Document  # noqa: E402
from tolltrace.settings import load_settings  # noqa: E402

SHARED = Path(os.environ.get("TOLLTRACE_SHARED_DIR", ROOT.parent / "shared"))


def load_documents(limit: int | None) -> tuple[list[Document], list[str]]:
    docs: list[Document] = []
    used: list[str] = []
    for path in (ROOT / "data/demo/documents.jsonl", SHARED / "data/gva-dev/documents.jsonl"):
        if not path.exists():
            continue
        used.append(str(path))
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                r = json.loads(line)
                docs.append(
                    make_document(
                        r["text"],
                        id=r.get("id"),
                        title=r.get("title"),
                        url=r.get("url"),
                        outlet=r.get("outlet"),
                        guess_lang=False,
                    )
                )
    return (docs[:limit] if limit else docs), used


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--batch", type=int, default=64, help="documents per extract_claims_many")
    args = ap.parse_args()

    model = load_settings().spacy_model
    docs, sources = load_documents(args.limit)
    lex = default_lexicon()
    # As the pipeline loads it (tolltrace.resources): the lemmatizer is never used.
    nlp = spacy.load(model, exclude=["lemmatizer"])
    full = spacy.load(model)
    extract_claims(docs[0], nlp)  # warm-up
    list(full.pipe(["A man was killed."]))

    segs = [segments(d) for d in docs]
    n_sent = sum(len(s) for s in segs)
    n_cand = sum(len(candidate_segments(d, s, lex)) for d, s in zip(docs, segs, strict=True))

    c0, w0 = time.process_time(), time.perf_counter()
    n_claims = sum(len(extract_claims(d, nlp)) for d in docs)
    ext_cpu, ext_wall = time.process_time() - c0, time.perf_counter() - w0

    # the batch entry point: the same claims, sentences of many documents parsed together
    c0, w0 = time.process_time(), time.perf_counter()
    n_batch = 0
    for i in range(0, len(docs), args.batch):
        n_batch += sum(len(c) for c in extract_claims_many(docs[i : i + args.batch], nlp))
    batch_cpu, batch_wall = time.process_time() - c0, time.perf_counter() - w0
    assert n_batch == n_claims, "extract_claims_many must give the same claims"

    texts = [d.text[s.start : s.end] for d, ss in zip(docs, segs, strict=True) for s in ss]
    c0, w0 = time.process_time(), time.perf_counter()
    for _ in full.pipe(texts, batch_size=256):
        pass
    base_cpu, base_wall = time.process_time() - c0, time.perf_counter() - w0

    result = {
        "extractor": EXTRACTOR_VERSION,
        "model": model,
        "sources": sources,
        "documents": len(docs),
        "sentences": n_sent,
        "sentences_parsed": n_cand,
        "claims": n_claims,
        "extract_docs_per_s": round(len(docs) / ext_cpu, 1),
        "extract_wall_docs_per_s": round(len(docs) / ext_wall, 1),
        "batch_docs_per_s": round(len(docs) / batch_cpu, 1),
        "batch_wall_docs_per_s": round(len(docs) / batch_wall, 1),
        "full_pipeline_docs_per_s": round(len(docs) / base_cpu, 1),
        "full_pipeline_wall_docs_per_s": round(len(docs) / base_wall, 1),
        "speedup": round(base_cpu / ext_cpu, 2),
        "batch_speedup": round(base_cpu / batch_cpu, 2),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"documents: {len(docs)} ({', '.join(sources)})")
    print(f"sentences: {n_sent}, parsed by extraction: {n_cand} ({n_cand / n_sent:.0%})")
    print(f"claims: {n_claims}")
    print(
        f"extract_claims:      {result['extract_docs_per_s']:7.1f} docs/s (CPU, one core)"
        f"   {result['extract_wall_docs_per_s']:7.1f} docs/s (wall)"
    )
    print(
        f"extract_claims_many: {result['batch_docs_per_s']:7.1f} docs/s (CPU, one core)"
        f"   {result['batch_wall_docs_per_s']:7.1f} docs/s (wall), {args.batch} docs a call"
    )
    print(
        f"full spaCy pipeline: {result['full_pipeline_docs_per_s']:7.1f} docs/s (CPU, one core)"
        f"   {result['full_pipeline_wall_docs_per_s']:7.1f} docs/s (wall)"
    )
    print(
        f"speed-up: {result['speedup']:.2f}x (one document a call), "
        f"{result['batch_speedup']:.2f}x (batches)"
    )


if __name__ == "__main__":
    main()
