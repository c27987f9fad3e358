"""Resolve: place mentions -> gazetteer entries, time expressions -> date ranges,
claimant mentions -> normalized claimants (see ``docs/resolution.md``).

Public API:

- :func:`load_gazetteer` (``settings -> Gazetteer``): opens, and on first use builds,
  the offline index under ``settings.gazetteer_dir``, with the editable tables.
- :func:`resolve_claims` (``doc, claims, gazetteer -> tuple[Claim, ...]``): the stage.
  No I/O beyond read-only lookups in the gazetteer file; safe on a Dask worker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tolltrace.records import Claim, Claimant, Document, Place, TimeRef
from tolltrace.resolve.claimants import DocClaimants, learn_aliases, resolve_claimant
from tolltrace.resolve.dates import default_range, find_time_expressions, resolve_time
from tolltrace.resolve.gazetteer import Entry, Gazetteer, add_geonames_file, open_gazetteer
from tolltrace.resolve.names import norm
from tolltrace.resolve.places import (
    PRECISION,
    SPECIFICITY,
    DocPlaces,
    Hit,
    hit_place,
    place_from_entry,
    resolve_mention,
    scan_document,
)
from tolltrace.resolve.tables import Tables, load_tables
from tolltrace.settings import Settings

__all__ = [
    "RESOLVER_VERSION",
    "Entry",
    "Gazetteer",
    "add_geonames_file",
    "add_to_gazetteer",
    "gazetteer_path",
    "gazetteer_rows",
    "load_gazetteer",
    "resolve_claims",
    "resolve_time",
]

RESOLVER_VERSION = "tolltrace-resolve/0.1.0"

# How far back a claim with no place of its own looks for the place the text is about.
# Set on muc4-dev (300, 600, 1000 tried: 600 best for place without losing country).
_CONTEXT_CHARS = 600
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*\n")
_ATTRIBUTION = re.compile(
    r"(?:according to|said|told|reported|cited|quoted)\s+(?:by\s+)?(?P<a>(?:the\s+)?"
    r"[A-Za-z][\w.'’\-]*(?:\s+(?:of\s+)?[\w.'’\-]+){0,5}?)(?=[,.;]|\s+(?:said|told|on|in|that)\b|$)"
    r"|(?P<b>(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Za-z][\w.'’\-]*){0,5}?)\s+"
    r"(?:said|says|reported|reports|told|stated|confirmed|announced)\b",
)


def gazetteer_path(settings: Settings) -> Path:
    return Path(settings.gazetteer_dir).expanduser()


def load_gazetteer(settings: Settings) -> Gazetteer:
    """Open the gazetteer under ``settings.gazetteer_dir`` (building it on first use,
    about 20 s) with the shipped alias tables."""
    return open_gazetteer(gazetteer_path(settings), tables=load_tables())


def add_to_gazetteer(settings: Settings, source: Path) -> int:
    """``tolltrace gazetteer add``: load a GeoNames dump into the index (built first
    when missing). Returns the rows read."""
    gaz = load_gazetteer(settings)
    return add_geonames_file(gaz.path, Path(source))


def gazetteer_rows(settings: Settings, name: str) -> list[dict[str, object]]:
    """``tolltrace gazetteer lookup``: the entries ``name`` can mean, exact matches
    first, then transliteration matches."""
    gaz = load_gazetteer(settings)
    entries = gaz.lookup(name) or gaz.lookup(name, loose=True)
    return [
        {
            "geonameid": e.geonameid,
            "name": e.name,
            "country": e.country,
            "admin1": e.admin1,
            "kind": e.kind,
            "population": e.population,
            "lat": e.lat,
            "lon": e.lon,
            "main_name": e.main,
        }
        for e in entries
    ]


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    a = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 1500), start):
        a = m.end()
    m2 = _SENTENCE_END.search(text, end)
    b = m2.start() + 1 if m2 else len(text)
    return a, b


def _claim_place(
    claim: Claim, doc: Document, ctx: DocPlaces, gaz: Gazetteer, span: tuple[int, int]
) -> Place | None:
    if claim.place is not None and claim.place.name is not None:
        return claim.place
    named = _named_locality(claim, doc, ctx, gaz, span)
    if named is not None:
        return named
    if claim.place is not None:
        resolved = resolve_mention(claim.place, ctx, gaz, gaz.tables)
        if resolved.name is not None:
            located = _located_by(claim.place, ctx, doc.text, span)
            if located is not None:
                return located
            main_place = _main_inside(resolved, ctx)
            if main_place is None and _stray_country(resolved, ctx):
                main_place = _main_place(ctx)
            return main_place if main_place is not None else resolved
        # An unresolvable mention (often not a place at all: "PROPERTY DAMAGE") gives
        # way to the places of the sentence, then to the document's main place -- unless
        # the text introduces it as a place ("IN THE TOWN OF X", "in X neighborhood"):
        # then it keeps its words, with the country the document is about.
        unknown = _unknown_place(claim.place, doc, ctx, gaz, span)
        if unknown is not None:
            return unknown
    a, b = span
    inside = [h for h in ctx.hits if h.entry is not None and a <= h.start < b]
    # "Sonsonate, 50 km west of San Salvador": the second place only locates the first.
    inside = [h for h in inside if not _locates_other(h, inside, doc.text)] or inside
    main = ctx.main.entry if ctx.main is not None else None
    if inside:
        # The most specific place of the sentence; among equals, the nearest to the figure.
        best = max(inside, key=lambda h: (SPECIFICITY[_precision(h)], -abs(h.start - claim.start)))
        e = best.entry
        assert e is not None
        # "Ohio" or "Iraq" in the sentence and the dateline city inside it: the city.
        contains_main = (
            main is not None
            and main.kind in ("city", "site")
            and (
                (e.kind == "country" and e.country == main.country)
                or (
                    e.kind in ("province", "county")
                    and e.country == main.country
                    and e.admin1code is not None
                    and e.admin1code == main.admin1code
                )
            )
        )
        found = hit_place(best, best.text)
        if not contains_main and e.kind == "county":
            # A US county has no coordinates in the sources: the town of that county's
            # state that the story names most stands for it ("Pima County" -> Tucson).
            town = _town_in(ctx, e)
            if town is not None:
                return town
        if (
            not contains_main
            and found is not None
            and not (_stray_country(found, ctx) and _main_place(ctx) is not None)
        ):
            return found
    # The place the text was last about: the nearest city before the claim, in the
    # sentences just before it (MUC reports name the town once, then tell what happened).
    before = (
        []
        if ctx.main is not None and not ctx.bureau
        else [
            h
            for h in ctx.hits
            if h.entry is not None
            and not h.dateline
            and a - _CONTEXT_CHARS <= h.start < a
            and h.entry.kind in ("city", "site")
        ]
    )
    if before:
        near = max(before, key=lambda h: h.start)
        p = hit_place(near, near.text)
        if p is not None:
            return replace(p, qualifier=p.qualifier or "context")
    if ctx.main is not None and ctx.main.entry is not None:
        p = hit_place(ctx.main, ctx.main.text)
        if p is not None:
            return replace(p, qualifier="dateline" if ctx.main.dateline else "document")
    if ctx.focus:
        # No place anywhere near the claim: the document's focus country, if clear.
        top = max(ctx.focus, key=lambda c: ctx.focus[c])
        country = gaz.country_entry.get(top)
        if country is not None and ctx.focus[top] >= 0.5:
            return place_from_entry(country, country.name, "document")
    return None


_LOCALITY_WORDS = (
    r"town|village|hamlet|neighbou?rhood|district|suburb|municipality|canton|settlement|"
    r"community|corregimiento|barrio|colonia|hacienda|farm|estate|locality|township|"
    r"residential\s+area|slum|camp"
)
_URBAN = frozenset(
    {
        "neighborhood",
        "neighbourhood",
        "suburb",
        "barrio",
        "colonia",
        "district",
        "residential area",
        "slum",
    }
)
# One to four words, Spanish articles between them ("San Luis de la Reina").
_NAME = (
    r"(?P<name>[A-Za-z][\w'’\-]*(?:\s+(?:(?:DE|DEL|LA|LAS|LOS|EL|de|del|la|las|los|el)\s+)?"
    r"[A-Za-z][\w'’\-]*){0,3}?)"
)
# "in the small town of Hostigal", "in the Modelo neighborhood", "Calluchaca village"
_LOCALITY_OF = re.compile(
    r"\b(?:in|at|near|outside|on|into|attacked|raided|invaded)\s+the\s+(?:\w+\s+){0,2}?"
    rf"(?P<kind>{_LOCALITY_WORDS})\s+of\s+{_NAME}(?=\s*(?:[,.;:()]|\s(?:in|on|at|near|and|"
    r"which|where|when|after|before|during|about|some|approximately|located|$)\b))",
    re.IGNORECASE,
)
_LOCALITY_AFTER = re.compile(
    r"\b(?:in|at|near|outside|on|into|of|invaded|attacked|raided)\s+(?:the\s+)?"
    rf"{_NAME}\s+(?P<kind>{_LOCALITY_WORDS})\b",
    re.IGNORECASE,
)


def _named_locality(
    claim: Claim, doc: Document, ctx: DocPlaces, gaz: Gazetteer, span: tuple[int, int]
) -> Place | None:
    """A village, farm or neighbourhood the claim's sentence introduces by name that the
    gazetteer lacks ("in the Miralvalle neighborhood", "the small town of Hostigal"),
    or that names a place elsewhere ("the Austin neighborhood" of a Chicago story): its
    words, inside the city the sentence or the document places it in."""
    a, b = span
    sentence = doc.text[a:b]
    upper = ctx.upper
    best: tuple[int, Place] | None = None
    for pat in (_LOCALITY_OF, _LOCALITY_AFTER):
        for m in pat.finditer(sentence):
            name = " ".join(m.group("name").split())
            kind = " ".join(m.group("kind").lower().split())
            words = name.split()
            if not upper and not all(
                w[:1].isupper() or w.lower() in _CONNECTOR_WORDS for w in words
            ):
                continue
            key = norm(name)
            if (
                len(key) < 3
                or key in gaz.tables.not_places
                or key in gaz.tables.stopwords
                or words[0].lower() in gaz.tables.stopwords
                or any(ch.isdigit() for ch in name)
            ):
                continue
            known = [
                h
                for h in ctx.hits
                if h.entry is not None and a + m.start("name") <= h.start < a + m.end("name")
            ]
            if known and (kind not in _URBAN or pat is _LOCALITY_OF):
                # A village the gazetteer knows (the document scan has it), or the city
                # of "the Karrada district of Baghdad".
                continue
            start = a + m.start("name")
            container = _container_city(start, a, b, ctx, kind in _URBAN)
            if container is not None and container.text and norm(container.text) == key:
                continue
            place = _locality_place(name, kind, container, ctx)
            if place is None:
                continue
            dist = abs(start - claim.start)
            if best is None or dist < best[0]:
                best = (dist, place)
    return best[1] if best is not None else None


_CONNECTOR_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "of"})


def _container_city(start: int, a: int, b: int, ctx: DocPlaces, urban: bool) -> Hit | None:
    """The city a locality lies in: a city the sentence names within 80 characters
    after it ("... neighborhood in northern Bogota", "..., Tulua"), else, for a
    neighbourhood, the document's main city."""
    after = [
        h
        for h in ctx.hits
        if h.entry is not None
        and h.entry.kind == "city"
        and start < h.start <= min(b, start + 80)
        and not h.dateline
    ]
    if after:
        return min(after, key=lambda h: h.start)
    main = ctx.main
    if urban and main is not None and main.entry is not None and main.entry.kind == "city":
        return main
    return None


