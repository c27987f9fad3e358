"""Scoring one gold folder against what the pipeline stored.

How predictions are reduced (see docs/evaluation.md):

- A predicted claim counts toward the figure scores when its effect is killed or
  injured and it is none of: embedded (another article's headline quoted in this one),
  denied (the claimant says it did not happen), cumulative (a running total, never an
  incident figure, and no gold set annotates those), or a zero ("no one was hurt").
  Hedged claims and part claims ("15 children" of "60 killed, including 15 children")
  count: they are assertions the article makes.
- Each counted claim becomes a triple (document, effect, (min, max)); duplicates count
  once, and so do duplicate gold triples (two MUC templates with "1 killed" in one
  message are one triple). Precision and recall are over these sets.
- "found at all" is per gold claim: some predicted claim of its document, any effect and
  any flag, has the gold interval.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from tolltrace.evaluate.gold import GoldClaim, GoldIncident, GoldSet
from tolltrace.evaluate.metrics import (
    PRF,
    b_cubed,
    dates_overlap,
    haversine_km,
    intervals_match,
    normalize_name,
    pairwise,
    prf,
    tokens_overlap,
)
from tolltrace.evaluate.runner import Predictions
from tolltrace.records import Claim, Figure, Incident

__all__ = [
    "FIGURE_EFFECTS",
    "PLACE_RADIUS_KM",
    "Geocoder",
    "claim_errors",
    "counted",
    "gold_place_forms",
    "score_claims",
    "score_incidents",
    "score_slots",
]

FIGURE_EFFECTS = ("killed", "injured")

# FORMAT.md: a place is right when it names the gold place or lies "in the same city /
# within 25 km" of it. 25 km spans a large city and its suburbs (Mosul, Medellín).
PLACE_RADIUS_KM = 25.0

# Gold place string and country -> candidate coordinates (lat, lon) of that place.
Geocoder = Callable[[str, str | None], list[tuple[float, float]]]

Triple = tuple[str, str, int | None, int | None]


def counted(c: Claim) -> bool:
    """Whether a predicted claim counts toward the figure scores (module docstring)."""
    return (
        c.effect in FIGURE_EFFECTS
        and not c.embedded
        and not c.cumulative
        and c.stance != "denied"
        # "No one was injured": a zero is never a gold claim (GVA leaves zero figures
        # out, MUC's NO INJURY is no claim), so it can be neither right nor wrong.
        and not (c.count.min == 0 and c.count.max == 0)
    )


def _gold_counted(g: GoldClaim) -> bool:
    return g.effect in FIGURE_EFFECTS and g.stance != "denied"


def _gold_triple(g: GoldClaim) -> Triple:
    return (g.doc, g.effect, g.min, g.max)


def predicted_triples(gold: GoldSet, pred: Predictions) -> set[Triple]:
    """Counted predicted claims as (gold document id, effect, min, max)."""
    out: set[Triple] = set()
    for doc in gold.doc_ids:
        for c in pred.claims_of(doc):
            if counted(c):
                out.add((doc, c.effect, c.count.min, c.count.max))
    return out


def score_claims(gold: GoldSet, pred: Predictions) -> dict[str, Any]:
    p_triples = predicted_triples(gold, pred)
    gold_claims = [g for g in gold.claims if _gold_counted(g)]
    g_triples = {_gold_triple(g) for g in gold_claims}
    result: dict[str, Any] = {}
    tp_all = np_all = ng_all = 0
    for effect in FIGURE_EFFECTS:
        pe = {t for t in p_triples if t[1] == effect}
        ge = {t for t in g_triples if t[1] == effect}
        tp = len(pe & ge)
        result[effect] = prf(tp, len(pe), len(ge)).as_dict()
        tp_all += tp
        np_all += len(pe)
        ng_all += len(ge)
    result["all"] = prf(tp_all, np_all, ng_all).as_dict()

    found = 0
    for g in gold_claims:
        if any(
            intervals_match((c.count.min, c.count.max), (g.min, g.max))
            for c in pred.claims_of(g.doc)
        ):
            found += 1
    result["found_any"] = {
        "found": found,
        "gold": len(gold_claims),
        "share": round(found / len(gold_claims), 4) if gold_claims else None,
    }
    raw = [c for doc in gold.doc_ids for c in pred.claims_of(doc)]
    # A duplicate gold document shares its stored claims: count each stored claim once.
    unique = {c.id: c for c in raw}.values()
    result["predicted_claims"] = {
        "stored": len(unique),
        "counted": sum(1 for c in unique if counted(c)),
        "embedded": sum(1 for c in unique if c.embedded),
        "denied": sum(1 for c in unique if c.stance == "denied"),
        "cumulative": sum(1 for c in unique if c.cumulative),
        "other_effects": sum(1 for c in unique if c.effect not in FIGURE_EFFECTS),
    }
    return result


def claim_errors(gold: GoldSet, pred: Predictions) -> list[dict[str, Any]]:
    """Figure errors for error analysis: each gold triple not found ("missed") and each
    counted predicted triple not in the gold ("spurious"), with the document's counted
    predicted claims (figure and quote) beside a miss."""
    p_triples = predicted_triples(gold, pred)
    g_triples = {_gold_triple(g) for g in gold.claims if _gold_counted(g)}
    out: list[dict[str, Any]] = []

    def shown(c: Claim) -> dict[str, Any]:
        return {"effect": c.effect, "min": c.count.min, "max": c.count.max, "quote": c.quote}

    for doc, effect, lo, hi in sorted(g_triples - p_triples, key=repr):
        out.append(
            {
                "folder": gold.name,
                "doc": doc,
                "error": "missed",
                "effect": effect,
                "min": lo,
                "max": hi,
                "predicted": [shown(c) for c in pred.claims_of(doc) if counted(c)],
            }
        )
    for doc, effect, lo, hi in sorted(p_triples - g_triples, key=repr):
        out.append(
            {
                "folder": gold.name,
                "doc": doc,
                "error": "spurious",
                "effect": effect,
                "min": lo,
                "max": hi,
                "predicted": [
                    shown(c)
                    for c in pred.claims_of(doc)
                    if counted(c) and (c.effect, c.count.min, c.count.max) == (effect, lo, hi)
                ],
                "gold": sorted(
                    ({"effect": e, "min": a, "max": b} for d, e, a, b in g_triples if d == doc),
                    key=repr,
                ),
            }
        )
    return out


# -- slots ---------------------------------------------------------------------------------


@dataclass
class _Tally:
    scored: int = 0
    correct: int = 0

    def add(self, ok: bool | None) -> None:
        if ok is None:
            return
        self.scored += 1
        self.correct += int(ok)

    def as_dict(self) -> dict[str, Any]:
        share = round(self.correct / self.scored, 4) if self.scored else None
        return {"scored": self.scored, "correct": self.correct, "share": share}


# Words a gold place puts in brackets to say what kind of place it is ("Weld (county)",
# MUC's "MEDELLIN (CITY)"), not a name of its own.
_PLACE_KINDS = frozenset(
    {
        "city",
        "town",
        "village",
        "hamlet",
        "region",
        "department",
        "province",
        "state",
        "municipality",
        "district",
        "neighborhood",
        "neighbourhood",
        "parish",
        "borough",
        "township",
        "county",
    }
)
# "Chicago (Austin)", "URABA (REGION" (a key cut short), "A (CITY) - B" (MUC: between A and B)
_BRACKETED = re.compile(r"^(?P<before>[^(]*?)\s*\((?P<inside>[^)]*)\)?\s*$")


def gold_place_forms(gold_place: str) -> list[str]:
    """The ways a gold place string names its place, the string itself first.

    Gold places put a second name or a kind in brackets: "Chicago (Austin), Illinois" is
    Chicago's Austin neighbourhood, "Hot Springs National Park (Hot Springs)" the park
    by the town, "Weld (county), Colorado" Weld County, "MEDELLIN (CITY)" Medellín, and
    MUC's "A (CITY) - B" a place between A and B. Each name stands alone as a form (with
    the gold's ", State" tail kept), "X County" for "X (county)"; a kind word alone is
    no form. Any form may match.
    """
    text = " ".join(gold_place.split())
    if not text:
        return []
    head, sep, tail = text.partition(",")
    tail = sep + tail if sep else ""
    names: list[str] = []
    for piece in re.split(r"\s+-\s+", head):
        m = _BRACKETED.match(piece)
        if m is None:
            names.append(piece.strip())
            continue
        before, inside = m.group("before").strip(), m.group("inside").strip()
        kind = normalize_name(inside)
        if kind == "county" and before:
            names.append(f"{before} County")
        elif kind in _PLACE_KINDS:
            names.append(before)
        else:
            names.extend([before, inside])
    forms = [text]
    for n in names:
        form = f"{n}{tail}" if n else ""
        if normalize_name(n) and form not in forms:
            forms.append(form)
    return forms


def _place_names(c: Claim) -> set[str]:
    if c.place is None:
        return set()
    return {n for n in (normalize_name(c.place.name), normalize_name(c.place.text)) if n}


def place_matches(
    cands: Collection[Claim],
    gold_place: str,
    gold_coords: Collection[tuple[float, float]],
) -> tuple[bool, str | None]:
    """Whether some candidate claim's place is the gold place, and how ("name" or "geo").

    By name: the predicted name or mention equals one of the gold place's forms
    (:func:`gold_place_forms`: "Chicago (Austin)" is also "Chicago" and "Austin") or its
    first, most specific component ("Spanish Fork" of "Spanish Fork, Utah"), case- and
    diacritic-insensitively; when a form has a single component (a state or a
    province), the predicted admin1 may equal it too. By position: the predicted
    coordinates lie within PLACE_RADIUS_KM of a geocoding of the gold place (the caller
    geocodes every form).
    """
    wanted: set[str] = set()
    regions: set[str] = set()
    for form in gold_place_forms(gold_place):
        parts = [normalize_name(p) for p in form.split(",")]
        parts = [p for p in parts if p]
        if not parts:
            continue
        wanted.update({normalize_name(form), parts[0]})
        if len(parts) == 1:
            regions.add(parts[0])
    if not wanted:
        return False, None
    for c in cands:
        if _place_names(c) & wanted:
            return True, "name"
        if c.place is not None and normalize_name(c.place.admin1) in regions:
            return True, "name"
    for c in cands:
        p = c.place
        if p is None or p.lat is None or p.lon is None:
            continue
        if any(haversine_km(p.lat, p.lon, lat, lon) <= PLACE_RADIUS_KM for lat, lon in gold_coords):
            return True, "geo"
    return False, None


def _victim_strings(c: Claim) -> list[str | None]:
    v = c.victims
    group = v.group if v.group and v.group != "unknown" else None
    return [v.text, *v.descriptors, group]


def score_slots(
    gold: GoldSet,
    pred: Predictions,
    stopwords: Collection[str],
    geocoder: Geocoder | None = None,
    canon: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Slots of matched claims: for each gold claim whose figure was found (its triple is
    among the predicted triples), a slot is right when any predicted claim carrying that
    same triple has it right. A slot the gold leaves empty is not scored; one the
    prediction leaves empty is wrong."""
    by_triple: dict[Triple, list[Claim]] = defaultdict(list)
    for doc in gold.doc_ids:
        for c in pred.claims_of(doc):
            if counted(c):
                by_triple[(doc, c.effect, c.count.min, c.count.max)].append(c)

    place, place_name, place_geo = _Tally(), 0, 0
    country, when, perp, victims = _Tally(), _Tally(), _Tally(), _Tally()
    coords_cache: dict[tuple[str, str | None], list[tuple[float, float]]] = {}
    matched = 0
    for g in gold.claims:
        if not _gold_counted(g):
            continue
        cands = by_triple.get(_gold_triple(g))
        if not cands:
            continue
        matched += 1
        if g.place:
            key = (g.place, g.country)
            if key not in coords_cache:
                coords: list[tuple[float, float]] = []
                if geocoder is not None:
                    # every form of the gold place ("Chicago (Austin)": Chicago, Austin)
                    for form in gold_place_forms(g.place):
                        coords.extend(p for p in geocoder(form, g.country) if p not in coords)
                coords_cache[key] = coords
            ok, how = place_matches(cands, g.place, coords_cache[key])
            place.add(ok)
            place_name += how == "name"
            place_geo += how == "geo"
        if g.country:
            country.add(
                any(
                    c.place is not None and (c.place.country or "").upper() == g.country.upper()
                    for c in cands
                )
            )
        if g.date_start is not None or g.date_end is not None:
            when.add(
                any(
                    dates_overlap(
                        (c.time.date_start, c.time.date_end) if c.time else (None, None),
                        (g.date_start, g.date_end),
                    )
                    for c in cands
                )
            )
        if g.perpetrator:
            perp.add(
                any(tokens_overlap([c.perpetrator], g.perpetrator, stopwords, canon) for c in cands)
            )
        if g.victims:
            victims.add(
                any(tokens_overlap(_victim_strings(c), g.victims, stopwords, canon) for c in cands)
            )
    place_d = place.as_dict()
    place_d.update({"by_name": place_name, "by_position": place_geo})
    return {
        "matched_gold_claims": matched,
        "geocoder": "gazetteer" if geocoder else "names only",
        "place": place_d,
        "country": country.as_dict(),
        "date": when.as_dict(),
        "perpetrator": perp.as_dict(),
        "victims": victims.as_dict(),
    }


