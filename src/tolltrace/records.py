"""The records that flow between pipeline stages (see DESIGN.md).

All records are frozen dataclasses: a stage returns new records
(``dataclasses.replace``) instead of mutating what it was given, so stages run the
same in one process or on a Dask worker.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

__all__ = [
    "EFFECTS",
    "GRADES",
    "Claim",
    "Claimant",
    "ClaimantFigures",
    "CopyLink",
    "Count",
    "Document",
    "Effect",
    "Failure",
    "Figure",
    "Incident",
    "Place",
    "Span",
    "Stance",
    "TimeRef",
    "Victims",
    "stable_id",
]

Effect = Literal["killed", "injured", "missing", "abducted", "displaced"]
EFFECTS: tuple[Effect, ...] = ("killed", "injured", "missing", "abducted", "displaced")
Stance = Literal["asserted", "denied", "hedged"]
Grade = Literal["confirmed", "corroborated", "single-source", "contested", "discounted"]
GRADES: tuple[Grade, ...] = (
    "confirmed",
    "corroborated",
    "single-source",
    "contested",
    "discounted",
)


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short id that depends only on ``parts`` (never on run order or time)."""
    h = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode("utf-8"), digest_size=16)
    return f"{prefix}-{h.hexdigest()[:length]}"


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into a document's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """One article, as stored. ``text`` is normalized (NFC, unified newlines)."""

    id: str
    text: str
    content_hash: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    lang: str | None = None
    source: str | None = None  # the input it came from: a path, a URL, "file.jsonl:12"
    dataset: str | None = None
    # Spans of other articles' headlines quoted inside this one (RT's "[@RT_com]" lines).
    embedded: tuple[Span, ...] = ()
    ingested_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be turned into a document: reported, then skipped."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Count:
    """A claimed figure as an interval, with its wording and the rule that read it.

    ``max is None`` means open above ("over 60"); ``min is None`` means no lower bound
    was stated ("up to 200").
    """

    min: int | None
    max: int | None
    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class Victims:
    group: str = "unknown"  # civilians | combatants | security forces | unknown
    descriptors: tuple[str, ...] = ()  # women, children, mourners, ...
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention and, once resolved, its gazetteer entry."""

    text: str
    qualifier: str | None = None  # "southern", "30km from", "near", "outskirts of"
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: str | None = None  # site | city | near city | province | country


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A time expression and, once resolved, the date range it denotes."""

    text: str | None
    date_start: date | None = None
    date_end: date | None = None
    precision: str | None = None  # day | range | week | month | year


@dataclass(frozen=True, slots=True)
class Claimant:
    """Who asserts a claim; ``kind`` is e.g. party, government, ngo, official, media."""

    text: str | None
    name: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    document_id: str
    effect: Effect
    count: Count
    quote: str
    start: int  # evidence offsets into the document text
    end: int
    victims: Victims = field(default_factory=Victims)
    perpetrator: str | None = None
    means: str | None = None
    place: Place | None = None
    time: TimeRef | None = None
    claimant: Claimant | None = None
    stance: Stance = "asserted"
    confidence: float = 0.5
    extractor: str = ""
    embedded: bool = False  # from another article's headline quoted in this one
    cumulative: bool = False  # a running total, not one incident
    part_of: str | None = None  # id of the larger claim this is a part of
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimantFigures:
    name: str
    killed: Figure = field(default_factory=Figure)
    injured: Figure = field(default_factory=Figure)


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    title: str
    claim_ids: tuple[str, ...]
    document_ids: tuple[str, ...]
    place: Place | None = None
    date_start: date | None = None
    date_end: date | None = None
    means: str | None = None
    perpetrators: tuple[str, ...] = ()
    killed: Figure = field(default_factory=Figure)
    injured: Figure = field(default_factory=Figure)
    # The registry-comparable figures: one number each, where killed/injured keep the
    # range of what was claimed (docs/linking.md, "Figures").
    best_killed: int | None = None
    best_injured: int | None = None
    claimants: tuple[ClaimantFigures, ...] = ()
    independent_sources: int = 0
    grade: Grade = "single-source"
    grade_reason: str = ""
    part_of: str | None = None


@dataclass(frozen=True, slots=True)
class CopyLink:
    document_id: str
    origin_id: str
    similarity: float