def _locality_place(name: str, kind: str, container: Hit | None, ctx: DocPlaces) -> Place | None:
    if container is not None and container.entry is not None:
        e = container.entry
        return Place(
            text=name,
            qualifier=kind,
            name=e.name,
            country=e.country,
            admin1=e.admin1,
            lat=e.lat,
            lon=e.lon,
            geonameid=e.geonameid,
            precision="city" if kind in _URBAN else "near city",
        )
    country = None
    if ctx.main is not None and ctx.main.entry is not None:
        country = ctx.main.entry.country
    if country is None and ctx.focus:
        country = max(ctx.focus, key=lambda c: ctx.focus[c])
    if country is None:
        return None
    return Place(text=name, qualifier=kind, country=country, precision="country")


_INTRODUCED = re.compile(
    r"(?:\b(?:in|at|near|outside)\s+(?:the\s+)?(?:(?:town|village|city|hamlet|district|"
    r"municipality|neighbou?rhood|canton|farm|estate|jurisdiction|settlement|suburb|"
    r"department|province)\s+of\s+)?)$",
    re.IGNORECASE,
)
_INTRODUCED_AFTER = re.compile(
    r"^\s*(?:(?:town|village|city|hamlet|district|municipality|neighbou?rhood|canton|"
    r"settlement|suburb|farm|estate|jurisdiction)\b)",
    re.IGNORECASE,
)


