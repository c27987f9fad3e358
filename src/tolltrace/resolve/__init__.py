"""Resolve: place mentions -> gazetteer entries, time expressions -> date ranges,
claimant mentions -> normalized claimants. (First version: a pass-through.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tolltrace.records import Claim, Document
from tolltrace.settings import Settings


def load_gazetteer(settings: Settings) -> Any:
    return None


def resolve_claims(doc: Document, claims: Sequence[Claim], gazetteer: Any) -> tuple[Claim, ...]:
    return tuple(claims)
