"""The benchmark's corpus and its linear fit (tolltrace bench, docs/benchmarks.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tolltrace.bench import fit, make_corpus, source_records
from tolltrace.link.copies import CopyDetector


def test_corpus_repeats_real_text_without_making_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tolltrace.bench.ROOT", Path(__file__).resolve().parent.parent)
    sources = [r["text"] for r in source_records(demo_only=True)]
    n = 4 * len(sources)  # three passes beyond the demo corpus itself
    path = tmp_path / "corpus.jsonl"
    make_corpus(path, n, demo_only=True)
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in docs] == [f"bench-{i}" for i in range(n)]
    # Every line is real text from the demo corpus (bar the counter that ends each).
    for i, d in enumerate(docs):
        text, counter = d["text"].rsplit("\n", 1)
        assert counter == f"(copy {i})"
        for line in filter(None, (s.strip() for s in text.split("\n"))):
            assert any(line in s for s in sources), line[:80]
    # Repeating the corpus as it is, or with its sentences rotated, makes every repeat a
    # copy (267 here); the spliced passes leave a handful.
    detector = CopyDetector()
    for d in docs:
        detector.add(d["id"], d["text"])
    assert len(detector.links()) <= 0.03 * n


def test_fit_recovers_a_line_and_reports_scatter() -> None:
    a, b, r2 = fit([(1000, 22.0), (3000, 66.0), (10000, 220.0)])
    assert a == pytest.approx(0.0, abs=1e-9) and b == pytest.approx(0.022)
    assert r2 == pytest.approx(1.0)
    _, _, r2 = fit([(1000, 30.0), (3000, 50.0), (10000, 220.0)])
    assert r2 < 0.99