_LOCATOR = re.compile(
    r",\s+(?:(?:approximately|some|about|around|roughly|located|nearly)\s+)?\d[^,;.]{0,50}$",
    re.IGNORECASE,
)


def _located_by(mention: Place, ctx: DocPlaces, text: str, span: tuple[int, int]) -> Place | None:
    """The place that ``mention`` only locates in the sentence ("in the city of
    Sonsonate, 50 km west of San Salvador" with the mention "San Salvador")."""
    a, b = span
    inside = [h for h in ctx.hits if h.entry is not None and a <= h.start < b]
    key = norm(mention.text)
    for h in inside:
        if norm(h.text) != key or not _locates_other(h, inside, text):
            continue
        m = _LOCATOR.search(text, max(0, h.start - 60), h.start)
        other = next((o for o in inside if m is not None and o.end == m.start()), None)
        if other is not None:
            return hit_place(other, other.text)
    return None


def _locates_other(h: Hit, hits: list[Hit], text: str) -> bool:
    """Whether ``h`` ("... 50 KM WEST OF SAN SALVADOR") is the point of reference of a
    distance given just after another place of the sentence."""
    if not h.qualifier or not any(ch.isdigit() for ch in h.qualifier):
        return False
    m = _LOCATOR.search(text, max(0, h.start - 60), h.start)
    if m is None:
        return False
    return any(o is not h and o.end == m.start() for o in hits)


