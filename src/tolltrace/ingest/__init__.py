"""Ingest: files, folders, feeds and URLs -> :class:`~tolltrace.records.Document`.

The public entry point is :func:`ingest`, a generator that yields a ``Document`` for
every input it could read and a ``Failure`` (which input, why) for every one it could
not, so a batch goes on past bad inputs.
"""

from __future__ import annotations

from tolltrace.ingest.core import ingest, make_document, normalize_text

__all__ = ["ingest", "make_document", "normalize_text"]
