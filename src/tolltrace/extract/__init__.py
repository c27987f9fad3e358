"""Extract: a :class:`~tolltrace.records.Document` -> casualty :class:`~tolltrace.records.Claim`s.

Public entry point: :func:`extract_claims` (``doc, nlp -> tuple[Claim, ...]``);
:func:`extract_claims_many` does the same for a batch of documents, faster.
"""

from __future__ import annotations

from tolltrace.extract.claims import EXTRACTOR_VERSION, extract_claims, extract_claims_many
from tolltrace.extract.lexicon import Lexicon, default_lexicon, load_lexicon

__all__ = [
    "EXTRACTOR_VERSION",
    "Lexicon",
    "default_lexicon",
    "extract_claims",
    "extract_claims_many",
    "load_lexicon",
]