# -- incidents --------------------------------------------------------------------------------


def figure_equals(f: Figure, gold: int | None) -> bool:
    """An aggregated figure equals the gold count: min = max = the count; a gold 0 is
    also met by no figure at all (no claim of that effect); a gold null (unknown) only
    by no figure."""
    if gold is None:
        return f.min is None and f.max is None
    if gold == 0 and f.min is None and f.max is None:
        return True
    return f.min == gold and f.max == gold


def _best_incident(
    gi: GoldIncident, pred_of: dict[str, set[str]], by_id: dict[str, Incident]
) -> Incident | None:
    votes: dict[str, int] = defaultdict(int)
    for d in gi.docs:
        for pid in pred_of.get(d, ()):
            votes[pid] += 1
    if not votes:
        return None
    # Most of the gold incident's documents; ties to the incident with most claims,
    # then the smallest id, so the choice never depends on storage order.
    best = min(votes, key=lambda pid: (-votes[pid], -len(by_id[pid].claim_ids), pid))
    return by_id[best]


def _ratios(x: PRF) -> dict[str, float | None]:
    d = x.as_dict()
    return {"precision": d["precision"], "recall": d["recall"], "f1": d["f1"]}


def score_incidents(gold: GoldSet, pred: Predictions) -> dict[str, Any] | None:
    """Grouping of documents into incidents, over the documents of the gold incidents.

    ``None`` for a folder without a gold incident of two or more (evaluated)
    documents: there is no grouping to score.
    """
    if not any(len(gi.docs) > 1 for gi in gold.incidents):
        return None
    items = sorted({d for gi in gold.incidents for d in gi.docs})
    gold_of: dict[str, set[str]] = defaultdict(set)
    for gi in gold.incidents:
        for d in gi.docs:
            gold_of[d].add(gi.id)
    by_stored: dict[str, set[str]] = defaultdict(set)
    by_id = {x.id: x for x in pred.incidents}
    for x in pred.incidents:
        for sid in x.document_ids:
            by_stored[sid].add(x.id)
    pred_of: dict[str, set[str]] = {}
    for d in items:
        stored = pred.stored_id.get(d)
        pred_of[d] = set(by_stored.get(stored, ())) if stored is not None else set()

    predicted_ids: set[str] = set().union(*pred_of.values())
    n_gold = len(gold.incidents)
    killed_ok = injured_ok = both_ok = matched = 0
    for gi in gold.incidents:
        best = _best_incident(gi, pred_of, by_id)
        if best is None:
            continue
        matched += 1
        # The registry-comparable figures, not the ranges of what was claimed.
        k = figure_equals(Figure(best.best_killed, best.best_killed), gi.killed)
        j = figure_equals(Figure(best.best_injured, best.best_injured), gi.injured)
        killed_ok += k
        injured_ok += j
        both_ok += k and j

    def share(n: int) -> float | None:
        return round(n / n_gold, 4) if n_gold else None

    return {
        "documents": len(items),
        "gold_incidents": n_gold,
        "predicted_incidents": len(predicted_ids),
        "ratio": round(len(predicted_ids) / n_gold, 4) if n_gold else None,
        "unlinked_documents": sum(1 for d in items if not pred_of[d]),
        "multi_incident_documents": sum(1 for d in items if len(pred_of[d]) > 1),
        "b3": _ratios(b_cubed(pred_of, gold_of, items)),
        "pairwise": pairwise(pred_of, gold_of, items).as_dict(),
        "figures": {
            "gold_incidents": n_gold,
            "matched": matched,
            "killed": share(killed_ok),
            "injured": share(injured_ok),
            "both": share(both_ok),
        },
    }
