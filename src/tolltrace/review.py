"""Analyst decisions as an overlay on the pipeline's records.

The pipeline rewrites its claims and incidents on every run; an analyst's decisions
are stored apart (tables ``claim_reviews`` and ``incident_reviews``, keyed by the
stable claim and incident ids) and applied here, when the web app, the API and the
exports read. These are plain functions over frozen records: no I/O, no globals.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, TypedDict, cast

from tolltrace.link.aggregate import best_figures, source_key
from tolltrace.link.resources import LinkTables, load_tables
from tolltrace.records import (
    EFFECTS,
    Claim,
    Claimant,
    ClaimantFigures,
    Count,
    Document,
    Figure,
    Incident,
    Place,
    TimeRef,
    stable_id,
)

__all__ = [
    "CLAIM_FIELDS",
    "REVIEW_STATUSES",
    "ClaimReview",
    "IncidentReview",
    "IncidentSplit",
    "ReviewError",
    "aggregate",
    "apply_claim_review",
    "apply_incident_review",
    "apply_splits",
    "best_of",
    "changes_figures",
    "claim_field",
    "counts_for_figures",
    "split_id",
    "validate_edits",
]

ReviewStatus = Literal["accepted", "rejected"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("accepted", "rejected")

# The fields an analyst may correct, with the type of value each takes.
CLAIM_FIELDS: dict[str, str] = {
    "min": "int",
    "max": "int",
    "effect": "effect",
    "victims_group": "str",
    "perpetrator": "str",
    "place_name": "str",
    "place_country": "country",
    "date_start": "date",
    "date_end": "date",
    "claimant_name": "str",
}

# Longest free-text value accepted in an edit: names and groups, not essays.
_MAX_TEXT = 300


class ReviewError(ValueError):
    """An analyst's edit that cannot be applied (unknown field, bad value)."""


@dataclass(frozen=True, slots=True)
class ClaimReview:
    claim_id: str
    status: ReviewStatus | None = None
    edits: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "edits": dict(self.edits)}


@dataclass(frozen=True, slots=True)
class IncidentReview:
    incident_id: str
    discounted: bool = False
    reason: str | None = None
    merged_into: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "discounted": self.discounted,
            "reason": self.reason,
            "merged_into": self.merged_into,
        }


