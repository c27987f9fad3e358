"""Incidents: claims grouped into harm events, however many reports tell of each.

Three steps (see docs/linking.md):

1. **Units.** Within one document, claims about one place and one date range form a
   unit (a document can report several incidents: the seed tells of Mosul and of a
   funeral near Kirkuk). A claim with no place of its own joins the unit of the claim
   before it; a part ("including 15 children") joins its whole.
2. **Candidates.** Units are paired only where a pair could be one incident: same
   block (country, or unknown) within a sliding date window; documents that share
   rare words (names of victims, streets); copies of one origin. Each unit meets a
   bounded number of others, so the cost grows near-linearly with the claims.
3. **Scores and clusters.** Every candidate pair gets an affinity from place, dates,
   text similarity, copies, figures and means (vectorised with numpy); pairs that
   cannot be one incident (different countries, places far apart, resolved dates
   further apart than allowed, an aggregate against a specific incident, two units of
   one document) are vetoed. Pairs above the threshold are merged greedily, best
   first, and a merge is refused when it would put incompatible units together, so
   clusters do not chain.

Aggregate claims (a period: "three days of strikes on Mosul") cluster only with
aggregates; a specific incident inside an aggregate one (same place, dates inside its
range) gets ``part_of`` pointing at it and is never merged into it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from tolltrace.link.resources import LinkTables
from tolltrace.link.similarity import TextIndex
from tolltrace.records import Claim, Document, Place

__all__ = ["CONTAINER", "PLACE_RANK", "LinkParams", "Unit", "group_claims", "place_relation"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_ONE_DAY = timedelta(days=1)
_COARSE = {"province", "country", "admin1", "region"}
# The precision of a place the gazetteer lacks, known by the place it lies in (its
# point, admin1 and country are the container's: docs/resolution.md).
CONTAINER = "container"
# Places ranked by precision, finest first: an unknown place named inside a city is
# finer than its province but coarser than a town or a point near one.
PLACE_RANK = {"site": 0, "city": 1, "near city": 2, CONTAINER: 3, "province": 4, "country": 5}
# Extra tolerance on top of link_max_days for coarse dates: "last week" or "in
# October" overlaps a day-precise report of the same event by more than a few days.
_PRECISION_SLACK = {"week": 7, "month": 31, "year": 366}
# Places a unit keeps besides its main one: bounds the per-pair cost of comparing them
# (places x places); on gva-dev 99 % of units name at most four distinct places.
_MAX_PLACES = 6


@dataclass(frozen=True, slots=True)
class LinkParams:
    """Thresholds of the incident linker (the settings table holds the tunable ones)."""

    max_days: int = 3  # setting link_max_days: tolerance between stated dates
    threshold: float = 0.7  # setting link_threshold: affinity at which units merge
    # Units compared in each direction inside a block's date window: bounds the cost
    # when a block is dense (a city on a busy day).
    neighbours: int = 64
    # Mean document cosine two merging clusters must share (set on gva-dev).
    mean_cosine: float = 0.2
    # Cosine (after publication-gap penalties) at which a document without claims is
    # filed under an incident of a document it resembles (set on gva-dev).
    attach_cosine: float = 0.3
    same_km: float = 10.0
    near_km: float = 40.0


@dataclass(slots=True)
class Unit:
    """Claims of one document about one place and period."""

    index: int
    doc_id: str
    origin_id: str
    claims: list[Claim]
    published: date | None
    place: Place | None = None
    start: date | None = None
    end: date | None = None
    precision: str | None = None
    aggregate: bool = False
    means: str | None = None
    lead: bool = False  # the document's first unit: what the article is about
    timed: bool = False  # some claim of the unit states a time
    places: list[Place] = field(default_factory=list)  # every distinct place its claims name

    def standalone(self) -> bool:
        """A unit that states its own place and time ("a school for girls in southern
        Mosul, which was attacked last Friday"), not a passing reference ("last year
        police had investigated 12 homicides")."""
        return any(
            c.place is not None
            and c.place.text.lower() in c.quote.lower()
            and c.time is not None
            and c.time.text
            for c in self.claims
        )

    def recent(self, days: int) -> bool:
        """Whether the unit's stated dates reach within ``days`` of its report's
        publication: news of the report's own days, not background ("in 2012, when
        Michael Dunn shot and killed teenager Jordan Davis"). True when either date is
        unknown."""
        if self.end is None or self.published is None:
            return True
        return (self.published - self.end).days <= days

    def anchor(self) -> date | None:
        return self.start or self.published


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def place_relation(p: Place | None, q: Place | None, params: LinkParams | None = None) -> int:
    """2 same place, 1 near, 0 unknown, -1 different mentions, -2 far apart or in
    different countries (scored against; a veto only between countries).

    A place the gazetteer lacks (precision ``"container"``) carries the point of the
    place it lies in: two of them in one city share a point without being one site, so
    they are compared by name ("Pacoima" and "Sun Valley" in Los Angeles: -1), and one
    beside a known place within reach of its container's point is near it (1), not the
    same place."""
    params = params or LinkParams()
    if p is None or q is None:
        return 0
    if p.geonameid is not None and p.geonameid == q.geonameid:
        return 2
    if p.country and q.country and p.country != q.country:
        # The same words resolved to namesakes in two countries ("Taunton": England
        # or Massachusetts) say the resolver hesitated, not that the places differ.
        return 1 if _norm(p.text) == _norm(q.text) else -2
    if CONTAINER in (p.precision, q.precision):
        return _container_relation(p, q, params)
    coarse = (p.precision in _COARSE) or (q.precision in _COARSE)
    if coarse:
        if p.admin1 and q.admin1:
            return 1 if p.admin1 == q.admin1 else -2
        return 0
    if None not in (p.lat, p.lon, q.lat, q.lon):
        d = _haversine(p.lat, p.lon, q.lat, q.lon)  # type: ignore[arg-type]
        if d <= params.same_km:
            return 2
        if d <= params.near_km:
            return 1
        return 1 if _namesakes(p, q) else -2
    if p.admin1 and q.admin1 and p.admin1 != q.admin1:
        return 1 if _namesakes(p, q) else -2
    return _name_relation(p, q)


def _namesakes(p: Place, q: Place) -> bool:
    """Two resolved places far apart that one name may denote: the same name
    resolved to namesakes ("Mt. Pleasant" in South Carolina, "Mount Pleasant" in
    Pennsylvania), or a town named after the other's state ("Wyoming", Michigan, beside
    Cheyenne, Wyoming): the resolver hesitated, the places need not differ."""
    a, b = _norm(p.name or p.text), _norm(q.name or q.text)
    return a == b or a == _norm(q.admin1 or "") or b == _norm(p.admin1 or "")


def _name_relation(p: Place, q: Place) -> int:
    a, b = _norm(p.name or p.text), _norm(q.name or q.text)
    if a == b:
        return 2
    # "southern Mosul" and "Mosul": one mention inside the other, word for word.
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return 1
    return -1


def _container_relation(p: Place, q: Place, params: LinkParams) -> int:
    """``place_relation`` where one place at least is known only by its container."""
    if p.precision != CONTAINER:
        p, q = q, p
    if q.precision in _COARSE:
        # "Huancora" (in Chalatenango) and "Chalatenango Department": inside or not.
        if p.admin1 and q.admin1:
            return 1 if p.admin1 == q.admin1 else -2
        return 0
    by_name = _name_relation(p, q)
    if None not in (p.lat, p.lon, q.lat, q.lon):
        d = _haversine(p.lat, p.lon, q.lat, q.lon)  # type: ignore[arg-type]
        if d > params.near_km:
            return -2
        if q.precision == CONTAINER:
            # One container's point: the names tell the sites apart.
            return by_name
        # A known place within reach of the container's point: the same name (the
        # gazetteer knew it in one report), else the unknown place may lie beside it.
        return 2 if by_name == 2 else 1
    if p.admin1 and q.admin1 and p.admin1 != q.admin1:
        return -2
    if q.precision == CONTAINER or by_name == 2:
        return by_name
    # An unknown village of a province beside a known town of it: nothing tells.
    return 0


def _resolved(c: Claim) -> tuple[date | None, date | None, str | None]:
    """The claim's own date range: only when it states a time. A range the resolver
    filled in from the publication date alone ("the week before") says nothing about
    which incident the claim is about."""
    if c.time is None or c.time.date_start is None or not c.time.text:
        return None, None, None
    return c.time.date_start, c.time.date_end or c.time.date_start, c.time.precision


def is_aggregate(c: Claim, tables: LinkTables) -> bool:
    """A claim over a period ("three days of strikes") rather than one event."""
    # Only the wording decides: resolved ranges are also wide for vague single events
    # ("overnight", "last week"), which are not aggregates.
    if c.time is not None and c.time.text:
        return tables.is_period(_norm(c.time.text).split())
    return False


def _tol(u: Unit, v: Unit, max_days: int) -> int:
    return max_days + max(
        _PRECISION_SLACK.get(u.precision or "", 0), _PRECISION_SLACK.get(v.precision or "", 0)
    )


def _gap(u: Unit, v: Unit) -> int | None:
    if u.start is None or v.start is None or u.end is None or v.end is None:
        return None
    return max(0, (max(u.start, v.start) - min(u.end, v.end)).days)


def build_units(
    claims: Sequence[Claim],
    documents: Mapping[str, Document],
    origin: Mapping[str, str],
    tables: LinkTables,
    params: LinkParams,
) -> list[Unit]:
    by_doc: dict[str, list[Claim]] = {}
    for c in claims:
        by_doc.setdefault(c.document_id, []).append(c)
    units: list[Unit] = []
    for doc_id in sorted(by_doc):
        doc = documents.get(doc_id)
        published = doc.published if doc else None
        mine: list[Unit] = []
        unit_of: dict[str, Unit] = {}
        last: Unit | None = None
        for c in sorted(by_doc[doc_id], key=lambda c: (c.start, c.id)):
            target: Unit | None = None
            if c.part_of is not None and c.part_of in unit_of:
                target = unit_of[c.part_of]
            start, end, precision = _resolved(c)
            agg = is_aggregate(c, tables)
            timed = c.time is not None and bool(c.time.text)
            if target is None and c.place is None and start is None:
                target = last
            if target is None:
                # Within one document a new unit needs strong evidence of another
                # incident: a period against a single event, or its own date too far
                # from the unit's. Another place is not enough: on gva-dev such splits
                # came from resolution errors (a street read as a town, "North 13th at
                # Cass" -> North, SC; "Denmark, S.C." -> Denmark: splitting by country
                # alone made 43 more incidents of gva-dev's US-only local news) and
                # made incidents out of one report.
                probe = Unit(-1, doc_id, "", [], published, c.place, start, end, precision, agg)
                # Period against event only counts when both state a time: a headline
                # ("60 civilians killed ... in Mosul") is the same claim as the body's
                # "over 60 ... during three days of strikes".
                for u in mine:
                    if timed and u.timed and u.aggregate != agg:
                        continue
                    gap = _gap(u, probe)
                    if gap is not None and gap > _tol(u, probe, params.max_days):
                        continue
                    target = u
                    break
            if target is None:
                target = Unit(
                    len(units),
                    doc_id,
                    origin.get(doc_id, doc_id),
                    [],
                    published,
                    aggregate=agg,
                    lead=not mine,
                )
                units.append(target)
                mine.append(target)
            target.claims.append(c)
            if timed and not target.timed:
                target.timed, target.aggregate = True, agg
            if target.place is None and c.place is not None:
                target.place = c.place  # until the vote of _main_place below
            if start is not None and end is not None:
                target.start = start if target.start is None else min(target.start, start)
                target.end = end if target.end is None else max(target.end, end)
                target.precision = target.precision or precision
            target.means = target.means or c.means
            unit_of[c.id] = target
            last = target
        for u in mine:
            u.place = _main_place(u.claims)
            u.places = _distinct_places(u.claims)
    return units


def _main_place(claims: Sequence[Claim]) -> Place | None:
    """The place most of the unit's claims name (the earliest on a tie, then the finer)."""
    places = [c.place for c in claims if c.place is not None]
    if not places:
        return None
    votes = Counter((p.geonameid, _norm(p.name or p.text)) for p in places)
    return min(
        places,
        key=lambda p: (
            -votes[(p.geonameid, _norm(p.name or p.text))],
            PLACE_RANK.get(p.precision or "", len(PLACE_RANK)),
        ),
    )


def _distinct_places(claims: Sequence[Claim]) -> list[Place]:
    seen: dict[tuple[int | None, str], Place] = {}
    for c in claims:
        if c.place is not None:
            seen.setdefault((c.place.geonameid, _norm(c.place.name or c.place.text)), c.place)
    return list(seen.values())[:_MAX_PLACES]


def _other_country(p: Place | None, q: Place | None) -> bool:
    return bool(p and q and p.country and q.country and p.country != q.country)


# -- candidates -----------------------------------------------------------------------


def _window_pairs(keys: npt.NDArray[np.int64], days: I64, width: int, neighbours: int) -> I64:
    """Pairs of positions with equal key and days at most ``width`` apart."""
    order = np.lexsort((days, keys))
    k, d = keys[order], days[order]
    out = []
    for off in range(1, neighbours + 1):
        if off >= len(order):
            break
        ok = (k[off:] == k[:-off]) & (d[off:] - d[:-off] <= width)
        if not ok.any():
            break
        idx = np.flatnonzero(ok)
        out.append(np.stack([order[idx], order[idx + off]], axis=1))
    return np.concatenate(out) if out else np.empty((0, 2), dtype=np.int64)


def _candidates(units: Sequence[Unit], text: TextIndex, params: LinkParams) -> I64:
    n = len(units)
    countries: dict[str, int] = {}
    keys = np.array(
        [
            countries.setdefault(u.place.country, len(countries) + 1)
            if u.place is not None and u.place.country
            else 0
            for u in units
        ],
        dtype=np.int64,
    )
    days = np.array(
        [a.toordinal() if (a := u.anchor()) is not None else 0 for u in units], dtype=np.int64
    )
    width = params.max_days + 2  # reports appear a day or two after the event
    parts = [_window_pairs(keys, days, width, params.neighbours)]
    unknown = keys == 0
    if unknown.any() and not unknown.all():
        # A unit of unknown country may be any country's: compare it with every unit.
        allp = _window_pairs(np.zeros(n, dtype=np.int64), days, width, params.neighbours)
        parts.append(allp[unknown[allp[:, 0]] | unknown[allp[:, 1]]])
    # Documents sharing rare words (names), whatever their dates.
    by_row: dict[int, list[int]] = {}
    for u in units:
        by_row.setdefault(text.row[u.doc_id], []).append(u.index)
    rp = text.rare_pairs()
    extra: list[tuple[int, int]] = []
    for a, b in rp.tolist():
        for i in by_row.get(a, ()):
            for j in by_row.get(b, ()):
                extra.append((i, j))
    # Copies of one origin: each with the origin's (or the group's first) units.
    by_origin: dict[str, list[int]] = {}
    for u in units:
        by_origin.setdefault(u.origin_id, []).append(u.index)
    for members in by_origin.values():
        first_doc = members[0]
        for m in members[1:]:
            extra.append((first_doc, m))
            for o in members:
                if units[o].doc_id == units[first_doc].doc_id and o != first_doc:
                    extra.append((o, m))
    if extra:
        parts.append(np.array(extra, dtype=np.int64))
    pairs = np.concatenate(parts) if parts else np.empty((0, 2), dtype=np.int64)
    if len(pairs) == 0:
        return pairs
    pairs.sort(axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)


# -- scores ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Features:
    row: I64
    origin: I64
    doc: I64
    start: I64
    end: I64
    pub: I64
    slack: I64
    aggregate: npt.NDArray[np.bool_]
    killed: I64
    injured: I64
    means: I64
    country: I64


def _headline(u: Unit, effect: str) -> int:
    """The unit's largest stated lower bound for ``effect`` (-1 when none)."""
    vals = [
        c.count.min
        for c in u.claims
        if c.effect == effect and c.count.min is not None and c.stance != "denied"
    ]
    return max(vals) if vals else -1


def _features(units: Sequence[Unit], text: TextIndex) -> _Features:
    ids: dict[str, int] = {}
    means: dict[str, int] = {}
    countries: dict[str, int] = {}

    def o(d: date | None) -> int:
        return d.toordinal() if d is not None else -1

    return _Features(
        row=np.array([text.row[u.doc_id] for u in units], dtype=np.int64),
        origin=np.array([ids.setdefault(u.origin_id, len(ids)) for u in units], dtype=np.int64),
        doc=np.array([ids.setdefault("d:" + u.doc_id, len(ids)) for u in units], dtype=np.int64),
        start=np.array([o(u.start) for u in units], dtype=np.int64),
        end=np.array([o(u.end) for u in units], dtype=np.int64),
        pub=np.array([o(u.published) for u in units], dtype=np.int64),
        slack=np.array([_PRECISION_SLACK.get(u.precision or "", 0) for u in units], dtype=np.int64),
        aggregate=np.array([u.aggregate for u in units], dtype=bool),
        killed=np.array([_headline(u, "killed") for u in units], dtype=np.int64),
        injured=np.array([_headline(u, "injured") for u in units], dtype=np.int64),
        means=np.array(
            [means.setdefault(u.means, len(means)) if u.means else -1 for u in units],
            dtype=np.int64,
        ),
        country=np.array(
            [
                countries.setdefault(u.place.country, len(countries))
                # Only a town's or a province's country vetoes: a place resolved to a
                # whole country is often a name misread ("Jordan Davis", "Georgia").
                if u.place is not None and u.place.country and u.place.precision != "country"
                else -1
                for u in units
            ],
            dtype=np.int64,
        ),
    )


def pair_relations(units: Sequence[Unit], pairs: I64, params: LinkParams) -> I64:
    """``place_relation`` of each pair's main places, read as unknown (0) when other
    places of the two units agree (same or near).

    A unit's main place is one reading among its claims': on gva-dev a quarter of the
    pairs of reports of one shooting had main places "far apart" (a street read as a
    town, a county as its namesake elsewhere), and in a third of those another place of
    each report agreed. Two places that disagree and two that agree say nothing either
    way; the text decides.
    """
    out = np.empty(len(pairs), dtype=np.int64)
    for k, (i, j) in enumerate(pairs.tolist()):
        u, v = units[i], units[j]
        r = place_relation(u.place, v.place, params)
        if r < 0 and any(place_relation(p, q, params) >= 1 for p in u.places for q in v.places):
            r = 0
        out[k] = r
    return out


def score_pairs(units: Sequence[Unit], pairs: I64, text: TextIndex, params: LinkParams) -> F64:
    """Affinity of each candidate pair; ``-inf`` where the pair cannot be one incident.

    Weights were set on gva-dev (see docs/linking.md): text similarity carries most of
    the evidence between local reports; place and resolved dates veto or add.
    """
    f = _features(units, text)
    a, b = pairs[:, 0], pairs[:, 1]
    same_copy = f.origin[a] == f.origin[b]
    cos = text.cosine(f.row[a], f.row[b])
    cos = np.where(same_copy, 1.0, cos)
    aff = 4.0 * cos + 3.0 * same_copy
    rel = pair_relations(units, pairs, params)
    # A shared place is weak evidence (a city has many shootings a day: on gva-dev the
    # city name is in both texts anyway); a different one counts against, far apart vetoes.
    # Resolved places far apart count strongly against, but do not veto: on gva-dev a
    # third of the report pairs of one shooting had resolved places "far apart" (a
    # street read as a town, a county as a namesake elsewhere); their texts still
    # agreed. Only another country vetoes.
    aff += np.select([rel == 2, rel == 1, rel == -1, rel == -2], [0.1, 0.05, -0.3, -1.0], 0.0)
    veto = (
        (f.country[a] >= 0) & (f.country[b] >= 0) & (f.country[a] != f.country[b]) & (rel != 1)
        | (f.doc[a] == f.doc[b])
        | (f.aggregate[a] != f.aggregate[b])
    )
    # Dates: resolved ranges veto beyond the tolerance; publication dates only hint.
    both = (f.start[a] >= 0) & (f.start[b] >= 0)
    gap = np.maximum(0, np.maximum(f.start[a], f.start[b]) - np.minimum(f.end[a], f.end[b]))
    tol = params.max_days + np.maximum(f.slack[a], f.slack[b])
    # Stated dates further apart than the tolerance count against (a trial report
    # states the trial's date, not the shooting's); a year apart, never one incident.
    aff -= np.where(both & (gap > 30), 1.0, np.where(both & (gap > tol), 0.7, 0.0))
    # A month apart when each is news of its own report's days (stated within the
    # reporting window of its publication): two events' dates, not a follow-up's
    # reference back to the event, which states the event's date. On gva-dev, of the
    # report pairs above the threshold with such dates, 65 were of two shootings and 17
    # of one; counted against once more (not vetoed: copies still join).
    window = params.max_days + 2
    news = (f.pub[a] >= 0) & (f.pub[b] >= 0)
    news &= (f.pub[a] - f.end[a] <= window) & (f.pub[b] - f.end[b] <= window)
    aff -= np.where(both & news & (gap > 30), 1.0, 0.0)
    veto |= both & (gap > 366)
    aff += np.where(both & (gap == 0), 0.1, 0.0)
    # The same place on the same stated day: two reports of one strike by different
    # claimants share few words (the Russian MoD's headline and AFP's local officials
    # on the Daquq funeral), but this is how an event register would match them.
    aff += np.where(both & (gap == 0) & (rel == 2), 0.3, 0.0)
    # Without resolved dates, publication dates hint: on gva-dev, reports of one
    # shooting a day apart shared a cosine >= 0.15; a week apart, >= 0.22; later
    # (trials, funerals), >= 0.32 — the penalties below turn those into one threshold.
    pa = np.where(f.pub[a] >= 0, f.pub[a], f.start[a])
    pb = np.where(f.pub[b] >= 0, f.pub[b], f.start[b])
    known = (pa >= 0) & (pb >= 0) & ~both
    pgap = np.abs(pa - pb)
    aff -= np.where(
        known & (pgap > 30),
        1.1,
        np.where(known & (pgap > 7), 0.7, np.where(known & (pgap > 1), 0.3, 0.0)),
    )
    # No date at all on either side (undated press releases): the texts may share a
    # speaker's boilerplate rather than an event, so ask for more.
    aff -= 0.5 * ((pa < 0) | (pb < 0))
    # Figures: an equal headline figure is evidence; a different one is not evidence
    # against (claimants disagree, and reports revise their figures).
    for fig in (f.killed, f.injured):
        have = (fig[a] >= 0) & (fig[b] >= 0)
        aff += np.where(have & (fig[a] == fig[b]), 0.5, 0.0)
    aff -= 1.0 * ((f.means[a] >= 0) & (f.means[b] >= 0) & (f.means[a] != f.means[b]))
    return np.where(veto, -np.inf, aff)


# -- clusters -------------------------------------------------------------------------


@dataclass(slots=True)
class _Cluster:
    members: list[int]
    docs: set[str]
    places: list[Place] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    slack: int = 0


def _compatible(x: _Cluster, y: _Cluster, params: LinkParams) -> bool:
    """Whether two clusters may merge: no document in both (its units were split for a
    reason), no two countries, stated dates within a year."""
    if x.docs & y.docs:
        return False
    if (
        x.start
        and y.start
        and x.end
        and y.end
        and (max(x.end, y.end) - min(x.start, y.start)).days > 366
    ):
        return False
    return not any(
        _other_country(p, q) and _norm(p.text) != _norm(q.text) for p in x.places for q in y.places
    )


def _absorb(x: _Cluster, y: _Cluster) -> None:
    x.members += y.members
    x.docs |= y.docs
    for p in y.places:
        if all(place_relation(p, q) < 2 for q in x.places) and len(x.places) < 8:
            x.places.append(p)
    if y.start and y.end:
        x.start = y.start if x.start is None else min(x.start, y.start)
        x.end = y.end if x.end is None else max(x.end, y.end)
    x.slack = max(x.slack, y.slack)


def _same_place_and_day(u: Unit, v: Unit, params: LinkParams) -> bool:
    return _gap(u, v) == 0 and place_relation(u.place, v.place, params) == 2


def cluster_units(
    units: Sequence[Unit],
    pairs: I64,
    scores: F64,
    params: LinkParams,
    text: TextIndex | None = None,
) -> list[list[int]]:
    """Greedy best-first merging of units into incidents, refusing incompatible merges.

    A merge must also hold on average: the mean cosine between the two clusters'
    documents must reach ``params.mean_cosine``, so that A~B and B~C do not chain A
    and C when A and C have nothing in common (on gva-dev, chains of reports from one
    city months apart). Copies, and reports of the same place on the same stated day,
    are exempt: their evidence is not textual.
    """
    clusters = [
        _Cluster(
            [u.index],
            {u.doc_id},
            [u.place] if u.place is not None else [],
            u.start,
            u.end,
            _PRECISION_SLACK.get(u.precision or "", 0),
        )
        for u in units
    ]
    owner = list(range(len(units)))

    def find(i: int) -> int:
        root = i
        while owner[root] != root:
            root = owner[root]
        while owner[i] != root:
            owner[i], i = root, owner[i]
        return root

    sums: dict[int, Any] = {}

    def centroid(r: int) -> Any:
        if r not in sums:
            assert text is not None
            rows = sorted({text.row[units[m].doc_id] for m in clusters[r].members})
            # A sparse row (a dense one would be the whole vocabulary per cluster).
            sums[r] = sparse.csr_matrix(np.ones((1, len(rows)))) @ text.matrix[rows]
        return sums[r]

    def mean_cosine(ri: int, rj: int) -> float:
        x, y = clusters[ri], clusters[rj]
        nx = len({units[m].doc_id for m in x.members})
        ny = len({units[m].doc_id for m in y.members})
        return float(centroid(ri).multiply(centroid(rj)).sum()) / (nx * ny)

    keep = scores >= params.threshold
    order = np.argsort(-scores[keep], kind="stable")
    for i, j in pairs[keep][order].tolist():
        ri, rj = find(i), find(j)
        if ri == rj or not _compatible(clusters[ri], clusters[rj], params):
            continue
        if (
            text is not None
            and units[i].origin_id != units[j].origin_id
            and not _same_place_and_day(units[i], units[j], params)
            and (len(clusters[ri].members) > 1 or len(clusters[rj].members) > 1)
            and mean_cosine(ri, rj) < params.mean_cosine
        ):
            continue
        if len(clusters[ri].members) < len(clusters[rj].members):
            ri, rj = rj, ri
        if text is not None:
            merged = centroid(ri) + centroid(rj)
            sums[ri] = merged
            sums.pop(rj, None)
        _absorb(clusters[ri], clusters[rj])
        owner[rj] = ri
    return [sorted(clusters[r].members) for r in sorted({find(i) for i in range(len(units))})]


def group_claims(
    claims: Sequence[Claim],
    documents: Mapping[str, Document],
    origin: Mapping[str, str],
    text: TextIndex,
    tables: LinkTables,
    params: LinkParams,
) -> tuple[list[Unit], list[list[int]], dict[int, int]]:
    """Units, clusters (lists of unit indexes) and nesting (cluster -> containing cluster)."""
    units = build_units(claims, documents, origin, tables, params)
    if not units:
        return units, [], {}
    pairs = _candidates(units, text, params)
    scores = score_pairs(units, pairs, text, params) if len(pairs) else np.empty(0)
    clusters = cluster_units(units, pairs, scores, params, text)
    return units, clusters, nest(units, clusters, params)


def nest(
    units: Sequence[Unit], clusters: Sequence[Sequence[int]], params: LinkParams
) -> dict[int, int]:
    """For each specific cluster inside an aggregate one, the aggregate's index.

    Inside: the aggregate's resolved date range contains the specific one's, and the
    places agree (same, near, or one mention inside the other). The smallest such
    aggregate is chosen.
    """

    def span(ci: int) -> tuple[date | None, date | None, list[Place], bool]:
        us = [units[i] for i in clusters[ci]]
        starts = [u.start for u in us if u.start]
        ends = [u.end for u in us if u.end]
        places = [u.place for u in us if u.place is not None]
        return (
            min(starts) if starts else None,
            max(ends) if ends else None,
            places,
            us[0].aggregate,
        )

    info = [span(ci) for ci in range(len(clusters))]
    aggs = [ci for ci, x in enumerate(info) if x[3] and x[0] and x[1]]
    out: dict[int, int] = {}
    for ci, (s, e, places, agg) in enumerate(info):
        if agg or s is None or e is None:
            continue
        best: tuple[int, int] | None = None
        for ai in aggs:
            a_s, a_e, a_places, _ = info[ai]
            assert a_s is not None and a_e is not None
            # One day of slack each side: "three days of strikes" counted back from a
            # Tuesday briefing may or may not take in the Friday before.
            if not (a_s - _ONE_DAY <= s and e <= a_e + _ONE_DAY):
                continue
            if not any(place_relation(p, q, params) >= 1 for p in places for q in a_places):
                continue
            width = (a_e - a_s).days
            if best is None or width < best[0]:
                best = (width, ai)
        if best is not None:
            out[ci] = best[1]
    return out


def attach_unclaimed(
    text: TextIndex,
    claimed: Mapping[str, int],
    unclaimed: Sequence[str],
    published: Mapping[str, date | None],
    min_cosine: float,
) -> dict[str, int]:
    """Documents with no claim of their own that report an incident already found.

    A report may tell of a shooting without a figure the extractor could read ("a man
    was shot dead"); when its text is close to a document of one incident (names in
    common, within days), it is filed under that incident as one more document — not
    as a source: it brings no claim, so figures, sources and grade are unchanged.
    Returns document id -> the index (in ``claimed``'s terms) of its incident.
    """
    if not unclaimed or not claimed:
        return {}
    want = {text.row[d] for d in unclaimed if d in text.row}
    have = {text.row[d]: d for d in claimed if d in text.row}
    pairs = text.rare_pairs()
    if len(pairs) == 0:
        return {}
    keep = np.array(
        [(a in want and b in have) or (b in want and a in have) for a, b in pairs.tolist()],
        dtype=bool,
    )
    pairs = pairs[keep] if len(keep) else pairs
    if len(pairs) == 0:
        return {}
    cos = text.cosine(pairs[:, 0], pairs[:, 1])
    best: dict[str, tuple[float, str]] = {}
    for (a, b), c in zip(pairs.tolist(), cos.tolist(), strict=True):
        new, old = (text.ids[a], have[b]) if a in want else (text.ids[b], have[a])
        pa, pb = published.get(new), published.get(old)
        gap = abs((pa - pb).days) if pa and pb else 30
        # The publication-gap penalties of score_pairs, on the cosine scale.
        c -= 0.175 if gap > 7 else 0.075 if gap > 1 else 0.0
        if c >= min_cosine and c > best.get(new, (-1.0, ""))[0]:
            best[new] = (c, old)
    return {d: claimed[old] for d, (_, old) in best.items()}