def _unknown_place(
    mention: Place, doc: Document, ctx: DocPlaces, gaz: Gazetteer, span: tuple[int, int]
) -> Place | None:
    """A place the gazetteer lacks, kept as written when the sentence introduces it as
    a place; resolved only to the country of the document's main place (or focus)."""
    words = " ".join(mention.text.split())
    if len(words) < 4 or norm(words) in gaz.tables.not_places:
        return None
    a, b = span
    sentence = doc.text[a:b]
    flat = " ".join(sentence.split())
    i = flat.find(words)
    if i < 0:
        return None
    before, after = flat[max(0, i - 40) : i], flat[i + len(words) : i + len(words) + 20]
    introduced = _INTRODUCED.search(before) is not None and (
        re.search(
            r"(?:town|village|city|hamlet|district|municipality|neighbou?rhood|canton|"
            r"settlement|suburb|farm|estate|jurisdiction|department|province)\s+of\s+$",
            before,
            re.IGNORECASE,
        )
        is not None
        or _INTRODUCED_AFTER.match(after) is not None
    )
    if not introduced:
        return None
    main = ctx.main.entry if ctx.main is not None else None
    country = main.country if main is not None else None
    if country is None and ctx.focus:
        country = max(ctx.focus, key=lambda c: ctx.focus[c])
    if country is None:
        return None
    return Place(
        text=mention.text, qualifier=mention.qualifier, country=country, precision="country"
    )


def _town_in(ctx: DocPlaces, area: Entry) -> Place | None:
    counts: dict[int, int] = {}
    first: dict[int, Hit] = {}
    for h in ctx.hits:
        e = h.entry
        if (
            e is not None
            and e.kind == "city"
            and e.country == area.country
            and e.admin1code == area.admin1code
        ):
            counts[e.pid] = counts.get(e.pid, 0) + 1
            first.setdefault(e.pid, h)
    if not counts:
        return None
    pid = max(counts, key=lambda p: counts[p])
    h = first[pid]
    p = hit_place(h, h.text)
    return replace(p, qualifier="document") if p is not None else None


def _stray_country(place: Place, ctx: DocPlaces) -> bool:
    """A country the document hardly mentions ("U.S. citizens killed" in a Salvadoran
    story): a nationality more than a place."""
    return (
        place.precision == "country"
        and place.country is not None
        and ctx.focus.get(place.country, 0.0) < 0.2
    )


