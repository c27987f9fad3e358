"""tolltrace: conflict news -> a casualty-claims database a casualty recorder can trust.

Library API (the CLI is a thin layer over it)::

    from tolltrace import load_settings, run
    report = run(["articles/"], load_settings({"db": "sqlite:///claims.db"}))
"""

from __future__ import annotations

from tolltrace.extract import extract_claims
from tolltrace.ingest import ingest
from tolltrace.link import link
from tolltrace.pipeline import analyse, run
from tolltrace.records import Claim, CopyLink, Document, Failure, Incident
from tolltrace.resolve import resolve_claims
from tolltrace.resources import Resources
from tolltrace.settings import SETTINGS, Settings, load_settings
from tolltrace.store import Store

__version__ = "0.1.0"

__all__ = [
    "SETTINGS",
    "Claim",
    "CopyLink",
    "Document",
    "Failure",
    "Incident",
    "Resources",
    "Settings",
    "Store",
    "analyse",
    "extract_claims",
    "ingest",
    "link",
    "load_settings",
    "resolve_claims",
    "run",
]