def validate_edits(edits: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalize an analyst's edits; ``None`` clears a field's value.

    Raises :class:`ReviewError` naming the offending field.
    """
    clean: dict[str, Any] = {}
    for name, value in edits.items():
        kind = CLAIM_FIELDS.get(name)
        if kind is None:
            raise ReviewError(f"{name}: not an editable field")
        if value is None or (isinstance(value, str) and not value.strip()):
            if kind == "effect":
                raise ReviewError("effect: a claim needs an effect")
            clean[name] = None
            continue
        if kind == "int":
            try:
                number = int(value)
            except (TypeError, ValueError) as exc:
                raise ReviewError(f"{name}: not a whole number: {value!r}") from exc
            if number < 0:
                raise ReviewError(f"{name}: a count cannot be negative")
            clean[name] = number
        elif kind == "effect":
            if value not in EFFECTS:
                raise ReviewError(f"effect: one of {', '.join(EFFECTS)}")
            clean[name] = value
        elif kind == "date":
            try:
                clean[name] = date.fromisoformat(str(value)).isoformat()
            except ValueError as exc:
                raise ReviewError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from exc
        elif kind == "country":
            code = str(value).strip().upper()
            if len(code) != 2 or not code.isalpha():
                raise ReviewError(f"{name}: a two-letter country code (ISO 3166-1)")
            clean[name] = code
        else:
            text = str(value).strip()
            if len(text) > _MAX_TEXT:
                raise ReviewError(f"{name}: longer than {_MAX_TEXT} characters")
            clean[name] = text
    lo, hi = clean.get("min"), clean.get("max")
    if lo is not None and hi is not None and lo > hi:
        raise ReviewError("min: larger than max")
    return clean


def claim_field(claim: Claim, name: str) -> Any:
    """The current value of an editable field, in the form edits use."""
    place, time, who = claim.place, claim.time, claim.claimant
    values: dict[str, Any] = {
        "min": claim.count.min,
        "max": claim.count.max,
        "effect": claim.effect,
        "victims_group": claim.victims.group,
        "perpetrator": claim.perpetrator,
        "place_name": place.name if place else None,
        "place_country": place.country if place else None,
        "date_start": time.date_start.isoformat() if time and time.date_start else None,
        "date_end": time.date_end.isoformat() if time and time.date_end else None,
        "claimant_name": who.name if who else None,
    }
    if name not in values:
        raise ReviewError(f"{name}: not an editable field")
    return values[name]


def apply_claim_review(claim: Claim, review: ClaimReview | None) -> Claim:
    """The claim as the analyst left it: edits replace the pipeline's values.

    The evidence (quote, offsets) never changes: a correction is a reading of the same
    sentence, and the original figure stays visible in the audit log.
    """
    if review is None or not review.edits:
        return claim
    e = review.edits
    count = claim.count
    if "min" in e or "max" in e:
        count = Count(
            min=e.get("min", count.min),
            max=e.get("max", count.max),
            text=count.text,
            rule="analyst",
        )
    victims = claim.victims
    if "victims_group" in e:
        victims = replace(victims, group=e["victims_group"] or "unknown")
    place = claim.place
    if "place_name" in e or "place_country" in e:
        base = place or Place(text=e.get("place_name") or "")
        place = replace(
            base,
            name=e.get("place_name", base.name),
            country=e.get("place_country", base.country),
        )
        if "place_name" in e and e["place_name"] != base.name:
            # The coordinates belonged to the old name: drop them rather than mislead.
            place = replace(place, lat=None, lon=None, geonameid=None, precision=None)
    time = claim.time
    if "date_start" in e or "date_end" in e:
        base_t = time or TimeRef(text=None)
        start = _date(e["date_start"]) if "date_start" in e else base_t.date_start
        end = _date(e["date_end"]) if "date_end" in e else base_t.date_end
        time = replace(base_t, date_start=start, date_end=end)
    claimant = claim.claimant
    if "claimant_name" in e:
        claimant = replace(claimant or Claimant(text=None), name=e["claimant_name"])
    return replace(
        claim,
        effect=cast(Any, e.get("effect", claim.effect)),
        count=count,
        victims=victims,
        perpetrator=e.get("perpetrator", claim.perpetrator),
        place=place,
        time=time,
        claimant=claimant,
    )


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def counts_for_figures(
    claim: Claim, review: ClaimReview | None, wholes: Collection[str] | None = None
) -> bool:
    """Whether a claim enters its incident's figures: not rejected by an analyst, and,
    as the linker counts (link.aggregate), neither denied nor a part of a larger claim
    — of one in ``wholes`` (the ids that count), when given: a part whose sum was
    rejected or split off states a figure of its own again."""
    if review is not None and review.status == "rejected":
        return False
    if claim.stance == "denied":
        return False
    return claim.part_of is None or (wholes is not None and claim.part_of not in wholes)


def changes_figures(reviews: Iterable[ClaimReview]) -> bool:
    """Whether any decision changes what an incident counts: an edit or a rejection.
    Accepting a claim leaves the linker's figures as they are."""
    return any(r.edits or r.status == "rejected" for r in reviews)


def _figure(claims: Sequence[Claim]) -> Figure:
    # Same reading as the linker: the lowest lower bound, the highest upper bound,
    # open above when any claim is open above.
    if not claims:
        return Figure()
    mins = [c.count.min for c in claims if c.count.min is not None]
    maxs = [c.count.max for c in claims if c.count.max is not None]
    open_max = any(c.count.max is None for c in claims)
    return Figure(min(mins) if mins else None, None if open_max or not maxs else max(maxs))


def best_of(
    counted: Sequence[Claim],
    documents: Mapping[str, Document],
    origin: Mapping[str, str],
    tables: LinkTables,
) -> tuple[int | None, int | None]:
    """The linker's best killed and injured figures (link.aggregate.best_figures) over
    ``counted`` claims, with the linker's reports (one per document and party quoted),
    sources (link.aggregate.source_key) and report dates (the document's publication)."""

    def key(c: Claim) -> str:
        return tables.party((c.claimant.name or c.claimant.text) if c.claimant else None) or ""

    def source(c: Claim) -> str:
        return source_key(c, documents, origin, tables)

    def when(c: Claim) -> int:
        d = documents.get(c.document_id)
        return d.published.toordinal() if d is not None and d.published else 0

    return best_figures(counted, key, source, when, lambda c: tables.told_alive(c.quote))


def aggregate(
    incident: Incident,
    claims: Iterable[Claim],
    reviews: Mapping[str, ClaimReview],
    *,
    documents: Mapping[str, Document] | None = None,
    origin: Mapping[str, str] | None = None,
    tables: LinkTables | None = None,
) -> Incident:
    """Recompute an incident's figures from its claims after the analyst's overlay.

    Used for incidents with edited or rejected (or merged) claims, so that a corrected
    figure shows in the incident at once, before the pipeline is run again. The range
    is the plain one (lowest lower bound, highest upper bound); the linker's finer
    reading (a source's later report replacing its earlier one) applies again at the
    next relink, which sees the corrected claims. The best figures are recomputed with
    the linker's own function (:func:`best_of`): given the claims' ``documents``
    (outlet, publication date) and copy ``origin`` (document id -> origin id) they are
    what a relink gives; without them each document counts as its own source and
    reports are undated (a tie goes to the larger figure).
    """
    effective = [apply_claim_review(c, reviews.get(c.id)) for c in claims]
    rejected = {cid for cid, r in reviews.items() if r.status == "rejected"}
    wholes = {c.id for c in effective} - rejected
    counted = [c for c in effective if counts_for_figures(c, reviews.get(c.id), wholes)]
    best_killed, best_injured = best_of(
        counted, documents or {}, origin or {}, tables or load_tables()
    )
    per_claimant: dict[str, list[Claim]] = {}
    for c in counted:
        name = (c.claimant.name or c.claimant.text) if c.claimant else None
        per_claimant.setdefault(name or "unattributed", []).append(c)
    claimants = tuple(
        ClaimantFigures(
            name=name,
            killed=_figure([c for c in cs if c.effect == "killed"]),
            injured=_figure([c for c in cs if c.effect == "injured"]),
        )
        for name, cs in sorted(per_claimant.items())
    )
    return replace(
        incident,
        claim_ids=tuple(c.id for c in effective),
        document_ids=tuple(sorted({c.document_id for c in effective})),
        killed=_figure([c for c in counted if c.effect == "killed"]),
        injured=_figure([c for c in counted if c.effect == "injured"]),
        best_killed=best_killed,
        best_injured=best_injured,
        claimants=claimants,
    )


def apply_incident_review(incident: Incident, review: IncidentReview | None) -> Incident:
    """Only an analyst discounts: the grade becomes ``discounted`` with their reason."""
    if review is None or not review.discounted:
        return incident
    reason = review.reason or "discounted by an analyst"
    return replace(incident, grade="discounted", grade_reason=f"analyst: {reason}")


class _Sources(TypedDict):
    """What :func:`aggregate` needs for the linker's best figures, passed on as is."""

    documents: Mapping[str, Document]
    origin: Mapping[str, str]
    tables: LinkTables


@dataclass(frozen=True, slots=True)
class IncidentSplit:
    """An analyst's decision that these claims are an incident of their own."""

    id: str
    source_id: str
    claim_ids: tuple[str, ...]
    reason: str | None = None


def split_id(claim_ids: Iterable[str]) -> str:
    """The split incident's id: stable, from the claims it holds."""
    return stable_id("inc-split", *sorted(claim_ids))


def _split_record(
    split: IncidentSplit,
    base: Incident | None,
    moved: Sequence[Claim],
    reviews: Mapping[str, ClaimReview],
    sources: _Sources,
) -> Incident:
    effective = [apply_claim_review(c, reviews.get(c.id)) for c in moved]
    place = next((c.place for c in effective if c.place and (c.place.name or c.place.text)), None)
    times = [c.time for c in effective if c.time is not None and c.time.date_start is not None]
    start = min((t.date_start for t in times if t.date_start), default=None)
    end = max((t.date_end or t.date_start for t in times if t.date_start), default=None)
    if start is None and base is not None:
        start, end = base.date_start, base.date_end
    claimants = {(c.claimant.name or c.claimant.text) for c in effective if c.claimant}
    where = (place.name or place.text) if place else "Unknown place"
    reason = f": {split.reason}" if split.reason else ""
    when = start.isoformat() if start else "undated"
    x = Incident(
        id=split.id,
        title=f"{where}, {when} (split from {split.source_id})",
        claim_ids=(),
        document_ids=(),
        place=place or (base.place if base else None),
        date_start=start,
        date_end=end,
        means=next((c.means for c in effective if c.means), base.means if base else None),
        perpetrators=tuple(sorted({c.perpetrator for c in effective if c.perpetrator})),
        independent_sources=max(1, len(claimants)),
        grade=base.grade if base is not None else "single-source",
        grade_reason=f"split off {split.source_id} by an analyst{reason}",
    )
    return aggregate(x, moved, reviews, **sources)


def apply_splits(
    incidents: Sequence[Incident],
    claims: Mapping[str, Claim],
    splits: Sequence[IncidentSplit],
    reviews: Mapping[str, ClaimReview],
    *,
    documents: Mapping[str, Document] | None = None,
    origin: Mapping[str, str] | None = None,
    tables: LinkTables | None = None,
) -> list[Incident]:
    """Take each split's claims out of whichever incidents hold them (re-aggregating
    what is left; an incident left empty goes) and make them an incident of their own.
    ``claims`` maps claim ids to claims; splits whose claims are all gone are skipped.
    ``documents``, ``origin`` and ``tables`` go to :func:`aggregate` (the best figures
    as the linker reads them: give them)."""
    sources: _Sources = {
        "documents": documents or {},
        "origin": origin or {},
        "tables": tables or load_tables(),
    }
    out = list(incidents)
    for split in splits:
        moving = {c for c in split.claim_ids if c in claims}
        if not moving:
            continue
        base: Incident | None = None
        kept: list[Incident] = []
        for x in out:
            if moving & set(x.claim_ids):
                base = base or x
                rest = [claims[c] for c in x.claim_ids if c not in moving and c in claims]
                if not rest:
                    continue
                x = aggregate(x, rest, reviews, **sources)
            kept.append(x)
        moved = [claims[c] for c in sorted(moving)]
        kept.append(_split_record(split, base, moved, reviews, sources))
        out = kept
    return out