def _main_place(ctx: DocPlaces) -> Place | None:
    if ctx.main is None or ctx.main.entry is None:
        return None
    p = hit_place(ctx.main, ctx.main.text)
    return replace(p, qualifier="dateline" if ctx.main.dateline else "document") if p else None


def _main_inside(place: Place, ctx: DocPlaces) -> Place | None:
    """The document's main city when ``place`` is only its country or province."""
    main = ctx.main
    if main is None or main.entry is None or main.entry.kind not in ("city", "site"):
        return None
    e = main.entry
    if place.precision == "country" and place.country == e.country:
        pass
    elif not (
        place.precision == "province"
        and place.country == e.country
        and place.admin1 is not None
        and place.admin1 == e.admin1
    ):
        return None
    p = hit_place(main, main.text)
    return replace(p, qualifier="dateline" if main.dateline else "document") if p else None


def _precision(h: Hit) -> str:
    """The precision a scanned hit would get as a claim's place."""
    assert h.entry is not None
    if (h.qualifier and h.qualifier.lower().startswith(("near", "outside"))) or (
        h.qualifier and any(ch.isdigit() for ch in h.qualifier)
    ):
        return "near city"
    return PRECISION[h.entry.kind]


def _claim_time(claim: Claim, doc: Document, span: tuple[int, int]) -> TimeRef:
    if claim.time is not None and claim.time.text:
        if claim.time.date_start is not None:
            return claim.time
        ref = resolve_time(claim.time.text, doc.published)
        if ref.date_start is not None:
            return ref
    # No usable expression from extraction: the sentence's, then the paragraph's
    # before it (the nearest to the figure first), then the default window.
    a, b = span
    para = max(doc.text.rfind("\n\n", 0, a), a - 1200, 0)
    for lo, hi in ((a, b), (para, a)):
        found = find_time_expressions(doc.text[lo:hi])
        ordered = sorted(found, key=lambda f: abs(lo + f[0] - claim.start))
        for _s, _e, words in ordered:
            ref = resolve_time(words, doc.published)
            if ref.date_start is not None:
                return ref
    if claim.time is not None and claim.time.text:
        return TimeRef(text=claim.time.text)
    return default_range(doc.published)


def _claim_claimant(
    claim: Claim,
    doc: Document,
    people: DocClaimants,
    gaz: Gazetteer | None,
    place: Place | None,
    span: tuple[int, int],
) -> Claimant | None:
    tables = gaz.tables if gaz is not None else Tables()
    city = (
        place.name
        if place is not None and place.country == "US" and place.precision in ("city", "near city")
        else None
    )
    mention = claim.claimant
    if mention is not None and not mention.text:
        return mention  # extraction named the source itself (the outlet's own voice)
    if mention is None:
        a, b = span
        m = _ATTRIBUTION.search(doc.text, a, b)
        if m is None:
            return mention
        words = (m.group("a") or m.group("b") or "").strip()
        if not words or words.lower() in ("he", "she", "they", "it", "the", "who"):
            return mention
        mention = Claimant(text=words)
    resolved = resolve_claimant(mention, people, tables, city)
    if resolved.kind is None and gaz is not None and resolved.name:
        # "The United States", "Russia" speaking: a government.
        cc = gaz.country_names.get(norm(resolved.name))
        if cc:
            country = gaz.country_entry.get(cc)
            name = f"Government of {country.name}" if country is not None else resolved.name
            resolved = replace(resolved, name=name, kind="government")
    return resolved


def resolve_claims(
    doc: Document, claims: Sequence[Claim], gazetteer: Gazetteer | None
) -> tuple[Claim, ...]:
    """Resolve the place, time and claimant of every claim of ``doc``."""
    if not claims:
        return ()
    tables = gazetteer.tables if gazetteer is not None else Tables()
    ctx = scan_document(doc, gazetteer, tables) if gazetteer is not None else None
    people = learn_aliases(doc, tables)
    out: list[Claim] = []
    for claim in claims:
        span = _sentence(doc.text, claim.start, claim.end)
        place = claim.place
        if ctx is not None and gazetteer is not None:
            place = _claim_place(claim, doc, ctx, gazetteer, span)
        time = _claim_time(claim, doc, span)
        claimant = _claim_claimant(claim, doc, people, gazetteer, place, span)
        out.append(replace(claim, place=place, time=time, claimant=claimant))
    return tuple(out)
