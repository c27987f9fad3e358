"""tolltrace incidents beside reference events: a pure function over records.

The rule (docs/compare.md):

- Place: when both sides have coordinates, they must lie within ``max_km`` of each
  other; when either lacks them (or has only a country centroid), both must name the same
  country and both must be dated.
- Date: when both sides are dated, the date ranges must overlap or lie within
  ``max_days`` of each other. A side without a date is compared by coordinates only, and
  the pair is marked undated; a country and no date is too little to pair anything.
- Each reference event pairs with at most one incident and each incident with at most
  one event: pairs are taken best first (coordinates and dates, then country and dates,
  then coordinates without a date; within that, the sum of the distance and the date gap,
  each as a fraction of its tolerance; ties go to the closer killed figure).

Candidates come from indexes keyed by date bucket and map cell (or country), so the
work grows with the number of nearby events, not with incidents x events.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tolltrace.evaluate.metrics import haversine_km
from tolltrace.records import Incident
from tolltrace.reference.events import ReferenceEvent

__all__ = ["MAX_DAYS", "MAX_KM", "Comparison", "Pair", "compare", "comparison_rows"]

# Defaults (the CLI's --max-km and --max-days). 50 km holds a town and the centroid of
# the district that ACLED codes it to at geo_precision 2; 3 days is the lag between an
# event and the report a news date is anchored on.
MAX_KM = 50.0
MAX_DAYS = 3
_KM_PER_DEGREE = 111.2


@dataclass(frozen=True, slots=True)
class Pair:
    incident: Incident
    reference: ReferenceEvent
    basis: str  # "coordinates" | "country"
    km: float | None  # None when paired by country
    day_gap: int | None  # 0 when the ranges overlap; None when a side is undated
    killed_diff: int  # tolltrace best killed (else lowest) - reference best (missing: 0)
    high_diff: int | None  # tolltrace highest bounded killed - reference high
    figures_overlap: bool  # tolltrace's min-max range meets the reference's low-high
    others: int  # further reference events within the tolerances


@dataclass(frozen=True, slots=True)
class Comparison:
    pairs: tuple[Pair, ...]
    unmatched_incidents: tuple[tuple[Incident, str], ...]  # (incident, why)
    unmatched_references: tuple[ReferenceEvent, ...]
    evaluated: int = 0  # (incident, event) pairs the rule was applied to


@dataclass(frozen=True, slots=True)
class _Side:
    """What the rule reads of an incident or an event."""

    start: int | None  # date ordinals
    end: int | None
    lat: float | None
    lon: float | None
    country: str | None


def _days(start: date | None, end: date | None) -> tuple[int | None, int | None]:
    if start is None and end is None:
        return None, None
    s = (start or end).toordinal()  # type: ignore[union-attr]
    e = (end or start).toordinal()  # type: ignore[union-attr]
    return min(s, e), max(s, e)


def _incident_side(x: Incident) -> _Side:
    p = x.place
    s, e = _days(x.date_start, x.date_end)
    # A country-wide place's coordinates are the country's centroid: compare the country.
    coords = p is not None and p.lat is not None and p.lon is not None
    coords = coords and p is not None and p.precision != "country"
    return _Side(
        s,
        e,
        p.lat if coords and p else None,
        p.lon if coords and p else None,
        p.country if p else None,
    )


def _reference_side(r: ReferenceEvent) -> _Side:
    s, e = _days(r.date_start, r.date_end)
    # UCDP where_prec 6 (country) and 7 (waters, airspace) place no event on the map.
    coords = r.lat is not None and r.lon is not None
    coords = coords and not (r.dataset == "ucdp" and (r.precision or 0) >= 6)
    return _Side(s, e, r.lat if coords else None, r.lon if coords else None, r.country)


class _Grid:
    """Square-ish map cells of ``max_km`` on a side (in latitude)."""

    def __init__(self, max_km: float) -> None:
        self.deg = max(max_km, 1.0) / _KM_PER_DEGREE
        self.n_lon = math.ceil(360 / self.deg)

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.deg), math.floor((lon + 180) / self.deg) % self.n_lon

    def around(self, lat: float, lon: float) -> list[tuple[int, int]]:
        ci, cj = self.cell(lat, lon)
        # A cell is narrower in km away from the equator: look further east and west.
        widest = min(89.9, abs(lat) + self.deg)
        k = min(self.n_lon, math.ceil(1 / math.cos(math.radians(widest))))
        cols = {(cj + dj) % self.n_lon for dj in range(-k, k + 1)}
        return [(ci + di, j) for di in (-1, 0, 1) for j in cols]


def _figures(x: Incident, r: ReferenceEvent) -> tuple[int, int | None, bool]:
    lo = x.killed.min if x.killed.min is not None else 0
    hi = x.killed.max if x.killed.max is not None else x.killed.min
    best = r.killed_best if r.killed_best is not None else 0
    # Like with like: the incident's registry-comparable figure against the event's best.
    mine = x.best_killed if x.best_killed is not None else lo
    r_lo = next((v for v in (r.killed_low, r.killed_best) if v is not None), 0)
    r_hi = next((v for v in (r.killed_high, r.killed_best) if v is not None), None)
    high_diff = hi - r_hi if hi is not None and r_hi is not None else None
    overlap = lo <= (r_hi if r_hi is not None else math.inf) and r_lo <= (
        x.killed.max if x.killed.max is not None else math.inf
    )
    return mine - best, high_diff, overlap


def compare(
    incidents: Sequence[Incident],
    references: Sequence[ReferenceEvent],
    *,
    max_km: float = MAX_KM,
    max_days: int = MAX_DAYS,
) -> Comparison:
    """Pair each incident with its best matching reference event (see the module doc)."""
    grid = _Grid(max_km)
    width = max_days + 1  # days per date bucket
    sides = [_reference_side(r) for r in references]
    # Dated events with coordinates by (cell, bucket); events with coordinates by cell
    # (for undated incidents) and undated ones by cell (for dated incidents); dated events
    # by (country, bucket), all of them and those without coordinates.
    cell_bucket: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    by_cell: dict[tuple[int, int], list[int]] = defaultdict(list)
    undated_cell: dict[tuple[int, int], list[int]] = defaultdict(list)
    country_bucket: dict[tuple[str, int], list[int]] = defaultdict(list)
    country_bucket_nocoords: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, s in enumerate(sides):
        if s.lat is not None and s.lon is not None:
            cell = grid.cell(s.lat, s.lon)
            by_cell[cell].append(i)
            if s.start is None:
                undated_cell[cell].append(i)
        if s.start is None or s.end is None:
            continue
        for b in range(s.start // width, s.end // width + 1):
            if s.lat is not None and s.lon is not None:
                cell_bucket[(*grid.cell(s.lat, s.lon), b)].append(i)
            if s.country:
                country_bucket[(s.country, b)].append(i)
                if s.lat is None:
                    country_bucket_nocoords[(s.country, b)].append(i)

    ranked: list[tuple[tuple[Any, ...], int, int, str, float | None, int | None]] = []
    reasons: dict[int, str] = {}
    found: dict[int, int] = defaultdict(int)
    evaluated = 0
    for xi, x in enumerate(incidents):
        q = _incident_side(x)
        dated = q.start is not None and q.end is not None
        has_coords = q.lat is not None and q.lon is not None
        if not has_coords and not (dated and q.country):
            reasons[xi] = (
                "neither coordinates nor a date"
                if not dated
                else "no coordinates and no country to compare by"
            )
            continue
        buckets: range = range(0)
        if dated:
            assert q.start is not None and q.end is not None
            buckets = range((q.start - max_days) // width, (q.end + max_days) // width + 1)
        cand: set[int] = set()
        if has_coords:
            assert q.lat is not None and q.lon is not None
            cells = grid.around(q.lat, q.lon)
            if dated:
                for c in cells:
                    cand.update(undated_cell.get(c, ()))
                    for b in buckets:
                        cand.update(cell_bucket.get((*c, b), ()))
                if q.country:
                    for b in buckets:
                        cand.update(country_bucket_nocoords.get((q.country, b), ()))
            else:
                for c in cells:
                    cand.update(by_cell.get(c, ()))
        elif q.country:
            for b in buckets:
                cand.update(country_bucket.get((q.country, b), ()))
        evaluated += len(cand)
        for ri in cand:
            s = sides[ri]
            gap: int | None = None
            if dated and s.start is not None and s.end is not None:
                assert q.start is not None and q.end is not None
                gap = max(0, s.start - q.end, q.start - s.end)
                if gap > max_days:
                    continue
            km: float | None = None
            if has_coords and s.lat is not None and s.lon is not None:
                assert q.lat is not None and q.lon is not None
                km = haversine_km(q.lat, q.lon, s.lat, s.lon)
                if km > max_km:
                    continue
                basis = "coordinates"
            elif gap is not None and q.country and q.country == s.country:
                basis = "country"
            else:
                continue
            tier = 0 if basis == "coordinates" and gap is not None else 1 if gap is not None else 2
            closeness = (km or 0.0) / max(max_km, 1e-9) + (gap or 0) / width
            diff, _, _ = _figures(x, references[ri])
            key = (tier, round(closeness, 9), abs(diff), x.id, ri)
            ranked.append((key, xi, ri, basis, km, gap))
            found[xi] += 1
    ranked.sort(key=lambda t: t[0])
    taken_x: dict[int, Pair] = {}
    taken_r: set[int] = set()
    for _key, xi, ri, basis, km, gap in ranked:
        if xi in taken_x or ri in taken_r:
            continue
        x, r = incidents[xi], references[ri]
        diff, high_diff, overlap = _figures(x, r)
        taken_x[xi] = Pair(
            x,
            r,
            basis,
            None if km is None else round(km, 3),
            gap,
            diff,
            high_diff,
            overlap,
            found[xi] - 1,
        )
        taken_r.add(ri)
    unmatched = []
    for xi, x in enumerate(incidents):
        if xi in taken_x:
            continue
        why = reasons.get(xi) or (
            "the reference events near it paired with other incidents more closely"
            if found[xi]
            else f"no reference event within {max_km:g} km and {max_days} days"
        )
        unmatched.append((x, why))
    return Comparison(
        tuple(taken_x[xi] for xi in sorted(taken_x)),
        tuple(unmatched),
        tuple(r for ri, r in enumerate(references) if ri not in taken_r),
        evaluated,
    )


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _incident_fields(x: Incident) -> dict[str, Any]:
    p = x.place
    return {
        "incident_id": x.id,
        "incident_date_start": _iso(x.date_start),
        "incident_date_end": _iso(x.date_end),
        "incident_place": (p.name or p.text) if p else None,
        "incident_country": p.country if p else None,
        "incident_lat": p.lat if p else None,
        "incident_lon": p.lon if p else None,
        "killed_min": x.killed.min,
        "killed_max": x.killed.max,
        "best_killed": x.best_killed,
        "incident_title": x.title,
    }


def _reference_fields(r: ReferenceEvent) -> dict[str, Any]:
    return {
        "dataset": r.dataset,
        "reference_id": r.external_id,
        "reference_date_start": _iso(r.date_start),
        "reference_date_end": _iso(r.date_end),
        "reference_place": r.place,
        "reference_country": r.country,
        "reference_lat": r.lat,
        "reference_lon": r.lon,
        "best": r.killed_best,
        "low": r.killed_low,
        "high": r.killed_high,
    }


def comparison_rows(c: Comparison, *, dataset: str | None = None) -> Iterable[dict[str, Any]]:
    """Flat rows for the CLI and ``--json``: ``status`` is ``matched``, ``incident only``
    or ``reference only``; ``dataset`` names the reference dataset on incident-only rows."""
    for p in c.pairs:
        yield {
            "status": "matched",
            **_incident_fields(p.incident),
            **_reference_fields(p.reference),
            "basis": p.basis,
            "km": p.km,
            "day_gap": p.day_gap,
            "killed_diff": p.killed_diff,
            "high_diff": p.high_diff,
            "figures_overlap": p.figures_overlap,
            "other_candidates": p.others,
        }
    for x, why in c.unmatched_incidents:
        yield {"status": "incident only", "dataset": dataset, **_incident_fields(x), "reason": why}
    for r in c.unmatched_references:
        yield {"status": "reference only", **_reference_fields(r)}
