"""Scoring math, free of I/O: interval matching, P/R/F1, B³ and pairwise clustering
scores, date overlap, name and token normalisation, distances.

Everything here is a pure function over plain values so the unit tests can pin the
arithmetic down on hand-made inputs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

__all__ = [
    "PRF",
    "b_cubed",
    "dates_overlap",
    "haversine_km",
    "intervals_match",
    "normalize_name",
    "pairwise",
    "prf",
    "tokens",
    "tokens_overlap",
]

Interval = tuple[int | None, int | None]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 with the counts they come from.

    A ratio whose denominator is zero is ``None`` (undefined), never a made-up 0 or 1:
    "no prediction at all" must not read as "perfect precision".
    """

    tp: float
    predicted: float
    gold: float
    precision: float | None
    recall: float | None
    f1: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        def num(x: float) -> float | int:
            return int(x) if float(x).is_integer() else round(x, 4)

        return {
            "tp": num(self.tp),
            "predicted": num(self.predicted),
            "gold": num(self.gold),
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def prf(tp: float, predicted: float, gold: float) -> PRF:
    p = tp / predicted if predicted else None
    r = tp / gold if gold else None
    return PRF(tp, predicted, gold, p, r, f1(p, r))


def intervals_match(pred: Interval, gold: Interval) -> bool:
    """Predicted and gold intervals agree: min equal (``None`` = no lower bound stated,
    as in "up to 7", equals only ``None``), and max equal or both open (``None``)."""
    return pred[0] == gold[0] and pred[1] == gold[1]


# -- clustering -------------------------------------------------------------------------


def _neighbours(
    clusters: Mapping[str, Collection[str]], items: Collection[str]
) -> dict[str, set[str]]:
    """For each item, the items that share at least one cluster with it (itself included).

    ``clusters`` maps an item to the ids of the clusters it belongs to; an item in none
    is a singleton. Items outside ``items`` are ignored.
    """
    members: dict[str, set[str]] = {}
    for item in items:
        for cid in clusters.get(item, ()):
            members.setdefault(cid, set()).add(item)
    out: dict[str, set[str]] = {}
    for item in items:
        mates = {item}
        for cid in clusters.get(item, ()):
            mates |= members[cid]
        out[item] = mates
    return out


def b_cubed(
    predicted: Mapping[str, Collection[str]],
    gold: Mapping[str, Collection[str]],
    items: Collection[str],
) -> PRF:
    """B³ (Bagga and Baldwin, 1998) over ``items``.

    Per item: precision = |pred mates ∩ gold mates| / |pred mates|, recall =
    |pred mates ∩ gold mates| / |gold mates|, averaged over items. "Mates" are the items
    sharing at least one cluster with it (itself included), which is the usual
    definition on partitions and a plain extension when an item sits in several
    clusters (a report filed under two incidents).
    """
    pm = _neighbours(predicted, items)
    gm = _neighbours(gold, items)
    n = len(items)
    if n == 0:
        return prf(0, 0, 0)
    p_sum = sum(len(pm[i] & gm[i]) / len(pm[i]) for i in items)
    r_sum = sum(len(pm[i] & gm[i]) / len(gm[i]) for i in items)
    p, r = p_sum / n, r_sum / n
    return PRF(p_sum, n, n, p, r, f1(p, r))


def _pairs(mates: Mapping[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for a, ms in mates.items() for b in ms if a < b}


def pairwise(
    predicted: Mapping[str, Collection[str]],
    gold: Mapping[str, Collection[str]],
    items: Collection[str],
) -> PRF:
    """Pairwise P/R/F1: a pair of items is linked when they share a cluster; precision
    over predicted links, recall over gold links. Undefined (``None``) without links."""
    pp = _pairs(_neighbours(predicted, items))
    gp = _pairs(_neighbours(gold, items))
    return prf(len(pp & gp), len(pp), len(gp))


# -- dates --------------------------------------------------------------------------------


def dates_overlap(
    pred: tuple[date | None, date | None], gold: tuple[date | None, date | None]
) -> bool | None:
    """Whether the predicted range overlaps the gold range.

    A predicted range with one end only is that single day. A gold range with an open
    start means "on or before" its end (MUC's ``- 22 JAN 90``), an open end "on or after"
    its start. ``None`` when the gold gives no date at all (not scored); ``False`` when
    the prediction has none.
    """
    gs, ge = gold
    if gs is None and ge is None:
        return None
    ps, pe = pred
    ps = ps or pe
    pe = pe or ps
    if ps is None or pe is None:
        return False
    if pe < ps:
        ps, pe = pe, ps
    if ge is not None and ps > ge:
        return False
    return not (gs is not None and pe < gs)


# -- names and tokens -----------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_name(text: str | None) -> str:
    """Case-, diacritic- and punctuation-insensitive form: "Médellín " -> "medellin"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_ALNUM.sub(" ", bare).strip()


def _stem(tok: str) -> str:
    """A tiny plural folder so "CIVILIAN" meets "civilians" and "women" meets "woman"."""
    if tok.endswith("men") and len(tok) > 3:
        return tok[:-3] + "man"
    if tok.endswith("ies") and len(tok) > 4:
        return tok[:-3] + "y"
    if tok.endswith("s") and not tok.endswith("ss") and len(tok) > 3:
        return tok[:-1]
    return tok


def tokens(
    text: str | None, stopwords: Collection[str], canon: Mapping[str, str] | None = None
) -> set[str]:
    """Content tokens of ``text``: normalised, stop words and bare numbers removed
    (figures are scored on their own), one-letter tokens dropped, plurals folded, and
    words of one ``canon`` group ("woman" -> "female") mapped to the group's word."""
    out = set()
    for tok in normalize_name(text).split():
        if len(tok) < 2 or tok.isdigit() or tok in stopwords:
            continue
        stem = _stem(tok)
        if canon:
            stem = canon.get(stem, canon.get(tok, stem))
        out.add(stem)
    return out


def tokens_overlap(
    pred: Iterable[str | None],
    gold: str | None,
    stopwords: Collection[str],
    canon: Mapping[str, str] | None = None,
) -> bool:
    """Whether any content token of the predicted strings is a content token of gold."""
    g = tokens(gold, stopwords, canon)
    if not g:
        return False
    p: set[str] = set()
    for text in pred:
        p |= tokens(text, stopwords, canon)
    return bool(p & g)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))
