"""End-to-end benchmark: documents/second and peak memory per stage.

    tolltrace bench --sizes 1000,10000 [--backends sqlite,postgresql]
        [--modes single,dask2] [--write docs/benchmarks.md]
    (or: python benchmarks/bench_pipeline.py ...)

The corpus is real text: the demo corpus plus, when ``../shared/data`` is present, the
documents of the GVA and GVDB dev splits (read in place, never copied); past the number of
source records, each document splices halves of two of them (:func:`make_corpus`) so that
no two benchmark documents are copies. Every size/backend/mode runs in a fresh subprocess
so that peak memory (max RSS) is its own, and reports wall-clock seconds per stage and the
process's CPU seconds (documents per CPU second is the per-core rate, which other jobs on
a shared machine do not skew). Also reported: extraction time against a full spaCy parse
of every sentence of the same documents (the issue-3 target is at least 3x faster), and a
least-squares fit of end-to-end time (wall and CPU) against the number of documents over
three or more sizes (cost should be linear).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

# Run from a checkout: the demo corpus is data/demo, the gold data ../shared/data.
ROOT = Path(os.environ.get("TOLLTRACE_ROOT", Path.cwd()))
SHARED = Path(os.environ.get("TOLLTRACE_SHARED_DIR", ROOT.parent / "shared"))


def source_records(demo_only: bool = False) -> list[dict[str, Any]]:
    files = [ROOT / "data/demo/documents.jsonl"]
    if not files[0].exists():
        raise SystemExit(f"no demo corpus at {files[0]}: run from a tolltrace checkout")
    if not demo_only:
        files += [SHARED / "data" / d / "documents.jsonl" for d in ("gva-dev", "gvdb-dev")]
    records = []
    for f in files:
        if f.exists():
            with f.open(encoding="utf-8") as fh:
                records += [json.loads(line) for line in fh if line.strip()]
    return records


_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n+")


def _cut(text: str, at: int) -> int:
    """The sentence or paragraph boundary nearest ``at``; a space when none is near."""
    best = min((m.end() for m in _BOUNDARY.finditer(text)), key=lambda e: abs(e - at), default=-1)
    if best < 0 or abs(best - at) > max(200, at // 4):
        space = text.rfind(" ", 0, max(at, 1))
        best = space + 1 if space >= 0 else at
    return best


def _spliced(records: list[dict[str, Any]], i: int, r: int) -> str:
    """Pass ``r`` over record ``i % len(records)``: one half of its text (the first or the
    second, by the pass) beside as much text again from the second halves of other
    records, so the result is about as long as the record, shares half its text with it
    and at most half of any other, and is a copy of none."""
    m = len(records)
    a = records[i % m]["text"]
    c = _cut(a, len(a) // 2)
    half = (a[:c] if r % 2 else a[c:]).strip()
    parts: list[str] = []
    need = len(half)
    for t in range(m):
        if need <= 0:
            break
        j = (i + r * 7919 + t) % m  # 7919: a prime, so the partners move with the pass
        if j == i % m:
            continue
        b = records[j]["text"]
        # Never more than a partner's second half: the whole of a short partner inside
        # the result would make the partner a copy of it.
        tail = b[_cut(b, len(b) // 2) :].strip()
        take = tail if len(tail) <= need else tail[: _cut(tail, need)].strip()
        parts.append(take)
        need -= len(take) + 2
    seg = "\n\n".join(p for p in parts if p)
    return f"{half}\n\n{seg}" if r % 2 else f"{seg}\n\n{half}"


def make_corpus(path: Path, n: int, *, demo_only: bool = False) -> None:
    """``n`` documents of real text, none a copy of another.

    The first pass over the source records keeps each text (a counter appended, so no two
    are byte-identical; copies among the sources themselves stay copies). A later pass
    that repeated a text, even with its sentences rotated, would be a copy, and the linker
    would rightly fold it (at 10,000 documents 69% were, which changed the link stage's
    work). So each later pass splices halves of two records (:func:`_spliced`): no two
    documents share much more than half their word shingles, under ``copy_threshold``
    (0.6 Jaccard) and ``copy_containment`` (0.85)."""
    records = source_records(demo_only)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            rec = dict(records[i % len(records)])
            r = i // len(records)
            text = _spliced(records, i, r) if r else rec["text"]
            rec["text"] = f"{text}\n(copy {i})"
            rec["id"] = f"bench-{i}"
            out.write(json.dumps(rec) + "\n")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(corpus: str, url: str, mode: str) -> dict[str, Any]:
    """One measured run (in its own process)."""
    from tolltrace import batch
    from tolltrace.pipeline import ingest_into, process, relink
    from tolltrace.resources import Resources
    from tolltrace.settings import load_settings
    from tolltrace.store import Store

    settings = load_settings({"db": url}, environ={})
    store = Store(url)
    store.engine  # noqa: B018 -- connect and migrate outside the timings
    out: dict[str, Any] = {}
    res = Resources(settings)
    client = None
    t_load = time.perf_counter()
    if mode == "single":
        res.nlp  # noqa: B018 -- model and gazetteer load once, timed apart
        res.gazetteer  # noqa: B018
    else:
        client = batch.connect(settings, scheduler=None, workers=int(mode.removeprefix("dask")))
    out["load_s"] = time.perf_counter() - t_load
    t0 = time.perf_counter()
    # CPU seconds of this process over the timed stages: on a shared machine the wall
    # clock counts other people's jobs, this does not (Dask workers' CPU is their own).
    cpu0 = time.process_time()
    if client is None:
        rep = ingest_into(store, [corpus], settings)
    else:
        rep = ingest_into(
            store, [corpus], settings, source=batch.ingest_distributed(client, [corpus], settings)
        )
    t1 = time.perf_counter()
    out["documents"] = rep.added
    out["ingest_rss_mb"] = _rss_mb()
    if client is None:
        out["processed"], out["claims"] = process(store, res)
    else:
        out["processed"], out["claims"] = batch.process_distributed(store, client)
    t2 = time.perf_counter()
    out["extract_rss_mb"] = _rss_mb()
    out["incidents"], out["copies"] = relink(store, settings)
    t3 = time.perf_counter()
    out["link_rss_mb"] = _rss_mb()
    out.update(ingest_s=t1 - t0, extract_resolve_s=t2 - t1, link_s=t3 - t2, total_s=t3 - t0)
    out["cpu_s"] = time.process_time() - cpu0 if client is None else None
    if client is not None:
        cluster = client.cluster
        client.close()
        cluster.close()
    store.close()
    return out


def parse_ratio(corpus: str, sample: int) -> dict[str, float]:
    """Extraction (extract + resolve) vs. a full spaCy parse of every sentence."""
    from tolltrace.ingest import ingest
    from tolltrace.pipeline import analyse_many
    from tolltrace.records import Document
    from tolltrace.resources import Resources
    from tolltrace.settings import load_settings

    settings = load_settings(environ={})
    docs = [d for d in ingest([corpus], settings) if isinstance(d, Document)][:sample]
    res = Resources(settings)
    res.nlp  # noqa: B018
    res.gazetteer  # noqa: B018
    t0 = time.perf_counter()
    for i in range(0, len(docs), 50):  # as pipeline.process batches them
        analyse_many(docs[i : i + 50], res)
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in res.nlp.pipe((d.text for d in docs), batch_size=32):
        pass
    t_full = time.perf_counter() - t0
    return {
        "documents": len(docs),
        "extract_docs_per_s": len(docs) / t_extract,
        "full_parse_docs_per_s": len(docs) / t_full,
        "speedup": t_full / t_extract,
    }


def _pg_database(server: str) -> tuple[str, Any]:
    from sqlalchemy import create_engine, text

    name = "tolltrace_bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return server.rsplit("/", 1)[0] + "/" + name, drop


def fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Least squares t = a + b*n; returns (a, b, R^2)."""
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    b = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx
    a = my - b * mx
    ss_tot = sum((p[1] - my) ** 2 for p in points) or 1e-12
    ss_res = sum((p[1] - a - b * p[0]) ** 2 for p in points)
    return a, b, 1 - ss_res / ss_tot


