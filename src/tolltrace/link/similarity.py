"""How alike the texts of two reports are: TF-IDF cosine over distinctive words.

Two reports of one shooting share the victims' and the street's names, the suspect's
age, the police spokesman; two shootings in one city on one day share only the city.
Words every casualty report uses (``data/link/stopwords.txt``) are dropped, and IDF
is computed over the documents being linked, so the weights adapt to the corpus.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from tolltrace.records import Document

__all__ = ["TextIndex"]

_TOKEN = re.compile(r"[^\W\d_][\w'-]*[^\W_]|\d+", re.UNICODE)
# Text just before a token that starts a sentence (or a line): its capital says nothing.
_SENTENCE_START = re.compile(r"[.!?:\"“”\n]\s*$")
_NAME_BOOST = 2.0
# A word in more documents than this is too common to propose candidate pairs on its
# own (it still counts in the cosine). Keeps candidate generation near-linear.
_MAX_POSTING = 30
# A step of ``cosine`` copies both rows of each of its pairs and multiplies them, at
# about four times the copied rows' size: steps of 20,000 pairs peaked at 370 MB when
# they met the longest pages (a city's weekend roundup holds thousands of words; on
# gva-dev). A step now stops at this many copied row entries (some 30 MB at peak), or at
# 20,000 pairs.
_COSINE_ENTRIES = 1_000_000
_COSINE_PAIRS = 20_000


class TextIndex:
    """TF-IDF rows (L2-normalised) of documents, and candidate pairs on rare words."""

    def __init__(self, docs: Sequence[Document], stopwords: frozenset[str]) -> None:
        self.ids = [d.id for d in docs]
        self.row = {d.id: i for i, d in enumerate(docs)}
        vocab: dict[str, int] = {}
        # Typed arrays, not lists: one entry per (document, word), 24 bytes each instead
        # of ~100 for three Python lists of boxed numbers (20 million entries at 100,000
        # documents).
        rows = array("q")
        cols = array("q")
        vals = array("d")
        for i, d in enumerate(docs):
            text = f"{d.title or ''}\n{d.text}"
            counts: dict[str, float] = {}
            for m in _TOKEN.finditer(text):
                tok = m.group(0)
                low = tok.lower()
                if len(low) <= 2 or low in stopwords:
                    continue
                # A capitalised word inside a sentence is a name (a victim, a street, a
                # town): on gva-dev, doubling its weight separated reports of one
                # shooting from reports of others better than plain TF-IDF.
                before = text[max(0, m.start() - 3) : m.start()]
                name = tok[0].isupper() and m.start() > 0 and not _SENTENCE_START.search(before)
                counts[low] = counts.get(low, 0.0) + (_NAME_BOOST if name else 1.0)
            for tok, n in counts.items():
                j = vocab.setdefault(tok, len(vocab))
                rows.append(i)
                cols.append(j)
                vals.append(1.0 + math.log(n))
        m = sparse.csr_matrix(
            (
                np.frombuffer(vals, dtype=np.float64),
                (np.frombuffer(rows, dtype=np.int64), np.frombuffer(cols, dtype=np.int64)),
            ),
            shape=(len(docs), max(len(vocab), 1)),
        )
        del rows, cols, vals
        df = np.bincount(m.indices, minlength=m.shape[1]).astype(np.float64)
        idf = np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0
        m = m.multiply(idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.matrix: sparse.csr_matrix = sparse.csr_matrix(m.multiply(1.0 / norms[:, None]))
        self.df = df

    def cosine(self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Cosine similarity of the rows ``a[k]`` and ``b[k]`` for every k."""
        out = np.zeros(len(a))
        lengths = np.diff(self.matrix.indptr)
        cum = np.cumsum(lengths[a] + lengths[b])
        s = 0
        while s < len(a):
            done = int(cum[s - 1]) if s else 0
            e = int(np.searchsorted(cum, done + _COSINE_ENTRIES, side="right"))
            e = min(max(e, s + 1), s + _COSINE_PAIRS)
            x = self.matrix[a[s:e]]
            y = self.matrix[b[s:e]]
            out[s:e] = np.asarray(x.multiply(y).sum(axis=1)).ravel()
            s = e
        return out

    def rare_pairs(self, min_shared: float = 0.1) -> npt.NDArray[np.int64]:
        """Row pairs (i < j) whose rare-word weight in common reaches ``min_shared``."""
        keep = (self.df >= 2) & (self.df <= _MAX_POSTING)
        rare = sparse.csr_matrix(self.matrix[:, np.flatnonzero(keep)])
        prod = sparse.triu(rare @ rare.T, k=1).tocoo()
        sel = prod.data >= min_shared
        return np.stack([prod.row[sel], prod.col[sel]], axis=1).astype(np.int64)
