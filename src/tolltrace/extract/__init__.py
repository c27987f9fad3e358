"""Extract: a :class:`~tolltrace.records.Document` -> casualty :class:`~tolltrace.records.Claim`s.

Public entry point: :func:`extract_claims` (``doc, nlp -> tuple[Claim, ...]``).
"""

from __future__ import annotations

from tolltrace.extract.claims import EXTRACTOR_VERSION, extract_claims

__all__ = ["EXTRACTOR_VERSION", "extract_claims"]