def _measure(corpus: str, url: str, mode: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "tolltrace.bench", "--one", corpus, url, mode],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _per_core(r: dict[str, Any]) -> str:
    return f"{r['n'] / r['cpu_s']:.1f}" if r.get("cpu_s") else "-"


def _fits(rows: list[dict[str, Any]], field: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """Least-squares fit of ``field`` (seconds) against documents per backend/mode, where
    there are at least three sizes (with two the line passes through both: R² = 1)."""
    fits: dict[tuple[str, str], tuple[float, ...]] = {}
    for key in sorted({(r["backend"], r["mode"]) for r in rows}):
        pts = [
            (r["n"], r[field])
            for r in rows
            if (r["backend"], r["mode"]) == key and r.get(field) is not None
        ]
        if len({n for n, _ in pts}) >= 3:
            fits[key] = (*fit(pts), len(pts))
    return fits


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="tolltrace bench", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--modes", default="single,dask2")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument(
        "--ratio-sample", type=int, default=500, help="documents for the parse ratio (0: skip)"
    )
    ap.add_argument("--write", type=Path, help="append a Markdown section to this file")
    ap.add_argument("--jsonl", type=Path, help="append each run's measurements here as it ends")
    ap.add_argument("--one", nargs=3, metavar=("CORPUS", "URL", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    ratio: dict[str, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {}
        for n in sizes:
            corpora[n] = str(Path(tmp) / f"corpus-{n}.jsonl")
            make_corpus(Path(corpora[n]), n)
        for n in sizes:
            for backend in args.backends.split(","):
                for mode in args.modes.split(","):
                    drop = None
                    if backend == "sqlite":
                        url = f"sqlite:///{tmp}/bench-{n}-{mode}.db"
                    else:
                        try:
                            url, drop = _pg_database(args.pg)
                        except Exception as exc:  # no server: say so and go on
                            print(f"skip {backend}: {exc.__class__.__name__}", file=sys.stderr)
                            continue
                    try:
                        r = _measure(corpora[n], url, mode)
                    finally:
                        if drop is not None:
                            drop()
                        if backend == "sqlite":
                            for suffix in ("", "-wal", "-shm"):
                                Path(f"{tmp}/bench-{n}-{mode}.db{suffix}").unlink(missing_ok=True)
                    r.update(n=n, backend=backend, mode=mode)
                    rows.append(r)
                    if args.jsonl:
                        with args.jsonl.open("a", encoding="utf-8") as fh:
                            fh.write(json.dumps(r) + "\n")
                    print(
                        f"{n:>7} {backend:<10} {mode:<6} total {r['total_s']:8.1f}s "
                        f"= {n / r['total_s']:7.1f} docs/s ({_per_core(r)}/CPU s) | ingest "
                        f"{n / r['ingest_s']:8.0f}/s extract+resolve "
                        f"{n / r['extract_resolve_s']:6.1f}/s link {r['link_s']:6.1f}s | "
                        f"peak RSS {r['link_rss_mb']:.0f} MB",
                        flush=True,
                    )
        if args.ratio_sample:
            ratio = parse_ratio(corpora[sizes[0]], args.ratio_sample)
    if ratio is not None:
        print(
            f"extraction {ratio['extract_docs_per_s']:.1f} docs/s vs full spaCy parse "
            f"{ratio['full_parse_docs_per_s']:.1f} docs/s: {ratio['speedup']:.1f}x "
            f"({ratio['documents']} documents)"
        )
    wall_fits = _fits(rows, "total_s")
    cpu_fits = _fits(rows, "cpu_s")
    for what, fits in (("wall", wall_fits), ("CPU", cpu_fits)):
        for (backend, mode), (a, b, r2, _) in fits.items():
            print(
                f"fit {backend}/{mode} ({what}): t = {a:.1f}s + {b * 1000:.2f}s per 1000 docs, "
                f"R²={r2:.4f}"
            )
    if args.write:
        _write(args, rows, ratio, wall_fits, cpu_fits)


def _write(
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    ratio: dict[str, float] | None,
    wall_fits: dict[tuple[str, str], tuple[float, ...]],
    cpu_fits: dict[tuple[str, str], tuple[float, ...]],
) -> None:
    with args.write.open("a", encoding="utf-8") as fh:
        fh.write(
            f"\n### Run of {time.strftime('%Y-%m-%d')} (`nice -n 10 tolltrace bench "
            f"--sizes {args.sizes} --backends {args.backends} --modes {args.modes}`)\n\n"
        )
        fh.write(
            "| documents | database | mode | end to end docs/s | docs per CPU s | "
            "ingest docs/s | extract+resolve docs/s | link s | peak RSS MB |\n" + "|---" * 9 + "|\n"
        )
        for r in rows:
            fh.write(
                f"| {r['n']} | {r['backend']} | {r['mode']} | {r['n'] / r['total_s']:.1f} | "
                f"{_per_core(r)} | {r['n'] / r['ingest_s']:.0f} | "
                f"{r['n'] / r['extract_resolve_s']:.1f} | {r['link_s']:.1f} | "
                f"{r['link_rss_mb']:.0f} |\n"
            )
        if ratio is not None:
            fh.write(
                f"\nExtraction vs full spaCy parse ({ratio['documents']} documents): "
                f"{ratio['extract_docs_per_s']:.1f} vs {ratio['full_parse_docs_per_s']:.1f} "
                f"docs/s, {ratio['speedup']:.1f}x.\n"
            )
        for what, fits in (("wall-clock", wall_fits), ("CPU", cpu_fits)):
            for (backend, mode), (a, b, r2, k) in fits.items():
                fh.write(
                    f"\nLinear fit of {what} time, {backend}/{mode} ({k:.0f} runs): "
                    f"t = {a:.1f} s + {b * 1000:.2f} s per 1,000 documents (R² = {r2:.4f}).\n"
                )


if __name__ == "__main__":
    main()
