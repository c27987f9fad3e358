"""Copy detection at scale: time, memory and accuracy over N documents.

    python benchmarks/bench_copies.py [--n 20000] [--copies 0.05] [--seed 1]
    python benchmarks/bench_copies.py --n 1000000     # the target: < 15 min, < 4 GB

Documents are real texts — the demo corpus, plus the gva-dev documents when
``../shared/data/gva-dev`` is present (read in place) — perturbed so that they are not
copies of one another: sentences rotated, a fifth of the words replaced by words
drawn from the corpus vocabulary, the text cut at a random point. A share of the
documents (``--copies``) are planted copies of an earlier synthetic document,
republished whole, cut to their first half, or with a paragraph added. The report
gives the time of the detector alone (signatures + LSH + grouping; making the texts
is not timed) in wall-clock and CPU seconds, the peak memory of the process, and the
precision / recall of the links against the planted copies (a link between two
non-planted documents is a false one).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tolltrace.link.copies import CopyDetector  # noqa: E402

SHARED = Path(os.environ.get("TOLLTRACE_SHARED_DIR", ROOT.parent / "shared"))


def base_texts() -> list[str]:
    texts = []
    for path in (ROOT / "data/demo/documents.jsonl", SHARED / "data/gva-dev/documents.jsonl"):
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return [t for t in texts if len(t.split()) >= 60]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--copies", type=float, default=0.05, help="share of planted copies")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    bases = [t.split() for t in base_texts()]
    vocab = np.array(sorted({w for b in bases for w in b}))
    det = CopyDetector()
    planted: dict[int, int] = {}  # copy -> the synthetic document it copies
    recent: list[list[str]] = []  # a window of synthetic texts that copies are made of
    t_detect = 0.0
    cpu_detect = 0.0
    day0 = date(2016, 1, 1)
    for i in range(args.n):
        if recent and rng.random() < args.copies:
            k = int(rng.integers(len(recent)))
            src = recent[k]
            kind = int(rng.integers(3))
            if kind == 1:
                words = src[: len(src) // 2]
            elif kind == 2:
                extra = bases[int(rng.integers(len(bases)))]
                words = src + extra[: min(len(extra), 80)]
            else:
                words = list(src)
            planted[i] = i - len(recent) + k
        else:
            b = bases[int(rng.integers(len(bases)))]
            cut = int(rng.integers(len(b) // 2, len(b) + 1))
            rot = int(rng.integers(len(b)))
            words = (b[rot:] + b[:rot])[:cut]
            arr = np.array(words, dtype=object)
            mask = rng.random(len(arr)) < 0.2
            arr[mask] = vocab[rng.integers(len(vocab), size=int(mask.sum()))]
            words = arr.tolist()
        recent.append(words)
        if len(recent) > 1000:
            recent.pop(0)
        text = " ".join(words)
        t0, c0 = time.perf_counter(), time.process_time()
        det.add(f"b{i}", text, day0 + timedelta(days=i // 1000))
        t_detect += time.perf_counter() - t0
        cpu_detect += time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    links = det.links()
    t_detect += time.perf_counter() - t0
    cpu_detect += time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Ground truth: planted copies form groups with their source (transitively).
    root: dict[int, int] = {}

    def find(x: int) -> int:
        while x in planted:
            x = planted[x]
        return x

    for c in planted:
        root[c] = find(c)
    group = lambda x: root.get(x, x)  # noqa: E731
    good = sum(1 for ln in links if group(int(ln.document_id[1:])) == group(int(ln.origin_id[1:])))
    found = {int(ln.document_id[1:]) for ln in links} | {int(ln.origin_id[1:]) for ln in links}
    recall = sum(1 for c in planted if c in found) / max(1, len(planted))
    print(
        json.dumps(
            {
                "documents": args.n,
                "planted_copies": len(planted),
                "links": len(links),
                "precision": round(good / max(1, len(links)), 4),
                "recall_of_planted": round(recall, 4),
                "seconds": round(t_detect, 1),
                # CPU seconds of the detector: what the wall time would be on an
                # unshared core (the shared 2-core machine ran other jobs too).
                "cpu_seconds": round(cpu_detect, 1),
                "docs_per_second": round(args.n / t_detect),
                "peak_rss_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
